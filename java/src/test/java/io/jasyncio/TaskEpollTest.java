package io.jasyncio;

/** Futures and tasks on native epoll. */
class TaskEpollTest extends TaskSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

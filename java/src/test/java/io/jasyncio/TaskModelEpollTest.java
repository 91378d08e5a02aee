package io.jasyncio;

/** The task model's guarantees on native epoll. */
class TaskModelEpollTest extends TaskModelSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

package io.jasyncio;

/** Loop-thread-only calls from other threads, on native epoll. */
class LoopThreadEpollTest extends LoopThreadSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

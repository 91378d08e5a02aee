package io.jasyncio;

/** The event loop contract on native epoll. */
class EventLoopEpollTest extends EventLoopSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

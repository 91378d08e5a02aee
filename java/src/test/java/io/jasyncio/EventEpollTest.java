package io.jasyncio;

/** {@link EventSuite} on native epoll. */
class EventEpollTest extends EventSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

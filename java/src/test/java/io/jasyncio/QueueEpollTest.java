package io.jasyncio;

/** {@link QueueSuite} on native epoll. */
class QueueEpollTest extends QueueSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

package io.jasyncio;

/** {@link SemaphoreSuite} on native epoll. */
class SemaphoreEpollTest extends SemaphoreSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

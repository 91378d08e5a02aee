package io.jasyncio;

/** {@link LockSuite} on native epoll. */
class LockEpollTest extends LockSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

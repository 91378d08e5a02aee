package io.jasyncio;

/** asyncore and asynchat on native epoll. */
class CompatEpollTest extends CompatSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

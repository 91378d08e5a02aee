package io.jasyncio;

/** {@link BarrierSuite} on native epoll. */
class BarrierEpollTest extends BarrierSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

package io.jasyncio;

/** Delays, timeouts and deadlines on the epoll loop. */
class DelayEpollTest extends DelaySuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

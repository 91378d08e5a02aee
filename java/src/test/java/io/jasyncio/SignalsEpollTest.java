package io.jasyncio;

/** {@link Signals} with a Epoll loop for the loop-facing parts. */
class SignalsEpollTest extends SignalsSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

package io.jasyncio;

/** Signal handlers on the native epoll loop. */
class SignalEpollTest extends SignalSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

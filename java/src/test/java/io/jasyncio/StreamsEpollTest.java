package io.jasyncio;

/** The streams contract on native epoll. */
class StreamsEpollTest extends StreamsSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

package io.jasyncio;

/** TLS on the stream transports, on native epoll. */
class TlsEpollTest extends TlsSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

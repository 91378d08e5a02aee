package io.jasyncio;

/** Datagram endpoints and datagram sock calls on the epoll loop. */
class DatagramEpollTest extends DatagramSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

package io.jasyncio;

/** Sockets, transports and servers on the epoll loop. */
class NetEpollTest extends NetSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

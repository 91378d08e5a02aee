package io.jasyncio;

/** Sockets, transports and servers on the nio loop. */
class NetNioTest extends NetSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

package io.jasyncio;

/** Datagram endpoints and datagram sock calls on the NIO loop. */
class DatagramNioTest extends DatagramSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

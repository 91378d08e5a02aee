package io.jasyncio;

/** TLS on the stream transports, on the java.nio selector. */
class TlsNioTest extends TlsSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

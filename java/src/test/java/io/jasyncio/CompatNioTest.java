package io.jasyncio;

/** asyncore and asynchat on the JDK's NIO selector. */
class CompatNioTest extends CompatSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

package io.jasyncio;

/** {@link LockSuite} on java.nio's Selector. */
class LockNioTest extends LockSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

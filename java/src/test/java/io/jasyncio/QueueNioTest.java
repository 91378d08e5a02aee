package io.jasyncio;

/** {@link QueueSuite} on java.nio's Selector. */
class QueueNioTest extends QueueSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

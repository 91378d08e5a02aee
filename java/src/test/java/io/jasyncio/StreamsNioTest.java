package io.jasyncio;

/** The streams contract on java.nio's Selector. */
class StreamsNioTest extends StreamsSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

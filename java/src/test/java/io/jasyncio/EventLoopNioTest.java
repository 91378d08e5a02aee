package io.jasyncio;

/** The event loop contract on java.nio's Selector. */
class EventLoopNioTest extends EventLoopSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

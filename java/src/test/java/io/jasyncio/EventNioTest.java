package io.jasyncio;

/** {@link EventSuite} on java.nio's Selector. */
class EventNioTest extends EventSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

package io.jasyncio;

/** {@link SemaphoreSuite} on java.nio's Selector. */
class SemaphoreNioTest extends SemaphoreSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

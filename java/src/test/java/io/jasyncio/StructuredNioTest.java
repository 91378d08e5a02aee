package io.jasyncio;

/** TaskGroup, timeouts and eager tasks on the nio loop. */
class StructuredNioTest extends StructuredSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

package io.jasyncio;

/** contextvars on the nio loop. */
class ContextNioTest extends ContextSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

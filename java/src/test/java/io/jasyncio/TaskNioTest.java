package io.jasyncio;

/** Futures and tasks on java.nio's Selector. */
class TaskNioTest extends TaskSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

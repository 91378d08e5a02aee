package io.jasyncio;

/** The task model's guarantees on the NIO selector. */
class TaskModelNioTest extends TaskModelSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

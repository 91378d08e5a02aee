package io.jasyncio;

/** {@link CpythonQueuesSuite} on java.nio's Selector. */
class CpythonQueuesNioTest extends CpythonQueuesSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

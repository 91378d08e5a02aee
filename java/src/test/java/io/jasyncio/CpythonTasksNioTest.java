package io.jasyncio;

/** {@link CpythonTasksSuite} on java.nio's Selector. */
class CpythonTasksNioTest extends CpythonTasksSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

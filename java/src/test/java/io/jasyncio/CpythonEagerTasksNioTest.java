package io.jasyncio;

/** {@link CpythonEagerTasksSuite} on java.nio's Selector. */
class CpythonEagerTasksNioTest extends CpythonEagerTasksSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

package io.jasyncio;

/** {@link CpythonTaskGroupSuite} on java.nio's Selector. */
class CpythonTaskGroupNioTest extends CpythonTaskGroupSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

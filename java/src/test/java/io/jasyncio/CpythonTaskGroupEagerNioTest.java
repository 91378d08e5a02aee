package io.jasyncio;

/** {@link CpythonTaskGroupSuite} on java.nio's Selector, with the eager task factory (CPython's TestEagerTaskTaskGroup). */
class CpythonTaskGroupEagerNioTest extends CpythonTaskGroupSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }

    @Override
    boolean eager() {
        return true;
    }
}

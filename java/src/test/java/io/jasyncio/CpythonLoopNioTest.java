package io.jasyncio;

/** {@link CpythonLoopSuite} on java.nio's Selector. */
class CpythonLoopNioTest extends CpythonLoopSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

package io.jasyncio;

/** {@link CpythonTimeoutsSuite} on java.nio's Selector. */
class CpythonTimeoutsNioTest extends CpythonTimeoutsSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

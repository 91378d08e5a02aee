package io.jasyncio;

/** {@link CpythonLocksSuite} on java.nio's Selector. */
class CpythonLocksNioTest extends CpythonLocksSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

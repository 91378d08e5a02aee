package io.jasyncio;

/** {@link CpythonFuturesSuite} on java.nio's Selector. */
class CpythonFuturesNioTest extends CpythonFuturesSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

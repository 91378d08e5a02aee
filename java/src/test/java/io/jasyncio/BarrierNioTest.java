package io.jasyncio;

/** {@link BarrierSuite} on java.nio's Selector. */
class BarrierNioTest extends BarrierSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

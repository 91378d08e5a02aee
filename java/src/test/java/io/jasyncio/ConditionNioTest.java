package io.jasyncio;

/** {@link ConditionSuite} on java.nio's Selector. */
class ConditionNioTest extends ConditionSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

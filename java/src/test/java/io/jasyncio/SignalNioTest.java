package io.jasyncio;

/** Signal handlers on the java.nio Selector loop. */
class SignalNioTest extends SignalSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

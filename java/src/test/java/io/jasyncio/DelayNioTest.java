package io.jasyncio;

/** Delays, timeouts and deadlines on the nio loop. */
class DelayNioTest extends DelaySuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

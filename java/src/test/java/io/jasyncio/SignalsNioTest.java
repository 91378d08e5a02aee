package io.jasyncio;

/** {@link Signals} with a Nio loop for the loop-facing parts. */
class SignalsNioTest extends SignalsSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

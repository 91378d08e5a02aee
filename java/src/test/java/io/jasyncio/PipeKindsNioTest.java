package io.jasyncio;

/** FIFOs and character devices as pipes on the Nio loop. */
class PipeKindsNioTest extends PipeKindsSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

package io.jasyncio;

/** Loop-thread-only calls from other threads, on the NIO selector. */
class LoopThreadNioTest extends LoopThreadSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

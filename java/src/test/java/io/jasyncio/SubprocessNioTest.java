package io.jasyncio;

/** Child processes and pipes on the Nio loop. */
class SubprocessNioTest extends SubprocessSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

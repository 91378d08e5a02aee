package io.jasyncio;

/** The diagnostics on the nio loop. */
class DiagnosticsNioTest extends DiagnosticsSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}

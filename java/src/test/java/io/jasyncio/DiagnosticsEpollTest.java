package io.jasyncio;

/** The diagnostics on the epoll loop. */
class DiagnosticsEpollTest extends DiagnosticsSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

package io.jasyncio;

/** contextvars on the epoll loop. */
class ContextEpollTest extends ContextSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

package io.jasyncio;

/** Child processes and pipes on the Epoll loop. */
class SubprocessEpollTest extends SubprocessSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

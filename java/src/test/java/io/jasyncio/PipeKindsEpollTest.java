package io.jasyncio;

/** FIFOs and character devices as pipes on the Epoll loop. */
class PipeKindsEpollTest extends PipeKindsSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

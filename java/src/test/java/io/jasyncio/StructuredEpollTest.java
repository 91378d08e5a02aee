package io.jasyncio;

/** TaskGroup, timeouts and eager tasks on the epoll loop. */
class StructuredEpollTest extends StructuredSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

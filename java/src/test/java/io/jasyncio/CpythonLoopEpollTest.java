package io.jasyncio;

/** {@link CpythonLoopSuite} on native epoll. */
class CpythonLoopEpollTest extends CpythonLoopSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

package io.jasyncio;

/** {@link CpythonFuturesSuite} on native epoll. */
class CpythonFuturesEpollTest extends CpythonFuturesSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

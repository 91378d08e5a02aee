package io.jasyncio;

/** {@link CpythonTimeoutsSuite} on native epoll. */
class CpythonTimeoutsEpollTest extends CpythonTimeoutsSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

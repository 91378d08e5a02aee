package io.jasyncio;

/** {@link CpythonLocksSuite} on native epoll. */
class CpythonLocksEpollTest extends CpythonLocksSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

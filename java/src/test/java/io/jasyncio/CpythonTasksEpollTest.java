package io.jasyncio;

/** {@link CpythonTasksSuite} on native epoll. */
class CpythonTasksEpollTest extends CpythonTasksSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

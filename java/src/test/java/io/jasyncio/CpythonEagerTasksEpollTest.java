package io.jasyncio;

/** {@link CpythonEagerTasksSuite} on native epoll. */
class CpythonEagerTasksEpollTest extends CpythonEagerTasksSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

package io.jasyncio;

/** {@link CpythonTaskGroupSuite} on native epoll, with the eager task factory (CPython's TestEagerTaskTaskGroup). */
class CpythonTaskGroupEagerEpollTest extends CpythonTaskGroupSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }

    @Override
    boolean eager() {
        return true;
    }
}

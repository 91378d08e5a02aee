package io.jasyncio;

/** {@link CpythonTaskGroupSuite} on native epoll. */
class CpythonTaskGroupEpollTest extends CpythonTaskGroupSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

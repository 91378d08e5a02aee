package io.jasyncio;

/** {@link CpythonRunnersSuite} on native epoll. */
class CpythonRunnersEpollTest extends CpythonRunnersSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

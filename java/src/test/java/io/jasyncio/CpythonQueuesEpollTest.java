package io.jasyncio;

/** {@link CpythonQueuesSuite} on native epoll. */
class CpythonQueuesEpollTest extends CpythonQueuesSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

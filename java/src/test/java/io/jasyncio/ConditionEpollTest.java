package io.jasyncio;

/** {@link ConditionSuite} on native epoll. */
class ConditionEpollTest extends ConditionSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}

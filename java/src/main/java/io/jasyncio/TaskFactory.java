package io.jasyncio;

/** Makes the tasks of a loop ({@link EventLoop#setTaskFactory}, asyncio's task factory). */
@FunctionalInterface
public interface TaskFactory {
    /** Returns a new task running {@code coroutine} on {@code loop}; {@code name} may be null. */
    Task<?> createTask(EventLoop loop, Coroutine<?> coroutine, String name);
}

package io.jasyncio;

/** Makes the tasks of a loop ({@link EventLoop#setTaskFactory}, asyncio's task factory). */
@FunctionalInterface
public interface TaskFactory {
    /**
     * Returns a new task running {@code coroutine} on {@code loop}; {@code name} may be null.
     *
     * @param loop the loop the task runs on
     * @param coroutine the body of the task
     * @param name the task's name, or null for a generated one
     * @return the new task
     */
    Task<?> createTask(EventLoop loop, Coroutine<?> coroutine, String name);

    /**
     * Returns a new task that runs in {@code context} (asyncio passes {@code context=} to the
     * factory). The default calls {@link #createTask(EventLoop, Coroutine, String)} with
     * {@code context} current, so the task runs in a copy of it; a factory that can take the
     * context itself overrides this.
     *
     * @param loop the loop the task runs on
     * @param coroutine the body of the task
     * @param name the task's name, or null for a generated one
     * @param context the context the task runs in, or null for a copy of the current one
     * @return the new task
     */
    default Task<?> createTask(EventLoop loop, Coroutine<?> coroutine, String name, Context context) {
        if (context == null) {
            return createTask(loop, coroutine, name);
        }
        Context previous = Context.swap(context);
        try {
            return createTask(loop, coroutine, name);
        } finally {
            Context.swap(previous);
        }
    }
}

package io.jasyncio;

/**
 * The base of the synchronization primitives and queues: each one belongs to the loop of the first
 * task that has to wait on it (asyncio's {@code _LoopBoundMixin}). Binding lazily lets a primitive
 * be created before any loop runs, for instance in a field initializer; a call that does not have
 * to wait neither binds nor checks, as in asyncio.
 *
 * <p>Not thread safe: like the loop's futures, these objects are used on their loop's thread only.
 */
abstract class LoopBound {
    /** The loop of the first task that waited here; null until then. */
    private BaseEventLoop loop;

    LoopBound() {
    }

    /**
     * The task that is about to wait on this object, binding this object to that task's loop on
     * first use. Waiting needs a task: the caller's thread is suspended, and only a task's thread
     * can be suspended without blocking the loop.
     *
     * @throws IllegalStateException outside a task, or if this object is bound to another loop
     */
    final Task<?> waitingTask() {
        Task<?> task = Running.task();
        if (task == null) {
            throw new IllegalStateException(this + " can only be waited on inside a task (createTask):"
                    + " outside one, waiting would block the loop or race with it");
        }
        BaseEventLoop running = task.loop;
        if (loop == null) {
            loop = running;
        } else if (loop != running) {
            throw new IllegalStateException(this + " is bound to a different event loop");
        }
        return task;
    }

    /**
     * Suspends {@code task} (the caller's own, from {@link #waitingTask()}) until {@code waiter} is
     * done; throws {@link CancelledError} if the waiter was cancelled or the task was cancelled
     * meanwhile, even after the waiter got its result.
     */
    static void suspend(Task<?> task, Future<?> waiter) {
        task.awaitFuture(waiter);
    }
}

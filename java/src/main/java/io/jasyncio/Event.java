package io.jasyncio;

import java.util.ArrayDeque;

/**
 * A flag that tasks can wait for (asyncio's {@code Event}): {@link #set()} wakes every waiting task,
 * in the order they started waiting, and lets later {@link #await()} calls return at once until
 * {@link #clear()}.
 *
 * <p>{@link #await()} is asyncio's {@code wait()}: Java's {@link Object#wait()} is final and is a
 * different thing (a monitor wait that would block the loop's thread), so do not call that one.
 *
 * <p>The event belongs to the loop of the first task that waits on it. Not thread safe: use it on
 * that loop's thread only; from another thread, {@code loop.callSoonThreadsafe(event::set)}.
 */
public final class Event extends LoopBound {
    private final ArrayDeque<Future<Boolean>> waiters = new ArrayDeque<>();
    private boolean value;

    /** An event whose flag is not set, not yet bound to a loop. */
    public Event() {
    }

    /**
     * Whether the flag is set.
     *
     * @return true if set
     */
    public boolean isSet() {
        return value;
    }

    /**
     * Sets the flag and wakes every task waiting for it; does nothing if it is already set. The
     * woken tasks run later, in the order they started waiting, not inside this call.
     */
    public void set() {
        if (!value) {
            value = true;
            for (Future<Boolean> w : waiters) {
                if (!w.done()) {
                    w.completeResult(Boolean.TRUE);
                }
            }
        }
    }

    /** Clears the flag: tasks that call {@link #await()} from now on wait for the next {@link #set()}. */
    public void clear() {
        value = false;
    }

    /**
     * Returns once the flag is set: at once, without letting other tasks run, if it is set now;
     * otherwise suspends the calling task until {@link #set()} is called. A task woken by
     * {@code set()} returns even if the flag was cleared again before it ran.
     *
     * @return true, as asyncio's {@code wait()}
     * @throws CancelledError    if the calling task is cancelled while waiting
     * @throws IllegalStateException if it has to wait outside a task, or the event is bound to
     *                               another loop
     */
    public boolean await() {
        if (value) {
            return true;
        }
        Task<?> task = waitingTask();
        Future<Boolean> waiter = new Future<>(task.loop);
        waiters.add(waiter);
        try {
            suspend(task, waiter);
        } finally {
            waiters.remove(waiter);
        }
        return true;
    }

    @Override
    public String toString() {
        String s = "Event[" + (value ? "set" : "unset");
        if (!waiters.isEmpty()) {
            s += ", waiters:" + waiters.size();
        }
        return s + "]";
    }
}

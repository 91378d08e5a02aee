package io.jasyncio;

/**
 * A counting semaphore for tasks (asyncio's {@code Semaphore}): {@link #acquire()} takes one of a
 * number of permits, suspending the calling task while none is free, and {@link #release()} gives
 * one back. Like {@link Lock} it has no owner.
 *
 * <pre>{@code
 * Semaphore connections = new Semaphore(10);
 * try (Held permit = connections.hold()) {
 *     ...   // at most 10 tasks at a time
 * }
 * }</pre>
 *
 * <p>It is fair: while tasks are queued, a newcomer waits behind them even if permits are free.
 * A waiting task that is cancelled gives up its place, and one cancelled just after it was handed a
 * permit gives the permit back and wakes the next waiter, so a release is never lost (asyncio's
 * 3.12 algorithm).
 *
 * <p>The semaphore belongs to the loop of the first task that waits on it. Not thread safe: use it
 * on that loop's thread only.
 */
public class Semaphore extends LoopBound {
    /** Free permits, minus those handed to woken waiters that have not resumed yet. */
    int value;
    /** The waiting tasks; created on first contention. */
    private WaitQueue waiters;

    /** A semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * A semaphore with {@code value} permits.
     *
     * @param value the number of permits, at least 0
     * @throws IllegalArgumentException if {@code value < 0}
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0");
        }
        this.value = value;
    }

    /**
     * Whether {@link #acquire()} would have to wait: no permit is free, or a task (not cancelled)
     * is already queued and goes first.
     *
     * @return true if acquiring now would suspend the caller
     */
    public boolean locked() {
        return value == 0 || waiters != null && waiters.anyWaiting();
    }

    /**
     * Takes a permit, suspending the calling task until one is free and every task that asked
     * earlier has been served. Returns at once, without letting other tasks run, when
     * {@link #locked()} is false.
     *
     * @return true, as asyncio's {@code acquire()}
     * @throws CancelledError    if the calling task is cancelled while waiting; it then holds
     *                               no permit
     * @throws IllegalStateException if it has to wait outside a task, or the semaphore is bound to
     *                               another loop
     */
    public boolean acquire() {
        if (!locked()) {
            value--;
            return true;
        }
        Task<?> task = waitingTask();
        if (waiters == null) {
            waiters = new WaitQueue();
        }
        try {
            waiters.await(task, handedTheTurn -> {
                if (handedTheTurn) {
                    // A permit was already set aside for this task by wakeUpNext(), but it will
                    // not take it: put the permit back (the loop below hands it on).
                    value++;
                }
            });
        } finally {
            // Tasks that queued behind this one while permits were free (fairness made them wait)
            // are woken now, as many as there are permits.
            while (value > 0) {
                if (!wakeUpNext()) {
                    break;
                }
            }
        }
        return true;
    }

    /**
     * {@link #acquire()}s a permit and returns a {@link Held} whose {@code close()} releases it,
     * for try-with-resources.
     *
     * @return the hold, to close once
     * @throws CancelledError    if the calling task is cancelled while waiting
     * @throws IllegalStateException as {@link #acquire()}
     */
    public Held hold() {
        acquire();
        return new Releaser(this::release);
    }

    /**
     * Gives a permit back and wakes the task that has waited longest, if any. Any task or callback
     * may call it. A plain semaphore does not check the count: see {@link BoundedSemaphore}.
     */
    public void release() {
        value++;
        wakeUpNext();
    }

    /** Hands a permit to the first waiter that is not done yet; false if there was none. */
    private boolean wakeUpNext() {
        if (waiters == null || !waiters.wakeNext()) {
            return false;
        }
        value--;
        return true;
    }

    @Override
    public String toString() {
        String s = getClass().getSimpleName() + "[" + (locked() ? "locked" : "unlocked, value:" + value);
        if (waiters != null && waiters.size() > 0) {
            s += ", waiters:" + waiters.size();
        }
        return s + "]";
    }
}

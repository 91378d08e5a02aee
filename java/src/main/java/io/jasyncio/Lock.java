package io.jasyncio;

/**
 * A mutual-exclusion lock for tasks (asyncio's {@code Lock}). It has no owner: any task or
 * callback may release it, as in asyncio. Tasks that wait for it get it in the order they started
 * waiting (FIFO), and a task that finds it free and nobody queued takes it without suspending.
 *
 * <pre>{@code
 * try (Held held = lock.hold()) {
 *     ...   // one task at a time
 * }
 * }</pre>
 *
 * <p>{@link #acquire()} and {@link #hold()} suspend the calling task while the lock is taken; they
 * must be called inside a task. A waiting task that is cancelled gives up its place; one that is
 * cancelled just after it was chosen passes the lock on to the next waiter, so a release is never
 * lost.
 *
 * <p>The lock belongs to the loop of the first task that waits on it. Not thread safe: use it on
 * that loop's thread only.
 */
public final class Lock extends LoopBound {
    /** The waiting tasks; created on first contention. */
    private WaitQueue waiters;
    private boolean locked;

    /** An unlocked lock, not yet bound to a loop. */
    public Lock() {
    }

    /**
     * Whether the lock is held.
     *
     * @return true between an acquire and the release that follows it
     */
    public boolean locked() {
        return locked;
    }

    /**
     * Takes the lock, suspending the calling task until it is free and every task that asked
     * earlier has had it. Returns at once, without letting other tasks run, when the lock is free
     * and nobody (not cancelled) is waiting.
     *
     * @return true, as asyncio's {@code acquire()}
     * @throws CancelledError    if the calling task is cancelled while waiting; the lock is
     *                               then not held by it
     * @throws IllegalStateException if it has to wait outside a task, or the lock is bound to
     *                               another loop
     */
    public boolean acquire() {
        if (tryAcquire()) {
            return true;
        }
        Task<?> task = waitingTask();
        if (waiters == null) {
            waiters = new WaitQueue();
        }
        waiters.await(task, handedTheTurn -> {
            // Cancelled while waiting, or right after release() chose this waiter: if the lock is
            // still free, the next waiter must be woken, or it would wait for a release that
            // already happened.
            if (!locked) {
                waiters.wakeFirst();
            }
        });
        locked = true;
        return true;
    }

    /** Takes the lock if that needs no waiting (acquire's fast path); never suspends. */
    boolean tryAcquire() {
        if (!locked && (waiters == null || !waiters.anyWaiting())) {
            locked = true;
            return true;
        }
        return false;
    }

    /**
     * {@link #acquire()}s the lock and returns a {@link Held} whose {@code close()} releases it,
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
     * Frees the lock and wakes the task that has waited longest, if any. It may be called by any
     * task or callback, not only the one that acquired it.
     *
     * @throws IllegalStateException if the lock is not held ("Lock is not acquired.")
     */
    public void release() {
        if (!locked) {
            throw new IllegalStateException("Lock is not acquired.");
        }
        locked = false;
        if (waiters != null) {
            waiters.wakeFirst();
        }
    }

    @Override
    public String toString() {
        String s = "Lock[" + (locked ? "locked" : "unlocked");
        if (waiters != null && waiters.size() > 0) {
            s += ", waiters:" + waiters.size();
        }
        return s + "]";
    }
}

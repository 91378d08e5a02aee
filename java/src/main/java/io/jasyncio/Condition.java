package io.jasyncio;

import io.jasyncio.internal.strand.StrandAbandonedError;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for tasks (asyncio's {@code Condition}): a {@link Lock} plus a queue of
 * tasks waiting to be signalled. A task holding the lock calls {@link #await()}, which releases the
 * lock, waits for {@link #signal(int)} or {@link #signalAll()}, and takes the lock back before it
 * returns.
 *
 * <pre>{@code
 * try (Held held = condition.hold()) {
 *     condition.waitFor(() -> !items.isEmpty());
 *     take(items);
 * }
 * }</pre>
 *
 * <p>Names: Java's {@link Object} already has final {@code wait()}, {@code notify()} and
 * {@code notifyAll()} (monitor operations that would throw or block the loop's thread), so
 * asyncio's {@code wait}, {@code notify(n)} and {@code notify_all} are {@link #await()},
 * {@link #signal(int)} and {@link #signalAll()} here, as in {@code java.util.concurrent.locks}.
 *
 * <p>Signalled tasks are woken in the order they started waiting. A task cancelled while waiting
 * still takes the lock back before the {@link CancelledError} leaves {@code await()}, and a
 * task that was signalled but leaves {@code await()} with an exception passes the signal on to the
 * next waiter, so a signal is never lost (the other task may see a spurious wake-up, which
 * condition variables allow: always wait in a loop, or use {@link #waitFor}).
 *
 * <p>The condition belongs to the loop of the first task that waits on it. Not thread safe: use it
 * on that loop's thread only.
 */
public final class Condition extends LoopBound {
    private final Lock lock;
    private final ArrayDeque<Future<Boolean>> waiters = new ArrayDeque<>();

    /** A condition with a new lock of its own. */
    public Condition() {
        this(new Lock());
    }

    /**
     * A condition over {@code lock}, which other conditions and tasks may share.
     *
     * @param lock the lock that {@link #await()} releases and takes back
     * @throws NullPointerException if {@code lock} is null
     */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /**
     * Takes the underlying lock ({@link Lock#acquire()}).
     *
     * @return true, as asyncio's {@code acquire()}
     * @throws CancelledError    if the calling task is cancelled while waiting
     * @throws IllegalStateException if it has to wait outside a task, or the lock is bound to
     *                               another loop
     */
    public boolean acquire() {
        return lock.acquire();
    }

    /**
     * Takes the underlying lock and returns a {@link Held} that releases it, for
     * try-with-resources ({@link Lock#hold()}).
     *
     * @return the hold, to close once
     * @throws CancelledError    if the calling task is cancelled while waiting
     * @throws IllegalStateException as {@link #acquire()}
     */
    public Held hold() {
        lock.acquire();
        return new Releaser(lock::release);
    }

    /**
     * Releases the underlying lock ({@link Lock#release()}).
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void release() {
        lock.release();
    }

    /**
     * Whether the underlying lock is held.
     *
     * @return true if held
     */
    public boolean locked() {
        return lock.locked();
    }

    /**
     * Releases the lock, suspends the calling task until it is signalled, then takes the lock back
     * and returns. The lock is held again when this returns or throws (if the loop is closed
     * under the waiting task, only if the lock was free). It may return without a matching
     * signal, so check the state again.
     *
     * @throws IllegalStateException if the lock is not held ("cannot wait on un-acquired lock"),
     *                               outside a task, or if the condition is bound to another loop
     * @return true, as asyncio's {@code wait()}
     * @throws CancelledError    if the calling task is cancelled while waiting or while taking
     *                               the lock back (the lock is held all the same)
     */
    public boolean await() {
        if (!lock.locked()) {
            throw new IllegalStateException("cannot wait on un-acquired lock");
        }
        Task<?> task = waitingTask();
        Future<Boolean> waiter = new Future<>(task.loop);
        lock.release();
        try {
            try {
                waiters.add(waiter);
                try {
                    suspend(task, waiter);
                } finally {
                    waiters.remove(waiter);
                }
            } catch (StrandAbandonedError closing) {
                // The loop is closing under this task: waiting for the lock again would park the
                // task's thread for good. Take it back only if it is free, so that the caller's
                // finally (a Held) has the lock it expects to release.
                lock.tryAcquire();
                throw closing;
            } catch (Throwable e) {
                reacquire();
                throw e;
            }
            reacquire();
        } catch (StrandAbandonedError closing) {
            throw closing;
        } catch (Throwable e) {
            // This task may have been signalled before the exception: give the signal to another
            // waiter rather than lose it.
            wake(1);
            throw e;
        }
        return true;
    }

    /**
     * Takes the lock back after waiting, even if the task is cancelled meanwhile: the caller's
     * {@code try}/{@code finally} expects to hold it. The last cancellation is rethrown once the
     * lock is held.
     */
    private void reacquire() {
        CancelledError cancelled = null;
        while (true) {
            try {
                lock.acquire();
                break;
            } catch (CancelledError e) {
                cancelled = e;
            }
        }
        if (cancelled != null) {
            throw cancelled;
        }
    }

    /**
     * {@link #await()}s until {@code predicate} is true; checks it first, so it returns at once if
     * it already holds. The predicate runs with the lock held.
     *
     * @param predicate the state to wait for; evaluated on the loop's thread
     * @throws IllegalStateException as {@link #await()}, when it has to wait
     * @return true (the predicate's value), as asyncio's {@code wait_for()}
     * @throws CancelledError    if the calling task is cancelled while waiting (the lock is
     *                               held all the same)
     */
    public boolean waitFor(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        while (!predicate.getAsBoolean()) {
            await();
        }
        return true;
    }

    /**
     * Wakes up to {@code n} waiting tasks, longest waiting first (asyncio's {@code notify(n)}); each
     * returns from {@link #await()} once it has taken the lock back, so release the lock after
     * signalling. {@code n <= 0} wakes nobody.
     *
     * @param n how many waiters to wake at most
     * @throws IllegalStateException if the lock is not held ("cannot notify on un-acquired lock")
     */
    public void signal(int n) {
        if (!lock.locked()) {
            throw new IllegalStateException("cannot notify on un-acquired lock");
        }
        wake(n);
    }

    /**
     * Wakes the task that has waited longest ({@code signal(1)}).
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes every waiting task (asyncio's {@code notify_all}).
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signalAll() {
        signal(waiters.size());
    }

    private void wake(int n) {
        int woken = 0;
        for (Future<Boolean> w : waiters) {
            if (woken >= n) {
                break;
            }
            if (!w.done()) {
                woken++;
                w.completeResult(Boolean.FALSE);
            }
        }
    }

    @Override
    public String toString() {
        String s = "Condition[" + (lock.locked() ? "locked" : "unlocked");
        if (!waiters.isEmpty()) {
            s += ", waiters:" + waiters.size();
        }
        return s + "]";
    }
}

package io.jasyncio;

import java.util.ArrayDeque;

/**
 * The tasks waiting for a {@link Lock} or a {@link Semaphore}, oldest first, and the protocol both
 * follow (asyncio 3.12's): a waiter is a future that the releasing side completes to hand its task
 * the turn; the task leaves the queue when it resumes, however it resumes; and a task cancelled
 * after it was handed the turn, but before it could take it, must pass the turn on, or a release
 * would be lost. The owner says how to pass it on ({@link HandOn}).
 *
 * <p>Made on first contention by its owner. Not thread safe: the owner's loop thread only.
 */
final class WaitQueue {
    /** What a waiting task does when it is cancelled, before its {@link CancelledError} goes on. */
    @FunctionalInterface
    interface HandOn {
        /**
         * Called once, in the cancelled task.
         *
         * @param handedTheTurn whether the releasing side had already completed this task's waiter
         *                      (the turn is then this task's, and it must give it back)
         */
        void cancelled(boolean handedTheTurn);
    }

    private final ArrayDeque<Future<Boolean>> waiters = new ArrayDeque<>();

    /** Whether a task that is not cancelled is queued, so a newcomer must queue behind it. */
    boolean anyWaiting() {
        for (Future<Boolean> w : waiters) {
            if (!w.cancelled()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Queues {@code task} (the caller's own) and suspends it until it is handed the turn. If it is
     * cancelled instead, {@code handOn} runs and the {@link CancelledError} is rethrown.
     */
    void await(Task<?> task, HandOn handOn) {
        Future<Boolean> waiter = new Future<>(task.loop);
        waiters.add(waiter);
        try {
            try {
                LoopBound.suspend(task, waiter);
            } finally {
                waiters.remove(waiter);
            }
        } catch (CancelledError e) {
            handOn.cancelled(waiter.done() && !waiter.cancelled());
            throw e;
        }
    }

    /**
     * Hands the turn to the oldest waiter if it does not have it yet. Only the oldest is looked
     * at: if it is done already (handed the turn, or cancelled), its task passes the turn on
     * itself when it resumes.
     */
    void wakeFirst() {
        Future<Boolean> first = waiters.peekFirst();
        if (first != null && !first.done()) {
            first.completeResult(Boolean.TRUE);
        }
    }

    /** Hands the turn to the oldest waiter that is not done yet; false if there is none. */
    boolean wakeNext() {
        for (Future<Boolean> w : waiters) {
            if (!w.done()) {
                w.completeResult(Boolean.TRUE);
                return true;
            }
        }
        return false;
    }

    /** How many tasks are queued, cancelled ones that have not resumed yet included. */
    int size() {
        return waiters.size();
    }
}

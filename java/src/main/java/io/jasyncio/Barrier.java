package io.jasyncio;

/**
 * A barrier for a fixed number of tasks (asyncio's {@code Barrier}, the task counterpart of
 * {@link java.util.concurrent.CyclicBarrier}): each task calling {@link #await()} waits until
 * {@link #parties()} tasks have arrived, then all of them go on together. The barrier can be used
 * again for the next round once every task of the previous one has left.
 *
 * <p>{@link #abort()} breaks it: the waiting tasks, and every later {@code await()}, get a
 * {@link BrokenBarrierException} until {@link #reset()}. A reset with tasks waiting breaks the
 * current round for them (they get a {@code BrokenBarrierException}) and the barrier is usable
 * again once they have left.
 *
 * <p>{@code await()}, {@code reset()} and {@code abort()} take an internal {@link Condition}'s lock,
 * so they may suspend the calling task briefly; call them inside a task. {@link Object#wait()} is
 * not asyncio's {@code wait}: {@link #await()} is.
 *
 * <p>The barrier belongs to the loop of the first task that waits on it. Not thread safe: use it on
 * that loop's thread only.
 */
public final class Barrier {
    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    /** Every state change is announced on it with signalAll. */
    private final Condition condition = new Condition();
    private final int parties;
    private State state = State.FILLING;
    /** Tasks inside {@link #await()} past the entry check, arrived or leaving. */
    private int count;

    /**
     * A barrier for {@code parties} tasks.
     *
     * @param parties how many tasks each round waits for, at least 1
     * @throws IllegalArgumentException if {@code parties < 1}
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be >= 1");
        }
        this.parties = parties;
    }

    /**
     * Waits until {@link #parties()} tasks have called it, then returns this task's arrival index:
     * 0 for the first to arrive up to {@code parties() - 1} for the last, whose arrival releases
     * the others. While the previous round's tasks are still leaving, a new arrival waits for them
     * first.
     *
     * @return the arrival index, unique within the round
     * @throws BrokenBarrierException if the barrier is broken ("Barrier aborted"), or is aborted or
     *                                reset while this task waits ("Abort or reset of barrier")
     * @throws CancelledError     if the calling task is cancelled while waiting; it leaves the
     *                                barrier, which the others do not notice
     * @throws IllegalStateException  if it has to wait outside a task, or the barrier is bound to
     *                                another loop
     */
    public int await() {
        try (Held held = condition.hold()) {
            blockWhileLeavingOrResetting();
            int index = count++;
            try {
                if (index + 1 == parties) {
                    state = State.DRAINING;
                    condition.signalAll();
                } else {
                    condition.waitFor(() -> state != State.FILLING);
                    if (state == State.BROKEN || state == State.RESETTING) {
                        throw new BrokenBarrierException("Abort or reset of barrier");
                    }
                }
                return index;
            } finally {
                count--;
                leave();
            }
        }
    }

    /** Waits while the previous round drains or a reset completes; fails if the barrier is broken. */
    private void blockWhileLeavingOrResetting() {
        condition.waitFor(() -> state != State.DRAINING && state != State.RESETTING);
        if (state == State.BROKEN) {
            throw new BrokenBarrierException("Barrier aborted");
        }
    }

    /** The last task out of a draining or resetting round opens the barrier for the next one. */
    private void leave() {
        if (count == 0) {
            if (state == State.RESETTING || state == State.DRAINING) {
                state = State.FILLING;
            }
            condition.signalAll();
        }
    }

    /**
     * Puts the barrier back in its initial state. Tasks waiting in it get a
     * {@link BrokenBarrierException}, and it fills again once they have left. It also repairs a
     * broken barrier.
     *
     * @throws CancelledError    if the calling task is cancelled while taking the internal lock
     * @throws IllegalStateException if it has to wait for the internal lock outside a task
     */
    public void reset() {
        try (Held held = condition.hold()) {
            if (count > 0) {
                if (state != State.RESETTING) {
                    state = State.RESETTING;
                }
            } else {
                state = State.FILLING;
            }
            condition.signalAll();
        }
    }

    /**
     * Breaks the barrier: tasks waiting in it, and every later {@link #await()}, get a
     * {@link BrokenBarrierException}, until {@link #reset()}. Useful when a party fails and the
     * others must not wait for it.
     *
     * @throws CancelledError    if the calling task is cancelled while taking the internal lock
     * @throws IllegalStateException if it has to wait for the internal lock outside a task
     */
    public void abort() {
        try (Held held = condition.hold()) {
            state = State.BROKEN;
            condition.signalAll();
        }
    }

    /**
     * How many tasks must arrive to release the barrier.
     *
     * @return the number of parties
     */
    public int parties() {
        return parties;
    }

    /**
     * How many tasks are waiting in the current round (0 while a round drains or resets).
     *
     * @return the number of waiting tasks
     */
    public int nWaiting() {
        return state == State.FILLING ? count : 0;
    }

    /**
     * Whether the barrier is broken ({@link #abort()} without a {@link #reset()} since).
     *
     * @return true if broken
     */
    public boolean broken() {
        return state == State.BROKEN;
    }

    @Override
    public String toString() {
        String s = "Barrier[" + state.name().toLowerCase();
        if (state != State.BROKEN) {
            s += ", waiters:" + nWaiting() + "/" + parties;
        }
        return s + "]";
    }
}

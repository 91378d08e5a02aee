package io.jasyncio;

/**
 * What a loop does when it has nothing to run: block in the poller (the default), poll without
 * waiting a bounded number of times first, or never block at all. The choice trades CPU for the
 * latency of waking up: a blocked loop costs nothing while idle but takes the kernel's wake-up
 * path (tens of microseconds on a virtual machine) when data arrives; a spinning loop sees it at
 * its next poll (one {@code epoll_wait(…, 0)}, about 0.2 µs) at the price of a core kept busy.
 *
 * <p>Set it per loop with {@link EventLoop#setIdleStrategy}. Timers, {@code callSoonThreadsafe}
 * and {@code stop()} behave the same under every strategy.
 */
public final class IdleStrategy {

    /** The kinds of strategy. */
    public enum Kind {
        /** Block in the poller until I/O, a timer or a wake-up: no CPU while idle. */
        BLOCK,
        /** Poll without waiting up to a number of times, then block. */
        SPIN,
        /** Never block: poll without waiting forever (one core at 100% while the loop runs). */
        BUSY_SPIN
    }

    private static final IdleStrategy BLOCK = new IdleStrategy(Kind.BLOCK, 0);
    private static final IdleStrategy BUSY_SPIN = new IdleStrategy(Kind.BUSY_SPIN, 0);

    private final Kind kind;
    private final int spins;

    private IdleStrategy(Kind kind, int spins) {
        this.kind = kind;
        this.spins = spins;
    }

    /**
     * Block in the poller when idle (the default; asyncio's behaviour).
     *
     * @return the strategy
     */
    public static IdleStrategy block() {
        return BLOCK;
    }

    /**
     * Poll without waiting up to {@code polls} times in a row before blocking: a loop busy with
     * a steady stream of small messages rarely blocks, an idle one blocks after about
     * {@code polls} × 0.2 µs of spinning.
     *
     * @param polls how many empty zero-timeout polls before blocking, positive
     * @return the strategy
     * @throws IllegalArgumentException if {@code polls} is not positive
     */
    public static IdleStrategy spin(int polls) {
        if (polls <= 0) {
            throw new IllegalArgumentException("polls must be positive: " + polls);
        }
        return new IdleStrategy(Kind.SPIN, polls);
    }

    /**
     * Never block: the loop's thread polls without waiting for as long as the loop runs, so it
     * uses a whole core even when idle. For latency-critical loops pinned to a core of their own.
     *
     * @return the strategy
     */
    public static IdleStrategy busySpin() {
        return BUSY_SPIN;
    }

    /**
     * The kind.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * For {@link Kind#SPIN}, the zero-timeout polls before blocking.
     *
     * @return the count; 0 for the other kinds
     */
    public int spins() {
        return spins;
    }

    @Override
    public String toString() {
        return kind == Kind.SPIN ? "IdleStrategy[SPIN " + spins + "]" : "IdleStrategy[" + kind + "]";
    }
}

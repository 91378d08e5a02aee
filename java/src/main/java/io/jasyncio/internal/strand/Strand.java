package io.jasyncio.internal.strand;

/**
 * The thread of control a task's body runs on. The loop calls {@link #resume()}; the body runs
 * until it calls {@link #suspend()} or ends, and only then does {@code resume()} return. So at most
 * one of the loop and its tasks runs at a time, as in asyncio.
 */
public interface Strand {

    /** Starts the body (first call) or continues it; returns when it suspends or ends. Loop thread. */
    void resume();

    /**
     * Called by the body: gives control back to the loop until the next {@link #resume()}.
     *
     * @throws StrandAbandonedError if the loop closed and will never resume this strand
     */
    void suspend();

    /** Unwinds a suspended body by raising {@link StrandAbandonedError} at its suspension point. */
    void abandon();

    /** Whether the body has started and not yet ended. */
    boolean isAlive();

    /** The body's current stack, empty if it is not alive. */
    StackTraceElement[] stackTrace();

    /**
     * The thread the body runs on (for the loop's thread check).
     *
     * @return the thread
     */
    Thread thread();
}

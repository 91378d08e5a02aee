package io.jasyncio;

import java.util.concurrent.CancellationException;

/**
 * The operation was cancelled (asyncio's {@code CancelledError}). Thrown by {@link Future#result()}
 * of a cancelled future and raised inside a task at its current await point when the task is
 * cancelled. A task may catch it and carry on; if it lets it escape, the task ends cancelled.
 *
 * <p>It is an {@link Error}, as asyncio's is a {@code BaseException} since Python 3.8: the everyday
 * {@code catch (Exception e)} in a task body cannot swallow a cancellation (nor defeat a
 * {@link Asyncio#timeout timeout}). Catch it by name when cleanup must run, and rethrow it.
 *
 * <p>{@link #getMessage()} is the message given to {@code cancel(msg)}, or null. On the
 * {@link java.util.concurrent.CompletableFuture} side of the bridges a cancellation is the JDK's
 * {@link CancellationException} (see {@link #toCancellationException()}), and a
 * {@code CancellationException} coming from a JDK future cancels the jasyncio future.
 */
public class CancelledError extends Error {
    private static final long serialVersionUID = 1L;

    /** A cancellation without a message. */
    public CancelledError() {
        super();
    }

    /**
     * A cancellation with the message given to {@code cancel(msg)}.
     *
     * @param message the cancel message, or null
     */
    public CancelledError(String message) {
        super(message);
    }

    /**
     * This cancellation as the JDK's {@link CancellationException}, with the same message and this
     * error as its cause: what the {@code CompletableFuture} bridges complete with.
     *
     * @return a new {@code CancellationException}
     */
    public CancellationException toCancellationException() {
        CancellationException e = new CancellationException(getMessage());
        e.initCause(this);
        return e;
    }
}

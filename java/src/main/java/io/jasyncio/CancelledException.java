package io.jasyncio;

/**
 * The operation was cancelled (asyncio's {@code CancelledError}). Thrown by {@link Future#result()}
 * of a cancelled future and raised inside a task at its current await point when the task is
 * cancelled. A task may catch it and carry on; if it lets it escape, the task ends cancelled.
 *
 * <p>{@link #getMessage()} is the message given to {@code cancel(msg)}, or null. It is a
 * {@link java.util.concurrent.CancellationException}, so JDK futures bridged to jasyncio agree.
 */
public class CancelledException extends java.util.concurrent.CancellationException {
    private static final long serialVersionUID = 1L;

    public CancelledException() {
        super();
    }

    public CancelledException(String message) {
        super(message);
    }
}

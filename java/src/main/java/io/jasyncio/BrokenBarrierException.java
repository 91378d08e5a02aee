package io.jasyncio;

/**
 * A {@link Barrier} was aborted or reset while a task waited on it, or is broken (asyncio's
 * {@code BrokenBarrierError}). Like asyncio's, it is a misuse-family error: it extends
 * {@link IllegalStateException} as {@code BrokenBarrierError} extends {@code RuntimeError}. It is
 * not {@link java.util.concurrent.BrokenBarrierException}, which is checked and for threads.
 */
public class BrokenBarrierException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message the detail message
     */
    public BrokenBarrierException(String message) {
        super(message);
    }
}

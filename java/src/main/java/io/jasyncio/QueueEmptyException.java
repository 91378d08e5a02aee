package io.jasyncio;

/**
 * {@link Queue#getNowait()} found the queue empty (asyncio's {@code QueueEmpty}). Unchecked, like
 * {@link java.util.NoSuchElementException}.
 */
public class QueueEmptyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception without a message, as asyncio's. */
    public QueueEmptyException() {
        super();
    }

    /**
     * An exception with {@code message}.
     *
     * @param message the detail message
     */
    public QueueEmptyException(String message) {
        super(message);
    }
}

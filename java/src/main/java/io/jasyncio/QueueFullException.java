package io.jasyncio;

/**
 * {@link Queue#putNowait(Object)} found the queue full (asyncio's {@code QueueFull}). Unchecked.
 */
public class QueueFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception without a message, as asyncio's. */
    public QueueFullException() {
        super();
    }

    /**
     * An exception with {@code message}.
     *
     * @param message the detail message
     */
    public QueueFullException(String message) {
        super(message);
    }
}

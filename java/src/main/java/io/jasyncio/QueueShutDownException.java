package io.jasyncio;

/**
 * A {@link Queue} was shut down (asyncio's {@code QueueShutDown}): thrown by a put after
 * {@link Queue#shutdown(boolean)}, by a get once a shut-down queue is empty, and to tasks that were
 * waiting in either when the queue was shut down. Unchecked.
 */
public class QueueShutDownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception without a message, as asyncio's. */
    public QueueShutDownException() {
        super();
    }

    /**
     * An exception with {@code message}.
     *
     * @param message the detail message
     */
    public QueueShutDownException(String message) {
        super(message);
    }
}

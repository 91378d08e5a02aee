package io.jasyncio;

/** A future was asked for something its state does not allow (asyncio's {@code InvalidStateError}). */
public class InvalidStateException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception saying what was refused.
     *
     * @param message the detail message
     */
    public InvalidStateException(String message) {
        super(message);
    }
}

package io.jasyncio;

/** A future was asked for something its state does not allow (asyncio's {@code InvalidStateError}). */
public class InvalidStateException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public InvalidStateException(String message) {
        super(message);
    }
}

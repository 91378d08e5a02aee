package io.jasyncio;

/**
 * Ctrl-C reached a running {@link Asyncio#run} (Python's {@code KeyboardInterrupt}). An
 * {@link Error}, so {@code catch (Exception e)} does not swallow it; tasks and the loop let it
 * through unwrapped.
 */
public class KeyboardInterruptError extends Error {
    private static final long serialVersionUID = 1L;

    /**
     * An interruption without a message.
     */
    public KeyboardInterruptError() {
        super((String) null);
    }

    /**
     * An interruption with a message.
     *
     * @param message the detail message, or null
     */
    public KeyboardInterruptError(String message) {
        super(message);
    }
}

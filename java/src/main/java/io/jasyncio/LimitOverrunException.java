package io.jasyncio;

/**
 * A read up to a separator passed the {@link StreamReader}'s limit (asyncio's
 * {@code LimitOverrunError}). {@link StreamReader#readuntil(byte[])} leaves the bytes in the
 * reader, so {@link #consumed()} of them can be read with other calls;
 * {@link StreamReader#readline()} discards the line first, as asyncio does (where it raises
 * {@code ValueError}). Unchecked, like the other jasyncio exceptions.
 */
public class LimitOverrunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How many bytes the reader looked at. */
    private final int consumed;

    /**
     * An exception with {@code message} after looking at {@code consumed} bytes.
     *
     * @param message the detail message
     * @param consumed the bytes to consume before the separator could be looked for again
     */
    public LimitOverrunException(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /** {@return how many bytes were looked at: the separator was not found in them, or starts there} */
    public int consumed() {
        return consumed;
    }
}

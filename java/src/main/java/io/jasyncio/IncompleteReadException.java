package io.jasyncio;

import java.util.Arrays;

/**
 * The stream ended before a read could be completed (asyncio's {@code IncompleteReadError}):
 * thrown by {@link StreamReader#readexactly(int)} when end of stream comes before {@code n}
 * bytes, and by {@link StreamReader#readuntil(byte[])} when it comes before a separator. The bytes
 * read up to the end are in {@link #partial()}; they are taken off the reader. Unchecked, like
 * the other jasyncio exceptions.
 */
public class IncompleteReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The bytes read before end of stream. */
    private final byte[] partial;
    /** How many bytes were expected, or -1 when the read waited for a separator. */
    private final int expected;

    /**
     * An exception for a read that got {@code partial} and expected {@code expected} bytes.
     *
     * @param partial the bytes read before end of stream (the array is kept, not copied)
     * @param expected the bytes expected, or -1 when unknown (a read up to a separator)
     */
    public IncompleteReadException(byte[] partial, int expected) {
        super(partial.length + " bytes read on a total of " + (expected < 0 ? "undefined" : String.valueOf(expected))
                + " expected bytes");
        this.partial = partial;
        this.expected = expected;
    }

    /** {@return a copy of the bytes read before end of stream} */
    public byte[] partial() {
        return Arrays.copyOf(partial, partial.length);
    }

    /** {@return how many bytes were expected, or -1 for a read up to a separator (asyncio's None)} */
    public int expected() {
        return expected;
    }
}

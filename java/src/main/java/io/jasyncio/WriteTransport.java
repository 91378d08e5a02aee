package io.jasyncio;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The writing side of a transport (asyncio's {@code WriteTransport}). Writes never block: what
 * the socket does not take at once is buffered and sent as it drains. When the buffer passes
 * the high-water mark the protocol's {@link BaseProtocol#pauseWriting()} is called, and
 * {@link BaseProtocol#resumeWriting()} when it falls to the low-water mark.
 */
public interface WriteTransport extends BaseTransport {

    /**
     * Writes bytes.
     *
     * @param data the bytes; the transport copies what it keeps, so the array may be reused
     * @throws IllegalStateException after {@link #writeEof()}
     */
    void write(byte[] data);

    /**
     * Writes the bytes from {@code data}'s position to its limit, and moves its position to
     * its limit; the transport copies what it keeps.
     *
     * @param data the bytes
     * @throws IllegalStateException after {@link #writeEof()}
     */
    void write(ByteBuffer data);

    /**
     * Writes several buffers in order, in one gathering system call where possible.
     *
     * @param data the buffers, each from its position to its limit
     */
    void writelines(List<ByteBuffer> data);

    /** Closes the sending side after the buffered data (the peer reads end of stream). */
    void writeEof();

    /**
     * Whether {@link #writeEof()} is possible.
     *
     * @return true for TCP and Unix stream sockets, false for TLS
     */
    boolean canWriteEof();

    /**
     * Closes at once: buffered data is dropped, and the protocol's
     * {@link BaseProtocol#connectionLost} is called with null soon.
     */
    void abort();

    /**
     * The bytes buffered and not yet sent.
     *
     * @return the count
     */
    long getWriteBufferSize();

    /**
     * The low-water mark.
     *
     * @return bytes
     */
    long getWriteBufferLowLimit();

    /**
     * The high-water mark.
     *
     * @return bytes
     */
    long getWriteBufferHighLimit();

    /**
     * Sets the write flow-control marks. asyncio's defaults: 64 KiB high, a quarter of that low.
     *
     * @param high the high-water mark in bytes; -1 for the default (or 4 × {@code low} if
     *        {@code low} is given)
     * @param low the low-water mark; -1 for the default ({@code high} / 4)
     * @throws IllegalArgumentException unless {@code high >= low >= 0} once defaults are applied
     */
    void setWriteBufferLimits(long high, long low);

    /**
     * Sets the high-water mark; the low one becomes a quarter of it.
     *
     * @param high the high-water mark in bytes
     * @throws IllegalArgumentException if negative
     */
    default void setWriteBufferLimits(long high) {
        if (high < 0) {
            throw new IllegalArgumentException("high (" + high + ") must be >= 0");
        }
        setWriteBufferLimits(high, -1);
    }
}

package io.jasyncio.compat;

import java.util.Arrays;

/**
 * Python's {@code asynchat.simple_producer}: hands out a byte array in chunks of a fixed size.
 *
 * <p>Not thread safe.
 */
public final class SimpleProducer implements Producer {
    private final byte[] data;
    private final int bufferSize;
    private int position;

    /**
     * Chunks of 512 bytes, as Python's default.
     *
     * @param data the bytes
     */
    public SimpleProducer(byte[] data) {
        this(data, 512);
    }

    /**
     * Chunks of {@code bufferSize} bytes.
     *
     * @param data the bytes
     * @param bufferSize the chunk size, at least 1
     */
    public SimpleProducer(byte[] data, int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("buffer size must be at least 1: " + bufferSize);
        }
        this.data = data.clone();
        this.bufferSize = bufferSize;
    }

    /**
     * The next chunk.
     *
     * @return up to {@code bufferSize} bytes; empty at the end
     */
    @Override
    public byte[] more() {
        int end = Math.min(data.length, position + bufferSize);
        byte[] chunk = Arrays.copyOfRange(data, position, end);
        position = end;
        return chunk;
    }
}

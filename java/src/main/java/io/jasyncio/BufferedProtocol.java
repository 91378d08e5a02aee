package io.jasyncio;

import java.nio.ByteBuffer;

/**
 * A stream protocol that supplies its own receive buffer (asyncio's {@code BufferedProtocol}):
 * the transport reads straight into it, with no copy. The calls come in the order of
 * {@link Protocol}'s. Every method runs on the loop's thread.
 */
public interface BufferedProtocol extends BaseProtocol {

    /**
     * The connection is up.
     *
     * @param transport the connection's transport: keep it to write
     */
    default void connectionMade(Transport transport) {
    }

    /**
     * Where the next read goes.
     *
     * @param sizeHint a suggested size in bytes (-1: no suggestion)
     * @return a buffer with room from its position to its limit (a direct buffer saves a copy);
     *         an empty one is an error
     */
    ByteBuffer getBuffer(int sizeHint);

    /**
     * The transport read {@code nbytes} into the buffer {@link #getBuffer} returned, from its
     * position on; it does not move the buffer's position.
     *
     * @param nbytes how many bytes arrived, at least 1
     */
    void bufferUpdated(int nbytes);

    /**
     * The peer sent end of stream.
     *
     * @return true to keep the connection half open; false (the default) to close it
     */
    default boolean eofReceived() {
        return false;
    }
}

package io.jasyncio;

import java.nio.ByteBuffer;

/**
 * A stream protocol (asyncio's {@code Protocol}): the transport calls {@link #connectionMade}
 * once, then {@link #dataReceived} any number of times, then perhaps {@link #eofReceived}, then
 * {@link BaseProtocol#connectionLost} once. Every method runs on the loop's thread and does
 * nothing by default.
 */
public interface Protocol extends BaseProtocol {

    /**
     * The connection is up.
     *
     * @param transport the connection's transport: keep it to write
     */
    default void connectionMade(Transport transport) {
    }

    /**
     * Bytes arrived.
     *
     * @param data a read-only view of the bytes, valid only during this call (the loop reuses
     *        its memory): copy what must outlive it
     */
    default void dataReceived(ByteBuffer data) {
    }

    /**
     * The peer sent end of stream (it will write no more).
     *
     * @return true to keep the connection half open (this side may still write, then closes it);
     *         false (the default) to let the transport close itself
     */
    default boolean eofReceived() {
        return false;
    }
}

package io.jasyncio;

/**
 * What every transport offers (asyncio's {@code BaseTransport}). Transports belong to their
 * loop: call them on its thread.
 */
public interface BaseTransport {

    /**
     * Closes the transport: buffered data is still sent, then the protocol's
     * {@link BaseProtocol#connectionLost} is called with null. Idempotent.
     */
    void close();

    /**
     * Whether the transport is closing or closed.
     *
     * @return true after {@link #close()} or once the connection is lost
     */
    boolean isClosing();

    /**
     * Optional information about the transport (asyncio's {@code get_extra_info}).
     *
     * @param name {@code "peername"}, {@code "sockname"}, {@code "socket"} (a jasyncio
     *        {@link Socket}), {@code "sslcontext"}, {@code "ssl_object"} (the SSLEngine),
     *        {@code "peercert"}, {@code "cipher"}, {@code "pipe"}, {@code "subprocess"}
     * @return the value, or null if this transport has none
     */
    default Object getExtraInfo(String name) {
        return getExtraInfo(name, null);
    }

    /**
     * Optional information about the transport, with a default.
     *
     * @param name as {@link #getExtraInfo(String)}
     * @param defaultValue returned when the transport has no such information
     * @return the value, or {@code defaultValue}
     */
    Object getExtraInfo(String name, Object defaultValue);

    /**
     * Gives the transport a new protocol; later calls go to it.
     *
     * @param protocol the new protocol, of the kind the transport serves
     */
    void setProtocol(BaseProtocol protocol);

    /**
     * The protocol the transport calls.
     *
     * @return the current protocol
     */
    BaseProtocol getProtocol();
}

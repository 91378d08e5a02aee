package io.jasyncio;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/** A datagram endpoint's transport (asyncio's {@code DatagramTransport}). */
public interface DatagramTransport extends BaseTransport {

    /**
     * Sends one datagram; it is buffered if the socket cannot take it now.
     *
     * @param data the datagram, from its position to its limit
     * @param address the destination; null on an endpoint made with a remote address
     * @throws IllegalArgumentException if the endpoint has a remote address and
     *         {@code address} is another one
     */
    void sendto(ByteBuffer data, SocketAddress address);

    /**
     * Sends one datagram.
     *
     * @param data the datagram
     * @param address the destination; null on an endpoint made with a remote address
     */
    void sendto(byte[] data, SocketAddress address);

    /** Closes at once, dropping buffered datagrams. */
    void abort();

    /**
     * The bytes buffered and not yet sent.
     *
     * @return the count
     */
    long getWriteBufferSize();
}

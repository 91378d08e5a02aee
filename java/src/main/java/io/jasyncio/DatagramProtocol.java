package io.jasyncio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A datagram protocol (asyncio's {@code DatagramProtocol}). Every method runs on the loop's
 * thread and does nothing by default.
 */
public interface DatagramProtocol extends BaseProtocol {

    /**
     * The endpoint is ready.
     *
     * @param transport the endpoint's transport: keep it to send
     */
    default void connectionMade(DatagramTransport transport) {
    }

    /**
     * A datagram arrived.
     *
     * @param data a read-only view of its bytes, valid only during this call
     * @param address the sender
     */
    default void datagramReceived(ByteBuffer data, SocketAddress address) {
    }

    /**
     * A send or receive failed (an ICMP error such as a refused port, for instance). The
     * endpoint stays open.
     *
     * @param exc the failure
     */
    default void errorReceived(IOException exc) {
    }
}

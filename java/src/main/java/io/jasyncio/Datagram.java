package io.jasyncio;

import java.net.SocketAddress;

/**
 * One received datagram: what {@link EventLoop#sockRecvfrom} returns (asyncio's
 * {@code (data, address)}).
 *
 * @param data the bytes
 * @param address the sender
 */
public record Datagram(byte[] data, SocketAddress address) {
}

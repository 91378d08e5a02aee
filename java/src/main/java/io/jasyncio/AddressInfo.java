package io.jasyncio;

import java.net.InetSocketAddress;

/**
 * One result of {@link EventLoop#getaddrinfo}: asyncio's
 * {@code (family, type, proto, canonname, sockaddr)}.
 *
 * @param family the address family
 * @param type the socket type
 * @param protocol the protocol number (6 for TCP, 17 for UDP)
 * @param canonicalName the host's canonical name when asked for, else the empty string
 * @param address the resolved address with the port
 */
public record AddressInfo(Socket.Family family, Socket.Type type, int protocol, String canonicalName,
        InetSocketAddress address) {
}

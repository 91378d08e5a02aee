package io.jasyncio;

/**
 * A datagram endpoint made by {@link EventLoop#createDatagramEndpoint}: asyncio's
 * {@code (transport, protocol)} pair.
 *
 * @param <P> the protocol's type
 * @param transport the endpoint's transport
 * @param protocol the protocol the factory made
 */
public record DatagramEndpoint<P extends DatagramProtocol>(DatagramTransport transport, P protocol) {
}

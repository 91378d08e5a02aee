package io.jasyncio;

/**
 * A connection made by {@link EventLoop#createConnection} and its kin: asyncio's
 * {@code (transport, protocol)} pair.
 *
 * @param <P> the protocol's type
 * @param transport the connection's transport
 * @param protocol the protocol the factory made, already told {@code connectionMade}
 */
public record Connection<P extends BaseProtocol>(Transport transport, P protocol) {
}

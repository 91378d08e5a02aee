package io.jasyncio;

/**
 * What {@link EventLoop#subprocessExec} and {@link EventLoop#subprocessShell} return: asyncio's
 * {@code (transport, protocol)} pair.
 *
 * @param <P> the protocol's type
 * @param transport the child's transport
 * @param protocol the protocol the factory made
 */
public record SubprocessConnection<P extends SubprocessProtocol>(SubprocessTransport transport, P protocol) {
}

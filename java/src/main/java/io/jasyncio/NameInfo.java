package io.jasyncio;

/**
 * What {@link EventLoop#getnameinfo} returns: asyncio's {@code (host, port)} strings.
 *
 * @param host the host's name, or its numeric address when it has none (or when asked for)
 * @param port the port's service name, or its number
 */
public record NameInfo(String host, String port) {
}

package io.jasyncio;

/**
 * A connection opened with {@link Asyncio#openConnection(String, int)} and its kin: asyncio's
 * {@code (reader, writer)} pair.
 *
 * @param reader the reading end
 * @param writer the writing end
 */
public record StreamConnection(StreamReader reader, StreamWriter writer) {
}

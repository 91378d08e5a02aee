package io.jasyncio;

/** A stream transport, both sides (asyncio's {@code Transport}). */
public interface Transport extends ReadTransport, WriteTransport {
}

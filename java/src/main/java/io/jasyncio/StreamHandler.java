package io.jasyncio;

/**
 * What a stream server does with each connection (asyncio's {@code client_connected_cb} written as
 * a coroutine): it runs as a task of its own, on the loop's thread, and may await.
 *
 * <pre>{@code
 * Server server = Asyncio.startServer((reader, writer) -> {
 *     byte[] line;
 *     while ((line = reader.readline().await()).length > 0) {
 *         writer.write(line);
 *         writer.drain().await();
 *     }
 *     writer.close();
 * }, "127.0.0.1", 8888).await();
 * }</pre>
 *
 * <p>If it throws, the loop's exception handler gets the exception (message
 * {@code "Unhandled exception in client_connected_cb"}) and the connection is closed; if its task
 * is cancelled, the connection is closed. When it returns, the connection stays as it is: close
 * the writer to end it.
 */
@FunctionalInterface
public interface StreamHandler {
    /**
     * Serves one connection.
     *
     * @param reader the connection's reading end
     * @param writer the connection's writing end
     * @throws Exception anything; it is reported and the connection closed
     */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}

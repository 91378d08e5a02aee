package io.jasyncio;

/**
 * A plain callback for each connection of a stream server (asyncio's {@code client_connected_cb}
 * as an ordinary function): it is called from the protocol's {@code connectionMade}, cannot await,
 * and usually starts a task ({@link EventLoop#createTask}). Given to
 * {@link StreamReaderProtocol#withCallback}; {@link StreamHandler} is the form that runs as a task.
 * If it throws, the loop's exception handler gets the exception and the connection is closed.
 */
@FunctionalInterface
public interface StreamCallback {
    /**
     * A connection was made.
     *
     * @param reader the connection's reading end
     * @param writer the connection's writing end
     */
    void connected(StreamReader reader, StreamWriter writer);
}

package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The seed's "Watch a file descriptor for read events": wait until a socket receives data with
 * {@code addReader()}, then close the event loop. jasyncio's {@link Socket#socketpair} plays
 * Python's {@code socket.socketpair()}, on whichever loop runs it (epoll or NIO).
 */
public final class WatchFdForRead {
    private WatchFdForRead() {
    }

    /**
     * Runs the example.
     *
     * @param args unused
     * @throws IOException if the sockets cannot be made
     */
    public static void main(String[] args) throws IOException {
        EventLoop loop = Asyncio.newEventLoop();
        // Create a pair of connected sockets
        Socket[] pair = Socket.socketpair(loop);
        Socket rsock = pair[0];
        Socket wsock = pair[1];
        try {
            // Register the socket to wait for data
            loop.addReader(rsock, () -> {
                // We are done: unregister the socket
                loop.removeReader(rsock);
                loop.sockRecv(rsock, 100).addDoneCallback(data -> {
                    System.out.println("Received: " + new String(data.result(), StandardCharsets.UTF_8));
                    // Stop the event loop
                    loop.stop();
                });
            });
            // Simulate the reception of data from the network
            loop.callSoon(() -> loop.sockSendall(wsock, "abc".getBytes(StandardCharsets.UTF_8)));
            // Run the event loop
            loop.runForever();
        } finally {
            // We are done, close sockets and the event loop
            try {
                rsock.close();
                wsock.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            loop.close();
        }
    }
}

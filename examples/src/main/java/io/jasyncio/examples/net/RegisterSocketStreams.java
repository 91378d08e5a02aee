package io.jasyncio.examples.net;

import io.jasyncio.Asyncio;
import io.jasyncio.ConnectOptions;
import io.jasyncio.EventLoop;
import io.jasyncio.Socket;
import io.jasyncio.StreamConnection;

import java.nio.charset.StandardCharsets;

/**
 * The seed's "Register an open socket to wait for data using streams" (asyncio's docs): one end of
 * a socket pair becomes a reader and a writer ({@code openConnection} with
 * {@link ConnectOptions#sock(Socket)}); the other end sends {@code abc}. Prints
 * {@code Received: abc}.
 */
public final class RegisterSocketStreams {
    private RegisterSocketStreams() {
    }

    /**
     * The program's main coroutine.
     *
     * @return null
     * @throws Exception if a socket call fails
     */
    static Void waitForData() throws Exception {
        EventLoop loop = Asyncio.getRunningLoop();
        // Create a pair of connected sockets.
        Socket[] pair = Socket.socketpair();
        Socket rsock = pair[0];
        Socket wsock = pair[1];
        // Register the open socket to wait for data.
        StreamConnection conn = Asyncio.openConnection(new ConnectOptions().sock(rsock)).await();
        // Simulate the reception of data from the network.
        loop.callSoon(() -> loop.sockSendall(wsock, "abc".getBytes(StandardCharsets.UTF_8)));
        // Wait for data.
        byte[] data = conn.reader().read(100).await();
        // Got data, we are done: close the socket.
        System.out.println("Received: " + new String(data, StandardCharsets.UTF_8));
        conn.writer().close();
        conn.writer().waitClosed().await();
        // Close the second socket.
        wsock.close();
        return null;
    }

    /**
     * Runs the example.
     *
     * @param args none
     */
    public static void main(String[] args) {
        Asyncio.run(RegisterSocketStreams::waitForData);
    }
}

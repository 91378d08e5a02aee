package io.jasyncio.examples.net;

import io.jasyncio.Asyncio;
import io.jasyncio.ConnectOptions;
import io.jasyncio.Connection;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Protocol;
import io.jasyncio.Socket;
import io.jasyncio.Transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The seed's "Register an open socket to wait for data using a protocol" (asyncio's docs): one end
 * of a socket pair becomes a transport ({@code createConnection} with
 * {@link ConnectOptions#sock(Socket)}, asyncio's {@code create_connection(sock=...)};
 * {@code connectAcceptedSocket} does the same for a server's socket); the other end sends
 * {@code abc}. Prints {@code Received: abc}.
 */
public final class RegisterSocketProtocol {
    private RegisterSocketProtocol() {
    }

    /** Prints what arrives, then closes; {@link #onConLost} is done once the connection is gone. */
    static final class MyProtocol implements Protocol {
        final Future<Boolean> onConLost;
        private Transport transport;

        MyProtocol(Future<Boolean> onConLost) {
            this.onConLost = onConLost;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            System.out.println("Received: " + StandardCharsets.UTF_8.decode(data));
            // We are done: close the transport; connectionLost() will be called automatically.
            transport.close();
        }

        @Override
        public void connectionLost(Throwable exc) {
            // The socket has been closed.
            onConLost.setResult(true);
        }
    }

    /**
     * The program's main coroutine.
     *
     * @return null
     * @throws Exception if a socket call fails
     */
    static Void waitForData() throws Exception {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<Boolean> onConLost = loop.createFuture();
        // Create a pair of connected sockets.
        Socket[] pair = Socket.socketpair();
        Socket rsock = pair[0];
        Socket wsock = pair[1];
        // Register the socket to wait for data.
        Connection<MyProtocol> conn = loop.createConnection(() -> new MyProtocol(onConLost),
                new ConnectOptions().sock(rsock)).await();
        // Simulate the reception of data from the network.
        loop.callSoon(() -> loop.sockSendall(wsock, "abc".getBytes(StandardCharsets.UTF_8)));
        try {
            conn.protocol().onConLost.await();
        } finally {
            conn.transport().close();
            wsock.close();
        }
        return null;
    }

    /**
     * Runs the example.
     *
     * @param args none
     */
    public static void main(String[] args) {
        Asyncio.run(RegisterSocketProtocol::waitForData);
    }
}

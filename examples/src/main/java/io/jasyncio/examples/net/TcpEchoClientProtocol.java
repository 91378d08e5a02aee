package io.jasyncio.examples.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Protocol;
import io.jasyncio.Transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The seed's "TCP echo client protocol" (asyncio's docs): sends a message, prints the answer,
 * and ends when the server closes the connection.
 *
 * <pre>examples: java ... io.jasyncio.examples.net.TcpEchoClientProtocol [PORT]</pre>
 */
public final class TcpEchoClientProtocol {
    private TcpEchoClientProtocol() {
    }

    /** Sends one message and waits for the server to close. */
    static final class EchoClientProtocol implements Protocol {
        private final String message;
        private final Future<Void> onConLost;

        EchoClientProtocol(String message, Future<Void> onConLost) {
            this.message = message;
            this.onConLost = onConLost;
        }

        @Override
        public void connectionMade(Transport transport) {
            transport.write(message.getBytes(StandardCharsets.UTF_8));
            System.out.println("Data sent: " + message);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            System.out.println("Data received: " + StandardCharsets.UTF_8.decode(data));
        }

        @Override
        public void connectionLost(Throwable exc) {
            System.out.println("The server closed the connection");
            onConLost.setResult(null);
        }
    }

    /**
     * Connects to 127.0.0.1:{@code port}, sends {@code message} and waits for the end.
     *
     * @param loop the loop
     * @param port the server's port
     * @param message what to send
     * @throws Exception if the connection fails
     */
    public static void talk(EventLoop loop, int port, String message) throws Exception {
        Future<Void> onConLost = loop.createFuture();
        var connection = loop.createConnection(() -> new EchoClientProtocol(message, onConLost), "127.0.0.1", port)
                .await();
        try {
            onConLost.await();
        } finally {
            connection.transport().close();
        }
    }

    /**
     * Runs the client.
     *
     * @param args the port (default 8888)
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        Asyncio.run(() -> {
            talk(Asyncio.getRunningLoop(), port, "Hello World!");
            return null;
        });
    }
}

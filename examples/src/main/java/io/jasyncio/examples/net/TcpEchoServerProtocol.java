package io.jasyncio.examples.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Protocol;
import io.jasyncio.Server;
import io.jasyncio.Transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The seed's "TCP echo server protocol" (asyncio's docs): each connection's protocol prints what
 * it receives, sends it back and closes the connection.
 *
 * <pre>examples: java ... io.jasyncio.examples.net.TcpEchoServerProtocol [PORT]</pre>
 */
public final class TcpEchoServerProtocol {
    private TcpEchoServerProtocol() {
    }

    /** Echoes one message, then closes. */
    static final class EchoServerProtocol implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport transport) {
            System.out.println("Connection from " + transport.getExtraInfo("peername"));
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            String message = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
            System.out.println("Data received: " + message);
            System.out.println("Send: " + message);
            transport.write(data);
            System.out.println("Close the client socket");
            transport.close();
        }
    }

    /**
     * Starts the server on {@code loop}.
     *
     * @param loop the loop
     * @param port the port on 127.0.0.1; 0 for any
     * @return a future of the server, serving
     */
    public static Future<Server> start(EventLoop loop, int port) {
        return loop.createServer(EchoServerProtocol::new, "127.0.0.1", port);
    }

    /**
     * Serves until interrupted (Ctrl+C).
     *
     * @param args the port (default 8888)
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        Asyncio.run(() -> {
            Server server = start(Asyncio.getRunningLoop(), port).await();
            System.out.println("Serving on " + server.sockets().getFirst().localAddress());
            return server.serveForever().await();
        });
    }
}

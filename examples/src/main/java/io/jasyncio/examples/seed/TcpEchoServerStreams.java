package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.Server;
import io.jasyncio.Socket;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's "TCP echo server using streams": echoes one message per connection, then closes it.
 * Serves until the process is stopped. The port is 8888, or the first argument (0: any free port;
 * the "Serving on" line says which).
 */
public final class TcpEchoServerStreams {
    private TcpEchoServerStreams() {
    }

    static void handleEcho(StreamReader reader, StreamWriter writer) throws Exception {
        byte[] data = reader.read(100).await();
        String message = new String(data, StandardCharsets.UTF_8);
        Object addr = writer.getExtraInfo("peername");
        System.out.println("Received '" + message + "' from " + addr);

        System.out.println("Send: '" + message + "'");
        writer.write(data);
        writer.drain().await();

        System.out.println("Close the connection");
        writer.close();
        writer.waitClosed().await();
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        Asyncio.run(() -> {
            Server server = Asyncio.startServer(TcpEchoServerStreams::handleEcho, "127.0.0.1", port).await();
            List<String> addrs = new ArrayList<>();
            for (Socket sock : server.sockets()) {
                addrs.add(String.valueOf(sock.localAddress()));
            }
            System.out.println("Serving on " + String.join(", ", addrs));
            try (server) {
                server.serveForever().await();
            }
            return null;
        });
    }
}

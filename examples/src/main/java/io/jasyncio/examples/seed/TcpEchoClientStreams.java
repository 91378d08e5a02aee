package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.StreamConnection;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;

import java.nio.charset.StandardCharsets;

/**
 * The seed's "TCP echo client using streams": sends a message to the echo server
 * ({@link TcpEchoServerStreams}) and prints the answer. The port is 8888, or the first argument.
 */
public final class TcpEchoClientStreams {
    private TcpEchoClientStreams() {
    }

    static Void tcpEchoClient(String message, int port) throws Exception {
        StreamConnection connection = Asyncio.openConnection("127.0.0.1", port).await();
        StreamReader reader = connection.reader();
        StreamWriter writer = connection.writer();

        System.out.println("Send: '" + message + "'");
        writer.write(message.getBytes(StandardCharsets.UTF_8));
        writer.drain().await();

        byte[] data = reader.read(100).await();
        System.out.println("Received: '" + new String(data, StandardCharsets.UTF_8) + "'");

        System.out.println("Close the connection");
        writer.close();
        writer.waitClosed().await();
        return null;
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        Asyncio.run(() -> tcpEchoClient("Hello World!", port));
    }
}

package io.jasyncio.examples.net;

import io.jasyncio.Asyncio;
import io.jasyncio.Server;
import io.jasyncio.StreamConnection;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The seed's "Get HTTP headers" (asyncio's docs): sends {@code HEAD PATH HTTP/1.0} and prints
 * each header line of the reply as {@code HTTP header> LINE}.
 *
 * <pre>examples: java ... io.jasyncio.examples.net.FetchHttpHeaders [http://HOST[:PORT]/PATH]</pre>
 *
 * <p>With no URL it asks a tiny HTTP server of its own on 127.0.0.1 (one that answers every
 * request with the same three headers), so it runs without a network. Plain HTTP only: asyncio's
 * original opens {@code https} URLs with TLS, which needs a network here.
 */
public final class FetchHttpHeaders {
    private FetchHttpHeaders() {
    }

    /**
     * Prints the headers {@code url} answers a HEAD request with.
     *
     * @param url an {@code http} URL
     * @throws Exception if the connection fails
     */
    static void printHttpHeaders(URI url) throws Exception {
        if (!"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("only http URLs: " + url);
        }
        int port = url.getPort() == -1 ? 80 : url.getPort();
        StreamConnection conn = Asyncio.openConnection(url.getHost(), port).await();
        StreamReader reader = conn.reader();
        StreamWriter writer = conn.writer();

        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String query = "HEAD " + path + " HTTP/1.0\r\n"
                + "Host: " + url.getHost() + "\r\n"
                + "\r\n";
        writer.write(query.getBytes(StandardCharsets.ISO_8859_1));
        while (true) {
            byte[] line = reader.readline().await();
            if (line.length == 0) {
                break;
            }
            String text = new String(line, StandardCharsets.ISO_8859_1).stripTrailing();
            if (!text.isEmpty()) {
                System.out.println("HTTP header> " + text);
            }
        }
        // Ignore the body, close the socket.
        writer.close();
        writer.waitClosed().await();
    }

    /**
     * A local server that answers any request with a fixed set of headers and closes.
     *
     * @return the server, serving on 127.0.0.1 and a free port
     * @throws Exception if it cannot listen
     */
    static Server startLocalServer() throws Exception {
        return Asyncio.startServer((reader, writer) -> {
            // Read the request up to its empty line; a HEAD reply has no body.
            byte[] line;
            do {
                line = reader.readline().await();
            } while (line.length > 0 && !new String(line, StandardCharsets.ISO_8859_1).isBlank());
            writer.write(("HTTP/1.0 200 OK\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n"
                    + "Server: jasyncio-example\r\n"
                    + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            writer.close();
            writer.waitClosed().await();
        }, "127.0.0.1", 0).await();
    }

    /**
     * Fetches the headers from {@link #startLocalServer()}: the example without a network.
     *
     * @return null
     * @throws Exception if a connection fails
     */
    static Void fetchFromLocalServer() throws Exception {
        try (Server server = startLocalServer()) {
            int port = ((InetSocketAddress) server.sockets().getFirst().localAddress()).getPort();
            printHttpHeaders(URI.create("http://127.0.0.1:" + port + "/"));
        }
        return null;
    }

    /**
     * Runs the example.
     *
     * @param args the URL; none for the example's own local server
     */
    public static void main(String[] args) {
        if (args.length > 0) {
            URI url = URI.create(args[0]);
            Asyncio.run(() -> {
                printHttpHeaders(url);
                return null;
            });
        } else {
            Asyncio.run(FetchHttpHeaders::fetchFromLocalServer);
        }
    }
}

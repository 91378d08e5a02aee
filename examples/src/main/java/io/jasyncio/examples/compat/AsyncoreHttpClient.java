package io.jasyncio.examples.compat;

import com.sun.net.httpserver.HttpServer;
import io.jasyncio.compat.Asyncore;
import io.jasyncio.compat.Dispatcher;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The seed's asyncore example "basic HTTP client" (Python's asyncore documentation), against a
 * local HTTP server this program starts (the JDK's), since there is no outside network: it
 * sends a GET, prints what comes back, and {@code Asyncore.loop()} ends when the server closes.
 *
 * <pre>examples: java ... io.jasyncio.examples.compat.AsyncoreHttpClient [HOST PORT PATH]</pre>
 */
public final class AsyncoreHttpClient {
    private AsyncoreHttpClient() {
    }

    /** Python's {@code HTTPClient(asyncore.dispatcher)}. */
    static final class HttpClient extends Dispatcher {
        private byte[] buffer;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        HttpClient(String host, int port, String path) throws Exception {
            createSocket();
            connect(new InetSocketAddress(host, port));
            buffer = ("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public void handleConnect() {
        }

        @Override
        public void handleClose() throws Exception {
            close();
        }

        @Override
        public void handleRead() throws Exception {
            byte[] data = recv(8192);
            received.writeBytes(data);
            System.out.print(new String(data, StandardCharsets.ISO_8859_1));
        }

        @Override
        public boolean writable() {
            return buffer.length > 0;
        }

        @Override
        public void handleWrite() throws Exception {
            int sent = send(buffer);
            buffer = Arrays.copyOfRange(buffer, sent, buffer.length);
        }
    }

    /**
     * Starts a local HTTP server that answers every GET with a short page.
     *
     * @return the started server (stop it after)
     * @throws Exception if it cannot listen
     */
    static HttpServer localServer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("Hello from " + exchange.getRequestURI().getPath() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    /**
     * Fetches {@code path} from {@code host:port} and prints the response.
     *
     * @param host the host
     * @param port the port
     * @param path the path
     * @return the whole response
     * @throws Exception if the connection fails
     */
    static String fetch(String host, int port, String path) throws Exception {
        HttpClient client = new HttpClient(host, port, path);
        Asyncore.loop();
        return client.received.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Runs the example.
     *
     * @param args optional host, port and path; without them a local server is started
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 3) {
            fetch(args[0], Integer.parseInt(args[1]), args[2]);
            return;
        }
        HttpServer server = localServer();
        try {
            fetch("127.0.0.1", server.getAddress().getPort(), "/");
        } finally {
            server.stop(0);
        }
    }
}

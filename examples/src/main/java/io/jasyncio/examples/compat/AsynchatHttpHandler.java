package io.jasyncio.examples.compat;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Socket;
import io.jasyncio.Task;
import io.jasyncio.compat.AsyncChat;
import io.jasyncio.compat.Asyncore;
import io.jasyncio.compat.Dispatcher;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's asynchat example (Python's asynchat documentation): an HTTP request handler that
 * reads headers up to a blank line ({@code "\r\n\r\n"} terminator) and then, for a POST, exactly
 * Content-Length bytes of body (a count terminator). This version answers each request with what
 * it understood; a client task on the same loop sends a GET and a POST and prints the answers.
 *
 * <pre>examples: java ... io.jasyncio.examples.compat.AsynchatHttpHandler</pre>
 */
public final class AsynchatHttpHandler {
    private AsynchatHttpHandler() {
    }

    /** Python's {@code http_request_handler(asynchat.async_chat)}. */
    static final class HttpRequestHandler extends AsyncChat {
        private final List<byte[]> ibuffer = new ArrayList<>();
        private boolean readingHeaders = true;
        private boolean handling;
        private String op = "";
        private String path = "";
        private int contentLength;
        private byte[] cgiData;

        HttpRequestHandler(Socket sock) {
            super(sock, null);
            setTerminator("\r\n\r\n");
        }

        @Override
        protected void collectIncomingData(byte[] data) {
            ibuffer.add(data);
        }

        private byte[] joined() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ibuffer.forEach(out::writeBytes);
            ibuffer.clear();
            return out.toByteArray();
        }

        @Override
        protected void foundTerminator() throws Exception {
            if (readingHeaders) {
                readingHeaders = false;
                parseHeaders(new String(joined(), StandardCharsets.ISO_8859_1));
                if (op.equalsIgnoreCase("POST")) {
                    setTerminator(contentLength);
                } else {
                    handling = true;
                    setTerminator((byte[]) null);
                    handleRequest();
                }
            } else if (!handling) {
                setTerminator((byte[]) null); // browsers sometimes over-send
                cgiData = joined();
                handling = true;
                handleRequest();
            }
        }

        private void parseHeaders(String headers) {
            String[] lines = headers.split("\r\n");
            String[] request = lines[0].split(" ");
            op = request[0];
            path = request.length > 1 ? request[1] : "/";
            for (String line : lines) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    contentLength = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
        }

        private void handleRequest() throws Exception {
            String body = op + " " + path + (cgiData != null
                    ? " with " + cgiData.length + " bytes: " + new String(cgiData, StandardCharsets.ISO_8859_1) : "");
            byte[] content = body.getBytes(StandardCharsets.ISO_8859_1);
            push(("HTTP/1.0 200 OK\r\nContent-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            push(content);
            closeWhenDone();
        }
    }

    /** Accepts connections and hands each to a request handler. */
    static final class HttpServer extends Dispatcher {
        HttpServer() throws Exception {
            createSocket();
            setReuseAddr();
            bind(new InetSocketAddress("127.0.0.1", 0));
            listen(5);
        }

        @Override
        public void handleAccepted(Socket sock, SocketAddress addr) {
            new HttpRequestHandler(sock);
        }
    }

    private static String request(EventLoop loop, SocketAddress address, String text) throws Exception {
        try (Socket client = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
            loop.sockConnect(client, address).await();
            loop.sockSendall(client, text.getBytes(StandardCharsets.ISO_8859_1)).await();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            for (byte[] b; (b = loop.sockRecv(client, 4096).await()).length > 0; ) {
                reply.writeBytes(b);
            }
            return reply.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * The server and a client on one loop.
     *
     * @return the two answers' bodies, one per line
     * @throws Exception if it fails
     */
    static List<String> demo() throws Exception {
        return Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            HttpServer server = new HttpServer();
            SocketAddress address = server.socket().localAddress();
            Task<Void> serving = Asyncio.createTask(() -> {
                Asyncore.loop(0.5);
                return null;
            });
            List<String> bodies = new ArrayList<>();
            for (String req : List.of("GET /index.html HTTP/1.0\r\n\r\n",
                    "POST /form HTTP/1.0\r\nContent-Length: 12\r\n\r\nname=jasyncio")) {
                String reply = request(loop, address, req);
                String body = reply.substring(reply.indexOf("\r\n\r\n") + 4);
                System.out.println(reply.lines().findFirst().orElse("") + ": " + body);
                bodies.add(body);
            }
            server.close();
            serving.await();
            return bodies;
        });
    }

    /**
     * Runs the example.
     *
     * @param args none
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        demo();
    }
}

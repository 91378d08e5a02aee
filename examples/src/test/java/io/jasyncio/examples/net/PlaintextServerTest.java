package io.jasyncio.examples.net;

import io.jasyncio.EventLoop;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.Server;
import io.jasyncio.ServerOptions;
import io.jasyncio.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The plaintext server on a real loopback socket, on both loops, against our own raw-socket
 * client and against clients nobody here wrote ({@code curl}, {@code wrk}; skipped when missing).
 * Each test ends by closing the server and its connections and checking the loop closed.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PlaintextServerTest {

    private static final Pattern DATE = Pattern.compile("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    private static final String GET = "GET /plaintext HTTP/1.1\r\nHost: localhost\r\nAccept: text/plain\r\n\r\n";

    /** A server on its own loop thread. */
    private static final class Running implements AutoCloseable {
        final EventLoop loop;
        final Thread thread;
        final CountDownLatch listening = new CountDownLatch(1);
        volatile Server server;
        volatile Throwable failure;

        Running(SelectorEventLoop.Backend backend) throws InterruptedException {
            assumeTrue(backend.isAvailable(), backend + " is not available here");
            loop = new SelectorEventLoop(backend);
            thread = new Thread(() -> {
                try {
                    server = loop.runUntilComplete(PlaintextServer.createServer(loop, ServerOptions.on("127.0.0.1", 0)));
                    listening.countDown();
                    loop.runUntilComplete(server.waitClosed());
                } catch (Throwable t) {
                    failure = t;
                    listening.countDown();
                } finally {
                    loop.close();
                }
            }, "plaintext-" + backend);
            thread.start();
            assertTrue(listening.await(10, TimeUnit.SECONDS));
            if (failure != null) {
                throw new AssertionError(failure);
            }
        }

        int port() throws IOException {
            return ((InetSocketAddress) server.sockets().getFirst().localAddress()).getPort();
        }

        @Override
        public void close() throws InterruptedException {
            loop.callSoonThreadsafe(() -> {
                server.close();
                server.closeClients();
            });
            thread.join(10_000);
            assertTrue(!thread.isAlive(), "the loop thread did not end");
            assertTrue(loop.isClosed(), "the loop did not close");
            if (failure != null) {
                throw new AssertionError(failure);
            }
        }
    }

    /** One parsed response. */
    private record Response(String statusLine, Map<String, String> headers, String body) {
        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    /** Reads one response (headers, then Content-Length bytes of body), or null at end of stream. */
    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("end of stream inside a response head: " + head);
            }
            head.write(c);
            matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        return new Response(lines[0], headers, new String(body, StandardCharsets.US_ASCII));
    }

    private static Socket connect(Running r) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), r.port());
        s.setTcpNoDelay(true);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void assertHello(Response r) {
        assertEquals("HTTP/1.1 200 OK", r.statusLine());
        assertEquals("text/plain", r.headers().get("content-type"));
        assertEquals("13", r.headers().get("content-length"));
        assertEquals("jasyncio", r.headers().get("server"));
        assertTrue(DATE.matcher(r.headers().get("date")).matches(), r.headers().toString());
        assertEquals("Hello, World!", r.body());
    }

    private static boolean has(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), command + " said: " + out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void shouldAnswerCurl(SelectorEventLoop.Backend backend) throws Exception {
        assumeTrue(has("curl"), "curl is not installed");
        try (Running r = new Running(backend)) {
            String out = run(List.of("curl", "-sS", "-i", "http://127.0.0.1:" + r.port() + "/plaintext"));
            Response resp = read(new java.io.ByteArrayInputStream(out.getBytes(StandardCharsets.US_ASCII)));
            assertHello(resp);
            assertEquals(null, resp.headers().get("connection"));
        }
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void shouldAnswer16PipelinedRequestsInOrder(SelectorEventLoop.Backend backend) throws Exception {
        try (Running r = new Running(backend); Socket s = connect(r)) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                batch.append(i % 3 == 2 ? "GET /missing-" + i + " HTTP/1.1\r\nHost: x\r\n\r\n" : GET);
            }
            s.getOutputStream().write(batch.toString().getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 16; i++) {
                Response resp = read(s.getInputStream());
                if (i % 3 == 2) {
                    assertEquals(404, resp.status(), "response " + i);
                } else {
                    assertHello(resp);
                }
            }
            // Still open for more.
            s.getOutputStream().write(GET.getBytes(StandardCharsets.US_ASCII));
            assertHello(read(s.getInputStream()));
        }
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void shouldAnswerRequestsSplitAcrossManySmallWrites(SelectorEventLoop.Backend backend) throws Exception {
        try (Running r = new Running(backend); Socket s = connect(r)) {
            // Three requests, the middle one with a body to skip, sent 5 bytes at a time.
            String post = "POST /plaintext HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello=world";
            byte[] all = (GET + post + GET).getBytes(StandardCharsets.US_ASCII);
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < all.length; i += 5) {
                out.write(all, i, Math.min(5, all.length - i));
                out.flush();
                Thread.sleep(1);
            }
            assertHello(read(s.getInputStream()));
            Response resp = read(s.getInputStream());
            assertEquals(405, resp.status());
            assertEquals("GET", resp.headers().get("allow"));
            assertHello(read(s.getInputStream()));
        }
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void shouldAnswer404ForOtherPaths(SelectorEventLoop.Backend backend) throws Exception {
        try (Running r = new Running(backend); Socket s = connect(r)) {
            for (String path : List.of("/", "/plaintext/", "/plaintext?x=1", "/plain")) {
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                Response resp = read(s.getInputStream());
                assertEquals("HTTP/1.1 404 Not Found", resp.statusLine(), path);
                assertEquals("Not Found", resp.body());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void shouldCloseAfterConnectionClose(SelectorEventLoop.Backend backend) throws Exception {
        try (Running r = new Running(backend); Socket s = connect(r)) {
            // The request after the closing one is never answered.
            s.getOutputStream().write((GET + "GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: Keep-Alive, Close\r\n\r\n" + GET)
                    .getBytes(StandardCharsets.US_ASCII));
            assertHello(read(s.getInputStream()));
            Response resp = read(s.getInputStream());
            assertHello(resp);
            assertEquals("close", resp.headers().get("connection"));
            assertEquals(null, read(s.getInputStream()));
        }
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void shouldAnswerMalformedRequestsWith400AndClose(SelectorEventLoop.Backend backend) throws Exception {
        List<String> bad = List.of(
                "GET /plaintext\r\n\r\n",                              // no version
                "GET /plaintext HTTP/2.0\r\n\r\n",                     // not HTTP/1.x
                "GET /plaintext HTTP/1.1\r\nHost x\r\n\r\n",            // no colon
                "GET /plaintext HTTP/1.1\r\nHost : x\r\n\r\n",          // space before the colon
                "GET /plaintext HTTP/1.1\nHost: x\n\n",                 // bare line feeds
                "GET /plaintext HTTP/1.1\r\nContent-Length: x\r\n\r\n", // not a number
                "G(T /plaintext HTTP/1.1\r\n\r\n");                    // not a token
        try (Running r = new Running(backend)) {
            for (String request : bad) {
                try (Socket s = connect(r)) {
                    s.getOutputStream().write((GET + request).getBytes(StandardCharsets.US_ASCII));
                    assertHello(read(s.getInputStream()));
                    Response resp = read(s.getInputStream());
                    assertEquals("HTTP/1.1 400 Bad Request", resp.statusLine(), request);
                    assertEquals("close", resp.headers().get("connection"));
                    assertEquals(null, read(s.getInputStream()), request);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void shouldRefuseAHeadOverTheLimitWith431(SelectorEventLoop.Backend backend) throws Exception {
        try (Running r = new Running(backend); Socket s = connect(r)) {
            String big = "GET /plaintext HTTP/1.1\r\nX-Big: " + "a".repeat(PlaintextServer.MAX_HEAD) + "\r\n\r\n";
            s.getOutputStream().write(big.getBytes(StandardCharsets.US_ASCII));
            assertEquals(431, read(s.getInputStream()).status());
            assertEquals(null, read(s.getInputStream()));
        }
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void shouldRefreshTheDateEverySecond(SelectorEventLoop.Backend backend) throws Exception {
        try (Running r = new Running(backend); Socket s = connect(r)) {
            s.getOutputStream().write(GET.getBytes(StandardCharsets.US_ASCII));
            String first = read(s.getInputStream()).headers().get("date");
            Thread.sleep(1100);
            s.getOutputStream().write(GET.getBytes(StandardCharsets.US_ASCII));
            assertNotEquals(first, read(s.getInputStream()).headers().get("date"));
        }
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void shouldServeWrkWithPipeliningWithoutErrors(SelectorEventLoop.Backend backend, @TempDir Path dir) throws Exception {
        assumeTrue(has("wrk"), "wrk is not installed");
        Path script = dir.resolve("pipeline.lua");
        Files.writeString(script, """
                init = function(args)
                  local r = {}
                  for i = 1, 16 do r[i] = wrk.format(nil, "/plaintext") end
                  req = table.concat(r)
                end
                request = function() return req end
                """);
        try (Running r = new Running(backend)) {
            String out = run(List.of("wrk", "-t1", "-c4", "-d1s", "-s", script.toString(),
                    "http://127.0.0.1:" + r.port() + "/plaintext"));
            Matcher m = Pattern.compile("(\\d+) requests in").matcher(out);
            assertTrue(m.find(), out);
            assertTrue(Long.parseLong(m.group(1)) > 0, out);
            assertTrue(!out.contains("Socket errors") && !out.contains("Non-2xx"), out);
        }
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void shouldStopReadingFromAClientThatDoesNotReadItsResponses(SelectorEventLoop.Backend backend) throws Exception {
        try (Running r = new Running(backend)) {
            Socket s = connect(r);
            // 64 MiB of requests (about 3.5 times that in responses): far more than the kernel's
            // buffers on both sides hold, so the writer only finishes if the server keeps reading
            // and buffers the responses itself.
            byte[] chunk = GET.repeat(1024).getBytes(StandardCharsets.US_ASCII);
            long total = 64L << 20;
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (long sent = 0; sent < total; sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the socket is closed under it below
                }
            }, "unread-writer");
            writer.start();
            writer.join(3000);
            assertTrue(writer.isAlive(), "the server read 64 MiB of requests whose responses nobody read");
            s.close();
            writer.join(10_000);
            assertTrue(!writer.isAlive());
            // The server is still there for others.
            try (Socket other = connect(r)) {
                other.getOutputStream().write(GET.getBytes(StandardCharsets.US_ASCII));
                assertHello(read(other.getInputStream()));
            }
        }
    }

    /** The hot path's promise, seen from the transport: one write for all requests of one read. */
    @Test
    void shouldWriteOncePerBatchAndKeepSplitRequests() throws Exception {
        try (EventLoop loop = new SelectorEventLoop(SelectorEventLoop.Backend.NIO)) {
            PlaintextServer.Shared shared = new PlaintextServer.Shared(loop);
            List<String> writes = new ArrayList<>();
            Transport transport = (Transport) Proxy.newProxyInstance(Transport.class.getClassLoader(),
                    new Class<?>[] {Transport.class}, (proxy, method, args) -> {
                        if (method.getName().equals("write")) {
                            ByteBuffer b = (ByteBuffer) args[0];
                            byte[] bytes = new byte[b.remaining()];
                            b.get(bytes);
                            writes.add(new String(bytes, StandardCharsets.US_ASCII));
                        }
                        return method.getReturnType() == boolean.class ? false : null;
                    });
            PlaintextServer.Connection c = new PlaintextServer.Connection(shared);
            c.connectionMade(transport);
            byte[] batch = (GET.repeat(16) + GET.substring(0, 20)).getBytes(StandardCharsets.US_ASCII);
            c.dataReceived(ByteBuffer.allocateDirect(batch.length).put(batch).flip().asReadOnlyBuffer());
            assertEquals(1, writes.size());
            assertEquals(16, writes.getFirst().split("Hello, World!", -1).length - 1);
            byte[] rest = (GET.substring(20) + GET).getBytes(StandardCharsets.US_ASCII);
            c.dataReceived(ByteBuffer.allocateDirect(rest.length).put(rest).flip().asReadOnlyBuffer());
            assertEquals(2, writes.size());
            assertEquals(2, writes.get(1).split("Hello, World!", -1).length - 1);
            shared.stop();
        }
    }
}

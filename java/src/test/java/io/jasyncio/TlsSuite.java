package io.jasyncio;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32C;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS on the stream transports, on every loop: createServer/createConnection with an
 * {@link SSLContext}, startTls, the handshake and shutdown timeouts, flow control, and a
 * non-Java client. Real loopback sockets; the certificates come from the JDK's {@code keytool},
 * run once per class into a temporary PKCS12 keystore.
 */
abstract class TlsSuite extends LoopTestBase {

    private static Path dir;
    /** The server's key (CN=localhost, SAN localhost and 127.0.0.1). */
    static SSLContext serverContext;
    /** Trusts the server's certificate. */
    static SSLContext clientContext;
    /** Trusts another certificate only. */
    static SSLContext strangerContext;
    static Path serverCertPem;

    @BeforeAll
    static void makeCertificates() throws Exception {
        dir = Files.createTempDirectory("jasyncio-tls");
        Path server = dir.resolve("server.p12");
        Path other = dir.resolve("other.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", server.toString());
        keytool("-genkeypair", "-alias", "other", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=other", "-keystore", other.toString());
        serverCertPem = dir.resolve("server.pem");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", server.toString(), "-file",
                serverCertPem.toString());
        KeyStore serverKeys = load(server);
        serverContext = context(serverKeys, null);
        clientContext = context(null, serverKeys);
        strangerContext = context(null, load(other));
    }

    @AfterAll
    static void removeCertificates() throws IOException {
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", "changeit", "-noprompt"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, p.exitValue(), "keytool " + cmd + ": " + out);
    }

    private static KeyStore load(Path p) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, "changeit".toCharArray());
        }
        return ks;
    }

    private static SSLContext context(KeyStore keys, KeyStore trusted) throws Exception {
        KeyManagerFactory kmf = null;
        if (keys != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = null;
        if (trusted != null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The JVM's direct buffer pool in use, through reflection: the tests compile inside the
     * io.jasyncio module, which does not read java.management, and run on the class path.
     */
    static long directMemoryUsed() throws Exception {
        Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
        Class<?> poolType = Class.forName("java.lang.management.BufferPoolMXBean");
        for (Object pool : (List<?>) factory.getMethod("getPlatformMXBeans", Class.class).invoke(null, poolType)) {
            if ("direct".equals(poolType.getMethod("getName").invoke(pool))) {
                return (Long) poolType.getMethod("getMemoryUsed").invoke(pool);
            }
        }
        throw new AssertionError("no direct buffer pool");
    }

    static int port(Server server) throws IOException {
        return ((InetSocketAddress) server.sockets().getFirst().localAddress()).getPort();
    }

    /** Writes back what it reads; its transport may come late (startTls), so it keeps what arrives before. */
    static class Echo implements Protocol {
        Transport transport;
        final Future<Void> made;
        final Future<Throwable> lost;
        final ByteArrayOutputStream early = new ByteArrayOutputStream();
        boolean eof;
        long received;
        long target = Long.MAX_VALUE;
        Future<Void> reached;

        Echo(EventLoop loop) {
            made = loop.createFuture();
            lost = loop.createFuture();
        }

        /** A future done once {@code n} bytes in all have arrived. */
        Future<Void> until(long n) {
            target = n;
            reached = made.getLoop().createFuture();
            check();
            return reached;
        }

        void check() {
            if (reached != null && received >= target && !reached.done()) {
                reached.setResult(null);
            }
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
            made.setResult(null);
        }

        void attach(Transport t) {
            transport = t;
            if (early.size() > 0) {
                t.write(early.toByteArray());
                early.reset();
            }
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            assertTrue(data.isReadOnly());
            received += data.remaining();
            if (transport == null) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                early.write(b, 0, b.length);
            } else {
                transport.write(data);
            }
        }

        @Override
        public boolean eofReceived() {
            eof = true;
            return false;
        }

        @Override
        public void connectionLost(Throwable exc) {
            lost.setResult(exc);
        }
    }

    /** Echo as a {@link BufferedProtocol} with a small buffer, so one record takes several calls. */
    static class BufferedEcho implements BufferedProtocol {
        final ByteBuffer buf = ByteBuffer.allocate(1000);
        final Future<Throwable> lost;
        Transport transport;
        int updates;

        BufferedEcho(EventLoop loop) {
            lost = loop.createFuture();
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            assertTrue(sizeHint > 0);
            return buf.clear();
        }

        @Override
        public void bufferUpdated(int nbytes) {
            updates++;
            assertEquals(0, buf.position(), "the transport does not move the buffer's position");
            transport.write(buf.limit(nbytes));
        }

        @Override
        public void connectionLost(Throwable exc) {
            lost.setResult(exc);
        }
    }

    /** Collects what arrives; {@code done} when {@code expected} bytes came or the connection ended. */
    static class Collect implements Protocol {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final CRC32C crc = new CRC32C();
        final Future<byte[]> done;
        final Future<Throwable> lost;
        final Future<Void> resumed;
        final long expected;
        final boolean keep;
        long count;
        long target = Long.MAX_VALUE;
        Future<Void> reached;
        Transport transport;
        int pauses;
        int resumes;
        boolean eof;

        Collect(EventLoop loop, long expected) {
            this(loop, expected, true);
        }

        Collect(EventLoop loop, long expected, boolean keep) {
            this.done = loop.createFuture();
            this.lost = loop.createFuture();
            this.resumed = loop.createFuture();
            this.expected = expected;
            this.keep = keep;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            assertTrue(data.isReadOnly());
            count += data.remaining();
            crc.update(data.duplicate());
            if (keep) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                got.write(b, 0, b.length);
            }
            if (count >= expected && !done.done()) {
                done.setResult(got.toByteArray());
            }
            check();
        }

        /** A future done once {@code n} bytes in all have arrived. */
        Future<Void> until(long n) {
            target = n;
            reached = lost.getLoop().createFuture();
            check();
            return reached;
        }

        private void check() {
            if (reached != null && count >= target && !reached.done()) {
                reached.setResult(null);
            }
        }

        @Override
        public boolean eofReceived() {
            eof = true;
            return false;
        }

        @Override
        public void pauseWriting() {
            pauses++;
        }

        @Override
        public void resumeWriting() {
            resumes++;
            if (!resumed.done()) {
                resumed.setResult(null);
            }
        }

        @Override
        public void connectionLost(Throwable exc) {
            if (!done.done()) {
                done.setResult(got.toByteArray());
            }
            lost.setResult(exc);
        }
    }

    Server tlsEchoServer(List<Echo> made) {
        return run(loop.createServer(() -> {
            Echo e = new Echo(loop);
            made.add(e);
            return e;
        }, ServerOptions.on("127.0.0.1", 0).ssl(serverContext)));
    }

    void closeServer(Server server) {
        server.close();
        run(server.waitClosed());
    }

    static Throwable unwrap(Throwable e) {
        while (e.getCause() != null && !(e instanceof IOException) && !(e instanceof TimeoutException)) {
            e = e.getCause();
        }
        return e;
    }

    // ---- echo and the transport's surface ----

    @Test
    void echoThroughTlsServerAndClient() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = tlsEchoServer(made);
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 5),
                ConnectOptions.to("127.0.0.1", port(server)).ssl(clientContext)));
        Transport t = c.transport();
        assertSame(t, c.protocol().transport, "connectionMade ran before the future completed");
        t.write(bytes("hello"));
        assertArrayEquals(bytes("hello"), run(c.protocol().done));

        assertSame(clientContext, t.getExtraInfo("sslcontext"));
        SSLEngine engine = assertInstanceOf(SSLEngine.class, t.getExtraInfo("ssl_object"));
        assertTrue(engine.getUseClientMode());
        Certificate[] chain = assertInstanceOf(Certificate[].class, t.getExtraInfo("peercert"));
        assertEquals("CN=localhost", ((X509Certificate) chain[0]).getSubjectX500Principal().getName());
        String cipher = assertInstanceOf(String.class, t.getExtraInfo("cipher"));
        assertEquals(engine.getSession().getCipherSuite(), cipher);
        assertNull(t.getExtraInfo("compression", "dflt"));
        assertNotNull(t.getExtraInfo("peername"));
        assertEquals(((Socket) t.getExtraInfo("socket")).localAddress(), t.getExtraInfo("sockname"));
        assertEquals("dflt", t.getExtraInfo("nonsense", "dflt"));
        assertFalse(t.canWriteEof());
        assertThrows(UnsupportedOperationException.class, t::writeEof);
        assertTrue(t.isReading());

        Transport st = made.getFirst().transport;
        assertSame(serverContext, st.getExtraInfo("sslcontext"));
        assertFalse(((SSLEngine) st.getExtraInfo("ssl_object")).getUseClientMode());
        assertNull(st.getExtraInfo("peercert", "dflt"), "the client sent no certificate");

        t.close();
        assertTrue(t.isClosing());
        assertFalse(t.isReading());
        assertNull(run(c.protocol().lost), "a clean close");
        assertNull(run(made.getFirst().lost));
        assertTrue(made.getFirst().eof, "the server read the client's close_notify as end of stream");
        t.write(bytes("dropped after close"));
        closeServer(server);
        assertTrue(reported.isEmpty(), reported.toString());
    }

    @Test
    void serverClosesFirstAndTheClientSeesEof() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = tlsEchoServer(made);
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 2),
                ConnectOptions.to("127.0.0.1", port(server)).ssl(clientContext)));
        c.transport().write(bytes("hi"));
        run(c.protocol().done);
        made.getFirst().transport.write(bytes("bye"));
        made.getFirst().transport.close();
        assertNull(run(c.protocol().lost));
        assertTrue(c.protocol().eof);
        assertEquals("hibye", c.protocol().got.toString(StandardCharsets.UTF_8), "data sent before close arrives");
        assertNull(run(made.getFirst().lost));
        closeServer(server);
    }

    @Test
    void sixteenMebibytesBothWaysWithChecksums() throws Exception {
        List<BufferedEcho> made = new ArrayList<>();
        Server server = run(loop.createServer(() -> {
            BufferedEcho e = new BufferedEcho(loop);
            made.add(e);
            return e;
        }, ServerOptions.on("127.0.0.1", 0).ssl(serverContext)));
        int size = 16 << 20;
        byte[] data = new byte[size];
        ThreadLocalRandom.current().nextBytes(data);
        CRC32C sent = new CRC32C();
        sent.update(data);
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, size, false),
                ConnectOptions.to("127.0.0.1", port(server)).ssl(clientContext)));
        long directBefore = directMemoryUsed();
        // uneven pieces: records of every size
        int off = 0;
        for (int piece = 1; off < size; piece = piece * 3 % 100_003 + 1) {
            int n = Math.min(piece, size - off);
            c.transport().write(ByteBuffer.wrap(data, off, n));
            off += n;
        }
        run(c.protocol().done);
        assertEquals(size, c.protocol().count);
        assertEquals(sent.getValue(), c.protocol().crc.getValue());
        long directGrowth = directMemoryUsed() - directBefore;
        assertTrue(directGrowth < (1 << 20), "TLS buffers are heap buffers: direct memory grew by " + directGrowth);
        assertTrue(made.getFirst().updates > size / 1000, "the buffered protocol got the data 1000 bytes at a time");
        c.transport().close();
        assertNull(run(c.protocol().lost));
        assertNull(run(made.getFirst().lost));
        closeServer(server);
    }

    // ---- failures ----

    @Test
    void untrustedCertificateFailsBothSidesPromptly() throws Exception {
        try (Socket listener = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            listener.listen(4);
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            List<Echo> serverProtocols = new ArrayList<>();
            Task<Connection<Echo>> serverSide = loop.createTask(() -> {
                Socket conn = loop.sockAccept(listener).await();
                return loop.connectAcceptedSocket(() -> {
                    Echo e = new Echo(loop);
                    serverProtocols.add(e);
                    return e;
                }, conn, serverContext).await();
            });
            List<Collect> clientProtocols = new ArrayList<>();
            long start = System.nanoTime();
            Future<Connection<Collect>> client = loop.createConnection(() -> {
                Collect p = new Collect(loop, 1);
                clientProtocols.add(p);
                return p;
            }, ConnectOptions.to("127.0.0.1", port).ssl(strangerContext));
            Throwable ce = unwrap(assertThrows(Exception.class, () -> run(client)));
            assertInstanceOf(SSLHandshakeException.class, ce, ce.toString());
            Throwable se = unwrap(assertThrows(Exception.class, () -> run(serverSide)));
            assertInstanceOf(javax.net.ssl.SSLException.class, se, se.toString());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "failed promptly, not by a timeout");
            assertFalse(clientProtocols.getFirst().lost.done(), "a protocol never connected hears nothing");
            assertFalse(serverProtocols.getFirst().made.done());
        }
        assertTrue(reported.isEmpty(), "an SSL failure is an IOException, not reported: " + reported);
    }

    @Test
    void wrongServerHostnameFailsTheHandshake() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = tlsEchoServer(made);
        Throwable e = unwrap(assertThrows(Exception.class, () -> run(loop.createConnection(() -> new Collect(loop, 1),
                ConnectOptions.to("127.0.0.1", port(server)).ssl(clientContext).serverHostname("wrong.example")))));
        assertInstanceOf(SSLHandshakeException.class, e, e.toString());
        // "localhost" is in the certificate: it passes, and an empty name turns the check off
        for (String name : new String[] {"localhost", ""}) {
            Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 2),
                    ConnectOptions.to("127.0.0.1", port(server)).ssl(clientContext).serverHostname(name)));
            c.transport().write(bytes("ok"));
            assertArrayEquals(bytes("ok"), run(c.protocol().done));
            c.transport().close();
            run(c.protocol().lost);
        }
        closeServer(server);
    }

    @Test
    void handshakeTimeoutAgainstASilentPlainPeer() throws Exception {
        try (Socket listener = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            listener.listen(4);
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            long start = System.nanoTime();
            Throwable e = unwrap(assertThrows(Exception.class, () -> run(loop.createConnection(
                    () -> new Collect(loop, 1), ConnectOptions.to("127.0.0.1", port).ssl(clientContext)
                            .sslHandshakeTimeout(Duration.ofMillis(300))))));
            long took = System.nanoTime() - start;
            assertInstanceOf(SocketTimeoutException.class, e, e.toString());
            assertTrue(e.getMessage().startsWith("SSL handshake is taking longer than 0.3 seconds"), e.getMessage());
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(290) && took < TimeUnit.SECONDS.toNanos(10),
                    took / 1e6 + " ms");
            // the silent peer sees the connection go
            Socket conn = run(loop.sockAccept(listener));
            try (conn) {
                byte[] hello = run(loop.sockRecv(conn, 65536));
                assertEquals(0x16, hello[0], "a TLS handshake record (the ClientHello) came first");
                while (hello.length > 0) {
                    hello = run(loop.sockRecv(conn, 65536));
                }
            }
        }
    }

    @Test
    void serverHandshakeTimeoutDropsASilentClient() throws Exception {
        Server server = run(loop.createServer(() -> new Echo(loop), ServerOptions.on("127.0.0.1", 0)
                .ssl(serverContext).sslHandshakeTimeout(Duration.ofMillis(200))));
        try (Socket s = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
            run(loop.sockConnect(s, new InetSocketAddress("127.0.0.1", port(server))));
            long start = System.nanoTime();
            byte[] got;
            try {
                got = run(loop.sockRecv(s, 100));
            } catch (Exception reset) {
                assertInstanceOf(java.net.SocketException.class, reset, "EOF or a reset");
                got = new byte[0];
            }
            assertEquals(0, got.length, "the server sent nothing and hung up");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
        }
        closeServer(server);
    }

    @Test
    void timeoutsMustBePositive() throws Exception {
        try (Socket listener = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            listener.listen(4);
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            Throwable e = assertThrows(Exception.class, () -> run(loop.createConnection(() -> new Collect(loop, 1),
                    ConnectOptions.to("127.0.0.1", port).ssl(clientContext).sslShutdownTimeout(Duration.ZERO))));
            assertInstanceOf(IllegalArgumentException.class, e);
        }
    }

    // ---- closing ----

    @Test
    void closeCompletesWhenThePeerNeverSendsCloseNotify() throws Exception {
        SSLServerSocket ss = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 4,
                java.net.InetAddress.getByName("127.0.0.1"));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch handshaken = new CountDownLatch(1);
        Thread peer = Thread.ofPlatform().start(() -> {
            try (SSLSocket s = (SSLSocket) ss.accept()) {
                s.startHandshake();
                handshaken.countDown();
                // never reads, so never answers close_notify
                release.await();
            } catch (Exception e) {
                handshaken.countDown();
            }
        });
        try {
            Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 1),
                    ConnectOptions.to("127.0.0.1", ss.getLocalPort()).ssl(clientContext)
                            .sslShutdownTimeout(Duration.ofMillis(300))));
            long start = System.nanoTime();
            c.transport().close();
            Throwable lost = run(c.protocol().lost);
            long took = System.nanoTime() - start;
            assertInstanceOf(TimeoutException.class, lost, "asyncio reports the shutdown timeout: " + lost);
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(290) && took < TimeUnit.SECONDS.toNanos(10),
                    took / 1e6 + " ms");
        } finally {
            release.countDown();
            peer.join();
            ss.close();
        }
    }

    @Test
    void closeSendsTheWholeBacklogBeforeCloseNotify() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = run(loop.createServer(() -> {
            Echo e = new Echo(loop) {
                @Override
                public void dataReceived(ByteBuffer data) {
                    received += data.remaining();
                    check();
                }
            };
            made.add(e);
            return e;
        }, ServerOptions.on("127.0.0.1", 0).ssl(serverContext)));
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 1),
                ConnectOptions.to("127.0.0.1", port(server)).ssl(clientContext)));
        byte[] chunk = new byte[256 * 1024];
        for (int i = 0; i < 16; i++) {
            c.transport().write(chunk);
        }
        assertTrue(c.transport().getWriteBufferSize() > 0, "some of the 4 MiB waits in the backlog");
        c.transport().close();
        c.transport().write(bytes("refused after close"));
        assertNull(run(c.protocol().lost));
        Echo s = made.getFirst();
        assertNull(run(s.lost));
        assertEquals(16L * chunk.length, s.received, "every byte written before close() arrived, nothing after");
        assertTrue(s.eof, "then the close_notify");
        closeServer(server);
    }

    @Test
    void abortIsImmediateEvenWithABacklogAndAPausedPeer() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = run(loop.createServer(() -> {
            Echo e = new Echo(loop) {
                @Override
                public void connectionMade(Transport transport) {
                    super.connectionMade(transport);
                    transport.pauseReading();
                }
            };
            made.add(e);
            return e;
        }, ServerOptions.on("127.0.0.1", 0).ssl(serverContext)));
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 1),
                ConnectOptions.to("127.0.0.1", port(server)).ssl(clientContext)));
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < 16 && c.protocol().pauses == 0; i++) {
            c.transport().write(chunk);
        }
        assertTrue(c.transport().getWriteBufferSize() > 0, "the paused peer left a backlog");
        long start = System.nanoTime();
        c.transport().abort();
        assertTrue(c.transport().isClosing());
        assertEquals(0, c.transport().getWriteBufferSize(), "abort drops the backlog");
        assertNull(run(c.protocol().lost));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "abort waits for nothing");
        run(made.getFirst().made);
        made.getFirst().transport.abort();
        run(made.getFirst().lost);
        closeServer(server);
    }

    // ---- flow control ----

    @Test
    void flowControlPausesAndResumesBothWays() throws Exception {
        List<Echo> made = new ArrayList<>();
        long[] seenWhilePaused = {-1};
        Server server = run(loop.createServer(() -> {
            Echo e = new Echo(loop) {
                @Override
                public void connectionMade(Transport transport) {
                    super.connectionMade(transport);
                    transport.pauseReading();
                    assertFalse(transport.isReading());
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    received += data.remaining();
                    check();
                    // a sink: no echo
                }
            };
            made.add(e);
            return e;
        }, ServerOptions.on("127.0.0.1", 0).ssl(serverContext)));
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 1),
                ConnectOptions.to("127.0.0.1", port(server)).ssl(clientContext)));
        Transport t = c.transport();
        t.setWriteBufferLimits(256 * 1024, 64 * 1024);
        assertEquals(256 * 1024, t.getWriteBufferHighLimit());
        assertEquals(64 * 1024, t.getWriteBufferLowLimit());
        byte[] chunk = new byte[64 * 1024];
        long sent = 0;
        while (c.protocol().pauses == 0 && sent < (256L << 20)) {
            t.write(chunk);
            sent += chunk.length;
        }
        assertEquals(1, c.protocol().pauses, "pauseWriting once past the high-water mark");
        assertTrue(t.getWriteBufferSize() > t.getWriteBufferHighLimit());
        // let the loop spin a while: the paused server reads nothing
        run(() -> Asyncio.sleep(0.05).await());
        Echo s = made.getFirst();
        seenWhilePaused[0] = s.received;
        assertEquals(0, seenWhilePaused[0], "a paused TLS transport delivers nothing");
        s.transport.resumeReading();
        assertTrue(s.transport.isReading());
        run(c.protocol().resumed);
        assertEquals(1, c.protocol().resumes);
        assertTrue(t.getWriteBufferSize() <= t.getWriteBufferLowLimit());
        run(s.until(sent));
        assertEquals(sent, s.received);
        t.close();
        assertNull(run(c.protocol().lost));
        closeServer(server);
    }

    // ---- startTls ----

    @Test
    void startTlsUpgradesALiveConnection() throws Exception {
        Echo serverTls = new Echo(loop);
        Future<Transport> serverUpgraded = loop.createFuture();
        Server server = run(loop.createServer(() -> new Protocol() {
            Transport plain;

            @Override
            public void connectionMade(Transport transport) {
                plain = transport;
            }

            @Override
            public void dataReceived(ByteBuffer data) {
                String line = StandardCharsets.UTF_8.decode(data).toString();
                if (line.equals("STARTTLS\n")) {
                    plain.write(bytes("OK\n"));
                    Future<Transport> up = loop.startTls(plain, serverTls, serverContext, true, null);
                    up.addDoneCallback(f -> {
                        if (f.exception() != null) {
                            serverUpgraded.setException(f.exception());
                        } else {
                            serverTls.attach(f.result());
                            serverUpgraded.setResult(f.result());
                        }
                    });
                } else {
                    plain.write(bytes("plain:" + line));
                }
            }
        }, ServerOptions.on("127.0.0.1", 0)));
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 12),
                ConnectOptions.to("127.0.0.1", port(server))));
        c.transport().write(bytes("hello\n"));
        assertArrayEquals(bytes("plain:hello\n"), run(c.protocol().done));
        c.transport().write(bytes("STARTTLS\n"));
        run(c.protocol().until(15));
        assertEquals("plain:hello\nOK\n", c.protocol().got.toString(StandardCharsets.UTF_8));
        Collect secure = new Collect(loop, 6);
        Transport tls = run(loop.startTls(c.transport(), secure, clientContext, false, "localhost"));
        assertNotNull(tls.getExtraInfo("peercert"));
        assertSame(secure, tls.getProtocol());
        tls.write(bytes("secret"));
        secure.transport = tls;
        assertArrayEquals(bytes("secret"), run(secure.done));
        Transport st = run(serverUpgraded);
        assertNotNull(st.getExtraInfo("cipher"));
        assertEquals(c.protocol().count, 15, "nothing more reached the old protocol");
        tls.close();
        assertNull(run(secure.lost));
        assertNull(run(serverTls.lost));
        assertFalse(c.protocol().lost.done(), "the plain protocol was replaced");
        closeServer(server);
        assertTrue(reported.isEmpty(), reported.toString());
    }

    @Test
    void startTlsRefusesOtherTransports() {
        assertThrows(IllegalArgumentException.class, () -> loop.startTls(new NoTransport(), new Collect(loop, 1),
                clientContext, false, null));
    }

    /** Not a loop transport. */
    static final class NoTransport implements Transport {
        @Override public void pauseReading() { }
        @Override public void resumeReading() { }
        @Override public boolean isReading() { return false; }
        @Override public void write(byte[] data) { }
        @Override public void write(ByteBuffer data) { }
        @Override public void writelines(List<ByteBuffer> data) { }
        @Override public void writeEof() { }
        @Override public boolean canWriteEof() { return false; }
        @Override public void abort() { }
        @Override public long getWriteBufferSize() { return 0; }
        @Override public long getWriteBufferLowLimit() { return 0; }
        @Override public long getWriteBufferHighLimit() { return 0; }
        @Override public void setWriteBufferLimits(long high, long low) { }
        @Override public void close() { }
        @Override public boolean isClosing() { return false; }
        @Override public Object getExtraInfo(String name, Object defaultValue) { return defaultValue; }
        @Override public void setProtocol(BaseProtocol protocol) { }
        @Override public BaseProtocol getProtocol() { return null; }
    }

    // ---- another TLS implementation ----

    @Test
    void pythonSslClientTalksToTheEchoServer() throws Exception {
        assumeTrue(hasPythonSsl(), "python3 with its ssl module is not installed: interop not checked");
        List<Echo> made = new ArrayList<>();
        Server server = tlsEchoServer(made);
        String script = String.join("\n",
                "import socket, ssl, sys",
                "ctx = ssl.create_default_context(cafile=sys.argv[1])",
                "with socket.create_connection(('127.0.0.1', int(sys.argv[2]))) as raw:",
                "    with ctx.wrap_socket(raw, server_hostname='localhost') as s:",
                "        msg = b'ping from python ' * 4000",
                "        s.sendall(msg)",
                "        got = b''",
                "        while len(got) < len(msg):",
                "            chunk = s.recv(65536)",
                "            if not chunk: break",
                "            got += chunk",
                "        print(s.version(), got == msg, len(got))",
                "        s.unwrap()",
                "print('closed')");
        Process p = new ProcessBuilder("python3", "-c", script, serverCertPem.toString(),
                Integer.toString(port(server))).redirectErrorStream(true).start();
        Future<String> out = loop.runInExecutor(null, () -> {
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return s;
        });
        String text = run(out);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains(" True 68000"), text);
        assertTrue(text.contains("closed"), text);
        assertNull(run(made.getFirst().lost), "python's close_notify ended the connection cleanly");
        assertTrue(made.getFirst().eof);
        closeServer(server);
    }

    private static boolean hasPythonSsl() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import ssl").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void streamsOverTls() throws Exception {
        // A TLS stream server and client, then a plain stream connection upgraded by startTls on
        // both ends: the line after the upgrade travels encrypted.
        Server tlsServer = run(() -> Asyncio.startServer((reader, writer) -> {
            byte[] line = reader.readline().await();
            writer.write(line);
            writer.drain().await();
            writer.close();
        }, ServerOptions.on("127.0.0.1", 0).ssl(serverContext)).await());
        int port = ((java.net.InetSocketAddress) tlsServer.sockets().getFirst().localAddress()).getPort();
        String echoed = run(() -> {
            StreamConnection c = Asyncio.openConnection(ConnectOptions.to("127.0.0.1", port).ssl(clientContext)
                    .serverHostname("localhost")).await();
            c.writer().write("over tls\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String got = new String(c.reader().readline().await(), java.nio.charset.StandardCharsets.UTF_8);
            c.writer().close();
            c.writer().waitClosed().await();
            return got;
        });
        org.junit.jupiter.api.Assertions.assertEquals("over tls\n", echoed);
        closeServer(tlsServer);
    }

    @Test
    void streamWriterStartTls() throws Exception {

        Server plainServer = run(() -> Asyncio.startServer((reader, writer) -> {
            reader.readline().await();
            // As in SMTP: answer, then upgrade; the client starts its handshake once it reads
            // the answer, so no TLS byte reaches the plain reader.
            writer.write("GO\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            writer.drain().await();
            writer.startTls(serverContext, null).await();
            byte[] line = reader.readline().await();
            writer.write(line);
            writer.drain().await();
            writer.close();
        }, ServerOptions.on("127.0.0.1", 0)).await());
        int plainPort = ((java.net.InetSocketAddress) plainServer.sockets().getFirst().localAddress()).getPort();
        String upgraded = run(() -> {
            StreamConnection c = Asyncio.openConnection("127.0.0.1", plainPort).await();
            c.writer().write("STARTTLS\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            c.writer().drain().await();
            org.junit.jupiter.api.Assertions.assertEquals("GO\n", new String(c.reader().readline().await(),
                    java.nio.charset.StandardCharsets.UTF_8));
            c.writer().startTls(clientContext, "localhost").await();
            org.junit.jupiter.api.Assertions.assertNotNull(c.writer().getExtraInfo("ssl_object"));
            c.writer().write("secret\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String got = new String(c.reader().readline().await(), java.nio.charset.StandardCharsets.UTF_8);
            c.writer().close();
            c.writer().waitClosed().await();
            return got;
        });
        org.junit.jupiter.api.Assertions.assertEquals("secret\n", upgraded);
        closeServer(plainServer);
    }
}

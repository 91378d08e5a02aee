package io.jasyncio;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sockets, the sock* calls, stream transports, protocols and servers, on every loop: the same
 * socket-level code passes on both.
 */
abstract class NetSuite extends LoopTestBase {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Runs the loop for {@code seconds}. */
    void pause(double seconds) {
        run(() -> {
            Asyncio.sleep(seconds).await();
            return null;
        });
    }

    boolean epoll() {
        return backend() == SelectorEventLoop.Backend.EPOLL;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An echo protocol: writes back what it reads. */
    static class Echo implements Protocol {
        Transport transport;
        final Future<Throwable> lost;
        boolean eof;

        Echo(EventLoop loop) {
            lost = loop.createFuture();
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
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

    /** A client protocol that collects what arrives and completes when {@code expected} bytes came. */
    static class Collect implements Protocol {
        final java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        final Future<byte[]> done;
        final Future<Throwable> lost;
        final Future<Void> made;
        final int expected;
        Transport transport;
        int pauses;
        int resumes;

        Collect(EventLoop loop, int expected) {
            this.done = loop.createFuture();
            this.lost = loop.createFuture();
            this.made = loop.createFuture();
            this.expected = expected;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
            made.setResult(null);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            assertTrue(data.isReadOnly());
            byte[] b = new byte[data.remaining()];
            data.get(b);
            got.write(b, 0, b.length);
            if (got.size() >= expected && !done.done()) {
                done.setResult(got.toByteArray());
            }
        }

        @Override
        public void pauseWriting() {
            pauses++;
        }

        @Override
        public void resumeWriting() {
            resumes++;
        }

        @Override
        public void connectionLost(Throwable exc) {
            if (!done.done()) {
                done.setResult(got.toByteArray());
            }
            lost.setResult(exc);
        }
    }

    // ---- the socket type ----

    @Test
    void socketOpenBindListenAndAddresses() throws Exception {
        try (Socket s = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
            assertEquals(Socket.Family.INET, s.family());
            assertEquals(Socket.Type.STREAM, s.type());
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            assertTrue(s.getOption(StandardSocketOptions.SO_REUSEADDR));
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            s.listen(10);
            InetSocketAddress local = (InetSocketAddress) s.localAddress();
            assertEquals(LOOPBACK, local.getAddress());
            assertTrue(local.getPort() > 0);
            assertNull(s.remoteAddress());
            if (epoll()) {
                assertTrue(s.fileno() >= 0);
                assertNull(s.channel());
            } else {
                assertNotNull(s.channel());
            }
        }
    }

    @Test
    void closedSocketRefusesEverySockCall() throws Exception {
        Socket[] pair = Socket.socketpair(loop);
        pair[1].close();
        pair[0].close();
        assertTrue(pair[0].isClosed());
        assertEquals(-1, pair[0].fileno());
        Future<byte[]> f = loop.sockRecv(pair[0], 10);
        assertThrows(IOException.class, () -> run(f));
        assertThrows(IOException.class, () -> pair[0].bind(new InetSocketAddress(LOOPBACK, 0)));
        pair[0].close();
    }

    @Test
    void negativeLengthsAreRefused() throws Exception {
        Socket[] pair = Socket.socketpair(loop);
        try {
            assertThrows(IllegalArgumentException.class, () -> loop.sockRecv(pair[0], -1));
            assertThrows(IllegalArgumentException.class, () -> loop.sockRecvfrom(pair[0], -1));
            assertThrows(IllegalArgumentException.class, () -> pair[0].listen(-1));
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    // ---- sock* calls ----

    @Test
    void sockSendallAndRecvOverASocketpair() throws Exception {
        Socket[] pair = Socket.socketpair(loop);
        try {
            byte[] got = run(() -> {
                Future<byte[]> recv = loop.sockRecv(pair[1], 100);
                assertFalse(recv.done());
                loop.sockSendall(pair[0], bytes("hello")).await();
                return recv.await();
            });
            assertArrayEquals(bytes("hello"), got);
            pair[0].shutdownOutput();
            assertArrayEquals(new byte[0], run(loop.sockRecv(pair[1], 100)));
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void sockRecvIntoFillsTheBufferAtItsPosition() throws Exception {
        Socket[] pair = Socket.socketpair(loop);
        try {
            ByteBuffer buf = ByteBuffer.allocate(16);
            buf.put((byte) 'x');
            run(loop.sockSendall(pair[0], bytes("abc")));
            int n = run(loop.sockRecvInto(pair[1], buf));
            assertEquals(3, n);
            assertEquals(4, buf.position());
            assertEquals("xabc", new String(buf.array(), 0, 4, StandardCharsets.US_ASCII));
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void cancellingAPendingSockRecvStopsWatching() throws Exception {
        Socket[] pair = Socket.socketpair(loop);
        try {
            Future<byte[]> recv = loop.sockRecv(pair[1], 10);
            pause(0);
            recv.cancel();
            pause(0);
            assertFalse(loop.removeReader(pair[1]), "the cancelled call left its reader");
            run(loop.sockSendall(pair[0], bytes("later")));
            assertArrayEquals(bytes("later"), run(loop.sockRecv(pair[1], 10)));
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void sockAcceptAndConnectOverTcp() throws Exception {
        try (Socket listener = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM);
                Socket client = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            listener.listen();
            SocketAddress where = listener.localAddress();
            Socket accepted = run(() -> {
                Future<Socket> acc = loop.sockAccept(listener);
                loop.sockConnect(client, where).await();
                return acc.await();
            });
            try (accepted) {
                assertEquals(client.localAddress(), accepted.remoteAddress());
                run(loop.sockSendall(client, bytes("ping")));
                assertArrayEquals(bytes("ping"), run(loop.sockRecv(accepted, 10)));
            }
        }
    }

    @Test
    void sockConnectResolvesAnUnresolvedAddress() throws Exception {
        try (Socket listener = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM);
                Socket client = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            listener.listen();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            run(loop.sockConnect(client, InetSocketAddress.createUnresolved("localhost", port)));
            try (Socket accepted = run(loop.sockAccept(listener))) {
                assertNotNull(accepted.remoteAddress());
            }
        }
    }

    @Test
    void sockConnectToAClosedPortIsConnectException() throws Exception {
        int port = closedPort();
        try (Socket client = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
            Exception e = assertThrows(Exception.class, () -> run(loop.sockConnect(client,
                    new InetSocketAddress(LOOPBACK, port))));
            assertInstanceOf(ConnectException.class, e, e.toString());
        }
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    @Test
    void sockSendallOfMoreThanTheSocketHoldsWaitsForTheReader() throws Exception {
        Socket[] pair = Socket.socketpair(loop);
        try {
            byte[] data = new byte[8 * 1024 * 1024];
            ThreadLocalRandom.current().nextBytes(data);
            byte[] got = run(() -> {
                Future<Void> send = loop.sockSendall(pair[0], data);
                assertFalse(send.done());
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                while (out.size() < data.length) {
                    byte[] chunk = loop.sockRecv(pair[1], 65536).await();
                    out.write(chunk);
                }
                send.await();
                return out.toByteArray();
            });
            assertArrayEquals(data, got);
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void addReaderTakesASocketOnEveryLoop() throws Exception {
        Socket[] pair = Socket.socketpair(loop);
        try {
            Future<String> read = loop.createFuture();
            loop.addReader(pair[1], () -> {
                loop.removeReader(pair[1]);
                loop.sockRecv(pair[1], 100).addDoneCallback(f -> read.setResult(new String(f.result(),
                        StandardCharsets.UTF_8)));
            });
            loop.callSoon(() -> loop.sockSendall(pair[0], bytes("ready")));
            assertEquals("ready", run(read));
            assertFalse(loop.removeReader(pair[1]));
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void aUsersOwnSocketChannelIsAcceptedOnEveryLoop() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(LOOPBACK, 0));
            SocketChannel ch = SocketChannel.open(server.getLocalAddress());
            try (SocketChannel peer = server.accept(); Socket sock = Socket.wrap(ch)) {
                peer.write(ByteBuffer.wrap(bytes("from the JDK")));
                assertArrayEquals(bytes("from the JDK"), run(loop.sockRecv(sock, 100)));
                run(loop.sockSendall(sock, bytes("back")));
                ByteBuffer b = ByteBuffer.allocate(4);
                while (b.hasRemaining()) {
                    peer.read(b);
                }
                assertArrayEquals(bytes("back"), b.array());
            }
            assertFalse(ch.isOpen(), "closing the socket closes the user's channel");
        }
    }

    // ---- protocols and transports ----

    Server echoServer(List<Echo> made) {
        return run(loop.createServer(() -> {
            Echo e = new Echo(loop);
            made.add(e);
            return e;
        }, "127.0.0.1", 0));
    }

    static int port(Server server) throws IOException {
        return ((InetSocketAddress) server.sockets().getFirst().localAddress()).getPort();
    }

    @Test
    void echoThroughCreateServerAndCreateConnection() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = echoServer(made);
        assertTrue(server.isServing());
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 5), "127.0.0.1", port(server)));
        assertTrue(c.protocol().made.done(), "connectionMade ran before the future completed");
        c.transport().write(bytes("hello"));
        assertArrayEquals(bytes("hello"), run(c.protocol().done));
        assertEquals(c.transport().getExtraInfo("sockname"), ((Socket) c.transport().getExtraInfo("socket"))
                .localAddress());
        assertNotNull(c.transport().getExtraInfo("peername"));
        assertNull(c.transport().getExtraInfo("nonsense"));
        assertEquals("dflt", c.transport().getExtraInfo("nonsense", "dflt"));
        c.transport().close();
        assertTrue(c.transport().isClosing());
        assertNull(run(c.protocol().lost));
        assertNull(run(made.getFirst().lost), "the server side saw a clean end of stream");
        assertTrue(made.getFirst().eof);
        server.close();
        assertFalse(server.isServing());
        run(server.waitClosed());
    }

    @Test
    void createConnectionToAClosedPortIsConnectException() throws Exception {
        int port = closedPort();
        Exception e = assertThrows(Exception.class, () -> run(loop.createConnection(() -> new Collect(loop, 1),
                "127.0.0.1", port)));
        assertInstanceOf(ConnectException.class, e, e.toString());
    }

    @Test
    void createConnectionTriesEveryAddressOfLocalhost() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = echoServer(made);
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 2), "localhost", port(server)));
        c.transport().write(bytes("hi"));
        assertArrayEquals(bytes("hi"), run(c.protocol().done));
        c.transport().close();
        run(c.protocol().lost);
        server.close();
        run(server.waitClosed());
    }

    @Test
    void happyEyeballsConnects() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = run(loop.createServer(() -> {
            Echo e = new Echo(loop);
            made.add(e);
            return e;
        }, ServerOptions.on("localhost", 0)));
        int port = port(server);
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 2), ConnectOptions.to("localhost",
                port).happyEyeballsDelay(java.time.Duration.ofMillis(250))));
        c.transport().write(bytes("he"));
        assertArrayEquals(bytes("he"), run(c.protocol().done));
        c.transport().abort();
        run(c.protocol().lost);
        server.close();
        run(server.waitClosed());
    }

    @Test
    void createConnectionWithALocalAddress() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = echoServer(made);
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 1), ConnectOptions.to("127.0.0.1",
                port(server)).localAddr(new InetSocketAddress("127.0.0.1", 0))));
        InetSocketAddress local = (InetSocketAddress) c.transport().getExtraInfo("sockname");
        assertEquals("127.0.0.1", local.getAddress().getHostAddress());
        c.transport().close();
        run(c.protocol().lost);
        server.close();
        run(server.waitClosed());
    }

    @Test
    void optionsThatContradictEachOtherAreRefused() throws Exception {
        Socket s = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM);
        try {
            assertThrows(IllegalArgumentException.class, () -> loop.createConnection(() -> new Collect(loop, 1),
                    ConnectOptions.to("127.0.0.1", 80).sock(s)));
            assertThrows(IllegalArgumentException.class, () -> loop.createConnection(() -> new Collect(loop, 1),
                    new ConnectOptions()));
            assertThrows(IllegalArgumentException.class, () -> loop.createConnection(() -> new Collect(loop, 1),
                    ConnectOptions.to("127.0.0.1", 80).serverHostname("x")));
            assertThrows(IllegalArgumentException.class, () -> ConnectOptions.to("h", 70000));
        } finally {
            s.close();
        }
    }

    @Test
    void createConnectionWithAConnectedSock() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = echoServer(made);
        Socket s = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM);
        run(loop.sockConnect(s, new InetSocketAddress(LOOPBACK, port(server))));
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 3), new ConnectOptions().sock(s)));
        assertSame(s, c.transport().getExtraInfo("socket"));
        c.transport().write(bytes("abc"));
        assertArrayEquals(bytes("abc"), run(c.protocol().done));
        c.transport().close();
        run(c.protocol().lost);
        assertTrue(s.isClosed(), "the transport owns the socket");
        server.close();
        run(server.waitClosed());
    }

    static void assertSame(Object a, Object b) {
        org.junit.jupiter.api.Assertions.assertSame(a, b);
    }

    @Test
    void connectAcceptedSocketWrapsAnAcceptedSocket() throws Exception {
        try (Socket listener = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM);
                Socket client = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            listener.listen();
            Future<Socket> acc = loop.sockAccept(listener);
            run(loop.sockConnect(client, listener.localAddress()));
            Socket accepted = run(acc);
            Connection<Echo> c = run(loop.connectAcceptedSocket(() -> new Echo(loop), accepted, null));
            run(loop.sockSendall(client, bytes("echo me")));
            assertArrayEquals(bytes("echo me"), run(loop.sockRecv(client, 100)));
            c.transport().close();
            run(c.protocol().lost);
        }
    }

    @Test
    void writelinesSendsEveryBufferInOrder() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = echoServer(made);
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 9), "127.0.0.1", port(server)));
        c.transport().writelines(List.of(ByteBuffer.wrap(bytes("one")), ByteBuffer.allocateDirect(3)
                .put(bytes("two")).flip(), ByteBuffer.wrap(bytes("six"))));
        assertArrayEquals(bytes("onetwosix"), run(c.protocol().done));
        c.transport().close();
        run(c.protocol().lost);
        server.close();
        run(server.waitClosed());
    }

    @Test
    void writeEofHalfClosesAndTheProtocolCanKeepTheOtherHalf() throws Exception {
        Future<Transport> serverSide = loop.createFuture();
        Future<Boolean> sawEof = loop.createFuture();
        Server server = run(loop.createServer(() -> new Protocol() {
            @Override
            public void connectionMade(Transport transport) {
                serverSide.setResult(transport);
            }

            @Override
            public boolean eofReceived() {
                sawEof.setResult(true);
                return true;
            }
        }, "127.0.0.1", 0));
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 4), "127.0.0.1", port(server)));
        assertTrue(c.transport().canWriteEof());
        c.transport().writeEof();
        assertThrows(IllegalStateException.class, () -> c.transport().write(bytes("x")));
        assertTrue(run(sawEof));
        Transport st = run(serverSide);
        st.write(bytes("late"));
        assertArrayEquals(bytes("late"), run(c.protocol().done));
        st.close();
        assertNull(run(c.protocol().lost));
        server.close();
        run(server.waitClosed());
    }

    @Test
    void flowControlPausesAtTheHighMarkAndResumesAtTheLow() throws Exception {
        Future<Transport> serverSide = loop.createFuture();
        Server server = run(loop.createServer(() -> new Protocol() {
            @Override
            public void connectionMade(Transport transport) {
                transport.pauseReading();
                assertFalse(transport.isReading());
                serverSide.setResult(transport);
            }
        }, "127.0.0.1", 0));
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 1), "127.0.0.1", port(server)));
        Transport t = c.transport();
        t.setWriteBufferLimits(100_000, 10_000);
        assertEquals(100_000, t.getWriteBufferHighLimit());
        assertEquals(10_000, t.getWriteBufferLowLimit());
        assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(1, 2));
        byte[] chunk = new byte[64 * 1024];
        while (c.protocol().pauses == 0) {
            t.write(chunk);
        }
        assertTrue(t.getWriteBufferSize() > 100_000);
        assertEquals(0, c.protocol().resumes);
        Transport st = run(serverSide);
        st.resumeReading();
        while (c.protocol().resumes == 0) {
            pause(0.001);
        }
        assertTrue(t.getWriteBufferSize() <= 10_000, "resumed at " + t.getWriteBufferSize());
        t.abort();
        run(c.protocol().lost);
        server.close();
        server.closeClients();
        run(server.waitClosed());
    }

    @Test
    void aPeerResetMidWriteIsConnectionLostWithTheError() throws Exception {
        Future<Socket> accepted = loop.createFuture();
        try (Socket listener = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            listener.listen();
            loop.sockAccept(listener).addDoneCallback(f -> accepted.setResult(f.result()));
            Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, Integer.MAX_VALUE),
                    ConnectOptions.to("127.0.0.1", ((InetSocketAddress) listener.localAddress()).getPort())));
            Socket peer = run(accepted);
            peer.setOption(StandardSocketOptions.SO_LINGER, 0);
            byte[] chunk = new byte[1 << 20];
            while (c.transport().getWriteBufferSize() == 0) {
                c.transport().write(chunk);
            }
            peer.close();
            Throwable exc = run(c.protocol().lost);
            assertInstanceOf(java.net.SocketException.class, exc, String.valueOf(exc));
        }
    }

    @Test
    void bufferedProtocolReadsIntoItsOwnBuffer() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = echoServer(made);
        Future<String> got = loop.createFuture();
        ByteBuffer mine = ByteBuffer.allocate(64);
        Future<Void> lost = loop.createFuture();
        Connection<BufferedProtocol> c = run(loop.createConnection(() -> new BufferedProtocol() {
            @Override
            public ByteBuffer getBuffer(int sizeHint) {
                return mine;
            }

            @Override
            public void bufferUpdated(int nbytes) {
                mine.position(mine.position() + nbytes);
                if (mine.position() == 8) {
                    got.setResult(new String(mine.array(), 0, 8, StandardCharsets.US_ASCII));
                }
            }

            @Override
            public void connectionLost(Throwable exc) {
                lost.setResult(null);
            }
        }, "127.0.0.1", port(server)));
        c.transport().write(bytes("buffered"));
        assertEquals("buffered", run(got));
        c.transport().close();
        run(lost);
        server.close();
        run(server.waitClosed());
    }

    @Test
    void aProtocolThatThrowsInDataReceivedIsReportedAndClosed() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = echoServer(made);
        Future<Throwable> lost = loop.createFuture();
        Connection<Protocol> c = run(loop.createConnection(() -> new Protocol() {
            @Override
            public void dataReceived(ByteBuffer data) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void connectionLost(Throwable exc) {
                lost.setResult(exc);
            }
        }, "127.0.0.1", port(server)));
        c.transport().write(bytes("x"));
        Throwable exc = run(lost);
        assertEquals("boom", exc.getMessage());
        assertTrue(reported.stream().anyMatch(r -> r.get("exception") == exc), "reported: " + reported);
        reported.clear();
        server.close();
        run(server.waitClosed());
    }

    // ---- servers ----

    @Test
    void serverWaitClosedWaitsForTheLastConnection() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = echoServer(made);
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 1), "127.0.0.1", port(server)));
        c.transport().write(bytes("x"));
        run(c.protocol().done);
        server.close();
        Future<Void> closed = server.waitClosed();
        pause(0.01);
        assertFalse(closed.done(), "a connection is still open");
        c.transport().close();
        run(closed);
        assertTrue(server.sockets().isEmpty());
    }

    @Test
    void serverStartServingLaterAndServeForever() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = run(loop.createServer(() -> {
            Echo e = new Echo(loop);
            made.add(e);
            return e;
        }, ServerOptions.on("127.0.0.1", 0).startServing(false)));
        assertFalse(server.isServing());
        assertEquals(1, server.sockets().size());
        Future<Void> forever = server.serveForever();
        assertThrows(IllegalStateException.class, server::serveForever);
        assertTrue(server.isServing());
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 2), "127.0.0.1", port(server)));
        c.transport().write(bytes("ok"));
        assertArrayEquals(bytes("ok"), run(c.protocol().done));
        server.close();
        assertTrue(forever.cancelled(), "close cancels serveForever");
        c.transport().close();
        run(server.waitClosed());
        run(c.protocol().lost);
    }

    @Test
    void closeClientsAndAbortClients() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = echoServer(made);
        Connection<Collect> a = run(loop.createConnection(() -> new Collect(loop, 1), "127.0.0.1", port(server)));
        Connection<Collect> b = run(loop.createConnection(() -> new Collect(loop, 1), "127.0.0.1", port(server)));
        while (made.size() < 2) {
            pause(0.001);
        }
        server.close();
        server.closeClients();
        run(a.protocol().lost);
        run(b.protocol().lost);
        run(server.waitClosed());
    }

    @Test
    void reusePortLetsTwoServersShareAPort() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server first = run(loop.createServer(() -> new Echo(loop), ServerOptions.on("127.0.0.1", 0).reusePort(true)));
        int port = port(first);
        Server second = run(loop.createServer(() -> {
            Echo e = new Echo(loop);
            made.add(e);
            return e;
        }, ServerOptions.on("127.0.0.1", port).reusePort(true)));
        assertEquals(port, port(second));
        first.close();
        second.close();
        run(first.waitClosed());
        run(second.waitClosed());
    }

    @Test
    void bindingAPortInUseIsBindException() throws Exception {
        Server first = run(loop.createServer(() -> new Echo(loop), "127.0.0.1", 0));
        try {
            Exception e = assertThrows(Exception.class, () -> run(loop.createServer(() -> new Echo(loop),
                    ServerOptions.on("127.0.0.1", port(first)).reuseAddress(false))));
            assertInstanceOf(java.net.BindException.class, e, e.toString());
        } finally {
            first.close();
            run(first.waitClosed());
        }
    }

    @Test
    void serverOnEveryInterfaceListensOnBothFamilies() throws Exception {
        Server server = run(loop.createServer(() -> new Echo(loop), null, 0));
        try {
            assertFalse(server.sockets().isEmpty());
            int port = port(server);
            Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 2), "127.0.0.1",
                    ((InetSocketAddress) server.sockets().getLast().localAddress()).getPort()));
            c.transport().write(bytes("v4"));
            assertArrayEquals(bytes("v4"), run(c.protocol().done));
            c.transport().close();
            run(c.protocol().lost);
            assertTrue(port > 0);
        } finally {
            server.close();
            run(server.waitClosed());
        }
    }

    @Test
    void ipv6Loopback() throws Exception {
        Server server;
        try {
            server = run(loop.createServer(() -> new Echo(loop), "::1", 0));
        } catch (Exception e) {
            assumeTrue(false, "no IPv6 loopback here: " + e);
            return;
        }
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 2), "::1", port(server)));
        c.transport().write(bytes("v6"));
        assertArrayEquals(bytes("v6"), run(c.protocol().done));
        c.transport().close();
        run(c.protocol().lost);
        server.close();
        run(server.waitClosed());
    }

    @Test
    void unixServerOnAPathRemovesAStaleSocketFile() throws Exception {
        Path dir = Files.createTempDirectory("jasyncio-unix");
        Path path = dir.resolve("echo.sock");
        try {
            for (int round = 0; round < 2; round++) {
                Server server = run(loop.createUnixServer(() -> new Echo(loop), path.toString()));
                Connection<Collect> c = run(loop.createUnixConnection(() -> new Collect(loop, 4), path.toString()));
                c.transport().write(bytes("unix"));
                assertArrayEquals(bytes("unix"), run(c.protocol().done));
                assertEquals(UnixDomainSocketAddress.of(path), c.transport().getExtraInfo("peername"));
                c.transport().close();
                run(c.protocol().lost);
                server.close();
                run(server.waitClosed());
                assertTrue(Files.exists(path), "the socket file stays, as in asyncio; the next round replaces it");
            }
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void unixServerOnAnAbstractName() throws Exception {
        assumeTrue(epoll(), "the JDK has no abstract Unix names");
        String name = "\0jasyncio-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Server server = run(loop.createUnixServer(() -> new Echo(loop), name));
        Connection<Collect> c = run(loop.createUnixConnection(() -> new Collect(loop, 3), name));
        c.transport().write(bytes("abs"));
        assertArrayEquals(bytes("abs"), run(c.protocol().done));
        c.transport().close();
        run(c.protocol().lost);
        server.close();
        run(server.waitClosed());
    }

    @Test
    void oneGibibyteThroughAnEchoServerWithASlowReader() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = echoServer(made);
        long total = 1L << 30;
        CRC32C sent = new CRC32C();
        CRC32C received = new CRC32C();
        Future<Long> got = loop.createFuture();
        Future<Void> lost = loop.createFuture();
        long[] count = {0};
        int[] reads = {0};
        Connection<Protocol> c = run(loop.createConnection(() -> new Protocol() {
            Transport t;

            @Override
            public void connectionMade(Transport transport) {
                t = transport;
            }

            @Override
            public void dataReceived(ByteBuffer data) {
                count[0] += data.remaining();
                received.update(data);
                // A deliberately slow reader: pause now and then, resume from a later callback.
                if (++reads[0] % 64 == 0) {
                    t.pauseReading();
                    loop.callLater(0.0005, t::resumeReading);
                }
                if (count[0] == total) {
                    got.setResult(count[0]);
                }
            }

            @Override
            public void connectionLost(Throwable exc) {
                lost.setResult(null);
            }
        }, "127.0.0.1", port(server)));
        Transport t = c.transport();
        byte[] block = new byte[256 * 1024];
        ThreadLocalRandom.current().nextBytes(block);
        long[] written = {0};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (written[0] < total && t.getWriteBufferSize() < 1 << 20) {
                t.write(block);
                sent.update(block);
                written[0] += block.length;
            }
            if (written[0] < total) {
                loop.callLater(0.0002, pump[0]);
            }
        };
        loop.callSoon(pump[0]);
        assertEquals(total, run(got));
        assertEquals(sent.getValue(), received.getValue());
        t.close();
        run(lost);
        server.close();
        run(server.waitClosed());
    }

    @Test
    void aThousandConnectionsOnOneLoop() throws Exception {
        List<Echo> made = new ArrayList<>();
        Server server = echoServer(made);
        int port = port(server);
        List<Future<Connection<Collect>>> connecting = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            connecting.add(loop.createConnection(() -> new Collect(loop, 4), "127.0.0.1", port));
        }
        List<Connection<Collect>> conns = new ArrayList<>();
        for (Future<Connection<Collect>> f : connecting) {
            conns.add(run(f));
        }
        for (Connection<Collect> c : conns) {
            c.transport().write(bytes("1000"));
        }
        for (Connection<Collect> c : conns) {
            assertArrayEquals(bytes("1000"), run(c.protocol().done));
        }
        assertEquals(1000, made.size());
        server.close();
        for (Connection<Collect> c : conns) {
            c.transport().close();
        }
        run(server.waitClosed());
    }

    // ---- interop with clients nobody here wrote ----

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command} with {@code input} on its stdin while the loop runs; returns its stdout. */
    String runClient(String input, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        try {
            Future<String> out = loop.runInExecutor(null, () -> {
                try (var stdin = p.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
                String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new AssertionError(String.join(" ", command) + " did not exit");
                }
                return text;
            });
            String text = run(out);
            assertEquals(0, p.exitValue(), String.join(" ", command) + " said: " + text);
            return text;
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void echoServerAnswersPythonsAsyncioClient() throws Exception {
        assumeTrue(onPath("python3"), "python3 is not installed");
        Server server = echoServer(new ArrayList<>());
        try {
            String script = String.join("\n",
                    "import asyncio, sys",
                    "async def main():",
                    "    r, w = await asyncio.open_connection('127.0.0.1', int(sys.argv[1]))",
                    "    for i in range(3):",
                    "        w.write(b'line %d from python\\n' % i)",
                    "        await w.drain()",
                    "        print((await r.readline()).decode().strip())",
                    "    w.write_eof()",
                    "    print('eof' if await r.read() == b'' else 'no eof')",
                    "    w.close()",
                    "    await w.wait_closed()",
                    "asyncio.run(main())");
            String out = runClient("", "python3", "-c", script, Integer.toString(port(server)));
            assertEquals("line 0 from python\nline 1 from python\nline 2 from python\neof\n", out);
        } finally {
            server.close();
            run(server.waitClosed());
        }
    }

    @Test
    void echoServerAnswersNetcat() throws Exception {
        assumeTrue(onPath("nc"), "nc is not installed");
        Server server = echoServer(new ArrayList<>());
        try {
            String out = runClient("hello netcat\nsecond line\n", "nc", "-N", "127.0.0.1",
                    Integer.toString(port(server)));
            assertEquals("hello netcat\nsecond line\n", out);
        } finally {
            server.close();
            run(server.waitClosed());
        }
    }

    @Test
    void echoServerAnswersSocat() throws Exception {
        assumeTrue(onPath("socat"), "socat is not installed");
        Server server = echoServer(new ArrayList<>());
        try {
            String out = runClient("through socat\n", "socat", "-t", "5", "-", "TCP:127.0.0.1:" + port(server));
            assertEquals("through socat\n", out);
        } finally {
            server.close();
            run(server.waitClosed());
        }
    }

    @Test
    void tenThousandTimersNoneBeforeItsTime() throws Exception {
        int n = 10_000;
        int[] early = {0};
        int[] fired = {0};
        Future<Void> all = loop.createFuture();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < n; i++) {
            double delay = random.nextInt(50) / 1000.0;
            double when = loop.time() + delay;
            TimerHandle[] h = new TimerHandle[1];
            h[0] = loop.callAt(when, () -> {
                if (loop.time() < h[0].when()) {
                    early[0]++;
                }
                if (++fired[0] == n) {
                    all.setResult(null);
                }
            });
        }
        run(all);
        assertEquals(0, early[0]);
    }

    @Test
    void acceptingAtTheDescriptorLimitNeitherSpinsNorDiesAndRecovers() throws Exception {
        LibC libc = LibC.INSTANCE;
        long[] saved = new long[2];
        assertEquals(0, libc.getrlimit(LibC.RLIMIT_NOFILE, saved));
        List<Echo> made = new ArrayList<>();
        Server server = echoServer(made);
        int port = port(server);
        List<java.nio.channels.FileChannel> fillers = new ArrayList<>();
        List<java.net.Socket> clients = new ArrayList<>();
        try {
            // Warm up every class the accept path loads: with no descriptor left, loading a class
            // from the build's classes directory would fail.
            try (java.net.Socket warm = new java.net.Socket(LOOPBACK, port)) {
                warm.getOutputStream().write(bytes("warm"));
                Future<Void> echoed = loop.runInExecutor(null, () -> {
                    warm.getInputStream().readNBytes(4);
                    return null;
                });
                run(echoed);
            }
            pause(0.01);
            made.clear();
            for (int i = 0; i < 3; i++) {
                // Blocking JDK clients: the kernel completes their handshakes into the backlog.
                clients.add(new java.net.Socket(LOOPBACK, port));
            }
            long open;
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                open = fds.count();
            }
            assertEquals(0, libc.setrlimit(LibC.RLIMIT_NOFILE, new long[] {open + 20, saved[1]}));
            try {
                while (true) {
                    fillers.add(java.nio.channels.FileChannel.open(Path.of("/dev/null")));
                }
            } catch (IOException expected) {
                // the table is full
            }
            try {
                pause(0.3);
            } finally {
                libc.setrlimit(LibC.RLIMIT_NOFILE, saved);
            }
            long outOfResource = reported.stream().filter(message("out of system resource")).count();
            assertEquals(1, outOfResource, "one report, then a pause (no spinning): " + reported);
            assertEquals(0, made.size());
            for (var f : fillers) {
                f.close();
            }
            fillers.clear();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (made.size() < 3 && System.nanoTime() < deadline) {
                pause(0.05);
            }
            assertEquals(3, made.size(), "accepted after the descriptors came back");
            for (java.net.Socket c : clients) {
                c.getOutputStream().write(bytes("back"));
                assertArrayEquals(bytes("back"), run(loop.runInExecutor(null, () -> c.getInputStream().readNBytes(4))));
            }
            reported.clear();
        } finally {
            libc.setrlimit(LibC.RLIMIT_NOFILE, saved);
            for (var f : fillers) {
                f.close();
            }
            for (java.net.Socket c : clients) {
                c.close();
            }
            server.close();
            run(server.waitClosed());
        }
    }

    // ---- idle strategies ----

    void echoUnder(IdleStrategy strategy) throws Exception {
        loop.setIdleStrategy(strategy);
        assertEquals(strategy, loop.getIdleStrategy());
        List<Echo> made = new ArrayList<>();
        Server server = echoServer(made);
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 4), "127.0.0.1", port(server)));
        c.transport().write(bytes("idle"));
        assertArrayEquals(bytes("idle"), run(c.protocol().done));
        // A timer fires, not before its time, and a post from another thread gets in.
        double start = loop.time();
        pause(0.02);
        assertTrue(loop.time() - start >= 0.02);
        Future<String> posted = loop.createFuture();
        Thread t = new Thread(() -> loop.callSoonThreadsafe(() -> posted.setResult("posted")));
        loop.callSoon(t::start);
        assertEquals("posted", run(posted));
        t.join();
        c.transport().close();
        run(c.protocol().lost);
        server.close();
        run(server.waitClosed());
        loop.setIdleStrategy(IdleStrategy.block());
    }

    @Test
    void echoUnderEveryIdleStrategy() throws Exception {
        echoUnder(IdleStrategy.spin(100));
        echoUnder(IdleStrategy.busySpin());
        echoUnder(IdleStrategy.block());
        assertThrows(IllegalArgumentException.class, () -> IdleStrategy.spin(0));
        assertThrows(NullPointerException.class, () -> loop.setIdleStrategy(null));
    }

    @Test
    void aBusySpinningLoopStillStopsAndSleepsOnTime() throws Exception {
        loop.setIdleStrategy(IdleStrategy.busySpin());
        double start = loop.time();
        pause(0.05);
        assertTrue(loop.time() - start >= 0.05);
        loop.callSoon(loop::stop);
        loop.runForever();
        loop.setIdleStrategy(IdleStrategy.block());
    }

    @Test
    void aUsersOwnServerSocketChannelServesOnEveryLoop() throws Exception {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress(LOOPBACK, 0));
        List<Echo> made = new ArrayList<>();
        Server server = run(loop.createServer(() -> {
            Echo e = new Echo(loop);
            made.add(e);
            return e;
        }, new ServerOptions().sock(Socket.wrap(channel))));
        Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 4), "127.0.0.1",
                ((InetSocketAddress) channel.getLocalAddress()).getPort()));
        c.transport().write(bytes("mine"));
        assertArrayEquals(bytes("mine"), run(c.protocol().done));
        c.transport().close();
        run(c.protocol().lost);
        server.close();
        run(server.waitClosed());
        assertFalse(channel.isOpen(), "the server owns the socket");
    }

    // ---- name resolution ----

    @Test
    void getaddrinfoOfANumericHostNeedsNoResolver() throws Exception {
        List<AddressInfo> infos = run(loop.getaddrinfo("127.0.0.1", 80, null, null));
        assertEquals(1, infos.size());
        AddressInfo info = infos.getFirst();
        assertEquals(Socket.Family.INET, info.family());
        assertEquals(Socket.Type.STREAM, info.type());
        assertEquals(6, info.protocol());
        assertEquals(new InetSocketAddress("127.0.0.1", 80), info.address());
        List<AddressInfo> v6 = run(loop.getaddrinfo("::1", 53, null, Socket.Type.DGRAM));
        assertEquals(Socket.Family.INET6, v6.getFirst().family());
        assertEquals(17, v6.getFirst().protocol());
        Exception e = assertThrows(Exception.class, () -> run(loop.getaddrinfo("127.0.0.1", 80,
                Socket.Family.INET6, null)));
        assertInstanceOf(java.net.UnknownHostException.class, e);
        assertThrows(IllegalArgumentException.class, () -> loop.getaddrinfo("127.0.0.1", -1, null, null));
    }

    @Test
    void getaddrinfoOfLocalhostResolvesOffTheLoop() throws Exception {
        List<AddressInfo> infos = run(loop.getaddrinfo("localhost", 8080, null, null));
        assertFalse(infos.isEmpty());
        for (AddressInfo info : infos) {
            assertTrue(info.address().getAddress().isLoopbackAddress(), info.toString());
            assertEquals(8080, info.address().getPort());
        }
        Exception e = assertThrows(Exception.class, () -> run(loop.getaddrinfo("no-such-host.invalid", 80, null,
                null)));
        assertInstanceOf(java.net.UnknownHostException.class, e);
    }

    @Test
    void getnameinfoGivesHostAndPort() throws Exception {
        NameInfo numeric = run(loop.getnameinfo(new InetSocketAddress("127.0.0.1", 8080), true));
        assertEquals(new NameInfo("127.0.0.1", "8080"), numeric);
        NameInfo named = run(loop.getnameinfo(new InetSocketAddress("127.0.0.1", 8080), false));
        assertEquals("8080", named.port());
        assertFalse(named.host().isEmpty());
    }

    @Test
    void aServerOnSeveralHostsListensOnEach() throws Exception {
        Server server = run(loop.createServer(() -> new Echo(loop), ServerOptions.on(null, 0)
                .hosts(List.of("127.0.0.1", "127.0.0.2"))));
        try {
            assertEquals(2, server.sockets().size());
            for (Socket sock : server.sockets()) {
                InetSocketAddress a = (InetSocketAddress) sock.localAddress();
                Connection<Collect> c = run(loop.createConnection(() -> new Collect(loop, 2),
                        a.getAddress().getHostAddress(), a.getPort()));
                c.transport().write(bytes("ok"));
                assertArrayEquals(bytes("ok"), run(c.protocol().done));
                c.transport().close();
                run(c.protocol().lost);
            }
        } finally {
            server.close();
            run(server.waitClosed());
        }
    }

    @Test
    void sockCallsFromAnotherThreadAreRefused() throws Exception {
        Socket[] pair = Socket.socketpair(loop);
        try {
            Future<Throwable> refused = loop.createFuture();
            loop.callSoon(() -> {
                Thread t = new Thread(() -> {
                    Throwable got = null;
                    try {
                        loop.sockRecv(pair[0], 1);
                    } catch (Throwable e) {
                        got = e;
                    }
                    Throwable result = got;
                    loop.callSoonThreadsafe(() -> refused.setResult(result));
                });
                t.start();
            });
            assertInstanceOf(IllegalStateException.class, run(refused));
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }
}

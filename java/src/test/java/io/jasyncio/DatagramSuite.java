package io.jasyncio;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

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
 * Datagram endpoints (asyncio's {@code create_datagram_endpoint} and
 * {@code _SelectorDatagramTransport}) and the {@code sock_sendto}/{@code sock_recvfrom} calls, on
 * real loopback and Unix sockets. Java-form differences from asyncio: addresses are
 * {@link SocketAddress}es (an unresolved {@link InetSocketAddress} is resolved), ValueError is
 * IllegalArgumentException, OSError is IOException. Unix datagram endpoints need the epoll loop.
 */
abstract class DatagramSuite extends LoopTestBase {

    static final InetSocketAddress ANY_V4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** A protocol that records what reaches it and lets a test wait for the next event. */
    final class Recorder implements DatagramProtocol {
        DatagramTransport transport;
        final Future<Void> made = loop.createFuture();
        final Future<Throwable> lost = loop.createFuture();
        int lostCalls;
        int pauses;
        int resumes;
        final ArrayDeque<Datagram> datagrams = new ArrayDeque<>();
        final List<IOException> errors = new ArrayList<>();
        Future<Void> next;
        boolean echo;

        @Override
        public void connectionMade(DatagramTransport transport) {
            this.transport = transport;
            made.setResult(null);
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            assertTrue(data.isReadOnly());
            if (echo) {
                transport.sendto(data.duplicate(), address);
            }
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            datagrams.add(new Datagram(bytes, address));
            wake();
        }

        @Override
        public void errorReceived(IOException exc) {
            errors.add(exc);
            wake();
        }

        @Override
        public void pauseWriting() {
            pauses++;
        }

        @Override
        public void resumeWriting() {
            resumes++;
            wake();
        }

        @Override
        public void connectionLost(Throwable exc) {
            lostCalls++;
            lost.setResult(exc);
        }

        private void wake() {
            if (next != null && !next.done()) {
                next.setResult(null);
            }
        }

        /** Runs the loop until a datagram is there, and takes it. */
        Datagram receive() {
            while (datagrams.isEmpty()) {
                next = loop.createFuture();
                run(next);
            }
            return datagrams.poll();
        }

        IOException error() {
            while (errors.isEmpty()) {
                next = loop.createFuture();
                run(next);
            }
            return errors.removeFirst();
        }
    }

    /** Runs the callbacks that are ready now, and the ones they schedule, for a few passes. */
    void spin() {
        for (int i = 0; i < 3; i++) {
            loop.callSoon(loop::stop);
            loop.runForever();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    DatagramEndpoint<Recorder> endpoint(DatagramOptions options) {
        return run(loop.createDatagramEndpoint(Recorder::new, options));
    }

    void closeAndWait(DatagramEndpoint<Recorder> e) {
        e.transport().close();
        assertNull(run(e.protocol().lost));
        assertEquals(1, e.protocol().lostCalls);
    }

    private void echo(InetSocketAddress local) {
        DatagramEndpoint<Recorder> server = endpoint(new DatagramOptions().localAddr(local));
        server.protocol().echo = true;
        SocketAddress serverAddr = (SocketAddress) server.transport().getExtraInfo("sockname");
        assertInstanceOf(InetSocketAddress.class, serverAddr);
        assertTrue(((InetSocketAddress) serverAddr).getPort() > 0);
        assertNull(server.transport().getExtraInfo("peername"));
        assertInstanceOf(Socket.class, server.transport().getExtraInfo("socket"));

        DatagramEndpoint<Recorder> client = endpoint(new DatagramOptions().remoteAddr(serverAddr));
        assertEquals(serverAddr, client.transport().getExtraInfo("peername"));
        client.transport().sendto(bytes("hello"), null);
        client.transport().sendto(ByteBuffer.wrap(bytes("world")), serverAddr);
        Datagram first = client.protocol().receive();
        Datagram second = client.protocol().receive();
        assertEquals("hello", text(first.data()));
        assertEquals("world", text(second.data()));
        assertEquals(serverAddr, first.address());
        Datagram atServer = server.protocol().receive();
        assertEquals(client.transport().getExtraInfo("sockname"), atServer.address());
        assertEquals(0, client.transport().getWriteBufferSize());
        closeAndWait(client);
        closeAndWait(server);
        assertTrue(((Socket) server.transport().getExtraInfo("socket")).isClosed());
    }

    @Test
    void udpEchoOverIpv4Loopback() {
        echo(ANY_V4);
    }

    @Test
    void udpEchoOverIpv6Loopback() throws IOException {
        InetAddress v6 = InetAddress.getByName("::1");
        try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(v6, 0));
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e);
        }
        echo(new InetSocketAddress(v6, 0));
    }

    @Test
    void anUnresolvedAddressIsResolvedAndTheFamilyFollowsIt() {
        DatagramEndpoint<Recorder> server = endpoint(
                new DatagramOptions().localAddr(InetSocketAddress.createUnresolved("127.0.0.1", 0)));
        InetSocketAddress addr = (InetSocketAddress) server.transport().getExtraInfo("sockname");
        assertEquals("127.0.0.1", addr.getAddress().getHostAddress());
        assertEquals(Socket.Family.INET, ((Socket) server.transport().getExtraInfo("socket")).family());
        closeAndWait(server);
    }

    @Test
    void aConnectedEndpointTakesNullOrItsPeerAndRefusesAnotherAddress() {
        DatagramEndpoint<Recorder> server = endpoint(new DatagramOptions().localAddr(ANY_V4));
        InetSocketAddress serverAddr = (InetSocketAddress) server.transport().getExtraInfo("sockname");
        DatagramEndpoint<Recorder> client = endpoint(new DatagramOptions().remoteAddr(serverAddr));
        DatagramTransport t = client.transport();
        InetSocketAddress other = new InetSocketAddress(serverAddr.getAddress(), serverAddr.getPort() == 9 ? 10 : 9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.sendto(bytes("x"), other));
        assertTrue(e.getMessage().contains("Invalid address"), e.getMessage());
        t.sendto(bytes("a"), null);
        t.sendto(bytes("b"), serverAddr);
        assertEquals("a", text(server.protocol().receive().data()));
        assertEquals("b", text(server.protocol().receive().data()));
        assertFalse(t.isClosing());
        closeAndWait(client);
        closeAndWait(server);
    }

    @Test
    void anUnconnectedEndpointNeedsAnAddress() {
        DatagramEndpoint<Recorder> e = endpoint(new DatagramOptions().localAddr(ANY_V4));
        assertThrows(IllegalArgumentException.class, () -> e.transport().sendto(bytes("x"), null));
        assertThrows(IllegalArgumentException.class,
                () -> e.transport().sendto(bytes("x"), InetSocketAddress.createUnresolved("localhost", 9)));
        closeAndWait(e);
    }

    @Test
    void anIcmpErrorReachesErrorReceivedAndTheEndpointStaysOpen() throws IOException {
        // A port nobody listens on: bind one, note it, close it.
        InetSocketAddress closed;
        try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open()) {
            probe.bind(ANY_V4);
            closed = (InetSocketAddress) probe.getLocalAddress();
        }
        DatagramEndpoint<Recorder> client = endpoint(new DatagramOptions().remoteAddr(closed));
        client.transport().sendto(bytes("anyone?"), null);
        IOException error = client.protocol().error();
        // ECONNREFUSED: ConnectException from the C core, PortUnreachableException from the JDK.
        assertTrue(error instanceof java.net.ConnectException || error instanceof java.net.PortUnreachableException,
                error.toString());
        assertFalse(client.transport().isClosing());
        assertEquals(0, client.protocol().lostCalls);
        // Still usable: the next send is tried (and refused again, to errorReceived).
        client.transport().sendto(bytes("again"), null);
        client.protocol().error();
        closeAndWait(client);
        assertTrue(reported.isEmpty(), reported.toString());
    }

    @Test
    void allowBroadcastSetsSoBroadcast() throws IOException {
        DatagramEndpoint<Recorder> e = endpoint(new DatagramOptions().localAddr(ANY_V4).allowBroadcast(true));
        Socket sock = (Socket) e.transport().getExtraInfo("socket");
        assertTrue(sock.getOption(StandardSocketOptions.SO_BROADCAST));
        DatagramEndpoint<Recorder> plain = endpoint(new DatagramOptions().localAddr(ANY_V4));
        assertFalse(((Socket) plain.transport().getExtraInfo("socket")).getOption(StandardSocketOptions.SO_BROADCAST));
        closeAndWait(e);
        closeAndWait(plain);
    }

    @Test
    void allowBroadcastWithARemoteAddressSendsThereWithoutConnecting() {
        DatagramEndpoint<Recorder> server = endpoint(new DatagramOptions().localAddr(ANY_V4));
        SocketAddress serverAddr = (SocketAddress) server.transport().getExtraInfo("sockname");
        DatagramEndpoint<Recorder> client = endpoint(
                new DatagramOptions().remoteAddr(serverAddr).allowBroadcast(true).localAddr(ANY_V4));
        assertNull(client.transport().getExtraInfo("peername"));
        client.transport().sendto(bytes("b"), null);
        assertEquals("b", text(server.protocol().receive().data()));
        closeAndWait(client);
        closeAndWait(server);
    }

    @Test
    void reusePortLetsTwoEndpointsShareAPort() throws IOException {
        DatagramEndpoint<Recorder> a = endpoint(new DatagramOptions().localAddr(ANY_V4).reusePort(true));
        InetSocketAddress addr = (InetSocketAddress) a.transport().getExtraInfo("sockname");
        DatagramEndpoint<Recorder> b = endpoint(new DatagramOptions().localAddr(addr).reusePort(true));
        assertEquals(addr, b.transport().getExtraInfo("sockname"));
        assertTrue(((Socket) b.transport().getExtraInfo("socket")).getOption(StandardSocketOptions.SO_REUSEPORT));
        // Without the flag the port is taken.
        Future<DatagramEndpoint<Recorder>> third = loop.createDatagramEndpoint(Recorder::new,
                new DatagramOptions().localAddr(addr));
        assertThrows(java.net.BindException.class, () -> run(third));
        closeAndWait(a);
        closeAndWait(b);
    }

    @Test
    void aGivenSocketIsUsedAsItIs() throws IOException {
        Socket sock = Socket.open(loop, Socket.Family.INET, Socket.Type.DGRAM);
        sock.bind(ANY_V4);
        DatagramEndpoint<Recorder> e = endpoint(new DatagramOptions().sock(sock));
        assertSame(sock, e.transport().getExtraInfo("socket"));
        assertEquals(sock.localAddress(), e.transport().getExtraInfo("sockname"));
        DatagramEndpoint<Recorder> peer = endpoint(new DatagramOptions().remoteAddr(sock.localAddress()));
        peer.transport().sendto(bytes("to the given socket"), null);
        assertEquals("to the given socket", text(e.protocol().receive().data()));
        closeAndWait(peer);
        closeAndWait(e);
        assertTrue(sock.isClosed());
    }

    @Test
    void aGivenSocketRefusesAddressesAndStreamSockets() throws IOException {
        try (Socket sock = Socket.open(loop, Socket.Family.INET, Socket.Type.DGRAM);
                Socket stream = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.createDatagramEndpoint(Recorder::new, new DatagramOptions().sock(sock).localAddr(ANY_V4)));
            assertTrue(e.getMessage().contains("localAddr"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> loop.createDatagramEndpoint(Recorder::new, new DatagramOptions().sock(sock).reusePort(true)));
            assertThrows(IllegalArgumentException.class,
                    () -> loop.createDatagramEndpoint(Recorder::new, new DatagramOptions().sock(stream)));
        }
    }

    @Test
    void noAddressNeedsAFamily() {
        assertThrows(IllegalArgumentException.class,
                () -> loop.createDatagramEndpoint(Recorder::new, new DatagramOptions()));
        DatagramEndpoint<Recorder> e = endpoint(new DatagramOptions().family(Socket.Family.INET));
        assertEquals(Socket.Family.INET, ((Socket) e.transport().getExtraInfo("socket")).family());
        closeAndWait(e);
    }

    @Test
    void connectionMadeRunsBeforeTheFutureCompletes() {
        List<String> order = new ArrayList<>();
        Future<DatagramEndpoint<DatagramProtocol>> f = loop.createDatagramEndpoint(() -> new DatagramProtocol() {
            @Override
            public void connectionMade(DatagramTransport transport) {
                order.add("connectionMade");
            }
        }, new DatagramOptions().localAddr(ANY_V4));
        f.addDoneCallback(x -> order.add("done"));
        DatagramEndpoint<DatagramProtocol> e = run(f);
        spin();
        assertEquals(List.of("connectionMade", "done"), order);
        e.transport().close();
        spin();
    }

    @Test
    void abortCallsConnectionLostOnceAndDropsNothingSilently() {
        DatagramEndpoint<Recorder> e = endpoint(new DatagramOptions().localAddr(ANY_V4));
        e.transport().abort();
        assertTrue(e.transport().isClosing());
        e.transport().close();
        assertNull(run(e.protocol().lost));
        assertEquals(1, e.protocol().lostCalls);
        // A send after the loss is dropped, as asyncio drops it.
        e.transport().sendto(bytes("late"), ANY_V4);
    }

    @Test
    void aProtocolThatThrowsIsReportedAndClosesTheEndpoint() {
        DatagramEndpoint<Recorder> server = endpoint(new DatagramOptions().localAddr(ANY_V4));
        SocketAddress serverAddr = (SocketAddress) server.transport().getExtraInfo("sockname");
        Future<Throwable> lost = loop.createFuture();
        DatagramEndpoint<DatagramProtocol> bad = run(loop.createDatagramEndpoint(() -> new DatagramProtocol() {
            @Override
            public void datagramReceived(ByteBuffer data, SocketAddress address) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void connectionLost(Throwable exc) {
                lost.setResult(exc);
            }
        }, new DatagramOptions().localAddr(ANY_V4)));
        server.transport().sendto(bytes("x"), (SocketAddress) bad.transport().getExtraInfo("sockname"));
        Throwable exc = run(lost);
        assertEquals("boom", exc.getMessage());
        assertTrue(reported.stream().anyMatch(r -> String.valueOf(r.get("message")).contains("datagramReceived")));
        closeAndWait(server);
        assertNotNull(serverAddr);
    }

    // ---- Unix datagrams ----

    private Path tempDir() throws IOException {
        return Files.createTempDirectory("jasyncio-dgram");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Test
    void unixDatagramsOverPathsAndAStaleSocketFileIsReplaced() throws IOException {
        assumeTrue(backend() == SelectorEventLoop.Backend.EPOLL, "Unix datagrams need the epoll loop");
        Path dir = tempDir();
        try {
            UnixDomainSocketAddress serverPath = UnixDomainSocketAddress.of(dir.resolve("server"));
            UnixDomainSocketAddress clientPath = UnixDomainSocketAddress.of(dir.resolve("client"));
            DatagramEndpoint<Recorder> server = endpoint(new DatagramOptions().localAddr(serverPath));
            server.protocol().echo = true;
            DatagramEndpoint<Recorder> client = endpoint(
                    new DatagramOptions().localAddr(clientPath).remoteAddr(serverPath));
            assertEquals(serverPath, client.transport().getExtraInfo("peername"));
            client.transport().sendto(bytes("over a path"), null);
            Datagram back = client.protocol().receive();
            assertEquals("over a path", text(back.data()));
            assertEquals(serverPath, back.address());
            assertEquals(clientPath, server.protocol().receive().address());
            closeAndWait(client);
            closeAndWait(server);
            // The socket file stays after close; a new endpoint on the path removes it, as asyncio does.
            assertTrue(Files.exists(serverPath.getPath()));
            DatagramEndpoint<Recorder> again = endpoint(new DatagramOptions().localAddr(serverPath));
            closeAndWait(again);
            // A regular file is not a stale socket: it stays, and bind fails.
            Path regular = dir.resolve("regular");
            Files.writeString(regular, "not a socket");
            Future<DatagramEndpoint<Recorder>> refused = loop.createDatagramEndpoint(Recorder::new,
                    new DatagramOptions().localAddr(UnixDomainSocketAddress.of(regular)));
            assertThrows(IOException.class, () -> run(refused));
            assertTrue(Files.exists(regular));
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void unixDatagramsOverAbstractNames() {
        assumeTrue(backend() == SelectorEventLoop.Backend.EPOLL, "Unix datagrams need the epoll loop");
        String name = "jasyncio-dgram-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        SocketAddress serverName = Socket.abstractAddress(name);
        DatagramEndpoint<Recorder> server = endpoint(new DatagramOptions().localAddr(serverName));
        server.protocol().echo = true;
        DatagramEndpoint<Recorder> client = endpoint(new DatagramOptions()
                .localAddr(Socket.abstractAddress(name + "-client")).remoteAddr(serverName));
        client.transport().sendto(bytes("abstract"), null);
        Datagram back = client.protocol().receive();
        assertEquals("abstract", text(back.data()));
        assertEquals(serverName, back.address());
        closeAndWait(client);
        closeAndWait(server);
    }

    @Test
    void theNioLoopHasNoUnixDatagrams() {
        assumeTrue(backend() == SelectorEventLoop.Backend.NIO);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> loop.createDatagramEndpoint(Recorder::new,
                        new DatagramOptions().localAddr(Socket.abstractAddress("jasyncio-nio"))));
        assertTrue(e.getMessage().contains("epoll"), e.getMessage());
    }

    /**
     * A Unix datagram socket whose peer does not read fills up (UDP on loopback never does): the
     * sends queue, flow control pauses the protocol, close waits for the queue, and every
     * datagram arrives before connectionLost.
     */
    @Test
    void closeWithQueuedDatagramsSendsThemFirst() throws Exception {
        assumeTrue(backend() == SelectorEventLoop.Backend.EPOLL, "Unix datagrams need the epoll loop");
        Path dir = tempDir();
        UnixDomainSocketAddress sinkPath = UnixDomainSocketAddress.of(dir.resolve("sink"));
        try (Socket sink = Socket.open(loop, Socket.Family.UNIX, Socket.Type.DGRAM)) {
            sink.bind(sinkPath);
            DatagramEndpoint<Recorder> sender = endpoint(new DatagramOptions().remoteAddr(sinkPath));
            var transport = (io.jasyncio.internal.net.DatagramSocketTransport) sender.transport();
            transport.setWriteBufferLimits(8 * 1024, 2 * 1024);
            int count = 300;
            byte[] payload = new byte[1000];
            for (int i = 0; i < count; i++) {
                payload[0] = (byte) i;
                payload[1] = (byte) (i >> 8);
                transport.sendto(payload, null);
            }
            assertTrue(transport.getWriteBufferSize() > 0, "nothing queued");
            assertEquals(1, sender.protocol().pauses);
            transport.close();
            assertTrue(transport.isClosing());
            spin();
            assertEquals(0, sender.protocol().lostCalls, "connectionLost before the queue drained");
            ByteBuffer buf = ByteBuffer.allocateDirect(2000);
            for (int i = 0; i < count; i++) {
                buf.clear();
                run(loop.sockRecvfromInto(sink, buf));
                assertEquals(1000, buf.position());
                assertEquals(i, (buf.get(0) & 0xff) | (buf.get(1) & 0xff) << 8, "datagram out of order");
            }
            assertNull(run(sender.protocol().lost));
            assertEquals(1, sender.protocol().lostCalls);
            assertEquals(1, sender.protocol().resumes);
            assertEquals(0, transport.getWriteBufferSize());
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void abortDropsQueuedDatagrams() throws Exception {
        assumeTrue(backend() == SelectorEventLoop.Backend.EPOLL, "Unix datagrams need the epoll loop");
        Path dir = tempDir();
        UnixDomainSocketAddress sinkPath = UnixDomainSocketAddress.of(dir.resolve("sink"));
        try (Socket sink = Socket.open(loop, Socket.Family.UNIX, Socket.Type.DGRAM)) {
            sink.bind(sinkPath);
            DatagramEndpoint<Recorder> sender = endpoint(new DatagramOptions().remoteAddr(sinkPath));
            for (int i = 0; i < 300 && sender.transport().getWriteBufferSize() == 0; i++) {
                sender.transport().sendto(new byte[1000], null);
            }
            sender.transport().sendto(new byte[1000], null);
            assertTrue(sender.transport().getWriteBufferSize() > 0);
            sender.transport().abort();
            assertEquals(0, sender.transport().getWriteBufferSize());
            assertNull(run(sender.protocol().lost));
            assertEquals(1, sender.protocol().lostCalls);
        } finally {
            deleteTree(dir);
        }
    }

    // ---- sock_sendto, sock_recvfrom, sock_recvfrom_into ----

    @Test
    void sockSendtoAndSockRecvfrom() throws IOException {
        try (Socket a = Socket.open(loop, Socket.Family.INET, Socket.Type.DGRAM);
                Socket b = Socket.open(loop, Socket.Family.INET, Socket.Type.DGRAM)) {
            a.bind(ANY_V4);
            b.bind(ANY_V4);
            Future<Datagram> receiving = loop.sockRecvfrom(b, 100);
            assertFalse(receiving.done());
            assertEquals(5, run(loop.sockSendto(a, ByteBuffer.wrap(bytes("hello")), b.localAddress())));
            Datagram d = run(receiving);
            assertEquals("hello", text(d.data()));
            assertEquals(a.localAddress(), d.address());

            // A datagram longer than the buffer is cut to it.
            run(loop.sockSendto(b, ByteBuffer.wrap(bytes("0123456789")), a.localAddress()));
            Datagram cut = run(loop.sockRecvfrom(a, 4));
            assertEquals("0123", text(cut.data()));

            // Into a buffer, from its position.
            ByteBuffer heap = ByteBuffer.allocate(16).position(2);
            run(loop.sockSendto(a, ByteBuffer.wrap(bytes("into")), b.localAddress()));
            assertEquals(a.localAddress(), run(loop.sockRecvfromInto(b, heap)));
            assertEquals(6, heap.position());
            assertEquals("into", new String(heap.array(), 2, 4, StandardCharsets.UTF_8));

            // Direct buffers from and into their positions.
            ByteBuffer out = ByteBuffer.allocateDirect(16).put(bytes("xyzdirect")).flip().position(3);
            run(loop.sockSendto(a, out, b.localAddress()));
            assertEquals(9, out.position());
            ByteBuffer direct = ByteBuffer.allocateDirect(16).position(2);
            run(loop.sockRecvfromInto(b, direct));
            assertEquals(8, direct.position());
            byte[] got = new byte[6];
            direct.get(2, got);
            assertEquals("direct", text(got));

            // An empty datagram is a datagram.
            run(loop.sockSendto(a, ByteBuffer.allocate(0), b.localAddress()));
            assertEquals(0, run(loop.sockRecvfrom(b, 10)).data().length);
        }
    }

    @Test
    void aCancelledSockRecvfromStopsWatching() throws IOException {
        try (Socket a = Socket.open(loop, Socket.Family.INET, Socket.Type.DGRAM)) {
            a.bind(ANY_V4);
            Future<Datagram> receiving = loop.sockRecvfrom(a, 10);
            receiving.cancel();
            spin();
            assertFalse(loop.removeReader(a));
        }
    }
}

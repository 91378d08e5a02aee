package io.jasyncio.internal.natives;

import static io.jasyncio.internal.natives.NativeTesting.assertBadFd;
import static io.jasyncio.internal.natives.NativeTesting.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * socket, bind, listen, accept4, connect, getsockname and getpeername on real loopback sockets:
 * TCP over 127.0.0.1 and ::1, Unix sockets by path and by abstract name, and the failures
 * asyncio users meet (refused, address in use, use after close, bad arguments). Each test checks
 * it left no descriptor open.
 */
class SockCreateTest {

    private Loopback net;
    private long fdsBefore;

    @BeforeAll
    static void library() {
        NativeTesting.assumeNativeLibrary();
    }

    @BeforeEach
    void open() throws IOException {
        fdsBefore = NativeTesting.openNativeFds();
        net = new Loopback();
    }

    @AfterEach
    void close() throws IOException {
        net.close();
        assertEquals(fdsBefore, NativeTesting.openNativeFds(), "the test leaked descriptors");
    }

    private static InetSocketAddress loopback(String host) throws IOException {
        if (host.contains(":")) {
            Assumptions.assumeTrue(Loopback.hasIpv6(), "no IPv6 loopback here");
        }
        return new InetSocketAddress(InetAddress.getByName(host), 0);
    }

    /** A connected pair over the listener: bytes both ways, and each side names the other. */
    private void roundTrip(int listener) throws IOException {
        int client = net.connected(listener);
        int server = net.accepted(listener);
        SocketAddress clientSeenByServer = net.lastAddress();
        assertEquals(SockCreate.localAddress(client), clientSeenByServer);
        assertEquals(SockCreate.remoteAddress(server), clientSeenByServer);
        assertEquals(SockCreate.localAddress(listener), SockCreate.remoteAddress(client));
        NativeTesting.assertFlags(client);
        NativeTesting.assertFlags(server);

        assertEquals(SockIo.WOULD_BLOCK, SockIo.recv(server, net.buffer.address(), 64, 0));
        assertEquals(5, SockIo.send(client, net.buffer.address(), net.put("hello"), 0));
        net.waitFor(server, Epoll.EPOLLIN);
        assertEquals(5, SockIo.recv(server, net.buffer.address(), 64, 0));
        assertEquals("hello", net.got(5));
        assertEquals(3, SockIo.send(server, net.buffer.address(), net.put("bye"), 0));
        net.waitFor(client, Epoll.EPOLLIN);
        assertEquals(3, SockIo.recv(client, net.buffer.address(), 64, 0));
        assertEquals("bye", net.got(3));

        net.closeNow(client);
        net.waitFor(server, Epoll.EPOLLIN);
        assertEquals(0, SockIo.recv(server, net.buffer.address(), 64, 0), "end of stream");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void shouldConnectAcceptAndCarryBytesOverTcp(String host) throws IOException {
        InetSocketAddress any = loopback(host);
        int listener = net.listening(any);
        NativeTesting.assertFlags(listener);
        InetSocketAddress local = (InetSocketAddress) SockCreate.localAddress(listener);
        assertEquals(any.getAddress(), local.getAddress());
        assertNotEquals(0, local.getPort(), "the kernel picked a port");
        roundTrip(listener);
    }

    @Test
    void shouldReturnWouldBlockWhenNoConnectionWaits() throws IOException {
        int listener = net.listening(loopback("127.0.0.1"));
        assertEquals(SockCreate.WOULD_BLOCK, SockCreate.accept(listener, 0, 0));
    }

    @Test
    void shouldConnectOverAUnixPath(@TempDir Path dir) throws IOException {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
        int listener = net.listening(path);
        assertTrue(Files.exists(path.getPath()));
        assertEquals(path, SockCreate.localAddress(listener));
        int client = net.connected(listener);
        net.accepted(listener);
        // A client that never bound is unnamed: the empty path, as the JDK shows it.
        assertEquals(UnixDomainSocketAddress.of(""), SockCreate.localAddress(client));
        assertEquals(path, SockCreate.remoteAddress(client));
        net.closeNow(client);
        roundTrip(listener);
    }

    @Test
    void shouldConnectOverAnAbstractName() throws IOException {
        SockAddr.AbstractName name = SockAddr.AbstractName.of("jasyncio-test-" + ProcessHandle.current().pid());
        int listener = net.listening(name);
        assertEquals(name, SockCreate.localAddress(listener));
        roundTrip(listener);
    }

    @Test
    void shouldAutobindAnUnnamedUnixAddressToAnAbstractName() throws IOException {
        int fd = net.bound(UnixDomainSocketAddress.of(""), Sockets.SOCK_STREAM);
        // Linux picks five hex digits.
        assertInstanceOf(SockAddr.AbstractName.class, SockCreate.localAddress(fd));
    }

    @Test
    void shouldReportARefusedConnectionAsConnectException() throws IOException {
        // A port the kernel handed out and nobody holds any more.
        int probe = net.bound(loopback("127.0.0.1"), Sockets.SOCK_STREAM);
        SocketAddress closedPort = SockCreate.localAddress(probe);
        net.closeNow(probe);

        int client = net.socket(SockAddr.AF_INET, Sockets.SOCK_STREAM);
        int length = net.encode(closedPort);
        ConnectException e;
        try {
            assertFalse(SockCreate.connect(client, net.addr.address(), length), "a TCP connect is in progress");
            int events = net.waitFor(client, Epoll.EPOLLOUT);
            assertTrue((events & (Epoll.EPOLLOUT | Epoll.EPOLLERR)) != 0);
            e = assertFails(ConnectException.class, "connect", "ECONNREFUSED", () -> SockCreate.finishConnect(client));
        } catch (ConnectException refusedAtOnce) {
            // Loopback may refuse inside connect itself.
            e = refusedAtOnce;
        }
        assertTrue(e.getMessage().startsWith("connect(fd=" + client), e.getMessage());
        assertTrue(e.getMessage().endsWith("ECONNREFUSED (Connection refused)"), e.getMessage());
    }

    @Test
    void shouldReportAConnectToANonexistentUnixPathAsNoSuchFile(@TempDir Path dir) throws IOException {
        int client = net.socket(SockAddr.AF_UNIX, Sockets.SOCK_STREAM);
        int length = net.encode(UnixDomainSocketAddress.of(dir.resolve("nobody")));
        assertFails(NoSuchFileException.class, "connect", "ENOENT",
                () -> SockCreate.connect(client, net.addr.address(), length));
    }

    @Test
    void shouldReportAUnixPathWithoutListenerAsConnectException(@TempDir Path dir) throws IOException {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("bound-only"));
        net.bound(path, Sockets.SOCK_STREAM);
        int client = net.socket(SockAddr.AF_UNIX, Sockets.SOCK_STREAM);
        int length = net.encode(path);
        assertFails(ConnectException.class, "connect", "ECONNREFUSED",
                () -> SockCreate.connect(client, net.addr.address(), length));
    }

    @Test
    void shouldReportAPortInUseAsBindException() throws IOException {
        int listener = net.listening(loopback("127.0.0.1"));
        SocketAddress taken = SockCreate.localAddress(listener);
        int other = net.socket(SockAddr.AF_INET, Sockets.SOCK_STREAM);
        int length = net.encode(taken);
        BindException e = assertFails(BindException.class, "bind", "EADDRINUSE",
                () -> SockCreate.bind(other, net.addr.address(), length));
        assertEquals("bind(fd=" + other + ", addrlen=" + length + "): EADDRINUSE (Address already in use)",
                e.getMessage());
    }

    @Test
    void shouldShareAPortBetweenListenersWithReusePort() throws IOException {
        // How N loops on N threads serve one port: each binds its own listener with SO_REUSEPORT.
        int first = net.socket(SockAddr.AF_INET, Sockets.SOCK_STREAM);
        SockOpt.setInt(first, SockOpt.SOL_SOCKET, SockOpt.SO_REUSEPORT, 1);
        SockCreate.bind(first, net.addr.address(), net.encode(loopback("127.0.0.1")));
        SockCreate.listen(first, 16);
        SocketAddress shared = SockCreate.localAddress(first);
        int second = net.socket(SockAddr.AF_INET, Sockets.SOCK_STREAM);
        SockOpt.setInt(second, SockOpt.SOL_SOCKET, SockOpt.SO_REUSEPORT, 1);
        SockCreate.bind(second, net.addr.address(), net.encode(shared));
        SockCreate.listen(second, 16);
        assertEquals(shared, SockCreate.localAddress(second));
    }

    @Test
    void shouldReportABindIntoAMissingDirectoryAsNoSuchFile(@TempDir Path dir) throws IOException {
        int fd = net.socket(SockAddr.AF_UNIX, Sockets.SOCK_STREAM);
        int length = net.encode(UnixDomainSocketAddress.of(dir.resolve("missing/s.sock")));
        assertFails(NoSuchFileException.class, "bind", "ENOENT", () -> SockCreate.bind(fd, net.addr.address(), length));
    }

    @Test
    void shouldReportUseAfterCloseAsClosedDescriptor() throws IOException {
        int fd = net.socket(SockAddr.AF_INET, Sockets.SOCK_STREAM);
        int length = net.encode(loopback("127.0.0.1"));
        net.closeNow(fd);
        long a = net.addr.address();
        assertBadFd("bind", () -> SockCreate.bind(fd, a, length));
        assertBadFd("listen", () -> SockCreate.listen(fd, 1));
        assertBadFd("accept4", () -> SockCreate.accept(fd, 0, 0));
        assertBadFd("connect", () -> SockCreate.connect(fd, a, length));
        assertBadFd("getsockname", () -> SockCreate.getsockname(fd, a, SockAddr.STORAGE_SIZE));
        assertBadFd("getpeername", () -> SockCreate.getpeername(fd, a, SockAddr.STORAGE_SIZE));
        assertBadFd("getsockopt", () -> SockCreate.finishConnect(fd));
    }

    @Test
    void shouldReportNotConnectedForAPeerlessSocket() throws IOException {
        int fd = net.socket(SockAddr.AF_INET, Sockets.SOCK_STREAM);
        assertFails(IOException.class, "getpeername", "ENOTCONN", () -> SockCreate.remoteAddress(fd));
    }

    @Test
    void shouldRefuseBadArgumentsInJava() throws IOException {
        int fd = net.socket(SockAddr.AF_INET, Sockets.SOCK_STREAM);
        long a = net.addr.address();
        assertFails(IllegalArgumentException.class, "bind", "EINVAL", () -> SockCreate.bind(fd, a, -1));
        assertFails(IllegalArgumentException.class, "bind", "EFAULT", () -> SockCreate.bind(fd, 0, 16));
        assertFails(IllegalArgumentException.class, "connect", "EINVAL", () -> SockCreate.connect(fd, a, -1));
        assertFails(IllegalArgumentException.class, "getsockname", "EINVAL",
                () -> SockCreate.getsockname(fd, a, Integer.MIN_VALUE));
        assertFails(IllegalArgumentException.class, "getpeername", "EFAULT", () -> SockCreate.getpeername(fd, 0, 16));
        assertFails(IllegalArgumentException.class, "accept4", "EFAULT", () -> SockCreate.accept(fd, a, 0));
    }

    @Test
    void shouldRefuseBadArgumentsInCWhenJavaIsBypassed() throws IOException {
        int fd = net.socket(SockAddr.AF_INET, Sockets.SOCK_STREAM);
        long a = net.addr.address();
        int ebadf = -Errors.EBADF;
        int einval = -Errors.EINVAL;
        int efault = -Errors.EFAULT;
        assertEquals(ebadf, SockCreate.bind0(-1, a, 16));
        assertEquals(ebadf, SockCreate.listen0(-1, 1));
        assertEquals(ebadf, SockCreate.accept0(Integer.MIN_VALUE, 0, 0));
        assertEquals(ebadf, SockCreate.connect0(-1, a, 16));
        assertEquals(ebadf, SockCreate.getsockname0(-1, a, 16));
        assertEquals(ebadf, SockCreate.getpeername0(-1, a, 16));
        assertEquals(einval, SockCreate.bind0(fd, a, -1));
        assertEquals(efault, SockCreate.bind0(fd, 0, 16));
        assertEquals(einval, SockCreate.connect0(fd, a, -1));
        assertEquals(efault, SockCreate.connect0(fd, 0, 16));
        assertEquals(einval, SockCreate.getsockname0(fd, a, -1));
        assertEquals(efault, SockCreate.getpeername0(fd, 0, 16));
        assertEquals(efault, SockCreate.accept0(fd, a, 0));
        net.addrLen.set(ValueLayout.JAVA_INT, 0, -1);
        assertEquals(einval, SockCreate.accept0(fd, a, net.addrLen.address()));
        net.addrLen.set(ValueLayout.JAVA_INT, 0, 16);
        assertEquals(efault, SockCreate.accept0(fd, 0, net.addrLen.address()));
        // An address shorter than its family's: the kernel's own EINVAL.
        net.encode(loopback("127.0.0.1"));
        assertEquals(einval, SockCreate.bind0(fd, a, 4));
    }

    @Test
    void shouldRefuseAnUnknownFamily() {
        assertFails(IOException.class, "socket", "EAFNOSUPPORT", () -> SockCreate.socket(12345, Sockets.SOCK_STREAM, 0));
    }
}

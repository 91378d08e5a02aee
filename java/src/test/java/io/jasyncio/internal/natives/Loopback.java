package io.jasyncio.internal.natives;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real sockets on loopback for the socket binding tests, through jasyncio's own calls: every
 * descriptor opened here is remembered and closed by {@link #close()}, and waits are on epoll
 * events (bounded, so a missing event fails the test instead of hanging it), never sleeps.
 * Not thread safe.
 */
final class Loopback implements AutoCloseable {

    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    final Arena arena = Arena.ofConfined();
    /** Room for any sockaddr, and the 32-bit in/out length beside it. */
    final MemorySegment addr = arena.allocate(SockAddr.STORAGE_SIZE, 8);
    final MemorySegment addrLen = arena.allocate(ValueLayout.JAVA_INT);
    final MemorySegment buffer = arena.allocate(64 * 1024, 8);
    private final MemorySegment events = arena.allocate((long) Epoll.EVENT_SIZE * 4, 8);
    private final List<Integer> fds = new ArrayList<>();

    /** Remembers fd for {@link #close()}. */
    int track(int fd) {
        fds.add(fd);
        return fd;
    }

    /** Closes fd now, and forgets it. */
    void closeNow(int fd) throws IOException {
        fds.remove((Integer) fd);
        Sockets.close(fd);
    }

    int socket(int family, int type) throws IOException {
        return track(SockCreate.socket(family, type, 0));
    }

    /** Writes address into {@link #addr}: its length. */
    int encode(SocketAddress address) {
        return SockAddr.encode(address, addr);
    }

    static int family(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() instanceof java.net.Inet6Address ? SockAddr.AF_INET6 : SockAddr.AF_INET;
        }
        return SockAddr.AF_UNIX;
    }

    /** A socket of address's family bound to it (port 0: the kernel picks one). */
    int bound(SocketAddress address, int type) throws IOException {
        int fd = socket(family(address), type);
        SockCreate.bind(fd, addr.address(), encode(address));
        return fd;
    }

    /** A listening stream socket on address. */
    int listening(SocketAddress address) throws IOException {
        int fd = bound(address, Sockets.SOCK_STREAM);
        SockCreate.listen(fd, SockCreate.SOMAXCONN);
        return fd;
    }

    /** A client connected (the handshake finished) to the listener's address. */
    int connected(int listener) throws IOException {
        SocketAddress target = SockCreate.localAddress(listener);
        int fd = socket(family(target), Sockets.SOCK_STREAM);
        if (!SockCreate.connect(fd, addr.address(), encode(target))) {
            assertTrue((waitFor(fd, Epoll.EPOLLOUT) & Epoll.EPOLLOUT) != 0);
            SockCreate.finishConnect(fd);
        }
        return fd;
    }

    /** Accepts the connection the listener has (waiting for it), with the peer's address in addr. */
    int accepted(int listener) throws IOException {
        waitFor(listener, Epoll.EPOLLIN);
        addrLen.set(ValueLayout.JAVA_INT, 0, SockAddr.STORAGE_SIZE);
        int fd = SockCreate.accept(listener, addr.address(), addrLen.address());
        assertTrue(fd >= 0, "a connection was waiting");
        return track(fd);
    }

    /** The peer address the last accept or recvfrom wrote. */
    SocketAddress lastAddress() {
        return SockAddr.decode(addr, addrLen.get(ValueLayout.JAVA_INT, 0));
    }

    /** Waits until fd reports one of events (or an error or hang-up): what it reported. */
    int waitFor(int fd, int interest) throws IOException {
        int epfd = Epoll.create();
        try {
            Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, interest, fd);
            int n = Epoll.wait(epfd, events.address(), 4, WAIT_NANOS);
            assertTrue(n == 1, "fd " + fd + " reported nothing within 10 s");
            return events.get(ValueLayout.JAVA_INT_UNALIGNED, Epoll.EVENTS_OFFSET);
        } finally {
            Sockets.close(epfd);
        }
    }

    /** Puts the bytes of s in buffer: its length. */
    int put(String s) {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return bytes.length;
    }

    /** The first n bytes of buffer, as a string. */
    String got(int n) {
        return new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether this machine has an IPv6 loopback (a container may not). */
    static boolean hasIpv6() {
        try (Loopback net = new Loopback()) {
            net.bound(new InetSocketAddress(InetAddress.getByName("::1"), 0), Sockets.SOCK_STREAM);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (int fd : fds) {
            try {
                Sockets.close(fd);
            } catch (IOException e) {
                // closed by the test itself
            }
        }
        fds.clear();
        arena.close();
    }
}

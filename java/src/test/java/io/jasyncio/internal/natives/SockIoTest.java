package io.jasyncio.internal.natives;

import static io.jasyncio.internal.natives.NativeTesting.assertBadFd;
import static io.jasyncio.internal.natives.NativeTesting.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * recv, send, readv, writev, recvfrom and sendto on real sockets: gather and scatter, UDP over
 * loopback with the sender's address, would-block as {@link SockIo#WOULD_BLOCK}, a reset
 * connection, use after close and bad arguments. Each test checks it left no descriptor open.
 */
class SockIoTest {

    private Loopback net;
    private long fdsBefore;
    private int a;
    private int b;

    @BeforeAll
    static void library() {
        NativeTesting.assumeNativeLibrary();
    }

    @BeforeEach
    void open() throws IOException {
        fdsBefore = NativeTesting.openNativeFds();
        net = new Loopback();
        long pair = Sockets.socketpair(Sockets.SOCK_STREAM);
        a = net.track(Sockets.firstFd(pair));
        b = net.track(Sockets.secondFd(pair));
    }

    @AfterEach
    void close() throws IOException {
        net.close();
        assertEquals(fdsBefore, NativeTesting.openNativeFds(), "the test leaked descriptors");
    }

    @Test
    void shouldGatherOnWritevAndScatterOnReadv() throws IOException {
        MemorySegment iovs = net.arena.allocate((long) SockIo.IOV_SIZE * 3, 8);
        MemorySegment parts = net.arena.allocateFrom("abc" + "defgh");
        SockIo.setIov(iovs, 0, parts.address(), 3);
        SockIo.setIov(iovs, 1, parts.address(), 0);
        SockIo.setIov(iovs, 2, parts.address() + 3, 5);
        assertEquals(8, SockIo.writev(a, iovs.address(), 3));

        MemorySegment first = net.arena.allocate(5);
        MemorySegment second = net.arena.allocate(16);
        SockIo.setIov(iovs, 0, first.address(), first.byteSize());
        SockIo.setIov(iovs, 1, second.address(), second.byteSize());
        assertEquals(8, SockIo.readv(b, iovs.address(), 2));
        assertEquals("abcde", new String(first.toArray(ValueLayout.JAVA_BYTE)));
        assertEquals("fgh", new String(second.asSlice(0, 3).toArray(ValueLayout.JAVA_BYTE)));
        assertEquals(SockIo.WOULD_BLOCK, SockIo.readv(b, iovs.address(), 2));
        assertEquals(0, SockIo.writev(a, 0, 0), "no iovecs, nothing written");
    }

    @Test
    void shouldReturnWouldBlockOnAnEmptyReceiveQueue() throws IOException {
        assertEquals(SockIo.WOULD_BLOCK, SockIo.recv(b, net.buffer.address(), 64, 0));
        assertEquals(SockIo.WOULD_BLOCK, SockIo.recvfrom(b, net.buffer.address(), 64, 0, 0, 0));
    }

    @Test
    void shouldReturnWouldBlockOnAFullSendBuffer() throws IOException {
        int sent;
        long total = 0;
        while ((sent = SockIo.send(a, net.buffer.address(), (int) net.buffer.byteSize(), 0)) > 0) {
            total += sent;
        }
        assertEquals(SockIo.WOULD_BLOCK, sent);
        assertTrue(total > 0);
    }

    @Test
    void shouldPeekWithoutTaking() throws IOException {
        SockIo.send(a, net.buffer.address(), net.put("peek"), 0);
        assertEquals(4, SockIo.recv(b, net.buffer.address(), 64, SockIo.MSG_PEEK));
        assertEquals(4, SockIo.recv(b, net.buffer.address(), 64, 0));
        assertEquals("peek", net.got(4));
    }

    @Test
    void shouldCarryDatagramsWithTheirSenderOverUdp() throws IOException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        int sender = net.bound(any, Sockets.SOCK_DGRAM);
        int receiver = net.bound(any, Sockets.SOCK_DGRAM);
        SocketAddress senderAddress = SockCreate.localAddress(sender);
        int toLength = net.encode(SockCreate.localAddress(receiver));
        MemorySegment to = net.arena.allocate(SockAddr.STORAGE_SIZE, 8);
        MemorySegment.copy(net.addr, 0, to, 0, toLength);

        assertEquals(8, SockIo.sendto(sender, net.buffer.address(), net.put("datagram"), 0, to.address(), toLength));
        assertEquals(0, SockIo.sendto(sender, net.buffer.address(), 0, 0, to.address(), toLength), "an empty one");
        net.waitFor(receiver, Epoll.EPOLLIN);
        net.addrLen.set(ValueLayout.JAVA_INT, 0, SockAddr.STORAGE_SIZE);
        assertEquals(8, SockIo.recvfrom(receiver, net.buffer.address(), 64, 0, net.addr.address(),
                net.addrLen.address()));
        assertEquals("datagram", net.got(8));
        assertEquals(senderAddress, net.lastAddress());
        // An empty datagram is 0 bytes, not the end of anything.
        net.waitFor(receiver, Epoll.EPOLLIN);
        assertEquals(0, SockIo.recvfrom(receiver, net.buffer.address(), 64, 0, 0, 0));
        assertEquals(SockIo.WOULD_BLOCK, SockIo.recvfrom(receiver, net.buffer.address(), 64, 0, 0, 0));
    }

    @Test
    void shouldReportAResetConnectionAsSocketException() throws IOException {
        int listener = net.listening(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int client = net.connected(listener);
        int server = net.accepted(listener);
        // Lingering 0 seconds makes close send a reset instead of a FIN.
        SockOpt.setLinger(server, 0);
        net.closeNow(server);
        net.waitFor(client, Epoll.EPOLLIN);
        SocketException e = assertFails(SocketException.class, "recv", "ECONNRESET",
                () -> SockIo.recv(client, net.buffer.address(), 64, 0));
        assertEquals("recv(fd=" + client + "): ECONNRESET (Connection reset by peer)", e.getMessage());
    }

    @Test
    void shouldReportABrokenPipeAsSocketExceptionWithoutSigpipe() throws IOException {
        net.closeNow(b);
        assertFails(SocketException.class, "send", "EPIPE", () -> SockIo.send(a, net.buffer.address(), 1, 0));
        MemorySegment iovs = net.arena.allocate(SockIo.IOV_SIZE, 8);
        SockIo.setIov(iovs, 0, net.buffer.address(), 1);
        assertFails(SocketException.class, "writev", "EPIPE", () -> SockIo.writev(a, iovs.address(), 1));
    }

    @Test
    void shouldSendAFileFromAnOffset(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "0123456789");
        int fileFd = LibC.INSTANCE.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        assertTrue(fileFd >= 0);
        try {
            assertEquals(6, SockIo.sendfile(a, fileFd, 4, 100));
            assertEquals(6, SockIo.recv(b, net.buffer.address(), 64, 0));
            assertEquals("456789", net.got(6));
            assertEquals(0, SockIo.sendfile(a, fileFd, 10, 100), "the file's end");
            assertFails(IllegalArgumentException.class, "sendfile", "EINVAL", () -> SockIo.sendfile(a, fileFd, -1, 1));
            assertEquals(-Errors.EINVAL, SockIo.sendfile0(a, fileFd, 0, -1));
            assertBadFd("sendfile", () -> SockIo.sendfile(-1, fileFd, 0, 1));
        } finally {
            Sockets.close(fileFd);
        }
    }

    @Test
    void shouldReportUseAfterCloseAsClosedDescriptor() throws IOException {
        int fd = a;
        net.closeNow(a);
        long buf = net.buffer.address();
        MemorySegment iovs = net.arena.allocate(SockIo.IOV_SIZE, 8);
        SockIo.setIov(iovs, 0, buf, 1);
        assertBadFd("recv", () -> SockIo.recv(fd, buf, 1, 0));
        assertBadFd("send", () -> SockIo.send(fd, buf, 1, 0));
        assertBadFd("readv", () -> SockIo.readv(fd, iovs.address(), 1));
        assertBadFd("writev", () -> SockIo.writev(fd, iovs.address(), 1));
        assertBadFd("recvfrom", () -> SockIo.recvfrom(fd, buf, 1, 0, 0, 0));
        assertBadFd("sendto", () -> SockIo.sendto(fd, buf, 1, 0, 0, 0));
    }

    @Test
    void shouldRefuseBadArgumentsInJava() {
        long buf = net.buffer.address();
        assertFails(IllegalArgumentException.class, "recv", "EINVAL", () -> SockIo.recv(a, buf, -1, 0));
        assertFails(IllegalArgumentException.class, "send", "EFAULT", () -> SockIo.send(a, 0, 1, 0));
        assertFails(IllegalArgumentException.class, "readv", "EINVAL", () -> SockIo.readv(a, buf, -1));
        assertFails(IllegalArgumentException.class, "writev", "EINVAL", () -> SockIo.writev(a, buf, SockIo.IOV_MAX + 1));
        assertFails(IllegalArgumentException.class, "writev", "EFAULT", () -> SockIo.writev(a, 0, 1));
        assertFails(IllegalArgumentException.class, "recvfrom", "EINVAL",
                () -> SockIo.recvfrom(a, buf, Integer.MIN_VALUE, 0, 0, 0));
        assertFails(IllegalArgumentException.class, "recvfrom", "EFAULT", () -> SockIo.recvfrom(a, buf, 1, 0, buf, 0));
        assertFails(IllegalArgumentException.class, "sendto", "EINVAL", () -> SockIo.sendto(a, buf, 1, 0, buf, -1));
        assertFails(IllegalArgumentException.class, "sendto", "EFAULT", () -> SockIo.sendto(a, buf, 1, 0, 0, 16));
    }

    @Test
    void shouldRefuseBadArgumentsInCWhenJavaIsBypassed() {
        long buf = net.buffer.address();
        int ebadf = -Errors.EBADF;
        int einval = -Errors.EINVAL;
        int efault = -Errors.EFAULT;
        assertEquals(ebadf, SockIo.recv0(-1, buf, 1, 0));
        assertEquals(ebadf, SockIo.send0(-1, buf, 1, 0));
        assertEquals(ebadf, SockIo.readv0(-1, buf, 1));
        assertEquals(ebadf, SockIo.writev0(-1, buf, 1));
        assertEquals(ebadf, SockIo.recvfrom0(-1, buf, 1, 0, 0, 0));
        assertEquals(ebadf, SockIo.sendto0(-1, buf, 1, 0, 0, 0));
        assertEquals(einval, SockIo.recv0(a, buf, -1, 0));
        assertEquals(efault, SockIo.recv0(a, 0, 1, 0));
        assertEquals(einval, SockIo.send0(a, buf, -1, 0));
        assertEquals(efault, SockIo.send0(a, 0, 1, 0));
        assertEquals(einval, SockIo.readv0(a, buf, -1));
        assertEquals(einval, SockIo.writev0(a, buf, SockIo.IOV_MAX + 1));
        assertEquals(efault, SockIo.readv0(a, 0, 1));
        assertEquals(einval, SockIo.recvfrom0(a, buf, -1, 0, 0, 0));
        assertEquals(efault, SockIo.recvfrom0(a, buf, 1, 0, buf, 0));
        assertEquals(einval, SockIo.sendto0(a, buf, 1, 0, buf, -1));
        assertEquals(efault, SockIo.sendto0(a, buf, 1, 0, 0, 16));
    }
}

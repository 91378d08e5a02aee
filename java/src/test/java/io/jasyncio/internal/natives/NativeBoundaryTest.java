package io.jasyncio.internal.natives;

import static io.jasyncio.internal.natives.NativeTesting.assertBadFd;
import static io.jasyncio.internal.natives.NativeTesting.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every wrapper of the native boundary, given descriptors that are closed or were never valid,
 * negative lengths and bad addresses: a Java exception naming the call and the errno, and a JVM
 * that is still alive afterwards. The raw natives are also called directly, to show that C
 * refuses the same arguments on its own.
 */
class NativeBoundaryTest {

    private static final int[] INVALID_FDS = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 20};

    private Arena arena;
    private long buffer;
    private int epfd;
    private int a;
    private int b;

    @BeforeAll
    static void library() {
        NativeTesting.assumeNativeLibrary();
    }

    @BeforeEach
    void open() throws IOException {
        arena = Arena.ofConfined();
        buffer = arena.allocate(4096, 16).address();
        epfd = Epoll.create();
        long pair = Sockets.socketpair(Sockets.SOCK_STREAM);
        a = Sockets.firstFd(pair);
        b = Sockets.secondFd(pair);
    }

    @AfterEach
    void close() throws IOException {
        Sockets.close(a);
        Sockets.close(b);
        Sockets.close(epfd);
        arena.close();
    }

    private int[] badFds() throws IOException {
        int[] fds = new int[INVALID_FDS.length + 1];
        System.arraycopy(INVALID_FDS, 0, fds, 0, INVALID_FDS.length);
        fds[INVALID_FDS.length] = NativeTesting.closedFd();
        return fds;
    }

    @Test
    void shouldReportEbadfFromEveryWrapperGivenABadDescriptor() throws IOException {
        for (int fd : badFds()) {
            assertBadFd("epoll_ctl", () -> Epoll.ctl(fd, Epoll.EPOLL_CTL_ADD, a, Epoll.EPOLLIN, 0));
            assertBadFd("epoll_ctl", () -> Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLIN, 0));
            assertBadFd("epoll_ctl", () -> Epoll.ctl(epfd, Epoll.EPOLL_CTL_MOD, fd, Epoll.EPOLLIN, 0));
            assertBadFd("epoll_wait", () -> Epoll.wait(fd, buffer, 16, 0));
            assertBadFd("eventfd_write", () -> Wakeup.signal(fd));
            assertBadFd("eventfd_read", () -> Wakeup.drain(fd));
            assertBadFd("read", () -> Sockets.read(fd, buffer, 16));
            assertBadFd("write", () -> Sockets.write(fd, buffer, 16));
            assertBadFd("shutdown", () -> Sockets.shutdown(fd, Sockets.SHUT_RDWR));
            assertBadFd("close", () -> Sockets.close(fd));
            // Removing a registration of a descriptor that is gone is not an error...
            assertFalse(Epoll.ctlDel(epfd, fd));
            // ...but a negative epoll descriptor is (any other bad one reads as EBADF from the
            // kernel, indistinguishable from a closed fd: ctlDel documents it).
            if (fd < 0) {
                assertBadFd("epoll_ctl", () -> Epoll.ctlDel(fd, a));
            }
        }
    }

    @Test
    void shouldNameTheCallAndDescriptorInTheMessage() throws IOException {
        int fd = NativeTesting.closedFd();
        ClosedDescriptorException e = assertThrows(ClosedDescriptorException.class, () -> Sockets.read(fd, buffer, 16));
        assertEquals("read(fd=" + fd + ", length=16): EBADF (Bad file descriptor)", e.getMessage());
        e = assertThrows(ClosedDescriptorException.class, () -> Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, 1, 0));
        assertEquals("epoll_ctl(epfd=" + epfd + ", op=EPOLL_CTL_ADD, fd=" + fd + "): EBADF (Bad file descriptor)",
                e.getMessage());
    }

    @Test
    void shouldRefuseNegativeLengthsInJava() {
        IllegalArgumentException e = assertFails(IllegalArgumentException.class, "read", "EINVAL",
                () -> Sockets.read(a, buffer, -1));
        assertEquals("read(fd=" + a + ", length=-1): EINVAL (negative length)", e.getMessage());
        assertFails(IllegalArgumentException.class, "write", "EINVAL", () -> Sockets.write(a, buffer, Integer.MIN_VALUE));
        assertFails(IllegalArgumentException.class, "epoll_wait", "EINVAL", () -> Epoll.wait(epfd, buffer, -1, 0));
        assertFails(IllegalArgumentException.class, "epoll_wait", "EINVAL", () -> Epoll.wait(epfd, buffer, 0, 0));
    }

    @Test
    void shouldRefuseZeroAddressesInJava() {
        IllegalArgumentException e = assertFails(IllegalArgumentException.class, "read", "EFAULT",
                () -> Sockets.read(a, 0, 16));
        assertEquals("read(fd=" + a + ", address=0, length=16): EFAULT (zero address with a non-zero length)",
                e.getMessage());
        assertFails(IllegalArgumentException.class, "write", "EFAULT", () -> Sockets.write(a, 0, 1));
        assertFails(IllegalArgumentException.class, "epoll_wait", "EFAULT", () -> Epoll.wait(epfd, 0, 16, 0));
    }

    @Test
    void shouldAcceptAZeroAddressWithZeroLength() throws IOException {
        assertEquals(0, Sockets.write(a, 0, 0));
        assertEquals(0, Sockets.read(b, 0, 0));
    }

    @Test
    void shouldRefuseBadArgumentsInCTooWhenJavaIsBypassed() throws IOException {
        int ebadf = -Errors.EBADF;
        int einval = -Errors.EINVAL;
        int efault = -Errors.EFAULT;
        for (int fd : INVALID_FDS) {
            assertEquals(ebadf, Epoll.ctl0(fd, Epoll.EPOLL_CTL_ADD, a, Epoll.EPOLLIN, 0));
            assertEquals(ebadf, Epoll.ctl0(epfd, Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLIN, 0));
            assertEquals(ebadf, Epoll.wait0(fd, buffer, 16, 0));
            assertEquals(ebadf, Wakeup.signal0(fd));
            assertEquals(ebadf, Wakeup.drain0(fd));
            assertEquals(ebadf, Sockets.read0(fd, buffer, 16));
            assertEquals(ebadf, Sockets.write0(fd, buffer, 16));
            assertEquals(ebadf, Sockets.close0(fd));
            assertEquals(ebadf, Sockets.shutdown0(fd, Sockets.SHUT_RDWR));
        }
        assertEquals(einval, Sockets.read0(a, buffer, -1));
        assertEquals(einval, Sockets.write0(a, buffer, -1));
        assertEquals(efault, Sockets.read0(a, 0, 16));
        assertEquals(efault, Sockets.write0(a, 0, 16));
        assertEquals(einval, Epoll.wait0(epfd, buffer, 0, 0));
        assertEquals(einval, Epoll.wait0(epfd, buffer, -1, 0));
        assertEquals(efault, Epoll.wait0(epfd, 0, 16, 0));
    }

    @Test
    void shouldReportEfaultForUnmappedAddressesWithoutCrashing() throws IOException {
        // The kernel validates user memory while copying: no signal, just EFAULT.
        long unmapped = 16;
        assertFails(IOException.class, "write", "EFAULT", () -> Sockets.write(a, unmapped, 8));
        MemorySegment.ofAddress(buffer).reinterpret(8).fill((byte) 'x');
        assertEquals(8, Sockets.write(a, buffer, 8));
        assertFails(IOException.class, "read", "EFAULT", () -> Sockets.read(b, unmapped, 8));
        Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, b, Epoll.EPOLLIN, 0);
        assertFails(IOException.class, "epoll_wait", "EFAULT", () -> Epoll.wait(epfd, unmapped, 1, -1));
    }

    @Test
    void shouldReportWrongKindsOfDescriptors() {
        assertFails(IOException.class, "epoll_wait", "EINVAL", () -> Epoll.wait(a, buffer, 16, 0));
        assertFails(IOException.class, "shutdown", "ENOTSOCK", () -> Sockets.shutdown(epfd, Sockets.SHUT_RDWR));
        assertFails(IOException.class, "shutdown", "EINVAL", () -> Sockets.shutdown(a, 12345));
        assertFails(IOException.class, "epoll_ctl", "EINVAL", () -> Epoll.ctl(epfd, 12345, a, Epoll.EPOLLIN, 0));
        assertFails(IOException.class, "socketpair", "EINVAL", () -> Sockets.socketpair(12345));
    }

    @Test
    void shouldMapEnoentAndEexistFromEpollCtl() throws IOException {
        assertFails(java.nio.file.NoSuchFileException.class, "epoll_ctl", "ENOENT",
                () -> Epoll.ctl(epfd, Epoll.EPOLL_CTL_MOD, a, Epoll.EPOLLIN, 0));
        Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, a, Epoll.EPOLLIN, 0);
        assertFails(IOException.class, "epoll_ctl", "EEXIST",
                () -> Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, a, Epoll.EPOLLIN, 0));
        assertTrue(Epoll.ctlDel(epfd, a));
        assertFalse(Epoll.ctlDel(epfd, a));
    }

    @Test
    void shouldCreateNonBlockingCloseOnExecDescriptors() throws IOException {
        NativeTesting.assertFlags(a);
        NativeTesting.assertFlags(b);
        NativeTesting.assertCloseOnExec(epfd);
        int efd = Wakeup.create();
        try {
            NativeTesting.assertFlags(efd);
        } finally {
            Sockets.close(efd);
        }
        for (int fd : List.of(a, b, epfd)) {
            assertTrue(NativeTesting.fdTarget(fd) != null);
        }
    }
}

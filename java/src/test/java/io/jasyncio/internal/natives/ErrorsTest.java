package io.jasyncio.internal.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** errno values, names and messages, and the exception each errno becomes (SPEC section 13). */
class ErrorsTest {

    @BeforeAll
    static void library() {
        NativeTesting.assumeNativeLibrary();
    }

    @Test
    void shouldReadErrnoValuesFromTheCLibrary() {
        // Linux's generic values, which x86_64 and aarch64 share.
        assertEquals(11, Errors.EAGAIN);
        assertEquals(9, Errors.EBADF);
        assertEquals(22, Errors.EINVAL);
        assertEquals(14, Errors.EFAULT);
        assertEquals(104, Errors.ECONNRESET);
        assertEquals(111, Errors.ECONNREFUSED);
        assertEquals(98, Errors.EADDRINUSE);
        assertEquals(113, Errors.EHOSTUNREACH);
    }

    @Test
    void shouldNameAndDescribeErrnos() {
        assertEquals("ECONNRESET", Errors.errnoName(Errors.ECONNRESET));
        assertEquals("Connection reset by peer", Errors.strerror(Errors.ECONNRESET));
        assertEquals("EBADF (Bad file descriptor)", Errors.describe(Errors.EBADF));
        assertSame(Errors.describe(Errors.EPIPE), Errors.describe(Errors.EPIPE), "descriptions are cached");
        assertEquals("errno 4095", Errors.errnoName(4095));
        assertTrue(Errors.strerror(4095).contains("4095"), Errors.strerror(4095));
        assertEquals("read(fd=7): EBADF (Bad file descriptor)", Errors.message("read(fd=7)", -Errors.EBADF));
    }

    @Test
    void shouldMapErrnosOntoTheJdkTypes() {
        assertMapped(ClosedDescriptorException.class, Errors.EBADF);
        assertInstanceOf(ClosedChannelException.class, Errors.newIOException("read(fd=7)", -Errors.EBADF));
        assertMapped(ConnectException.class, Errors.ECONNREFUSED);
        assertMapped(BindException.class, Errors.EADDRINUSE);
        assertMapped(SocketException.class, Errors.ECONNRESET);
        assertMapped(SocketException.class, Errors.EPIPE);
        assertMapped(NoRouteToHostException.class, Errors.EHOSTUNREACH);
        assertMapped(NoRouteToHostException.class, Errors.ENETUNREACH);
        assertMapped(NoSuchFileException.class, Errors.ENOENT);
        assertMapped(IOException.class, Errors.EINVAL);
        assertMapped(IOException.class, 4095);
    }

    @Test
    void shouldRefuseToMakeAnExceptionOfSuccess() {
        assertThrows(IllegalArgumentException.class, () -> Errors.newIOException("read(fd=7)", 0));
        assertThrows(IllegalArgumentException.class, () -> Errors.newIOException("read(fd=7)", 5));
    }

    private static void assertMapped(Class<? extends IOException> type, int errno) {
        IOException e = Errors.newIOException("connect(fd=7)", -errno);
        assertEquals(type, e.getClass(), "errno " + errno);
        assertEquals("connect(fd=7): " + Errors.describe(errno), e.getMessage());
    }
}

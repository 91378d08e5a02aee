package io.jasyncio.internal.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Socket calls on a real socketpair: data, would-block as 0, end of stream as -1, close. */
class SocketsTest {

    private Arena arena;
    private MemorySegment segment;
    private int a;
    private int b;

    @BeforeAll
    static void library() {
        NativeTesting.assumeNativeLibrary();
    }

    @BeforeEach
    void open() throws IOException {
        arena = Arena.ofConfined();
        segment = arena.allocate(64 * 1024);
        long pair = Sockets.socketpair(Sockets.SOCK_STREAM);
        a = Sockets.firstFd(pair);
        b = Sockets.secondFd(pair);
        assertTrue(pair >= 0);
        assertNotEquals(a, b);
    }

    @AfterEach
    void close() {
        closeIfOpen(a);
        closeIfOpen(b);
        arena.close();
    }

    private static void closeIfOpen(int fd) {
        try {
            Sockets.close(fd);
        } catch (IOException e) {
            // closed by the test
        }
    }

    @Test
    void shouldCarryBytesBetweenThePair() throws IOException {
        // A direct buffer's address, taken once, as the loop does.
        ByteBuffer direct = ByteBuffer.allocateDirect(16);
        direct.put("hello".getBytes(StandardCharsets.US_ASCII)).flip();
        long address = MemorySegment.ofBuffer(direct).address();
        assertEquals(5, Sockets.write(a, address, direct.remaining()));
        assertEquals(5, Sockets.read(b, segment.address(), 64));
        assertEquals("hello", new String(segment.asSlice(0, 5).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII));
    }

    @Test
    void shouldReturnZeroWhenNothingIsThere() throws IOException {
        assertEquals(0, Sockets.read(b, segment.address(), 64));
    }

    @Test
    void shouldReturnZeroWhenTheSocketBufferIsFull() throws IOException {
        long total = 0;
        int written;
        while ((written = Sockets.write(a, segment.address(), (int) segment.byteSize())) > 0) {
            total += written;
        }
        assertEquals(0, written);
        assertTrue(total > 0);
    }

    @Test
    void shouldReturnMinusOneAtEndOfStream() throws IOException {
        Sockets.shutdown(a, Sockets.SHUT_WR);
        assertEquals(-1, Sockets.read(b, segment.address(), 64));
        Sockets.close(a);
        assertEquals(-1, Sockets.read(b, segment.address(), 64));
    }

    @Test
    void shouldReportABrokenPipeAsSocketException() throws IOException {
        Sockets.close(a);
        SocketException e = assertThrows(SocketException.class, () -> Sockets.write(b, segment.address(), 1));
        assertEquals("write(fd=" + b + ", length=1): EPIPE (Broken pipe)", e.getMessage());
    }

    @Test
    void shouldCloseOnceAndThenReportEbadf() throws IOException {
        Sockets.close(a);
        assertNull(NativeTesting.fdTarget(a));
        NativeTesting.assertBadFd("close", () -> Sockets.close(a));
    }

    @Test
    void shouldCreateDatagramPairs() throws IOException {
        long pair = Sockets.socketpair(Sockets.SOCK_DGRAM);
        int c = Sockets.firstFd(pair);
        int d = Sockets.secondFd(pair);
        try {
            assertEquals(3, Sockets.write(c, segment.address(), 3));
            assertEquals(4, Sockets.write(c, segment.address(), 4));
            assertEquals(3, Sockets.read(d, segment.address(), 64));
            assertEquals(4, Sockets.read(d, segment.address(), 64));
        } finally {
            Sockets.close(c);
            Sockets.close(d);
        }
    }

    @Test
    void shouldSignalAndDrainTheWakeupEventfd() throws IOException {
        int efd = Wakeup.create();
        try {
            assertEquals(0, Wakeup.drain(efd));
            Wakeup.signal(efd);
            Wakeup.signal(efd);
            assertEquals(2, Wakeup.drain(efd));
            assertEquals(0, Wakeup.drain(efd));
        } finally {
            Sockets.close(efd);
        }
    }
}

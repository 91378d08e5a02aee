package io.jasyncio;

import io.jasyncio.internal.natives.NativeLibrary;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code connectReadPipe}/{@code connectWritePipe} over the descriptors other than an anonymous
 * pipe that asyncio takes: a FIFO (named pipe) and a character device, each with a protocol and
 * with streams, on every loop. FIFOs are opened non-blocking so no open waits for a peer; a child
 * process is the peer where one is needed. Descriptors are checked by the base class's fd count.
 */
abstract class PipeKindsSuite extends LoopTestBase {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @BeforeEach
    void needNative() {
        assumeTrue(NativeLibrary.isAvailable(), "raw descriptors need the native library");
    }

    private Path fifo() {
        Path p = dir.resolve("fifo");
        assertEquals(0, LibC.INSTANCE.mkfifo(p.toString(), 0600), "mkfifo " + p);
        return p;
    }

    private static int open(Path path, int flags) {
        int fd = LibC.INSTANCE.open(path.toString(), flags | LibC.O_CLOEXEC);
        assertTrue(fd >= 0, () -> "open " + path);
        return fd;
    }

    /** A protocol collecting what a read pipe gets, closing its transport after {@code stopAt} bytes. */
    /** A write protocol that records how its transport ended. */
    private final class Lost implements Protocol {
        final Future<Throwable> lost = loop.createFuture();

        @Override
        public void connectionLost(Throwable exc) {
            lost.setResult(exc);
        }
    }

    private static byte[] bytes(int size, char fill) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    // ---- FIFOs ----

    @Test
    void shouldCarry3MiBThroughAFifoWithProtocols() {
        Path fifo = fifo();
        // The read end first (non-blocking: no writer needed), then the write end (a reader exists).
        int r = open(fifo, LibC.O_RDONLY | LibC.O_NONBLOCK);
        int w = open(fifo, LibC.O_WRONLY | LibC.O_NONBLOCK);
        CollectingProtocol c = new CollectingProtocol(loop, Long.MAX_VALUE);
        Throwable[] writeLost = {new AssertionError("not lost")};
        run(() -> {
            loop.connectReadPipe(() -> c, r).await();
            Lost out = new Lost();
            var t = loop.connectWritePipe(() -> out, w).await().transport();
            t.write(bytes(3 * MIB, 'f'));
            t.close();
            writeLost[0] = out.lost.await();
            assertNull(c.lost.await());
            return null;
        });
        assertNull(writeLost[0]);
        assertTrue(c.eof, "end of stream after the writer closed");
        assertArrayEquals(bytes(3 * MIB, 'f'), c.data.toByteArray());
    }

    @Test
    void shouldBlockAgainSoonAfterAPipeStopsBringingData() {
        // A read that brought data makes the loop poll without waiting for a while (20 µs by
        // default) before it blocks; afterwards it must block again, not spin on.
        Path fifo = fifo();
        int r = open(fifo, LibC.O_RDONLY | LibC.O_NONBLOCK);
        int w = open(fifo, LibC.O_WRONLY | LibC.O_NONBLOCK);
        Future<Void> arrived = loop.createFuture();
        CollectingProtocol c = new CollectingProtocol(loop) {
            @Override
            public void dataReceived(ByteBuffer b) {
                super.dataReceived(b);
                if (!arrived.done()) {
                    arrived.setResult(null);
                }
            }
        };
        long idleIterations = run(() -> {
            var in = loop.connectReadPipe(() -> c, r).await().transport();
            Lost out = new Lost();
            var t = loop.connectWritePipe(() -> out, w).await().transport();
            t.write(bytes(1, 'x'));
            arrived.await();
            long before = loop.iterationCount();
            Asyncio.sleep(0.05).await(); // one timer: a blocking loop wakes for it a few times
            long during = loop.iterationCount() - before;
            t.close();
            in.close();
            out.lost.await();
            c.lost.await();
            return during;
        });
        // Blocking, the 50 ms take a handful of iterations plus the linger's polls (tens); a loop
        // that never stopped lingering would make tens of thousands.
        assertTrue(idleIterations < 2_000, "iterations while idle for 50 ms: " + idleIterations);
        assertEquals("x", c.data.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldReadAFifoAChildWritesWithAStreamReader() {
        Path fifo = fifo();
        int r = open(fifo, LibC.O_RDONLY | LibC.O_NONBLOCK);
        byte[] got = run(() -> {
            StreamReader reader = new StreamReader(ConnectOptions.DEFAULT_LIMIT, loop);
            loop.connectReadPipe(() -> new StreamReaderProtocol(reader), r).await();
            Subprocess child = Asyncio.createSubprocessExec(List.of("/bin/sh", "-c",
                    "head -c 1048576 /dev/zero | tr '\\0' z > \"$0\"", fifo.toString()), new SubprocessOptions())
                    .await();
            byte[] all = reader.read().await(); // to end of stream: the child closed its end
            assertTrue(reader.atEof());
            assertEquals(0, child.waitFor().await());
            return all;
        });
        assertArrayEquals(bytes(MIB, 'z'), got);
    }

    @Test
    void shouldWriteAFifoAChildReadsWithAStreamWriter() {
        Path fifo = fifo();
        // A reader of our own keeps the write end's open from failing (ENXIO) and its writes from
        // failing (EPIPE) until the child has opened the FIFO; it never reads, so the child gets all.
        int keeper = open(fifo, LibC.O_RDONLY | LibC.O_NONBLOCK);
        int w = open(fifo, LibC.O_WRONLY | LibC.O_NONBLOCK);
        String counted;
        try {
            counted = run(() -> {
                Subprocess child = Asyncio.createSubprocessExec(List.of("/bin/sh", "-c", "wc -c < \"$0\"",
                        fifo.toString()), new SubprocessOptions().stdout(Stdio.PIPE)).await();
                StreamReaderProtocol flow = new StreamReaderProtocol(new StreamReader(ConnectOptions.DEFAULT_LIMIT, loop));
                var t = loop.connectWritePipe(() -> flow, w).await().transport();
                StreamWriter writer = new StreamWriter(t, flow, null, loop);
                byte[] chunk = bytes(64 * 1024, 'w');
                for (int i = 0; i < 16; i++) {
                    writer.write(chunk);
                    writer.drain().await();
                }
                writer.close();
                writer.waitClosed().await();
                String out = new String(child.stdout().read().await(), StandardCharsets.US_ASCII).trim();
                assertEquals(0, child.waitFor().await());
                return out;
            });
        } finally {
            LibC.INSTANCE.close(keeper);
        }
        assertEquals(String.valueOf(MIB), counted);
    }

    @Test
    void shouldCloseAFifoWriteTransportWhenItsReaderGoesWithNothingWritten() {
        Path fifo = fifo();
        int r = open(fifo, LibC.O_RDONLY | LibC.O_NONBLOCK);
        int w = open(fifo, LibC.O_WRONLY | LibC.O_NONBLOCK);
        Throwable lostWith = run(() -> {
            Lost out = new Lost();
            loop.connectWritePipe(() -> out, w).await();
            assertEquals(0, LibC.INSTANCE.close(r));
            return out.lost.await();
        });
        assertNull(lostWith, "nothing was queued, so the reader's departure is a clean close");
    }

    // ---- character devices ----

    @Test
    void shouldReadSomeOfDevZeroWithAProtocolThenClose() throws IOException {
        int fd = open(Path.of("/dev/zero"), LibC.O_RDONLY);
        CollectingProtocol c = new CollectingProtocol(loop, MIB);
        Throwable lostWith = run(() -> {
            loop.connectReadPipe(() -> c, fd).await();
            return c.lost.await();
        });
        assertNull(lostWith, "closed by the protocol, not failed");
        assertTrue(c.data.size() >= MIB, () -> "read " + c.data.size());
        assertArrayEquals(new byte[c.data.size()], c.data.toByteArray());
    }

    @Test
    void shouldNotReadDevZeroWhilePausedAndGoOnWhenResumed() {
        int fd = open(Path.of("/dev/zero"), LibC.O_RDONLY);
        CollectingProtocol c = new CollectingProtocol(loop, Long.MAX_VALUE) {
            @Override
            public void dataReceived(ByteBuffer b) {
                super.dataReceived(b);
                transport.pauseReading(); // after every read
            }
        };
        long[] sizes = run(() -> {
            Transport t = loop.connectReadPipe(() -> c, fd).await().transport();
            while (c.data.size() == 0) {
                Asyncio.sleep(0).await();
            }
            long paused = c.data.size();
            for (int i = 0; i < 20; i++) {
                Asyncio.sleep(0).await(); // 20 loop iterations: an always-ready read would have run
            }
            long stillPaused = c.data.size();
            t.resumeReading();
            while (c.data.size() == stillPaused) {
                Asyncio.sleep(0).await();
            }
            long resumed = c.data.size();
            t.close();
            assertNull(c.lost.await());
            return new long[] {paused, stillPaused, resumed};
        });
        assertEquals(sizes[0], sizes[1], "no read while paused");
        assertTrue(sizes[2] > sizes[1], "reads again once resumed");
    }

    @Test
    void shouldReadSomeOfDevZeroWithAStreamReaderThenClose() {
        int fd = open(Path.of("/dev/zero"), LibC.O_RDONLY);
        byte[] got = run(() -> {
            StreamReader reader = new StreamReader(ConnectOptions.DEFAULT_LIMIT, loop);
            Transport t = loop.connectReadPipe(() -> new StreamReaderProtocol(reader), fd).await().transport();
            byte[] first = reader.readexactly(3 * MIB).await();
            t.close();
            assertTrue(t.isClosing());
            return first;
        });
        assertArrayEquals(new byte[3 * MIB], got);
    }

    @Test
    void shouldWriteToDevNullWithAProtocol() {
        int fd = open(Path.of("/dev/null"), LibC.O_WRONLY);
        Throwable lostWith = run(() -> {
            Lost out = new Lost();
            var t = loop.connectWritePipe(() -> out, fd).await().transport();
            for (int i = 0; i < 8; i++) {
                t.write(bytes(MIB, 'n'));
            }
            assertEquals(0, t.getWriteBufferSize(), "/dev/null takes everything at once");
            t.close();
            return out.lost.await();
        });
        assertNull(lostWith);
    }

    @Test
    void shouldWriteToDevNullWithAStreamWriter() {
        int fd = open(Path.of("/dev/null"), LibC.O_WRONLY);
        run(() -> {
            StreamReaderProtocol flow = new StreamReaderProtocol(new StreamReader(ConnectOptions.DEFAULT_LIMIT, loop));
            var t = loop.connectWritePipe(() -> flow, fd).await().transport();
            StreamWriter writer = new StreamWriter(t, flow, null, loop);
            for (int i = 0; i < 8; i++) {
                writer.write(bytes(MIB, 'n'));
                writer.drain().await();
            }
            writer.close();
            writer.waitClosed().await();
            assertTrue(t.isClosing());
            return null;
        });
    }
}

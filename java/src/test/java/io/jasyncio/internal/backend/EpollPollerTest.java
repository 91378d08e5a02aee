package io.jasyncio.internal.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.internal.natives.ClosedDescriptorException;
import io.jasyncio.internal.natives.NativeLibrary;
import io.jasyncio.internal.natives.Sockets;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The epoll poller over real socketpairs: readiness reaches the sink, interest changes take
 * effect, wake-ups cross threads, timeouts are never short, and nothing leaks. Deterministic:
 * every wait is for an event or a timeout the test measures, never a sleep.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EpollPollerTest {

    /** Records what the poller hands over. */
    private static final class Recorder implements Poller.ReadySink {
        final List<Watch> watches = new ArrayList<>();
        final List<Integer> ops = new ArrayList<>();

        @Override
        public void ready(Watch watch, int readyOps) {
            watches.add(watch);
            ops.add(readyOps);
        }

        void clear() {
            watches.clear();
            ops.clear();
        }
    }

    private final Recorder sink = new Recorder();
    private Arena arena;
    private MemorySegment buffer;
    private long fdsBefore;
    private EpollPoller poller;
    private int a;
    private int b;

    @BeforeAll
    static void library() throws IOException {
        Assumptions.assumeTrue(NativeLibrary.isAvailable(),
                () -> "native library unavailable: " + NativeLibrary.unavailableReason());
        // The JDK opens a socket of its own, for good, the first time NIO closes a channel:
        // have that happen before any test counts descriptors.
        Pipe pipe = Pipe.open();
        pipe.source().close();
        pipe.sink().close();
    }

    @BeforeEach
    void open() throws IOException {
        fdsBefore = openNativeFds();
        arena = Arena.ofConfined();
        buffer = arena.allocate(64 * 1024);
        poller = new EpollPoller();
        long pair = Sockets.socketpair(Sockets.SOCK_STREAM);
        a = Sockets.firstFd(pair);
        b = Sockets.secondFd(pair);
    }

    @AfterEach
    void close() throws IOException {
        poller.close();
        closeIfOpen(a);
        closeIfOpen(b);
        arena.close();
        assertEquals(fdsBefore, openNativeFds(), "the test leaked descriptors");
    }

    @Test
    void shouldReportReadableAfterAWrite() throws IOException {
        Watch watch = Watch.ofFd(b);
        poller.update(watch, Poller.READ);
        assertEquals(Poller.READ, watch.registeredOps);
        assertEquals(0, poller.poll(0, sink));
        assertEquals(1, Sockets.write(a, buffer.address(), 1));
        assertEquals(1, poller.poll(-1, sink));
        assertSame(watch, sink.watches.get(0));
        assertEquals(Poller.READ, sink.ops.get(0));
        // Level-triggered: still readable until read.
        sink.clear();
        assertEquals(1, poller.poll(0, sink));
        assertEquals(1, Sockets.read(b, buffer.address(), 64));
        sink.clear();
        assertEquals(0, poller.poll(0, sink));
        assertTrue(sink.watches.isEmpty());
    }

    @Test
    void shouldReportWritable() throws IOException {
        Watch watch = Watch.ofFd(a);
        poller.update(watch, Poller.WRITE);
        assertEquals(1, poller.poll(-1, sink));
        assertEquals(List.of(Poller.WRITE), sink.ops);
        sink.clear();
        poller.update(watch, Poller.READ | Poller.WRITE);
        assertEquals(1, Sockets.write(b, buffer.address(), 1));
        assertEquals(1, poller.poll(-1, sink));
        assertEquals(List.of(Poller.READ | Poller.WRITE), sink.ops);
    }

    @Test
    void shouldStopReportingWhenInterestIsRemoved() throws IOException {
        Watch watch = Watch.ofFd(a);
        poller.update(watch, Poller.READ | Poller.WRITE);
        assertEquals(1, poller.registeredCount());
        poller.update(watch, Poller.READ);
        assertEquals(0, poller.poll(0, sink), "writable, but only read interest is left");
        poller.update(watch, 0);
        assertEquals(0, watch.registeredOps);
        assertEquals(0, poller.registeredCount());
        assertEquals(1, Sockets.write(b, buffer.address(), 1));
        assertEquals(0, poller.poll(0, sink), "readable, but no interest is left");
        assertTrue(sink.watches.isEmpty());
        // And it can come back.
        poller.update(watch, Poller.READ);
        assertEquals(1, poller.poll(0, sink));
        assertEquals(List.of(Poller.READ), sink.ops);
    }

    @Test
    void shouldReportEndOfStreamAsReadable() throws IOException {
        Watch watch = Watch.ofFd(b);
        poller.update(watch, Poller.READ);
        Sockets.close(a);
        assertEquals(1, poller.poll(-1, sink));
        assertEquals(List.of(Poller.READ), sink.ops);
        assertEquals(-1, Sockets.read(b, buffer.address(), 64));
    }

    @Test
    void shouldReportAHungUpPeerToAWriter() throws IOException {
        Watch watch = Watch.ofFd(b);
        poller.update(watch, Poller.WRITE);
        Sockets.close(a);
        assertEquals(1, poller.poll(-1, sink));
        assertEquals(List.of(Poller.WRITE), sink.ops);
    }

    @Test
    void shouldBeWokenFromAnotherThreadDuringAnInfinitePoll() throws Exception {
        CountDownLatch polling = new CountDownLatch(1);
        Thread waker = Thread.ofPlatform().start(() -> {
            try {
                polling.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            poller.wakeup();
        });
        polling.countDown();
        // Whether the wakeup lands before or during the wait, the infinite poll returns.
        assertEquals(0, poller.poll(-1, sink));
        assertTrue(sink.watches.isEmpty(), "the wake-up eventfd is not handed to the sink");
        waker.join();
        // Drained: the next poll waits again.
        assertEquals(0, poller.poll(0, sink));
    }

    @Test
    void shouldReturnAtOnceAfterAnEarlierWakeup() throws IOException {
        poller.wakeup();
        poller.wakeup();
        assertEquals(0, poller.poll(-1, sink));
        long start = System.nanoTime();
        assertEquals(0, poller.poll(2_000_000, sink));
        assertTrue(System.nanoTime() - start >= 2_000_000, "drained: the next poll times out");
    }

    @Test
    void shouldNeverReturnBeforeTheTimeout() throws IOException {
        long[] timeouts = {1, 1_000, 999_999, 1_000_000, 1_500_000, 5_000_000};
        for (long timeout : timeouts) {
            long start = System.nanoTime();
            assertEquals(0, poller.poll(timeout, sink));
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= timeout, "a poll of " + timeout + " ns returned after " + elapsed + " ns");
        }
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            assertEquals(0, poller.poll(5_000_000, sink));
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= 5_000_000, "a 5 ms poll returned after " + elapsed + " ns");
        }
    }

    @Test
    void shouldForgetARemovedDescriptorTheUserClosedFirst() throws IOException {
        Watch watch = Watch.ofFd(b);
        poller.update(watch, Poller.READ);
        Sockets.close(b);
        poller.update(watch, 0);
        assertEquals(0, poller.registeredCount());
        assertEquals(0, poller.poll(0, sink));
    }

    @Test
    void shouldForgetAWatchWhoseDescriptorWasClosedWhenItsInterestChanges() throws IOException {
        Watch watch = Watch.ofFd(b);
        poller.update(watch, Poller.READ);
        Sockets.close(b);
        ClosedDescriptorException e = assertThrows(ClosedDescriptorException.class,
                () -> poller.update(watch, Poller.WRITE));
        assertTrue(e.getMessage().contains("op=EPOLL_CTL_MOD, fd=" + b + "): EBADF"), e.getMessage());
        assertEquals(0, watch.registeredOps);
        assertEquals(0, poller.registeredCount());
    }

    @Test
    void shouldDropEventsOfAWatchRemovedEarlierInTheSameBatch() throws IOException {
        Watch first = Watch.ofFd(a);
        Watch second = Watch.ofFd(b);
        poller.update(first, Poller.WRITE);
        poller.update(second, Poller.WRITE);
        List<Watch> seen = new ArrayList<>();
        int handed = poller.poll(-1, (watch, ops) -> {
            seen.add(watch);
            try {
                // Whichever comes first removes the other.
                poller.update(watch == first ? second : first, 0);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(1, handed);
        assertEquals(1, seen.size());
    }

    @Test
    void shouldGrowForLargeDescriptors() throws IOException {
        List<Long> pairs = new ArrayList<>();
        try {
            Watch last = null;
            for (int i = 0; i < 200; i++) {
                long pair = Sockets.socketpair(Sockets.SOCK_STREAM);
                pairs.add(pair);
                last = Watch.ofFd(Sockets.secondFd(pair));
                poller.update(last, Poller.WRITE);
            }
            assertTrue(last.fd >= 256, "descriptors beyond the initial table: " + last.fd);
            assertEquals(200, poller.poll(-1, sink));
            assertTrue(sink.watches.contains(last));
        } finally {
            for (long pair : pairs) {
                Sockets.close(Sockets.firstFd(pair));
                Sockets.close(Sockets.secondFd(pair));
            }
        }
    }

    @Test
    void shouldRefuseChannelWatchesAndBadOps() throws IOException {
        Pipe pipe = Pipe.open();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> poller.update(Watch.ofChannel(pipe.source()), Poller.READ));
            assertTrue(e.getMessage().startsWith("the epoll poller watches file descriptors; "), e.getMessage());
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
        assertThrows(IllegalArgumentException.class, () -> poller.update(Watch.ofFd(a), 4));
        assertThrows(NullPointerException.class, () -> poller.update(null, Poller.READ));
        poller.update(Watch.ofFd(a), Poller.READ);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> poller.update(Watch.ofFd(a), Poller.READ));
        assertTrue(twice.getMessage().contains("already watched"), twice.getMessage());
    }

    @Test
    void shouldReportBadDescriptorsClearly() throws IOException {
        int closed = a;
        Sockets.close(a);
        ClosedDescriptorException e = assertThrows(ClosedDescriptorException.class,
                () -> poller.update(Watch.ofFd(closed), Poller.READ));
        assertTrue(e.getMessage().matches("epoll_ctl\\(epfd=\\d+, op=EPOLL_CTL_ADD, fd=" + closed
                + "\\): EBADF \\(Bad file descriptor\\)"), e.getMessage());
        assertThrows(ClosedDescriptorException.class,
                () -> poller.update(Watch.ofFd(Integer.MAX_VALUE), Poller.READ));
        assertEquals(0, poller.registeredCount());
    }

    @Test
    void shouldRefuseUseAfterClose() throws IOException {
        Watch watch = Watch.ofFd(a);
        poller.update(watch, Poller.READ);
        poller.close();
        assertEquals(0, watch.registeredOps, "close forgets every watch");
        ClosedDescriptorException polled = assertThrows(ClosedDescriptorException.class, () -> poller.poll(0, sink));
        assertTrue(polled.getMessage().matches("epoll_wait\\(epfd=\\d+\\): EBADF \\(the epoll poller is closed\\)"),
                polled.getMessage());
        ClosedDescriptorException updated = assertThrows(ClosedDescriptorException.class,
                () -> poller.update(watch, Poller.READ));
        assertTrue(updated.getMessage().contains("EBADF (the epoll poller is closed)"), updated.getMessage());
        poller.wakeup();
        poller.close();
        assertTrue(poller.toString().contains("closed"));
    }

    @Test
    void shouldCloseItsDescriptorsEvenWithWakeupsRacing() throws Exception {
        EpollPoller racing = new EpollPoller();
        CountDownLatch started = new CountDownLatch(1);
        Thread waker = Thread.ofPlatform().start(() -> {
            started.countDown();
            for (int i = 0; i < 100_000; i++) {
                racing.wakeup();
            }
        });
        started.await();
        racing.close();
        waker.join();
        assertFalse(waker.isAlive());
    }

    @Test
    void shouldCloseTheDescriptorsItOwns() throws IOException {
        long before = openNativeFds();
        EpollPoller other = new EpollPoller();
        assertEquals(before + 2, openNativeFds(), "an epoll instance and an eventfd");
        other.close();
        assertEquals(before, openNativeFds());
    }

    // ---------------------------------------------------------------------------------------

    private static void closeIfOpen(int fd) {
        try {
            Sockets.close(fd);
        } catch (IOException e) {
            // closed by the test
        }
    }

    /** Sockets, epoll instances and eventfds open in this JVM, from /proc/self/fd. */
    private static long openNativeFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(p -> {
                try {
                    return Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    return "";
                }
            }).filter(t -> t.startsWith("socket:") || t.equals("anon_inode:[eventpoll]")
                    || t.equals("anon_inode:[eventfd]")).count();
        }
    }
}

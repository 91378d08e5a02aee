package io.jasyncio;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event loop contract (SPEC 1): the same tests on every loop implementation. */
abstract class EventLoopSuite extends LoopTestBase {

    @Test
    void callSoonRunsCallbacksInFifoOrder() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            loop.callSoon(() -> order.add(n));
        }
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(1000, order.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, order.get(i));
        }
    }

    @Test
    void stopBeforeRunForeverRunsOneBatchWithoutWaiting() {
        List<String> order = new ArrayList<>();
        loop.callLater(3600, () -> order.add("timer"));
        loop.callSoon(() -> {
            order.add("first");
            loop.callSoon(() -> order.add("next batch"));
        });
        loop.stop();
        long t0 = System.nanoTime();
        loop.runForever();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "the poll must not wait");
        assertEquals(List.of("first"), order);
        assertFalse(loop.isRunning());
        loop.stop();
        loop.runForever();
        assertEquals(List.of("first", "next batch"), order);
    }

    @Test
    void stopDuringRunForeverFinishesTheCurrentBatch() {
        List<String> order = new ArrayList<>();
        loop.callSoon(() -> {
            order.add("a");
            loop.stop();
            loop.callSoon(() -> order.add("c"));
        });
        loop.callSoon(() -> order.add("b"));
        loop.runForever();
        assertEquals(List.of("a", "b"), order);
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(List.of("a", "b", "c"), order);
    }

    @Test
    void closeIsRefusedWhileRunningAndIsIdempotent() {
        List<Throwable> seen = new ArrayList<>();
        loop.callSoon(() -> {
            try {
                loop.close();
            } catch (IllegalStateException e) {
                seen.add(e);
            }
            loop.stop();
        });
        loop.runForever();
        assertEquals(1, seen.size());
        assertTrue(seen.get(0).getMessage().contains("running"), seen.get(0).getMessage());
        assertFalse(loop.isClosed());
        loop.callSoon(() -> seen.add(null));
        loop.close();
        loop.close();
        assertTrue(loop.isClosed());
        assertEquals(1, seen.size(), "pending callbacks are dropped by close");
        assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> { }));
        assertThrows(IllegalStateException.class, () -> loop.callSoonThreadsafe(() -> { }));
        assertThrows(IllegalStateException.class, () -> loop.callLater(1, () -> { }));
        assertThrows(IllegalStateException.class, loop::runForever);
    }

    @Test
    void runForeverRefusesToNest() {
        List<Throwable> seen = new ArrayList<>();
        loop.callSoon(() -> {
            try {
                loop.runForever();
            } catch (IllegalStateException e) {
                seen.add(e);
            }
            SelectorEventLoop other = new SelectorEventLoop(backend());
            try {
                other.runForever();
            } catch (IllegalStateException e) {
                seen.add(e);
            } finally {
                other.close();
            }
            loop.stop();
        });
        loop.runForever();
        assertEquals(2, seen.size());
        assertTrue(seen.get(0).getMessage().contains("already running"));
        assertTrue(seen.get(1).getMessage().contains("another loop"));
    }

    @Test
    void timersRunInWhenOrderAndEqualDeadlinesInSchedulingOrder() {
        List<String> order = new ArrayList<>();
        List<Double> lateness = new ArrayList<>();
        double t = loop.time();
        String[][] plan = {{"0.03", "c"}, {"0.01", "a1"}, {"0.01", "a2"}, {"0.02", "b"}, {"0.01", "a3"}};
        for (String[] p : plan) {
            double when = t + Double.parseDouble(p[0]);
            loop.callAt(when, () -> {
                order.add(p[1]);
                lateness.add(loop.time() - when);
            });
        }
        loop.callAt(t + 0.04, loop::stop);
        loop.runForever();
        assertEquals(List.of("a1", "a2", "a3", "b", "c"), order);
        for (double late : lateness) {
            assertTrue(late >= 0, "a timer ran early by " + (-late) + " s");
        }
    }

    @Test
    void aTimerNeverRunsBeforeItsDeadline() {
        int n = 50;
        AtomicInteger early = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            long delay = 100_000L * (i % 7 + 1) + 13 * i;
            long when = loop.timeNanos() + delay;
            loop.callLater(Duration.ofNanos(delay), () -> {
                if (loop.timeNanos() < when) {
                    early.incrementAndGet();
                }
                if (ran.incrementAndGet() == n) {
                    loop.stop();
                }
            });
        }
        loop.runForever();
        assertEquals(n, ran.get());
        assertEquals(0, early.get());
    }

    @Test
    void aDueTimerQueuesBehindCallbacksAlreadyReady() {
        List<String> order = new ArrayList<>();
        loop.callLater(0, () -> order.add("later(0)"));
        loop.callSoon(() -> order.add("soon"));
        loop.callLater(0, loop::stop);
        loop.runForever();
        assertEquals(List.of("soon", "later(0)"), order);
    }

    @Test
    void timerHandleReportsWhenAndCancels() {
        double t0 = loop.time();
        List<String> order = new ArrayList<>();
        TimerHandle h = loop.callLater(0.01, () -> order.add("cancelled one"));
        assertTrue(h.when() >= t0 + 0.01 - 1e-9);
        assertFalse(h.cancelled());
        h.cancel();
        h.cancel();
        assertTrue(h.cancelled());
        Handle soon = loop.callSoon(() -> order.add("cancelled soon"));
        soon.cancel();
        loop.callLater(0.02, loop::stop);
        loop.runForever();
        assertEquals(List.of(), order);
    }

    @Test
    void hundredThousandCancelledTimersLeaveTheHeapSmall() {
        List<TimerHandle> handles = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            handles.add(loop.callLater(3600 + i, () -> { }));
        }
        assertEquals(100_000, loop.scheduledTimerCount());
        for (TimerHandle h : handles) {
            h.cancel();
        }
        assertEquals(0, loop.scheduledTimerCount());
        assertTrue(loop.timerHeapCapacity() <= 2048, "heap array kept " + loop.timerHeapCapacity() + " slots");
        handles.clear();
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(0, loop.scheduledTimerCount());
    }

    @Test
    void cancellingHalfTheTimersKeepsTheOthersInOrder() {
        List<Integer> fired = new ArrayList<>();
        List<TimerHandle> handles = new ArrayList<>();
        double t = loop.time();
        for (int i = 0; i < 2000; i++) {
            int n = i;
            handles.add(loop.callAt(t + 0.001 + (i % 10) * 0.001, () -> fired.add(n)));
        }
        for (int i = 0; i < 2000; i += 2) {
            handles.get(i).cancel();
        }
        assertEquals(1000, loop.scheduledTimerCount());
        loop.callAt(t + 0.02, loop::stop);
        loop.runForever();
        assertEquals(1000, fired.size());
        for (int i = 1; i < fired.size(); i++) {
            int a = fired.get(i - 1);
            int b = fired.get(i);
            assertTrue(a % 10 < b % 10 || a % 10 == b % 10 && a < b, "out of order: " + a + " then " + b);
        }
    }

    @Test
    void callSoonThreadsafeFromEightThreadsRunsEveryCallbackExactlyOnce() throws Exception {
        int threads = 8;
        int perThread = 10_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(threads * perThread);
        int[] total = new int[1];
        CountDownLatch running = new CountDownLatch(1);
        loop.callSoon(running::countDown);
        Thread loopThread = new Thread(loop::runForever, "loop");
        loopThread.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            producers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    int slot = base + i;
                    loop.callSoonThreadsafe(() -> {
                        runs.incrementAndGet(slot);
                        if (++total[0] == threads * perThread) {
                            loop.stop();
                        }
                    });
                }
            }));
        }
        for (Thread p : producers) {
            p.join(10_000);
        }
        loopThread.join(10_000);
        assertFalse(loopThread.isAlive(), "the loop did not see every callback");
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "callback " + i);
        }
    }

    @Test
    void callSoonThreadsafeWakesALoopBlockedInItsPoller() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        loop.callSoon(running::countDown);
        Thread loopThread = new Thread(loop::runForever, "loop");
        loopThread.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        // The loop has nothing to do and no timers: it is blocked in its poller without a timeout.
        for (int i = 0; i < 3; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            loop.callSoonThreadsafe(ran::countDown);
            assertTrue(ran.await(10, TimeUnit.SECONDS), "the idle loop was not woken");
        }
        loop.callSoonThreadsafe(loop::stop);
        loopThread.join(10_000);
        assertFalse(loopThread.isAlive());
    }

    @Test
    void anExceptionInACallbackGoesToTheHandlerAndTheLoopKeepsRunning() {
        List<String> order = new ArrayList<>();
        RuntimeException boom = new RuntimeException("boom");
        Handle bad = loop.callSoon(() -> {
            throw boom;
        });
        loop.callSoon(() -> order.add("after"));
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(List.of("after"), order);
        assertEquals(1, reported.size());
        Map<String, Object> context = reported.get(0);
        assertSame(boom, context.get("exception"));
        assertSame(bad, context.get("handle"));
        assertTrue(String.valueOf(context.get("message")).startsWith("Exception in callback"));
    }

    @Test
    void anExceptionInTheHandlerIsLoggedNotPropagated() {
        loop.setExceptionHandler((l, c) -> {
            throw new IllegalStateException("handler broke");
        });
        List<String> order = new ArrayList<>();
        loop.callSoon(() -> {
            throw new RuntimeException("boom");
        });
        loop.callSoon(() -> order.add("after"));
        loop.callSoon(loop::stop);
        List<LogRecord> records = captureLog(loop::runForever);
        assertEquals(List.of("after"), order);
        // The default handler logs the handler's failure, once, with what it was handling.
        assertEquals(1, records.size(), records.toString());
        LogRecord record = records.get(0);
        assertEquals(Level.SEVERE, record.getLevel());
        assertTrue(record.getMessage().startsWith("Unhandled error in exception handler"), record.getMessage());
        assertTrue(record.getMessage().contains("boom"), record.getMessage());
        assertInstanceOf(IllegalStateException.class, record.getThrown());
        assertEquals("handler broke", record.getThrown().getMessage());
        assertNotNull(loop.getExceptionHandler());
        loop.setExceptionHandler(null);
        assertEquals(null, loop.getExceptionHandler());
    }

    @Test
    void keyboardInterruptLeavesTheLoop() {
        loop.callSoon(() -> {
            throw new KeyboardInterruptError();
        });
        assertThrows(KeyboardInterruptError.class, loop::runForever);
        assertFalse(loop.isRunning());
    }

    @Test
    void runUntilCompleteReturnsTheResultAndRefusesAnEarlyStop() {
        Future<String> f = loop.createFuture();
        loop.callLater(0.001, () -> f.setResult("done"));
        assertEquals("done", loop.runUntilComplete(f));
        Future<String> never = loop.createFuture();
        loop.callSoon(loop::stop);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(never));
        assertTrue(e.getMessage().contains("stopped before Future completed"));
    }

    @Test
    void readerFiresWhenItsSourceIsReadable() throws Exception {
        try (TestPipe pipe = TestPipe.open(backend())) {
            List<String> got = new ArrayList<>();
            pipe.addReader(loop, () -> {
                got.add(pipe.readAvailable());
                if (String.join("", got).equals("hello")) {
                    loop.stop();
                }
            });
            loop.callSoon(() -> pipe.writeToReadSide("hel"));
            loop.callLater(0.001, () -> pipe.writeToReadSide("lo"));
            loop.runForever();
            assertEquals("hello", String.join("", got));
            assertTrue(pipe.removeReader(loop));
            assertFalse(pipe.removeReader(loop));
        }
    }

    @Test
    void writerFiresWhenItsSourceIsWritable() throws Exception {
        try (TestPipe pipe = TestPipe.open(backend())) {
            int[] calls = new int[1];
            pipe.addWriter(loop, () -> {
                calls[0]++;
                assertTrue(pipe.removeWriter(loop));
                loop.callLater(0.005, loop::stop);
            });
            loop.runForever();
            assertEquals(1, calls[0], "a removed writer must not fire again");
            assertFalse(pipe.removeWriter(loop));
        }
    }

    @Test
    void addReaderReplacesTheEarlierCallback() throws Exception {
        try (TestPipe pipe = TestPipe.open(backend())) {
            List<String> who = new ArrayList<>();
            pipe.addReader(loop, () -> who.add("first"));
            pipe.addReader(loop, () -> {
                who.add("second");
                pipe.readAvailable();
                loop.stop();
            });
            pipe.writeToReadSide("x");
            loop.runForever();
            assertEquals(List.of("second"), who);
            assertTrue(pipe.removeReader(loop));
        }
    }

    @Test
    void removeReaderOnAClosedLoopReturnsFalse() throws Exception {
        try (TestPipe pipe = TestPipe.open(backend())) {
            pipe.addReader(loop, () -> { });
            loop.close();
            assertFalse(pipe.removeReader(loop));
        }
    }

    @Test
    void debugModeRefusesNonThreadsafeCallsFromOtherThreads() throws Exception {
        loop.setDebug(true);
        CountDownLatch running = new CountDownLatch(1);
        loop.callSoon(running::countDown);
        Thread loopThread = new Thread(loop::runForever, "loop");
        loopThread.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> { }));
            assertTrue(e.getMessage().contains("Non-thread-safe"));
            assertThrows(IllegalStateException.class, () -> loop.callLater(1, () -> { }));
        } finally {
            loop.callSoonThreadsafe(loop::stop);
            loopThread.join(10_000);
        }
    }

    @Test
    void getRunningLoopAndPolicies() {
        assertThrows(IllegalStateException.class, Asyncio::getRunningLoop);
        EventLoop[] seen = new EventLoop[2];
        loop.callSoon(() -> {
            seen[0] = Asyncio.getRunningLoop();
            seen[1] = Asyncio.getEventLoop();
            loop.stop();
        });
        loop.runForever();
        assertSame(loop, seen[0]);
        assertSame(loop, seen[1]);
        Asyncio.setEventLoop(loop);
        try {
            assertSame(loop, Asyncio.getEventLoop());
        } finally {
            Asyncio.setEventLoop(null);
        }
        EventLoop other = Asyncio.newEventLoop();
        try {
            assertTrue(other instanceof SelectorEventLoop);
        } finally {
            other.close();
        }
    }

    @Test
    void aSubclassedPolicyDecidesWhichLoopsAreMade() {
        EventLoopPolicy previous = Asyncio.getEventLoopPolicy();
        Asyncio.setEventLoopPolicy(new DefaultEventLoopPolicy() {
            @Override
            protected SelectorEventLoop.Backend loopBackend() {
                return backend();
            }
        });
        try {
            EventLoop made = Asyncio.newEventLoop();
            try {
                assertEquals(backend(), ((SelectorEventLoop) made).backend());
            } finally {
                made.close();
            }
        } finally {
            Asyncio.setEventLoopPolicy(previous);
        }
    }

    @Test
    void anotherThreadHasNoCurrentLoopUntilOneIsSet() throws Exception {
        Throwable[] error = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                Asyncio.getEventLoop();
            } catch (Throwable e) {
                error[0] = e;
            }
        });
        t.start();
        t.join(10_000);
        assertTrue(error[0] instanceof IllegalStateException, String.valueOf(error[0]));
    }

    @Test
    void theLoopReportsItsOwnFigures() {
        loop.setTimingEnabled(true);
        loop.callLater(3600, () -> { });
        loop.callLater(3600, () -> { }).cancel();
        loop.callSoon(() -> { });
        LoopStats before = loop.stats();
        assertEquals(1, before.readyCallbacks());
        assertEquals(1, before.scheduledTimers());
        loop.callLater(0.002, loop::stop);
        loop.runForever();
        LoopStats after = loop.stats();
        assertTrue(after.iterations() >= 2, after.toString());
        assertEquals(0, after.readyCallbacks());
        assertEquals(1, after.scheduledTimers());
        assertTrue(after.pollNanos() > 0 && after.callbackNanos() > 0, after.toString());
    }

    @Test
    void runInExecutorRunsOffTheLoopAndDeliversOnIt() {
        Thread[] ranOn = new Thread[1];
        Future<String> f = loop.runInExecutor(null, () -> {
            ranOn[0] = Thread.currentThread();
            return "from executor";
        });
        assertEquals("from executor", run(f));
        assertTrue(ranOn[0] != Thread.currentThread());
        Future<Object> failing = loop.runInExecutor(null, () -> {
            throw new java.io.IOException("disk");
        });
        assertThrows(java.io.IOException.class, () -> run(failing));
        run(loop.shutdownDefaultExecutor());
    }

    /** The epoll instances this process has open: their descriptor numbers. */
    private static Set<Integer> epollDescriptors() throws IOException {
        Set<Integer> fds = new HashSet<>();
        try (java.util.stream.Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            for (Path entry : entries.toList()) {
                try {
                    if (Files.readSymbolicLink(entry).toString().equals("anon_inode:[eventpoll]")) {
                        fds.add(Integer.parseInt(entry.getFileName().toString()));
                    }
                } catch (IOException closedMeanwhile) {
                    // the listing's own descriptor, or one closed since
                }
            }
        }
        return fds;
    }

    @Test
    void aPollerThatFailsEndsRunForeverWithItsFailureInsteadOfSpinning() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")),
                "needs /proc to find the loop's epoll instance");
        // A loop of its own, whose one new epoll instance (the NIO Selector's has one too on Linux)
        // is then replaced under it: dup2 puts a socket on its number, so the epoll instance is
        // closed and every wait fails (EINVAL), as any epoll_wait failure but EINTR persists.
        SelectorEventLoop failing = null;
        Set<Integer> created = Set.of();
        for (int attempt = 0; attempt < 3 && created.size() != 1; attempt++) {
            if (failing != null) {
                failing.close(); // another thread made an epoll instance meanwhile: which is ours?
            }
            Set<Integer> before = epollDescriptors();
            failing = new SelectorEventLoop(backend());
            created = epollDescriptors();
            created.removeAll(before);
        }
        assertEquals(1, created.size(), "the new loop's epoll instance: " + created);
        int epfd = created.iterator().next();
        int[] pair = new int[2];
        assertEquals(0, LibC.INSTANCE.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, pair));
        List<Map<String, Object>> handled = new ArrayList<>();
        try {
            assertEquals(epfd, LibC.INSTANCE.dup2(pair[0], epfd));
            failing.setExceptionHandler((l, context) -> {
                handled.add(context);
                if (handled.size() == 3) {
                    l.stop(); // what the loop did before: report each failure and poll again
                }
            });
            UncheckedIOException e = assertThrows(UncheckedIOException.class, failing::runForever);
            assertTrue(e.getMessage().contains("poller failed"), e.getMessage());
            assertNotNull(e.getCause());
            assertEquals(List.of(), handled, "the failure ends the loop; it is not reported again and again");
            assertFalse(failing.isRunning());
            assertThrows(UncheckedIOException.class, failing::runForever, "the same again, not a hang");
        } finally {
            failing.close();
            LibC.INSTANCE.close(pair[0]);
            LibC.INSTANCE.close(pair[1]);
        }
        assertTrue(failing.isClosed());
    }
}

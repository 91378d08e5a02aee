package io.jasyncio;

import io.jasyncio.internal.strand.Strands;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The task model a user can rely on whatever the mechanism (run with and without
 * {@code --add-opens}): a cancellation cannot be swallowed by {@code catch (Exception e)}, and
 * nothing else runs on the loop between two awaits, even when a task blocks in a JDK call.
 */
@Tag("tasks")
abstract class TaskModelSuite extends LoopTestBase {

    // ---- cancellation is an Error ----

    @Test
    void catchExceptionInATaskBodyDoesNotSwallowItsCancellation() {
        int[] caught = new int[1];
        Task<String> t = loop.createTask(() -> {
            for (int i = 0; i < 3; i++) {
                try {
                    Asyncio.sleep(10).await();
                } catch (Exception e) {
                    caught[0]++;
                }
            }
            return "went on";
        });
        loop.callSoon(() -> t.cancel("stop"));
        CancelledError e = assertThrows(CancelledError.class, () -> run(t));
        assertEquals("stop", e.getMessage());
        assertTrue(t.cancelled());
        assertEquals(0, caught[0]);
    }

    @Test
    void aTimeoutWhoseBodyCatchesExceptionStillTimesOut() {
        loop.setClockMode(ClockMode.AUTO);
        int[] caught = new int[1];
        Throwable thrown = run(() -> {
            try {
                Asyncio.timeout(0.05, () -> {
                    try {
                        Asyncio.sleep(10).await();
                    } catch (Exception e) {
                        caught[0]++;
                    }
                    return "finished";
                });
                return null;
            } catch (TimeoutException e) {
                return e;
            }
        });
        assertInstanceOf(TimeoutException.class, thrown);
        assertInstanceOf(CancelledError.class, thrown.getCause());
        assertEquals(0, caught[0]);
    }

    @Test
    void theBridgesTurnCancelledErrorIntoCancellationExceptionAndBack() throws Exception {
        Future<String> f = loop.createFuture();
        CompletableFuture<String> cf = f.toCompletableFuture();
        f.cancel("why");
        runBriefly();
        assertTrue(cf.isCancelled());
        // get() wraps what the future holds in a CancellationException of its own; handle() shows it.
        CancellationException c = assertInstanceOf(CancellationException.class, cf.handle((v, x) -> x).join());
        assertEquals("why", c.getMessage());
        assertInstanceOf(CancelledError.class, c.getCause());
        assertThrows(CancellationException.class, () -> cf.get(5, TimeUnit.SECONDS));

        CompletableFuture<String> source = new CompletableFuture<>();
        Future<String> wrapped = Asyncio.wrapFuture(source, loop);
        source.cancel(false);
        runBriefly();
        assertTrue(wrapped.cancelled());
    }

    // ---- nothing runs between two awaits ----

    /** Runs a task that calls {@code block} between two records, with a callback and a task queued. */
    private List<String> orderAround(ThrowingRunnable block) {
        List<String> order = new ArrayList<>();
        Task<Void> blocker = loop.createTask(() -> {
            order.add("before");
            loop.callSoon(() -> order.add("callback"));
            loop.createTask(() -> order.add("other task"));
            block.run();
            order.add("after");
            Asyncio.sleep(0).await();
            return null;
        });
        run(blocker);
        runBriefly();
        return order;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static final List<String> ATOMIC = List.of("before", "after", "callback", "other task");

    @Test
    void threadSleepInATaskBlocksTheLoopAsTimeSleepDoes() {
        assertEquals(ATOMIC, orderAround(() -> Thread.sleep(50)));
    }

    @Test
    void objectWaitInATaskBlocksTheLoop() {
        Object monitor = new Object();
        assertEquals(ATOMIC, orderAround(() -> {
            synchronized (monitor) {
                monitor.wait(30);
            }
        }));
    }

    @Test
    void aContendedJdkLockInATaskBlocksTheLoopUntilItIsAcquired() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            lock.lock();
            held.countDown();
            try {
                while (!lock.hasQueuedThreads()) {
                    Thread.onSpinWait();
                }
            } finally {
                lock.unlock();
            }
        });
        held.await();
        assertEquals(ATOMIC, orderAround(() -> {
            lock.lock();
            lock.unlock();
        }));
        holder.join();
    }

    @Test
    void blockingSocketIoInATaskBlocksTheLoop() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    // Write once the task's read is (most likely) blocked; correct either way.
                    Thread.sleep(20);
                    out.write(42);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            int[] got = new int[1];
            assertEquals(ATOMIC, orderAround(() -> {
                try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                     InputStream in = s.getInputStream()) {
                    got[0] = in.read();
                }
            }));
            assertEquals(42, got[0]);
            peer.join();
        }
    }

    @Test
    void aVirtualThreadStartedInATaskRunsBesideTheLoop() throws Exception {
        // It inherits the loop as its scheduler; it must neither hang nor run on the loop's turn.
        CountDownLatch ran = new CountDownLatch(1);
        String got = run(() -> {
            Thread vt = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ran.countDown();
            });
            vt.join();
            return "joined";
        });
        assertEquals("joined", got);
        assertEquals(0, ran.getCount());
        assertEquals("from the executor", run(() -> loop.runInExecutor(null, () -> "from the executor").await()));
    }

    @Test
    void toThreadIsTheWayToBlockAndRunsInACopyOfTheContext() {
        ContextVar<String> who = new ContextVar<>("who");
        List<String> order = new ArrayList<>();
        String got = run(() -> {
            who.set("caller");
            loop.callSoon(() -> order.add("callback"));
            Future<String> blocking = Asyncio.toThread(() -> {
                Thread.sleep(20);
                order.add("blocked");
                return who.get() + " on " + (Thread.currentThread().isVirtual() ? "a virtual thread" : "a thread");
            });
            order.add("went on");
            return blocking.await();
        });
        assertEquals("caller on a virtual thread", got);
        assertEquals(List.of("went on", "callback", "blocked"), order);
    }

    @Test
    void threadYieldInATaskGivesTheLoopNothing() {
        assertEquals(ATOMIC, orderAround(Thread::yield));
    }

    @Test
    void debugModeNamesTheTaskThatBlockedTheLoop() {
        loop.setDebug(true);
        loop.setSlowCallbackDuration(java.time.Duration.ofMillis(20));
        List<LogRecord> records = captureLog(() -> {
            Task<Void> t = loop.createTask(() -> {
                Thread.sleep(40);
                return null;
            }, "sleepy");
            run(t);
        });
        assertTrue(records.stream().anyMatch(r -> r.getMessage().contains("Executing")
                        && r.getMessage().contains("sleepy") && r.getMessage().contains("took")),
                () -> "no slow-callback report naming the task: " + records.stream().map(LogRecord::getMessage).toList());
    }

    // ---- where a task runs ----

    @Test
    void aLoopRunsTasksOnAVirtualThreadToo() throws Exception {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            SelectorEventLoop vloop = new SelectorEventLoop(backend());
            try {
                result.complete(vloop.runUntilComplete(() -> {
                    Task<Integer> child = Asyncio.createTask(() -> {
                        Asyncio.sleep(0.001).await();
                        return 20;
                    });
                    Asyncio.sleep(0).await();
                    return child.await() + 22;
                }));
            } catch (Throwable t) {
                result.complete(t);
            } finally {
                vloop.close();
            }
        });
        assertEquals(42, result.get(20, TimeUnit.SECONDS));
    }

    static final class ClinitAwaitEpoll {
        static final String VALUE = awaitInInitializer();
    }

    static final class ClinitAwaitNio {
        static final String VALUE = awaitInInitializer();
    }

    static String awaitInInitializer() {
        try {
            return Asyncio.sleep(0.001, "initialized").await();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unexpected", e);
        }
    }

    @Test
    void anAwaitInsideAClassInitializerWorksOrFailsClearlyButNeverHangs() {
        boolean epoll = backend() == SelectorEventLoop.Backend.EPOLL;
        Task<String> t = loop.createTask(() -> epoll ? ClinitAwaitEpoll.VALUE : ClinitAwaitNio.VALUE);
        if (Strands.kind() == Strands.Kind.HAND_OFF) {
            // A pinned hand-off thread parks its own carrier, not the loop's thread.
            assertEquals("initialized", run(t));
        } else {
            ExceptionInInitializerError e = assertThrows(ExceptionInInitializerError.class, () -> run(t));
            IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(cause.getMessage().contains("class initializer"), cause.getMessage());
            // The loop is unharmed.
            assertEquals("still fine", run(() -> Asyncio.sleep(0.001, "still fine").await()));
        }
    }

    @Test
    void anAwaitedFutureFromAnotherThreadsTaskResumesOnItsLoop() throws Exception {
        Future<String> f = loop.createFuture();
        Task<String> t = loop.createTask(() -> f.await() + "!");
        loop.callSoon(() -> Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> f.setResult("posted"))));
        assertEquals("posted!", run(t));
        assertSame(null, Running.task());
    }

    /** Runs the loop until what is ready now (and what that schedules at once) has run. */
    private void runBriefly() {
        loop.callSoon(loop::stop);
        loop.runForever();
    }
}

package io.jasyncio;

import io.jasyncio.internal.strand.Strands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Queue}, {@link PriorityQueue} and {@link LifoQueue} (SPEC 8), on every loop implementation. */
@Tag("tasks")
abstract class QueueSuite extends LoopTestBase {

    @AfterEach
    void nothingWasReported() {
        assertEquals(List.of(), reported);
    }

    // ---- without waiting ----

    @Test
    void sizesAndTheNowaitCalls() {
        Queue<String> q = new Queue<>(2);
        assertEquals(2, q.maxsize());
        assertTrue(q.empty());
        assertFalse(q.full());
        assertInstanceOf(QueueEmptyException.class, assertThrows(RuntimeException.class, q::getNowait));
        q.putNowait("a");
        q.putNowait("b");
        assertEquals(2, q.qsize());
        assertTrue(q.full());
        assertThrows(QueueFullException.class, () -> q.putNowait("c"));
        assertThrows(NullPointerException.class, () -> q.putNowait(null));
        assertEquals("Queue[maxsize=2, qsize=2, tasks=2]", q.toString());
        assertEquals("a", q.getNowait());
        assertEquals("b", q.getNowait());
        assertTrue(q.empty());

        Queue<Integer> unbounded = new Queue<>();
        Queue<Integer> negative = new Queue<>(-1);
        for (int i = 0; i < 10_000; i++) {
            unbounded.putNowait(i);
            negative.putNowait(i);
        }
        assertFalse(unbounded.full());
        assertFalse(negative.full());
        assertEquals(0, unbounded.maxsize());
        assertEquals(10_000, negative.qsize());
    }

    @Test
    void lifoAndPriorityOrders() {
        LifoQueue<Integer> lifo = new LifoQueue<>();
        PriorityQueue<Integer> natural = new PriorityQueue<>();
        PriorityQueue<String> byLength = new PriorityQueue<>(0, Comparator.comparingInt(String::length));
        for (int i : new int[] {3, 1, 4, 1, 5, 9, 2, 6}) {
            lifo.putNowait(i);
            natural.putNowait(i);
        }
        for (String s : List.of("ccc", "a", "bb")) {
            byLength.putNowait(s);
        }
        List<Integer> lifoOut = new ArrayList<>();
        List<Integer> naturalOut = new ArrayList<>();
        while (!lifo.empty()) {
            lifoOut.add(lifo.getNowait());
            naturalOut.add(natural.getNowait());
        }
        assertEquals(List.of(6, 2, 9, 5, 1, 4, 1, 3), lifoOut);
        assertEquals(List.of(1, 1, 2, 3, 4, 5, 6, 9), naturalOut);
        assertEquals(List.of("a", "bb", "ccc"), List.of(byLength.getNowait(), byLength.getNowait(), byLength.getNowait()));

        PriorityQueue<Object> notComparable = new PriorityQueue<>(1);
        assertThrows(ClassCastException.class, () -> notComparable.putNowait(new Object()));
        LifoQueue<Integer> boundedLifo = new LifoQueue<>(1);
        boundedLifo.putNowait(1);
        assertThrows(QueueFullException.class, () -> boundedLifo.putNowait(2));
    }

    @Test
    void putAndGetThatNeedNotWaitDoNotLetOtherTasksRun() {
        Queue<String> q = new Queue<>(1);
        List<String> order = new ArrayList<>();
        Task<Void> a = loop.createTask(() -> {
            q.put("x");
            order.add("a put");
            order.add("a got " + q.get());
            return null;
        });
        Task<Void> b = loop.createTask(() -> {
            order.add("b");
            return null;
        });
        run(Asyncio.gather(a, b));
        assertEquals(List.of("a put", "a got x", "b"), order);
    }

    @Test
    void taskDoneTooManyTimesIsAnError() {
        Queue<String> q = new Queue<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
        assertEquals("taskDone() called too many times", e.getMessage());
        q.putNowait("a");
        q.getNowait();
        q.taskDone();
        assertThrows(IllegalStateException.class, q::taskDone);
        q.join(); // nothing unfinished: returns at once, even outside a task
    }

    // ---- waiting ----

    @Test
    void gettersAreServedInFifoOrder() {
        Queue<Integer> q = new Queue<>();
        int waiters = LockSuite.WAITERS;
        int[] got = new int[waiters];
        run(() -> {
            Event allQueued = new Event();
            int[] queued = new int[1];
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                int me = i;
                tasks.add(Asyncio.createTask(() -> {
                    if (++queued[0] == waiters) {
                        allQueued.set();
                    }
                    got[me] = q.get();
                    return null;
                }));
            }
            allQueued.await();
            assertEquals("Queue[maxsize=0, qsize=0, getters=" + waiters + "]", q.toString());
            for (int i = 0; i < waiters; i++) {
                q.putNowait(i);
            }
            Asyncio.gatherAll(tasks).await();
            return null;
        });
        assertEquals(IntStream.range(0, waiters).boxed().toList(), IntStream.of(got).boxed().toList());
    }

    @Test
    void puttersAreServedInFifoOrder() {
        Queue<Integer> q = new Queue<>(1);
        int waiters = LockSuite.WAITERS;
        List<Integer> out = new ArrayList<>();
        run(() -> {
            q.putNowait(-1);
            Event allQueued = new Event();
            int[] queued = new int[1];
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                int me = i;
                tasks.add(Asyncio.createTask(() -> {
                    if (++queued[0] == waiters) {
                        allQueued.set();
                    }
                    q.put(me);
                    return null;
                }));
            }
            allQueued.await();
            for (int i = 0; i <= waiters; i++) {
                out.add(q.get());
            }
            Asyncio.gatherAll(tasks).await();
            return null;
        });
        List<Integer> expected = new ArrayList<>(List.of(-1));
        expected.addAll(IntStream.range(0, waiters).boxed().toList());
        assertEquals(expected, out);
    }

    @Test
    void aGetterCancelledJustAfterItWasWokenPassesTheItemOn() {
        Queue<String> q = new Queue<>();
        Task<?>[] tasks = new Task<?>[2];
        String got = run(() -> {
            Event queued = new Event();
            tasks[0] = Asyncio.createTask(q::get);
            tasks[1] = Asyncio.createTask(() -> {
                queued.set();
                return q.get();
            });
            queued.await();
            q.putNowait("item"); // wakes the first getter ...
            assertTrue(tasks[0].cancel()); // ... which is cancelled before it runs
            return (String) tasks[1].await();
        });
        assertEquals("item", got);
        assertTrue(tasks[0].cancelled());
        assertTrue(q.empty());
    }

    @Test
    void aPutterCancelledJustAfterItWasWokenPassesTheSlotOn() {
        Queue<String> q = new Queue<>(1);
        Task<?>[] tasks = new Task<?>[2];
        run(() -> {
            q.putNowait("first");
            Event queued = new Event();
            tasks[0] = Asyncio.createTask(() -> {
                q.put("a");
                return null;
            });
            tasks[1] = Asyncio.createTask(() -> {
                queued.set();
                q.put("b");
                return null;
            });
            queued.await();
            assertEquals("first", q.getNowait()); // wakes the first putter ...
            assertTrue(tasks[0].cancel()); // ... which is cancelled before it runs
            tasks[1].await();
            return null;
        });
        assertTrue(tasks[0].cancelled());
        assertEquals(1, q.qsize());
        assertEquals("b", q.getNowait());
    }

    @Test
    void aCancelledGetterTakesNothing() {
        Queue<String> q = new Queue<>();
        run(() -> {
            Task<String> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0).await();
            getter.cancel();
            assertThrows(CancelledError.class, getter::await);
            q.putNowait("kept");
            return null;
        });
        assertEquals("Queue[maxsize=0, qsize=1, tasks=1]", q.toString());
    }

    @Test
    void joinReturnsOnlyAfterTheLastTaskDone() {
        Queue<Integer> q = new Queue<>(3);
        List<String> order = new ArrayList<>();
        run(() -> {
            q.join(); // nothing put yet: at once
            for (int i = 0; i < 3; i++) {
                q.putNowait(i);
            }
            Task<Void> joiner = Asyncio.createTask(() -> {
                q.join();
                order.add("joined");
                return null;
            });
            for (int i = 0; i < 3; i++) {
                q.get();
                Asyncio.sleep(0).await();
                order.add("done " + i);
                q.taskDone();
                Asyncio.sleep(0).await();
            }
            joiner.await();
            return null;
        });
        assertEquals(List.of("done 0", "done 1", "done 2", "joined"), order);
    }

    @Test
    void waitingOutsideATaskIsAnError() {
        Queue<String> q = new Queue<>();
        Throwable[] seen = new Throwable[3];
        loop.callSoon(() -> {
            try {
                q.get();
            } catch (Throwable e) {
                seen[0] = e;
            }
            q.putNowait("x");
            try {
                q.join();
            } catch (Throwable e) {
                seen[1] = e;
            }
            Queue<String> full = new Queue<>(1);
            full.putNowait("y");
            try {
                full.put("z");
            } catch (Throwable e) {
                seen[2] = e;
            }
            loop.stop();
        });
        loop.runForever();
        for (Throwable e : seen) {
            assertInstanceOf(IllegalStateException.class, e);
        }
    }

    @Test
    void aQueueBelongsToTheLoopOfItsFirstWaiter() {
        Queue<String> q = new Queue<>();
        run(() -> {
            Task<String> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0).await();
            q.putNowait("x");
            return getter.await();
        });
        SelectorEventLoop other = new SelectorEventLoop(backend());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.runUntilComplete(q::get));
            assertTrue(e.getMessage().contains("different event loop"), e.getMessage());
        } finally {
            other.close();
        }
    }

    // ---- shutdown ----

    @Test
    void afterShutdownPutsFailAndGetsDrainTheQueueFirst() {
        Queue<String> q = new Queue<>();
        q.putNowait("a");
        q.putNowait("b");
        q.shutdown();
        assertThrows(QueueShutDownException.class, () -> q.putNowait("c"));
        assertEquals("Queue[maxsize=0, qsize=2, tasks=2, shutdown]", q.toString());
        run(() -> {
            assertThrows(QueueShutDownException.class, () -> q.put("c"));
            assertEquals("a", q.get());
            assertEquals("b", q.getNowait());
            assertThrows(QueueShutDownException.class, q::get);
            assertThrows(QueueShutDownException.class, q::getNowait);
            // join still waits for the items taken: shutdown(false) does not finish them
            Task<Void> joiner = Asyncio.createTask(() -> {
                q.join();
                return null;
            });
            Asyncio.sleep(0).await();
            assertFalse(joiner.done());
            q.taskDone();
            q.taskDone();
            joiner.await();
            return null;
        });
    }

    @Test
    void shutdownWakesBlockedGettersAndPutters() {
        Queue<String> empty = new Queue<>();
        Queue<String> full = new Queue<>(1);
        full.putNowait("x");
        run(() -> {
            List<Task<?>> getters = new ArrayList<>();
            List<Task<?>> putters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                getters.add(Asyncio.createTask(empty::get));
                putters.add(Asyncio.createTask(() -> {
                    full.put("y");
                    return null;
                }));
            }
            Asyncio.sleep(0).await();
            assertEquals("Queue[maxsize=0, qsize=0, getters=3]", empty.toString());
            assertEquals("Queue[maxsize=1, qsize=1, putters=3, tasks=1]", full.toString());
            empty.shutdown(false);
            full.shutdown(false);
            for (Task<?> t : getters) {
                assertThrows(QueueShutDownException.class, t::await);
            }
            for (Task<?> t : putters) {
                assertThrows(QueueShutDownException.class, t::await);
            }
            assertEquals("x", full.get(), "shutdown(false) keeps what is queued");
            return null;
        });
    }

    @Test
    void immediateShutdownDiscardsTheItemsAndReleasesJoin() {
        Queue<String> q = new Queue<>();
        run(() -> {
            for (String s : List.of("a", "b", "c")) {
                q.putNowait(s);
            }
            assertEquals("a", q.getNowait()); // taken, not yet finished
            Task<Void> joiner = Asyncio.createTask(() -> {
                q.join();
                return null;
            });
            Asyncio.sleep(0).await();
            q.shutdown(true);
            assertTrue(q.empty());
            assertThrows(QueueShutDownException.class, q::get);
            Asyncio.sleep(0).await();
            assertFalse(joiner.done(), "the taken item is still unfinished");
            q.taskDone();
            joiner.await();
            assertThrows(IllegalStateException.class, q::taskDone);
            return null;
        });
    }

    @Test
    void immediateShutdownWakesGettersAndJoinAtOnce() {
        Queue<String> empty = new Queue<>();
        Queue<String> pending = new Queue<>();
        run(() -> {
            pending.putNowait("a");
            pending.putNowait("b");
            Task<String> getter = Asyncio.createTask(empty::get);
            Task<Void> joiner = Asyncio.createTask(() -> {
                pending.join();
                return null;
            });
            Asyncio.sleep(0).await();
            assertFalse(getter.done() || joiner.done());
            empty.shutdown(true);
            pending.shutdown(true);
            assertThrows(QueueShutDownException.class, getter::await);
            joiner.await(); // the discarded items count as finished
            assertTrue(pending.empty());
            assertThrows(IllegalStateException.class, pending::taskDone);
            pending.shutdown(true); // again: nothing left to do
            return null;
        });
    }

    // ---- volume ----

    /**
     * Moves {@code 1 000 000} distinct items from two producers to three consumers through a queue of
     * 100, checking that none is lost or duplicated, that each producer's items come out in the
     * order it put them, and that join returns only after the last taskDone. It prints its time:
     * well under a second on either strand.
     */
    @Test
    void producersAndConsumersMoveEveryItemExactlyOnce() {
        int items = 1_000_000;
        int producers = 2;
        int consumers = 3;
        Queue<Integer> q = new Queue<>(100);
        BitSet seen = new BitSet(items);
        int[] duplicates = new int[1];
        int[] lastFromProducer = new int[producers];
        int[] outOfOrder = new int[1];
        int[] finishedItems = new int[1];
        int[] atJoin = new int[1];
        long[] starved = new long[2];
        long t0 = System.nanoTime();
        run(() -> {
            java.util.Arrays.fill(lastFromProducer, -1);
            List<Task<Integer>> consumerTasks = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                consumerTasks.add(Asyncio.createTask(() -> {
                    int count = 0;
                    while (true) {
                        int item;
                        try {
                            item = q.get();
                        } catch (QueueShutDownException e) {
                            return count;
                        }
                        if (seen.get(item)) {
                            duplicates[0]++;
                        }
                        seen.set(item);
                        int producer = item % producers;
                        if (item <= lastFromProducer[producer]) {
                            outOfOrder[0]++;
                        }
                        lastFromProducer[producer] = item;
                        if (++count % 50 == 0) {
                            Asyncio.sleep(0).await(); // let the others in
                        }
                        finishedItems[0]++;
                        q.taskDone();
                    }
                }));
            }
            List<Task<Void>> producerTasks = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int first = p;
                producerTasks.add(Asyncio.createTask(() -> {
                    int sent = 0;
                    for (int item = first; item < items; item += producers) {
                        if (q.empty()) {
                            starved[0]++; // the consumers have caught up and wait in get()
                        } else if (q.full()) {
                            starved[1]++; // this producer waits in put()
                        }
                        q.put(item);
                        // Alternate slow phases (the consumers catch up and wait in get) with
                        // fast ones (the queue fills and the producers wait in put).
                        boolean slowPhase = (++sent / 5000) % 2 == 0;
                        if (sent % (slowPhase ? 20 : 1000) == 0) {
                            Asyncio.sleep(0).await();
                        }
                    }
                    return null;
                }));
            }
            Asyncio.gatherAll(producerTasks).await();
            q.join();
            atJoin[0] = finishedItems[0];
            q.shutdown();
            int total = 0;
            for (Task<Integer> c : consumerTasks) {
                total += c.await();
            }
            assertEquals(items, total);
            return null;
        });
        // Timing belongs to bench/, not to the test output: the figures appear only if this fails.
        long millis = (System.nanoTime() - t0) / 1_000_000;
        String run = String.format("%s, %s: %,d items through Queue(100) in %d ms (%,d puts found it empty, %,d full)",
                backend(), Strands.kind(), items, millis, starved[0], starved[1]);
        assertTrue(starved[0] > 1000 && starved[1] > 1000, "the test must make both getters and putters wait: " + run);
        assertEquals(items, atJoin[0], "join returned before the last taskDone: " + run);
        assertEquals(0, duplicates[0], run);
        assertEquals(items, seen.cardinality(), "items were lost: " + run);
        assertEquals(0, outOfOrder[0], run);
        assertTrue(q.empty());
    }

    @Test
    void itemsAreNotCopiedOrWrapped() {
        Queue<Object> q = new Queue<>();
        Object item = new Object();
        q.putNowait(item);
        assertSame(item, q.getNowait());
    }
}

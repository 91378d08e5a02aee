package io.jasyncio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Lock} (SPEC 7), on every loop implementation. Tasks announce "about to wait" by setting an
 * {@link Event} in the same step as the call that suspends them, so when the test's main task
 * resumes from that event, they are queued: no test relies on timing.
 */
@Tag("tasks")
abstract class LockSuite extends LoopTestBase {
    static final int WAITERS = 1000;

    @AfterEach
    void nothingWasReported() {
        assertEquals(List.of(), reported);
    }

    @Test
    void waitingCallsReturnTrueAsAsyncioDoes() {
        Lock lock = new Lock();
        Semaphore semaphore = new Semaphore(1);
        Event event = new Event();
        Condition condition = new Condition();
        run(() -> {
            assertTrue(lock.acquire());
            assertTrue(semaphore.acquire());
            event.set();
            assertTrue(event.await());
            assertTrue(condition.acquire());
            assertTrue(condition.waitFor(() -> true));
            condition.release();
            lock.release();
            semaphore.release();
            return null;
        });
    }

    @Test
    void anUncontendedAcquireDoesNotLetOtherTasksRun() {
        Lock lock = new Lock();
        List<String> order = new ArrayList<>();
        Task<Void> a = loop.createTask(() -> {
            lock.acquire();
            order.add("a acquired");
            lock.release();
            try (Held held = lock.hold()) {
                order.add("a holds: " + lock.locked());
            }
            order.add("a released: " + lock.locked());
            return null;
        });
        Task<Void> b = loop.createTask(() -> {
            order.add("b");
            return null;
        });
        run(Asyncio.gather(a, b));
        assertEquals(List.of("a acquired", "a holds: true", "a released: false", "b"), order);
    }

    @Test
    void releasingAnUnlockedLockIsAnError() {
        Lock lock = new Lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
        assertEquals("Lock is not acquired.", e.getMessage());
        run(() -> {
            Held held = lock.hold();
            held.close();
            held.close(); // only the first close releases
            assertFalse(lock.locked());
            lock.acquire();
            held.close(); // still nothing: the hold is not this Held's
            assertTrue(lock.locked());
            lock.release();
            return null;
        });
        assertThrows(IllegalStateException.class, lock::release);
    }

    @Test
    void holdReleasesWhenTheBlockThrows() {
        Lock lock = new Lock();
        assertThrows(ArithmeticException.class, () -> run(() -> {
            try (Held held = lock.hold()) {
                throw new ArithmeticException("inside");
            }
        }));
        assertFalse(lock.locked());
    }

    @Test
    void anyTaskMayReleaseIt() {
        Lock lock = new Lock();
        run(() -> {
            lock.acquire();
            Asyncio.createTask(() -> {
                lock.release();
                return null;
            }).await();
            assertFalse(lock.locked());
            return null;
        });
    }

    @Test
    void waitersGetTheLockInFifoOrder() {
        Lock lock = new Lock();
        List<Integer> order = new ArrayList<>();
        run(() -> {
            lock.acquire();
            Event allQueued = new Event();
            int[] queued = new int[1];
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < WAITERS; i++) {
                int me = i;
                tasks.add(Asyncio.createTask(() -> {
                    if (++queued[0] == WAITERS) {
                        allQueued.set();
                    }
                    try (Held held = lock.hold()) {
                        order.add(me);
                        Asyncio.sleep(0).await(); // hold it across a suspension
                    }
                    return null;
                }));
            }
            allQueued.await();
            assertEquals("Lock[locked, waiters:" + WAITERS + "]", lock.toString());
            lock.release();
            Asyncio.gatherAll(tasks).await();
            return null;
        });
        assertEquals(IntStream.range(0, WAITERS).boxed().toList(), order);
        assertFalse(lock.locked());
        assertEquals("Lock[unlocked]", lock.toString());
    }

    @Test
    void aNewcomerWaitsBehindAWokenWaiter() {
        Lock lock = new Lock();
        List<String> order = new ArrayList<>();
        run(() -> {
            lock.acquire();
            Event aQueued = new Event();
            Task<Void> a = Asyncio.createTask(() -> {
                aQueued.set();
                lock.acquire();
                order.add("a");
                lock.release();
                return null;
            });
            aQueued.await();
            lock.release();
            // As in asyncio, the lock reads as free until the woken task runs, but it is not up
            // for grabs: the newcomer queues behind it.
            assertFalse(lock.locked());
            lock.acquire();
            order.add("main");
            lock.release();
            a.await();
            return null;
        });
        assertEquals(List.of("a", "main"), order);
    }

    @Test
    void aWaiterCancelledJustAfterItWasWokenPassesTheLockOn() {
        Lock lock = new Lock();
        List<String> order = new ArrayList<>();
        Task<?>[] tasks = new Task<?>[2];
        run(() -> {
            lock.acquire();
            Event queued = new Event();
            tasks[0] = Asyncio.createTask(() -> {
                lock.acquire();
                order.add("a acquired");
                lock.release();
                return null;
            });
            tasks[1] = Asyncio.createTask(() -> {
                queued.set();
                lock.acquire();
                order.add("b acquired");
                lock.release();
                return null;
            });
            queued.await();
            lock.release(); // wakes a ...
            assertTrue(tasks[0].cancel()); // ... which is cancelled before it runs
            Asyncio.gather(true, tasks).await();
            return null;
        });
        assertTrue(tasks[0].cancelled());
        assertEquals(List.of("b acquired"), order);
        assertFalse(lock.locked());
    }

    @Test
    void aWaiterCancelledWhileWaitingGivesUpItsPlace() {
        Lock lock = new Lock();
        List<String> order = new ArrayList<>();
        run(() -> {
            lock.acquire();
            Event queued = new Event();
            Task<Void> a = Asyncio.createTask(() -> {
                try {
                    lock.acquire();
                    order.add("a acquired");
                } catch (CancelledError e) {
                    order.add("a cancelled, lock " + (lock.locked() ? "locked" : "unlocked"));
                    throw e;
                }
                return null;
            });
            Task<Void> b = Asyncio.createTask(() -> {
                queued.set();
                lock.acquire();
                order.add("b acquired");
                lock.release();
                return null;
            });
            queued.await();
            a.cancel();
            Asyncio.sleep(0).await(); // a runs its cancellation while main still holds the lock
            lock.release();
            b.await();
            assertTrue(a.cancelled());
            return null;
        });
        assertEquals(List.of("a cancelled, lock locked", "b acquired"), order);
    }

    @Test
    void onlyCancelledWaitersDoNotKeepAFreeLockFromBeingTaken() {
        Lock lock = new Lock();
        List<String> order = new ArrayList<>();
        run(() -> {
            lock.acquire();
            Event queued = new Event();
            Task<Void> a = Asyncio.createTask(() -> {
                queued.set();
                try {
                    lock.acquire();
                } catch (CancelledError e) {
                    order.add("a cancelled");
                    throw e;
                }
                return null;
            });
            queued.await();
            a.cancel(); // a's place is cancelled, but a has not run yet
            lock.release();
            lock.acquire(); // takes the lock at once: nothing runs in between
            order.add("main acquired");
            assertThrows(CancelledError.class, a::await);
            lock.release();
            return null;
        });
        assertEquals(List.of("main acquired", "a cancelled"), order);
    }

    @Test
    void waitingOutsideATaskIsAnError() throws Exception {
        Lock lock = new Lock();
        Throwable[] seen = new Throwable[2];
        loop.callSoon(() -> {
            lock.acquire(); // free: fine even in a callback, as it does not wait
            try {
                lock.acquire();
            } catch (Throwable e) {
                seen[0] = e;
            }
            loop.stop();
        });
        loop.runForever();
        assertInstanceOf(IllegalStateException.class, seen[0]);
        assertTrue(seen[0].getMessage().contains("inside a task"), seen[0].getMessage());
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                lock.acquire();
            } catch (Throwable e) {
                seen[1] = e;
            }
        });
        other.join(10_000);
        assertInstanceOf(IllegalStateException.class, seen[1]);
        assertTrue(lock.locked());
    }

    @Test
    void aLockBelongsToTheLoopOfItsFirstWaiter() {
        Lock lock = new Lock();
        run(() -> {
            lock.acquire();
            Task<Void> waiter = Asyncio.createTask(() -> {
                lock.acquire(); // waits: binds the lock to this loop
                return null;
            });
            Asyncio.sleep(0).await();
            lock.release();
            waiter.await();
            return null;
        });
        assertTrue(lock.locked());
        SelectorEventLoop other = new SelectorEventLoop(backend());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> other.runUntilComplete(() -> {
                        lock.acquire();
                        return null;
                    }));
            assertTrue(e.getMessage().contains("different event loop"), e.getMessage());
        } finally {
            other.close();
        }
    }

    @Test
    void randomCancellationsNeverLoseARelease() {
        Lock lock = new Lock();
        Random random = new Random(42);
        int[] holders = new int[1];
        int[] rounds = new int[1];
        run(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                tasks.add(Asyncio.createTask(() -> {
                    for (int round = 0; round < 3; round++) {
                        try (Held held = lock.hold()) {
                            holders[0]++;
                            assertEquals(1, holders[0], "two tasks hold the lock");
                            try {
                                Asyncio.sleep(0).await();
                            } finally {
                                holders[0]--;
                            }
                        }
                        rounds[0]++;
                    }
                    return null;
                }));
            }
            while (tasks.stream().anyMatch(t -> !t.done())) {
                Task<Void> victim = tasks.get(random.nextInt(tasks.size()));
                if (random.nextInt(4) == 0) {
                    victim.cancel();
                }
                Asyncio.sleep(0).await();
            }
            for (Task<Void> t : tasks) {
                if (!t.cancelled()) {
                    t.result(); // rethrows a failed assertion
                }
            }
            return null;
        });
        assertFalse(lock.locked(), "a release was lost");
        assertTrue(rounds[0] > 0);
    }

    @Test
    void closingTheLoopUnwindsTasksWaitingOnAnyPrimitive() {
        Lock lock = new Lock();
        Condition condition = new Condition();
        Queue<String> empty = new Queue<>();
        Queue<String> full = new Queue<>(1);
        Map<String, Coroutine<?>> waits = new LinkedHashMap<>();
        waits.put("lock", () -> {
            lock.acquire();
            return null;
        });
        waits.put("condition", () -> {
            try (Held held = condition.hold()) {
                condition.await();
            }
            return null;
        });
        Event event = new Event();
        waits.put("event", () -> {
            event.await();
            return null;
        });
        Semaphore semaphore = new Semaphore(0);
        waits.put("semaphore", () -> {
            semaphore.acquire();
            return null;
        });
        waits.put("get", empty::get);
        waits.put("put", () -> {
            full.put("y");
            return null;
        });
        Barrier barrier = new Barrier(2);
        waits.put("barrier", barrier::await);
        Set<String> unwound = new TreeSet<>();
        run(() -> {
            lock.acquire();
            full.putNowait("x");
            for (Map.Entry<String, Coroutine<?>> e : waits.entrySet()) {
                Asyncio.createTask(() -> {
                    try {
                        return e.getValue().call();
                    } finally {
                        unwound.add(e.getKey());
                    }
                });
            }
            Asyncio.sleep(0).await();
            return null;
        });
        loop.close();
        assertEquals(new TreeSet<>(waits.keySet()), unwound);
        assertFalse(condition.locked(), "the condition's Held released the lock it took back");
        assertEquals(waits.size(), reported.size(), "each pending task is reported once");
        reported.clear();
    }
}

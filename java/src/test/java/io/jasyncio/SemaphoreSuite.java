package io.jasyncio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Semaphore} and {@link BoundedSemaphore} (SPEC 7), on every loop implementation. */
@Tag("tasks")
abstract class SemaphoreSuite extends LoopTestBase {

    @AfterEach
    void nothingWasReported() {
        assertEquals(List.of(), reported);
    }

    @Test
    void aNegativeInitialValueIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertEquals("Semaphore initial value must be >= 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
    }

    @Test
    void permitsAreTakenWithoutLettingOtherTasksRun() {
        Semaphore semaphore = new Semaphore(2);
        List<String> order = new ArrayList<>();
        Task<Void> a = loop.createTask(() -> {
            semaphore.acquire();
            try (Held held = semaphore.hold()) {
                order.add("a has both, locked: " + semaphore.locked());
            }
            semaphore.release();
            order.add("a released both, locked: " + semaphore.locked());
            return null;
        });
        Task<Void> b = loop.createTask(() -> {
            order.add("b");
            return null;
        });
        run(Asyncio.gather(a, b));
        assertEquals(List.of("a has both, locked: true", "a released both, locked: false", "b"), order);
        assertEquals(2, semaphore.value);
        assertEquals("Semaphore[unlocked, value:2]", semaphore.toString());
        assertTrue(new Semaphore(0).locked());
    }

    @Test
    void boundedSemaphoreRefusesToBeReleasedAboveItsInitialValue() {
        BoundedSemaphore semaphore = new BoundedSemaphore(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, semaphore::release);
        assertEquals("BoundedSemaphore released too many times", e.getMessage());
        run(() -> {
            Held held = semaphore.hold();
            semaphore.acquire();
            semaphore.release();
            held.close();
            held.close(); // only the first close releases
            return null;
        });
        assertThrows(IllegalStateException.class, semaphore::release);
        assertEquals(2, semaphore.value);
        Semaphore plain = new Semaphore(1);
        plain.release();
        assertEquals(2, plain.value, "a plain semaphore does not check");
    }

    @Test
    void waitersGetPermitsInFifoOrder() {
        int waiters = LockSuite.WAITERS;
        int permits = 3;
        Semaphore semaphore = new Semaphore(permits);
        List<Integer> order = new ArrayList<>();
        int[] holders = new int[1];
        run(() -> {
            for (int i = 0; i < permits; i++) {
                semaphore.acquire();
            }
            Event allQueued = new Event();
            int[] queued = new int[1];
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                int me = i;
                tasks.add(Asyncio.createTask(() -> {
                    if (++queued[0] == waiters) {
                        allQueued.set();
                    }
                    try (Held held = semaphore.hold()) {
                        order.add(me);
                        assertTrue(++holders[0] <= permits);
                        Asyncio.sleep(0).await(); // keep the permit across a suspension
                        holders[0]--;
                    }
                    return null;
                }));
            }
            allQueued.await();
            for (int i = 0; i < permits; i++) {
                semaphore.release();
            }
            Asyncio.gatherAll(tasks).await();
            return null;
        });
        assertEquals(IntStream.range(0, waiters).boxed().toList(), order);
        assertEquals(permits, semaphore.value);
    }

    @Test
    void releasesWakeWaitersOfAnEmptySemaphoreInFifoOrder() {
        int waiters = LockSuite.WAITERS;
        Semaphore semaphore = new Semaphore(0);
        List<Integer> order = new ArrayList<>();
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
                    semaphore.acquire();
                    order.add(me);
                    return null;
                }));
            }
            allQueued.await();
            for (int i = 0; i < waiters; i++) {
                semaphore.release();
            }
            Asyncio.gatherAll(tasks).await();
            return null;
        });
        assertEquals(IntStream.range(0, waiters).boxed().toList(), order);
        assertEquals(0, semaphore.value);
    }

    @Test
    void aWaiterCancelledJustAfterItGotAPermitPassesItOn() {
        Semaphore semaphore = new Semaphore(0);
        List<String> order = new ArrayList<>();
        Task<?>[] tasks = new Task<?>[2];
        run(() -> {
            Event queued = new Event();
            tasks[0] = Asyncio.createTask(() -> {
                semaphore.acquire();
                order.add("a acquired");
                return null;
            });
            tasks[1] = Asyncio.createTask(() -> {
                queued.set();
                semaphore.acquire();
                order.add("b acquired");
                return null;
            });
            queued.await();
            semaphore.release(); // hands the permit to a ...
            assertTrue(tasks[0].cancel()); // ... which is cancelled before it runs
            Asyncio.gather(true, tasks).await();
            return null;
        });
        assertTrue(tasks[0].cancelled());
        assertEquals(List.of("b acquired"), order);
        assertEquals(0, semaphore.value);
    }

    @Test
    void aNewcomerWaitsBehindQueuedTasksEvenWithAPermitFree() {
        Semaphore semaphore = new Semaphore(0);
        List<String> order = new ArrayList<>();
        run(() -> {
            Event queued = new Event();
            Task<Void> a = Asyncio.createTask(() -> {
                queued.set();
                semaphore.acquire();
                order.add("a");
                return null;
            });
            queued.await();
            semaphore.release(); // a's permit (a has not run yet)
            semaphore.release(); // a free permit...
            assertEquals(1, semaphore.value);
            assertTrue(semaphore.locked(), "... which a newcomer cannot take while a is queued");
            Task<Void> c = Asyncio.createTask(() -> {
                semaphore.acquire();
                order.add("c");
                return null;
            });
            Asyncio.gather(a, c).await();
            return null;
        });
        assertEquals(List.of("a", "c"), order);
        assertEquals(0, semaphore.value);
    }

    @Test
    void randomCancellationsNeverLoseAPermit() {
        int permits = 3;
        Semaphore semaphore = new BoundedSemaphore(permits);
        Random random = new Random(7);
        int[] holders = new int[1];
        int[] most = new int[1];
        run(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                tasks.add(Asyncio.createTask(() -> {
                    for (int round = 0; round < 3; round++) {
                        try (Held held = semaphore.hold()) {
                            holders[0]++;
                            most[0] = Math.max(most[0], holders[0]);
                            try {
                                Asyncio.sleep(0).await();
                            } finally {
                                holders[0]--;
                            }
                        }
                    }
                    return null;
                }));
            }
            while (tasks.stream().anyMatch(t -> !t.done())) {
                if (random.nextInt(3) == 0) {
                    tasks.get(random.nextInt(tasks.size())).cancel();
                }
                if (random.nextInt(5) == 0) {
                    // A newcomer that takes a permit without waiting when it can.
                    if (!semaphore.locked()) {
                        semaphore.acquire();
                        semaphore.release();
                    }
                }
                Asyncio.sleep(0).await();
            }
            for (Task<Void> t : tasks) {
                if (!t.cancelled()) {
                    t.result();
                }
            }
            return null;
        });
        assertEquals(permits, most[0]);
        assertEquals(permits, semaphore.value, "a permit was lost or made up");
        assertFalse(semaphore.locked());
    }
}

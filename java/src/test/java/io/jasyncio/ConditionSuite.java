package io.jasyncio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Condition} (SPEC 7), on every loop implementation. */
@Tag("tasks")
abstract class ConditionSuite extends LoopTestBase {

    @AfterEach
    void nothingWasReported() {
        assertEquals(List.of(), reported);
    }

    @Test
    void waitingOrSignallingWithoutTheLockIsAnError() {
        Condition condition = new Condition();
        run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, condition::await);
            assertEquals("cannot wait on un-acquired lock", e.getMessage());
            e = assertThrows(IllegalStateException.class, condition::signal);
            assertEquals("cannot notify on un-acquired lock", e.getMessage());
            assertThrows(IllegalStateException.class, () -> condition.signal(3));
            assertThrows(IllegalStateException.class, condition::signalAll);
            assertThrows(IllegalStateException.class, () -> condition.waitFor(() -> false));
            assertThrows(IllegalStateException.class, condition::release);
            return null;
        });
        assertThrows(NullPointerException.class, () -> new Condition(null));
    }

    @Test
    void waitForChecksThePredicateFirstAndReturnsWithTheLockHeld() {
        Condition condition = new Condition();
        List<String> items = new ArrayList<>();
        String got = run(() -> {
            condition.waitFor(() -> true); // true at once: no lock needed, no suspension
            Task<String> consumer = Asyncio.createTask(() -> {
                try (Held held = condition.hold()) {
                    condition.waitFor(() -> !items.isEmpty());
                    assertTrue(condition.locked());
                    return items.remove(0);
                }
            });
            for (String item : List.of("x")) {
                Asyncio.sleep(0).await();
                try (Held held = condition.hold()) {
                    condition.signal(); // a spurious wake-up first: the predicate is still false
                }
                Asyncio.sleep(0).await();
                try (Held held = condition.hold()) {
                    items.add(item);
                    condition.signal();
                }
            }
            return consumer.await();
        });
        assertEquals("x", got);
        assertFalse(condition.locked());
    }

    @Test
    void signalWakesWaitersInFifoOrder() {
        Condition condition = new Condition();
        int waiters = LockSuite.WAITERS;
        List<Integer> order = new ArrayList<>();
        run(() -> {
            Event allQueued = new Event();
            int[] queued = new int[1];
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                int me = i;
                tasks.add(Asyncio.createTask(() -> {
                    try (Held held = condition.hold()) {
                        if (++queued[0] == waiters) {
                            allQueued.set();
                        }
                        condition.await();
                        order.add(me);
                        Asyncio.sleep(0).await(); // keep the lock across a suspension
                    }
                    return null;
                }));
            }
            allQueued.await();
            assertEquals("Condition[unlocked, waiters:" + waiters + "]", condition.toString());
            try (Held held = condition.hold()) {
                condition.signal(2);
                condition.signal();
            }
            while (order.size() < 3) {
                Asyncio.sleep(0).await();
            }
            for (int k = 0; k < 10; k++) {
                Asyncio.sleep(0).await();
            }
            assertEquals(List.of(0, 1, 2), order, "exactly three were signalled");
            try (Held held = condition.hold()) {
                condition.signalAll();
            }
            Asyncio.gatherAll(tasks).await();
            return null;
        });
        assertEquals(IntStream.range(0, waiters).boxed().toList(), order);
        assertFalse(condition.locked());
    }

    @Test
    void aWaiterCancelledJustAfterItWasSignalledPassesTheSignalOn() {
        Condition condition = new Condition();
        List<String> order = new ArrayList<>();
        Task<?>[] tasks = new Task<?>[2];
        run(() -> {
            Event queued = new Event();
            tasks[0] = Asyncio.createTask(() -> {
                try (Held held = condition.hold()) {
                    try {
                        condition.await();
                        order.add("a woken");
                    } catch (CancelledError e) {
                        order.add("a cancelled, holding the lock: " + condition.locked());
                        throw e;
                    }
                }
                return null;
            });
            tasks[1] = Asyncio.createTask(() -> {
                try (Held held = condition.hold()) {
                    queued.set();
                    condition.await();
                    order.add("b woken");
                }
                return null;
            });
            queued.await();
            try (Held held = condition.hold()) {
                condition.signal(); // chooses a ...
            }
            tasks[0].cancel(); // ... which is cancelled before it runs
            Asyncio.gather(true, tasks).await();
            return null;
        });
        assertTrue(tasks[0].cancelled());
        assertEquals(List.of("a cancelled, holding the lock: true", "b woken"), order);
        assertFalse(condition.locked());
    }

    @Test
    void aCancelledWaiterTakesTheLockBackBeforeItLeaves() {
        Condition condition = new Condition();
        List<String> order = new ArrayList<>();
        run(() -> {
            Event queued = new Event();
            Task<Void> a = Asyncio.createTask(() -> {
                try (Held held = condition.hold()) {
                    queued.set();
                    try {
                        condition.await();
                    } catch (CancelledError e) {
                        order.add("a cancelled, holding the lock: " + condition.locked());
                        throw e;
                    }
                }
                return null;
            });
            queued.await();
            condition.acquire();
            a.cancel();
            for (int k = 0; k < 5; k++) {
                Asyncio.sleep(0).await();
            }
            assertFalse(a.done(), "a must wait for the lock before its cancellation surfaces");
            order.add("main releases");
            condition.release();
            assertThrows(CancelledError.class, a::await);
            return null;
        });
        assertEquals(List.of("main releases", "a cancelled, holding the lock: true"), order);
        assertFalse(condition.locked());
    }

    @Test
    void conditionsCanShareALock() {
        Lock lock = new Lock();
        Condition notEmpty = new Condition(lock);
        Condition notFull = new Condition(lock);
        List<Integer> buffer = new ArrayList<>();
        List<Integer> consumed = new ArrayList<>();
        run(() -> {
            Task<Void> consumer = Asyncio.createTask(() -> {
                for (int i = 0; i < 20; i++) {
                    try (Held held = notEmpty.hold()) {
                        notEmpty.waitFor(() -> !buffer.isEmpty());
                        consumed.add(buffer.remove(0));
                        notFull.signal();
                    }
                }
                return null;
            });
            for (int i = 0; i < 20; i++) {
                try (Held held = notFull.hold()) {
                    assertTrue(lock.locked() && notEmpty.locked());
                    notFull.waitFor(() -> buffer.size() < 2);
                    buffer.add(i);
                    notEmpty.signal();
                }
            }
            consumer.await();
            return null;
        });
        assertEquals(IntStream.range(0, 20).boxed().toList(), consumed);
        assertFalse(lock.locked());
    }
}

package io.jasyncio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Event} (SPEC 7), on every loop implementation. */
@Tag("tasks")
abstract class EventSuite extends LoopTestBase {

    @AfterEach
    void nothingWasReported() {
        assertEquals(List.of(), reported);
    }

    @Test
    void setClearAndIsSet() {
        Event event = new Event();
        assertFalse(event.isSet());
        event.set();
        assertTrue(event.isSet());
        event.set();
        assertTrue(event.isSet());
        event.clear();
        assertFalse(event.isSet());
        assertEquals("Event[unset]", event.toString());
    }

    @Test
    void awaitingASetEventDoesNotLetOtherTasksRun() {
        Event event = new Event();
        event.set();
        List<String> order = new ArrayList<>();
        Task<Void> a = loop.createTask(() -> {
            event.await();
            order.add("a");
            return null;
        });
        Task<Void> b = loop.createTask(() -> {
            order.add("b");
            return null;
        });
        run(Asyncio.gather(a, b));
        assertEquals(List.of("a", "b"), order);
        // Set, it needs no task at all.
        event.await();
    }

    @Test
    void setWakesEveryWaiterInFifoOrder() {
        Event event = new Event();
        int waiters = LockSuite.WAITERS;
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
                    event.await();
                    order.add(me);
                    return null;
                }));
            }
            allQueued.await();
            assertEquals("Event[unset, waiters:" + waiters + "]", event.toString());
            event.set();
            assertEquals(List.of(), order, "waiters run later, not inside set()");
            Asyncio.gatherAll(tasks).await();
            return null;
        });
        assertEquals(IntStream.range(0, waiters).boxed().toList(), order);
        assertEquals("Event[set]", event.toString());
    }

    @Test
    void aWokenWaiterReturnsEvenIfTheEventWasClearedAgain() {
        Event event = new Event();
        run(() -> {
            Event queued = new Event();
            Task<String> waiter = Asyncio.createTask(() -> {
                queued.set();
                event.await();
                return "woken";
            });
            queued.await();
            event.set();
            event.clear();
            assertEquals("woken", waiter.await());
            return null;
        });
        assertFalse(event.isSet());
    }

    @Test
    void aCancelledWaiterLeavesTheOthersWaiting() {
        Event event = new Event();
        List<String> order = new ArrayList<>();
        run(() -> {
            Event queued = new Event();
            Task<Void> a = Asyncio.createTask(() -> {
                event.await();
                order.add("a");
                return null;
            });
            Task<Void> b = Asyncio.createTask(() -> {
                queued.set();
                event.await();
                order.add("b");
                return null;
            });
            queued.await();
            a.cancel("stop");
            CancelledError e = assertThrows(CancelledError.class, a::await);
            assertEquals("stop", e.getMessage());
            assertEquals("Event[unset, waiters:1]", event.toString());
            event.set();
            b.await();
            return null;
        });
        assertEquals(List.of("b"), order);
    }

    @Test
    void waitingOutsideATaskIsAnError() {
        Event event = new Event();
        Throwable[] seen = new Throwable[1];
        loop.callSoon(() -> {
            try {
                event.await();
            } catch (Throwable e) {
                seen[0] = e;
            }
            loop.stop();
        });
        loop.runForever();
        assertInstanceOf(IllegalStateException.class, seen[0]);
    }

    @Test
    void anEventBelongsToTheLoopOfItsFirstWaiter() {
        Event event = new Event();
        run(() -> {
            Task<Void> waiter = Asyncio.createTask(() -> {
                event.await();
                return null;
            });
            Asyncio.sleep(0).await();
            event.set();
            waiter.await();
            return null;
        });
        event.clear();
        SelectorEventLoop other = new SelectorEventLoop(backend());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> other.runUntilComplete(() -> {
                        event.await();
                        return null;
                    }));
            assertTrue(e.getMessage().contains("different event loop"), e.getMessage());
        } finally {
            other.close();
        }
    }
}

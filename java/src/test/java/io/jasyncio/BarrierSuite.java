package io.jasyncio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Barrier} (SPEC 3 and 7), on every loop implementation. */
@Tag("tasks")
abstract class BarrierSuite extends LoopTestBase {

    @AfterEach
    void nothingWasReported() {
        assertEquals(List.of(), reported);
    }

    @Test
    void fewerThanOnePartyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertEquals("parties must be >= 1", e.getMessage());
    }

    @Test
    void aBarrierOfOneNeverWaits() {
        Barrier barrier = new Barrier(1);
        assertEquals(List.of(0, 0), run(() -> List.of(barrier.await(), barrier.await())));
    }

    @Test
    void thePartiesGoOnTogetherWithDistinctIndicesRoundAfterRound() {
        int parties = 3;
        Barrier barrier = new Barrier(parties);
        List<String> order = new ArrayList<>();
        List<Integer> seenWaiting = new ArrayList<>();
        run(() -> {
            for (int round = 0; round < 4; round++) {
                Set<Integer> indices = new HashSet<>();
                List<Future<?>> tasks = new ArrayList<>();
                for (int i = 0; i < parties; i++) {
                    int me = i;
                    int r = round;
                    tasks.add(Asyncio.createTask(() -> {
                        order.add("arrive " + r + "." + me);
                        seenWaiting.add(barrier.nWaiting());
                        indices.add(barrier.await());
                        order.add("pass " + r + "." + me);
                        return null;
                    }));
                }
                Asyncio.gatherAll(tasks).await();
                assertEquals(Set.of(0, 1, 2), indices);
                assertEquals(List.of(0, 1, 2), seenWaiting);
                seenWaiting.clear();
                assertEquals(0, barrier.nWaiting());
            }
            return null;
        });
        // Nobody passes a round before everyone has arrived.
        for (int round = 0; round < 4; round++) {
            int lastArrival = -1;
            int firstPass = Integer.MAX_VALUE;
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i).startsWith("arrive " + round + ".")) {
                    lastArrival = i;
                } else if (order.get(i).startsWith("pass " + round + ".")) {
                    firstPass = Math.min(firstPass, i);
                }
            }
            assertTrue(lastArrival < firstPass, order.toString());
        }
        assertEquals(3, barrier.parties());
        assertFalse(barrier.broken());
        assertEquals("Barrier[filling, waiters:0/3]", barrier.toString());
    }

    @Test
    void abortBreaksTheBarrierForWaitersAndLateComersUntilReset() {
        Barrier barrier = new Barrier(3);
        run(() -> {
            Task<Integer> a = Asyncio.createTask(barrier::await);
            Task<Integer> b = Asyncio.createTask(barrier::await);
            while (barrier.nWaiting() < 2) {
                Asyncio.sleep(0).await();
            }
            barrier.abort();
            assertTrue(barrier.broken());
            assertEquals("Barrier[broken]", barrier.toString());
            for (Task<Integer> t : List.of(a, b)) {
                BrokenBarrierException e = assertThrows(BrokenBarrierException.class, t::await);
                assertEquals("Abort or reset of barrier", e.getMessage());
            }
            BrokenBarrierException late = assertThrows(BrokenBarrierException.class, barrier::await);
            assertEquals("Barrier aborted", late.getMessage());
            assertInstanceOf(IllegalStateException.class, late);

            barrier.reset();
            assertFalse(barrier.broken());
            List<Future<?>> round = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                round.add(Asyncio.createTask(barrier::await));
            }
            assertEquals(3, Asyncio.gatherAll(round).await().size());
            return null;
        });
    }

    @Test
    void resetBreaksTheCurrentRoundAndTheBarrierFillsAgain() {
        Barrier barrier = new Barrier(3);
        run(() -> {
            Task<Integer> a = Asyncio.createTask(barrier::await);
            Task<Integer> b = Asyncio.createTask(barrier::await);
            while (barrier.nWaiting() < 2) {
                Asyncio.sleep(0).await();
            }
            barrier.reset();
            assertEquals(0, barrier.nWaiting(), "resetting: nobody counts as waiting");
            for (Task<Integer> t : List.of(a, b)) {
                assertThrows(BrokenBarrierException.class, t::await);
            }
            assertFalse(barrier.broken());
            assertEquals("Barrier[filling, waiters:0/3]", barrier.toString());
            List<Future<?>> round = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                round.add(Asyncio.createTask(barrier::await));
            }
            assertEquals(3, Asyncio.gatherAll(round).await().size());
            return null;
        });
    }

    @Test
    void aCancelledWaiterLeavesTheBarrier() {
        Barrier barrier = new Barrier(2);
        run(() -> {
            Task<Integer> a = Asyncio.createTask(barrier::await);
            while (barrier.nWaiting() < 1) {
                Asyncio.sleep(0).await();
            }
            a.cancel();
            assertThrows(CancelledError.class, a::await);
            assertEquals(0, barrier.nWaiting());
            Task<Integer> b = Asyncio.createTask(barrier::await);
            Task<Integer> c = Asyncio.createTask(barrier::await);
            assertEquals(Set.of(0, 1), Set.copyOf(Asyncio.gatherAll(List.of(b, c)).await()));
            return null;
        });
    }

    @Test
    void aNewRoundWaitsUntilThePreviousOneHasLeft() {
        Barrier barrier = new Barrier(2);
        List<String> order = new ArrayList<>();
        run(() -> {
            Task<Void> a = Asyncio.createTask(() -> {
                barrier.await();
                order.add("a passed");
                return null;
            });
            Task<?>[] early = new Task<?>[1];
            Task<Void> b = Asyncio.createTask(() -> {
                // Scheduled before the round is released, so it arrives before a has left.
                early[0] = Asyncio.createTask(() -> {
                    order.add("early arrives");
                    int index = barrier.await();
                    order.add("early passed with index " + index);
                    return null;
                });
                barrier.await(); // the second arrival: releases the round
                order.add("b passed");
                return null;
            });
            Asyncio.gather(a, b).await();
            Task<Integer> partner = Asyncio.createTask(barrier::await);
            assertEquals(1, partner.await());
            early[0].await();
            return null;
        });
        // Had it not waited for the round to drain, the early task would have counted as the
        // second arrival (index 1) and passed at once, before a left.
        assertEquals(List.of("b passed", "early arrives", "a passed", "early passed with index 0"), order);
    }
}

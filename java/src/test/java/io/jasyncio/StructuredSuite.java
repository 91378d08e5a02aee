package io.jasyncio;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TaskGroup, timeout scopes and eager tasks (SPEC 3, the 3.11+ part), on every loop. */
@Tag("tasks")
abstract class StructuredSuite extends LoopTestBase {

    @Test
    void taskGroupWaitsForEveryChild() {
        List<String> done = new ArrayList<>();
        String result = run(() -> TaskGroup.run(tg -> {
            tg.createTask(() -> {
                Asyncio.sleep(0.01).await();
                done.add("slow");
                return null;
            });
            tg.createTask(() -> {
                done.add("fast");
                return null;
            });
            return "body";
        }));
        assertEquals("body", result);
        assertEquals(List.of("fast", "slow"), done);
    }

    @Test
    void oneFailingChildCancelsTheOthersAndEveryFailureIsKept() {
        List<String> cancelled = new ArrayList<>();
        IOException first = new IOException("first");
        IllegalStateException second = new IllegalStateException("second");
        Future<Void> go = loop.createFuture();
        Task<Object> parent = loop.createTask(() -> TaskGroup.run(tg -> {
            // Both fail in the same iteration, before the group's reaction to the first one.
            tg.createTask(() -> {
                go.await();
                throw first;
            });
            tg.createTask(() -> {
                go.await();
                throw second;
            });
            loop.callSoon(() -> go.setResult(null));
            tg.createTask(() -> {
                try {
                    Asyncio.sleep(3600).await();
                } catch (CancelledError e) {
                    cancelled.add("sibling");
                    throw e;
                }
                return null;
            });
            try {
                Asyncio.sleep(3600).await();
            } catch (CancelledError e) {
                cancelled.add("body");
                throw e;
            }
            return null;
        }));
        ExceptionGroup group = assertThrows(ExceptionGroup.class, () -> run(parent));
        assertEquals(List.of(first, second), group.exceptions());
        assertEquals(List.of("body", "sibling"), cancelled.stream().sorted().toList());
        assertFalse(parent.cancelled(), "the parent ends with the group, not cancelled");
        assertEquals(0, parent.cancelling());
    }

    @Test
    void theBodysOwnFailureJoinsTheGroup() {
        ExceptionGroup group = assertThrows(ExceptionGroup.class, () -> run(() -> TaskGroup.run(tg -> {
            tg.createTask(() -> Asyncio.sleep(3600).await());
            throw new IOException("body failed");
        })));
        assertEquals(1, group.exceptions().size());
        assertInstanceOf(IOException.class, group.exceptions().get(0));
    }

    @Test
    void cancellingTheParentCancelsTheChildrenAndPropagates() {
        List<String> cancelled = new ArrayList<>();
        Task<Object> parent = loop.createTask(() -> TaskGroup.run(tg -> {
            tg.createTask(() -> {
                try {
                    Asyncio.sleep(3600).await();
                } catch (CancelledError e) {
                    cancelled.add("child");
                    throw e;
                }
                return null;
            });
            return Asyncio.sleep(3600).await();
        }));
        loop.callLater(0.001, parent::cancel);
        assertThrows(CancelledError.class, () -> run(parent));
        assertTrue(parent.cancelled());
        assertEquals(List.of("child"), cancelled);
    }

    @Test
    void taskGroupMisuse() {
        assertThrows(IllegalStateException.class, () -> TaskGroup.run(tg -> null), "outside a task");
        TaskGroup[] kept = new TaskGroup[1];
        run(() -> TaskGroup.run(tg -> {
            kept[0] = tg;
            return null;
        }));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> kept[0].createTask(() -> null));
        assertTrue(e.getMessage().contains("finished"));
    }

    @Test
    void keyboardInterruptInAChildIsRethrownAsIs() {
        Task<Object> parent = loop.createTask(() -> TaskGroup.run(tg -> {
            tg.createTask(() -> {
                throw new KeyboardInterruptError();
            });
            return Asyncio.sleep(3600).await();
        }));
        assertThrows(KeyboardInterruptError.class, () -> run(parent));
    }

    @Test
    void timeoutTurnsTheDeadlineIntoTimeoutException() {
        boolean[] bodyCancelled = new boolean[1];
        TimeoutException e = assertThrows(TimeoutException.class, () -> run(() -> Asyncio.timeout(0.01, () -> {
            try {
                return Asyncio.sleep(3600).await();
            } catch (CancelledError c) {
                bodyCancelled[0] = true;
                throw c;
            }
        })));
        assertInstanceOf(CancelledError.class, e.getCause());
        assertTrue(bodyCancelled[0]);
        assertEquals("in time", run(() -> Asyncio.timeout(10.0, () -> Asyncio.sleep(0, "in time").await())));
        assertEquals("no limit", run(() -> Asyncio.timeout(scope -> "no limit")));
    }

    @Test
    void timeoutCanBeRescheduledFromInside() {
        String result = run(() -> Asyncio.timeout(0.005, scope -> {
            EventLoop l = Asyncio.getRunningLoop();
            scope.reschedule(l.time() + 3600);
            Asyncio.sleep(0.02).await();
            assertFalse(scope.expired());
            scope.clearDeadline();
            return "survived";
        }));
        assertEquals("survived", result);
        assertThrows(TimeoutException.class, () -> run(() -> Asyncio.timeout(3600.0, scope -> {
            scope.reschedule(Asyncio.getRunningLoop().time() + 0.005);
            return Asyncio.sleep(3600).await();
        })));
        Timeout[] kept = new Timeout[1];
        run(() -> Asyncio.timeoutAt(Double.POSITIVE_INFINITY, scope -> {
            kept[0] = scope;
            return null;
        }));
        assertThrows(IllegalStateException.class, () -> kept[0].reschedule(1.0));
    }

    @Test
    void aCancellationFromOutsidePassesThroughTheTimeout() {
        Task<Object> t = loop.createTask(() -> Asyncio.timeout(3600.0, () -> Asyncio.sleep(3600).await()));
        loop.callLater(0.001, t::cancel);
        assertThrows(CancelledError.class, () -> run(t));
        assertTrue(t.cancelled());
    }

    @Test
    void timeoutNeedsATask() {
        loop.callSoon(() -> {
            assertThrows(IllegalStateException.class, () -> Asyncio.timeout(1.0, () -> null));
            loop.stop();
        });
        loop.runForever();
    }

    @Test
    void eagerTasksRunUntilTheirFirstSuspensionInsideCreateTask() {
        loop.setTaskFactory(Asyncio.eagerTaskFactory());
        List<String> order = new ArrayList<>();
        Task<String> outer = loop.createTask(() -> {
            order.add("outer start");
            Task<String> finishesAtOnce = Asyncio.createTask(() -> {
                order.add("child body");
                return "sync";
            });
            order.add("after create: done=" + finishesAtOnce.done());
            Task<String> suspends = Asyncio.createTask(() -> {
                order.add("child2 before await");
                Asyncio.sleep(0).await();
                order.add("child2 after await");
                return "async";
            });
            order.add("after create2: done=" + suspends.done());
            return finishesAtOnce.result() + "+" + suspends.await();
        });
        assertEquals("sync+async", run(outer));
        assertEquals(List.of("outer start", "child body", "after create: done=true", "child2 before await",
                "after create2: done=false", "child2 after await"), order);
        loop.setTaskFactory(null);
    }

    @Test
    void anEagerTaskFromACallbackStartsInline() {
        loop.setTaskFactory(Asyncio.eagerTaskFactory());
        List<String> order = new ArrayList<>();
        loop.callSoon(() -> {
            Task<String> t = loop.createTask(() -> {
                order.add("body");
                return "x";
            }, "eager");
            order.add("created, done=" + t.done() + ", name=" + t.getName());
            loop.stop();
        });
        loop.runForever();
        assertEquals(List.of("body", "created, done=true, name=eager"), order);
    }

    @Test
    void exceptionGroupSplitsAndNests() {
        IOException io = new IOException("io");
        IllegalStateException state = new IllegalStateException("state");
        ExceptionGroup inner = new ExceptionGroup("inner", List.of(state, new IOException("io2")));
        ExceptionGroup outer = new ExceptionGroup("outer", List.of(io, inner));
        assertEquals("outer (2 sub-exceptions)", outer.getMessage());
        ExceptionGroup.Split split = outer.split(IOException.class);
        assertEquals(2, split.match().exceptions().size());
        assertSame(io, split.match().exceptions().get(0));
        assertInstanceOf(ExceptionGroup.class, split.match().exceptions().get(1));
        assertSame(state, ((ExceptionGroup) split.rest().exceptions().get(0)).exceptions().get(0));
        assertEquals(null, outer.subgroup(ArithmeticException.class));
        assertSame(outer, outer.subgroup(ExceptionGroup.class));
        assertThrows(IllegalArgumentException.class, () -> new ExceptionGroup("empty", List.of()));
    }
}

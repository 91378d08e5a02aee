package io.jasyncio;

import io.jasyncio.internal.strand.Strands;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Futures, tasks and the combinators (SPEC 3), on every loop implementation. */
@Tag("tasks")
abstract class TaskSuite extends LoopTestBase {

    @Test
    void theStrandMechanismIsTheOneThisJvmWasPromised() {
        String expected = System.getProperty("jasyncio.expectStrand");
        if (expected != null) {
            assertEquals(expected.equals("handoff") ? Strands.Kind.HAND_OFF : Strands.Kind.LOOP_SCHEDULED,
                    Strands.kind());
        } else {
            assertEquals(Strands.Kind.LOOP_SCHEDULED, Strands.kind(),
                    "the build runs tests with --add-opens java.base/java.lang: tasks must be loop-scheduled");
        }
    }

    // ---- futures ----

    @Test
    void futureStatesAndErrors() {
        Future<String> f = loop.createFuture();
        assertFalse(f.done());
        assertThrows(InvalidStateException.class, f::result);
        assertThrows(InvalidStateException.class, f::exception);
        f.setResult("x");
        assertTrue(f.done());
        assertEquals("x", f.result());
        assertNull(f.exception());
        assertThrows(InvalidStateException.class, () -> f.setResult("y"));
        assertThrows(InvalidStateException.class, () -> f.setException(new RuntimeException()));
        assertFalse(f.cancel());

        Future<String> c = loop.createFuture();
        assertTrue(c.cancel("why"));
        assertTrue(c.cancelled());
        CancelledError e = assertThrows(CancelledError.class, c::result);
        assertEquals("why", e.getMessage());
        assertThrows(CancelledError.class, c::exception);
        assertFalse(c.cancel());
    }

    @Test
    void doneCallbacksAreScheduledNotRunInline() {
        Future<Integer> f = loop.createFuture();
        List<String> order = new ArrayList<>();
        java.util.function.Consumer<Future<Integer>> removed = x -> order.add("removed");
        f.addDoneCallback(x -> order.add("cb1:" + x.result()));
        f.addDoneCallback(removed);
        f.addDoneCallback(removed);
        f.addDoneCallback(x -> order.add("cb2"));
        assertEquals(2, f.removeDoneCallback(removed));
        f.setResult(7);
        assertEquals(List.of(), order, "callbacks must not run inside setResult");
        f.addDoneCallback(x -> order.add("late"));
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(List.of("cb1:7", "cb2", "late"), order);
    }

    @Test
    void futureBridgesToCompletableFuture() throws Exception {
        Future<String> f = loop.createFuture();
        CompletableFuture<String> cf = f.toCompletableFuture();
        loop.callSoon(() -> f.setResult("bridged"));
        run(f);
        assertEquals("bridged", cf.get(5, TimeUnit.SECONDS));

        CompletableFuture<Integer> source = new CompletableFuture<>();
        Future<Integer> wrapped = Asyncio.wrapFuture(source, loop);
        Thread.ofPlatform().start(() -> source.complete(42));
        assertEquals(42, run(wrapped));
    }

    // ---- tasks ----

    @Test
    void aTaskRunsSequentialCodeAcrossAwaits() {
        List<String> order = new ArrayList<>();
        Task<Integer> t = loop.createTask(() -> {
            order.add("start");
            Asyncio.sleep(0.001).await();
            order.add("after sleep");
            int v = Asyncio.sleep(0, 20).await();
            return v + 1;
        });
        loop.callSoon(() -> order.add("callback"));
        assertEquals(21, run(t));
        assertEquals(List.of("start", "callback", "after sleep"), order);
        assertTrue(t.done());
    }

    @Test
    void twoTasksInterleaveAtTheirAwaitPoints() {
        List<String> order = new ArrayList<>();
        Task<Void> a = loop.createTask(() -> {
            for (int i = 0; i < 3; i++) {
                order.add("a" + i);
                Asyncio.sleep(0).await();
            }
            return null;
        });
        Task<Void> b = loop.createTask(() -> {
            for (int i = 0; i < 3; i++) {
                order.add("b" + i);
                Asyncio.sleep(0).await();
            }
            return null;
        });
        run(Asyncio.gather(a, b));
        assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2"), order);
    }

    @Test
    void sleepZeroGivesUpExactlyOneTurn() {
        List<String> order = new ArrayList<>();
        Task<Void> t = loop.createTask(() -> {
            order.add("a1");
            loop.callSoon(() -> {
                order.add("x");
                loop.callSoon(() -> order.add("y"));
            });
            Asyncio.sleep(0).await();
            order.add("a2");
            return null;
        });
        run(t);
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(List.of("a1", "x", "a2", "y"), order);
        List<Future<String>> made = new ArrayList<>();
        loop.callSoon(() -> {
            made.add(Asyncio.sleep(0, "value"));
            loop.callSoon(loop::stop);
        });
        loop.runForever();
        assertEquals("value", made.get(0).result(), "not awaited by a task, it completes on its own");
    }

    @Test
    void tasksRunOnTheLoopsThreadOneAtATime() {
        int[] running = new int[1];
        int[] maxRunning = new int[1];
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(loop.createTask(() -> {
                for (int k = 0; k < 5; k++) {
                    running[0]++;
                    maxRunning[0] = Math.max(maxRunning[0], running[0]);
                    assertTrue(((BaseEventLoop) Asyncio.getRunningLoop()).isInLoopThread());
                    running[0]--;
                    Asyncio.sleep(0).await();
                }
                return null;
            }));
        }
        run(Asyncio.gather(all.toArray(new Future<?>[0])));
        assertEquals(1, maxRunning[0]);
    }

    @Test
    void cancellationIsRaisedAtTheAwaitPoint() {
        List<String> order = new ArrayList<>();
        Task<String> t = loop.createTask(() -> {
            order.add("waiting");
            try {
                Asyncio.sleep(3600).await();
                order.add("not reached");
            } finally {
                order.add("finally");
            }
            return "no";
        });
        loop.callLater(0.001, () -> assertTrue(t.cancel("stop it")));
        CancelledError e = assertThrows(CancelledError.class, () -> run(t));
        assertEquals("stop it", e.getMessage());
        assertTrue(t.cancelled());
        assertEquals(List.of("waiting", "finally"), order);
        assertFalse(t.cancel(), "a done task cannot be cancelled");
    }

    @Test
    void aTaskThatCatchesCancellationCarriesOn() {
        Task<String> t = loop.createTask(() -> {
            try {
                Asyncio.sleep(3600).await();
            } catch (CancelledError e) {
                Asyncio.currentTask().uncancel();
                Asyncio.sleep(0.001).await();
                return "survived " + e.getMessage();
            }
            return "not cancelled";
        });
        loop.callLater(0.001, () -> t.cancel("once"));
        assertEquals("survived once", run(t));
        assertFalse(t.cancelled());
        assertEquals(0, t.cancelling());
    }

    @Test
    void aTaskCancelledBeforeItStartsNeverRunsItsBody() {
        boolean[] ran = new boolean[1];
        Task<Void> t = loop.createTask(() -> {
            ran[0] = true;
            return null;
        });
        assertTrue(t.cancel());
        assertEquals(1, t.cancelling());
        assertThrows(CancelledError.class, () -> run(t));
        assertFalse(ran[0]);
    }

    @Test
    void aTaskCancelledWhileRunningSeesItAtItsNextAwait() {
        List<String> order = new ArrayList<>();
        Task<Void> t = loop.createTask(() -> {
            Asyncio.currentTask().cancel();
            order.add("still running");
            try {
                Asyncio.sleep(0).await();
            } catch (CancelledError e) {
                order.add("cancelled at await");
                throw e;
            }
            return null;
        });
        assertThrows(CancelledError.class, () -> run(t));
        assertEquals(List.of("still running", "cancelled at await"), order);
    }

    @Test
    void anExceptionInsideATaskReachesResult() {
        Task<Object> t = loop.createTask(() -> {
            Asyncio.sleep(0).await();
            throw new IOException("disk on fire");
        });
        IOException e = assertThrows(IOException.class, () -> run(t));
        assertEquals("disk on fire", e.getMessage());
        assertSame(e, t.exception());
        assertThrows(IOException.class, t::result);
    }

    @Test
    void awaitingAFailedFutureRethrowsItsExceptionAsIs() {
        Future<String> f = loop.createFuture();
        loop.callSoon(() -> f.setException(new IllegalArgumentException("bad")));
        String got = run(() -> {
            try {
                return f.await();
            } catch (IllegalArgumentException e) {
                return "caught " + e.getMessage();
            }
        });
        assertEquals("caught bad", got);
    }

    @Test
    void awaitOnTheLoopThreadOutsideATaskThrows() {
        Future<String> f = loop.createFuture();
        Throwable[] seen = new Throwable[1];
        loop.callSoon(() -> {
            try {
                f.await();
            } catch (Throwable e) {
                seen[0] = e;
            }
            loop.stop();
        });
        loop.runForever();
        assertInstanceOf(IllegalStateException.class, seen[0]);
        assertTrue(seen[0].getMessage().contains("outside a task"));
    }

    @Test
    void awaitOnAForeignThreadBlocksUntilDone() throws Exception {
        Future<String> f = loop.createFuture();
        String[] got = new String[1];
        CountDownLatch done = new CountDownLatch(1);
        Thread[] waiter = new Thread[1];
        Task<Void> t = loop.createTask(() -> {
            // The loop runs now: a foreign thread's await blocks until the loop completes f.
            waiter[0] = Thread.ofPlatform().start(() -> {
                try {
                    got[0] = f.await();
                } catch (Exception e) {
                    got[0] = e.toString();
                }
                done.countDown();
            });
            loop.callLater(0.001, () -> f.setResult("across threads"));
            while (done.getCount() > 0) {
                Asyncio.sleep(0.001).await();
            }
            return null;
        });
        run(t);
        waiter[0].join(5000);
        assertEquals("across threads", got[0]);
    }

    @Test
    void awaitOffTheLoopForALoopThatIsNotRunningThrowsInsteadOfHanging() throws Exception {
        Future<String> pending = loop.createFuture();
        IllegalStateException e = assertThrows(IllegalStateException.class, pending::await);
        assertTrue(e.getMessage().contains("runUntilComplete"), e.getMessage());
        assertTrue(e.getMessage().contains("toCompletableFuture().get()"), e.getMessage());
        Future<String> finished = loop.createFuture();
        finished.setResult("done already");
        assertEquals("done already", finished.await(), "a done future needs no running loop");
        SelectorEventLoop closed = new SelectorEventLoop(backend());
        Future<String> orphan = closed.createFuture();
        closed.close();
        assertTrue(assertThrows(IllegalStateException.class, orphan::await).getMessage().contains("closed"));
    }

    @Test
    void aTaskCannotAwaitItselfOrAForeignLoopsFuture() {
        SelectorEventLoop other = new SelectorEventLoop(backend());
        try {
            Future<String> foreign = other.createFuture();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(() -> foreign.await()));
            assertTrue(e.getMessage().contains("different loop"));
        } finally {
            other.close();
        }
        Task<?>[] self = new Task<?>[1];
        self[0] = loop.createTask(() -> self[0].await());
        assertThrows(IllegalStateException.class, () -> run(self[0]));
    }

    @Test
    void currentTaskAllTasksAndNames() {
        Task<?>[] inside = new Task<?>[1];
        Task<String> named = loop.createTask(() -> {
            inside[0] = Asyncio.currentTask();
            Asyncio.sleep(0.001).await();
            return Asyncio.currentTask().getName();
        }, "worker");
        Task<Void> other = loop.createTask(() -> {
            Asyncio.sleep(3600).await();
            return null;
        });
        Set<Task<?>>[] all = new Set[1];
        loop.callSoon(() -> all[0] = Asyncio.allTasks());
        assertEquals("worker", run(named));
        assertSame(named, inside[0]);
        assertTrue(all[0].contains(named) && all[0].contains(other));
        assertFalse(Asyncio.allTasks(loop).contains(named), "done tasks are not listed");
        assertTrue(other.getName().startsWith("Task-"));
        assertThrows(IllegalStateException.class, Asyncio::currentTask, "no running loop, as asyncio");
        Task<?>[] inCallback = {named};
        loop.callSoon(() -> {
            inCallback[0] = Asyncio.currentTask();
            loop.stop();
        });
        loop.runForever();
        assertNull(inCallback[0], "a plain callback runs in no task");
        other.cancel();
        assertThrows(CancelledError.class, () -> run(other));
    }

    @Test
    void taskSetResultAndSetExceptionAreRefused() {
        Task<String> t = loop.createTask(() -> "x");
        assertThrows(IllegalStateException.class, () -> t.setResult("y"));
        assertThrows(IllegalStateException.class, () -> t.setException(new RuntimeException()));
        assertEquals("x", run(t));
    }

    @Test
    void closingTheLoopUnwindsPendingTasks() {
        List<String> order = new ArrayList<>();
        Task<Void> t = loop.createTask(() -> {
            try {
                Asyncio.sleep(3600).await();
            } finally {
                order.add("finally ran");
            }
            return null;
        });
        loop.callSoon(() -> loop.callSoon(loop::stop));
        loop.runForever();
        loop.close();
        assertEquals(List.of("finally ran"), order);
        assertFalse(t.done());
    }

    // ---- combinators ----

    @Test
    void gatherKeepsArgumentOrder() {
        Task<String> slow = loop.createTask(() -> Asyncio.sleep(0.01, "slow").await());
        Task<String> fast = loop.createTask(() -> Asyncio.sleep(0, "fast").await());
        Future<String> plain = loop.createFuture();
        loop.callLater(0.005, () -> plain.setResult("plain"));
        assertEquals(List.of("slow", "fast", "plain", "slow"), run(Asyncio.gather(slow, fast, plain, slow)));
        assertEquals(List.of(), run(() -> Asyncio.gather().await()));
    }

    @Test
    void gatherFailsWithTheFirstExceptionOrReturnsThem() {
        IOException boom = new IOException("boom");
        Future<String> ok = loop.createFuture();
        Future<String> bad = loop.createFuture();
        loop.callSoon(() -> bad.setException(boom));
        loop.callLater(0.002, () -> ok.setResult("ok"));
        assertSame(boom, assertThrows(IOException.class, () -> run(Asyncio.gather(ok, bad))));

        Future<String> ok2 = loop.createFuture();
        Future<String> bad2 = loop.createFuture();
        Future<String> cancelled = loop.createFuture();
        loop.callSoon(() -> bad2.setException(boom));
        loop.callSoon(() -> cancelled.cancel());
        loop.callLater(0.002, () -> ok2.setResult("ok"));
        List<Object> results = run(Asyncio.gather(true, ok2, bad2, cancelled));
        assertEquals("ok", results.get(0));
        assertSame(boom, results.get(1));
        assertInstanceOf(CancelledError.class, results.get(2));
    }

    @Test
    void cancellingGatherCancelsTheChildren() {
        Task<Void> a = loop.createTask(() -> Asyncio.sleep(3600).await());
        Task<Void> b = loop.createTask(() -> Asyncio.sleep(3600).await());
        Future<List<Object>> g = Asyncio.gather(a, b);
        loop.callLater(0.001, () -> assertTrue(g.cancel()));
        assertThrows(CancelledError.class, () -> run(g));
        assertTrue(a.cancelled() && b.cancelled());
    }

    @Test
    void waitForTimeoutCancelsTheInnerTask() {
        boolean[] innerCancelled = new boolean[1];
        Task<String> inner = loop.createTask(() -> {
            try {
                return Asyncio.sleep(3600, "late").await();
            } catch (CancelledError e) {
                innerCancelled[0] = true;
                throw e;
            }
        });
        TimeoutException e = assertThrows(TimeoutException.class, () -> run(Asyncio.waitFor(inner, 0.01)));
        assertInstanceOf(CancelledError.class, e.getCause());
        assertTrue(inner.cancelled());
        assertTrue(innerCancelled[0]);
        assertEquals("quick", run(Asyncio.waitFor(loop.createTask(() -> Asyncio.sleep(0, "quick").await()), 10.0)));
        assertEquals("no limit", run(Asyncio.waitFor(loop.createTask(() -> "no limit"))));
    }

    @Test
    void cancellingTheWaitForCancelsTheInner() {
        Task<Void> inner = loop.createTask(() -> Asyncio.sleep(3600).await());
        Task<Void> outer = loop.createTask(() -> Asyncio.waitFor(inner, 100.0).await());
        loop.callLater(0.001, outer::cancel);
        assertThrows(CancelledError.class, () -> run(outer));
        assertTrue(inner.cancelled());
    }

    @Test
    void shieldKeepsTheInnerAlive() {
        Future<String> release = loop.createFuture();
        Task<String> inner = loop.createTask(() -> release.await() + " done");
        Task<String> outer = loop.createTask(() -> Asyncio.shield(inner).await());
        loop.callLater(0.001, outer::cancel);
        assertThrows(CancelledError.class, () -> run(outer));
        assertFalse(inner.done());
        assertFalse(inner.cancelled());
        loop.callSoon(() -> release.setResult("inner"));
        assertEquals("inner done", run(inner));
    }

    @Test
    void asCompletedYieldsInCompletionOrder() {
        Task<String> c = loop.createTask(() -> Asyncio.sleep(0.03, "c").await());
        Task<String> a = loop.createTask(() -> Asyncio.sleep(0.01, "a").await());
        Task<String> b = loop.createTask(() -> Asyncio.sleep(0.02, "b").await());
        List<String> got = run(() -> {
            List<String> out = new ArrayList<>();
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(c, a, b));
            while (it.hasNext()) {
                out.add(it.next().await());
            }
            return out;
        });
        assertEquals(List.of("a", "b", "c"), got);
    }

    @Test
    void asCompletedTimesOut() {
        Future<String> fast = loop.createFuture();
        fast.setResult("fast");
        Task<String> never = loop.createTask(() -> Asyncio.sleep(3600, "never").await());
        List<Object> got = run(() -> {
            List<Object> out = new ArrayList<>();
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(never, fast), 0.01);
            while (it.hasNext()) {
                try {
                    out.add(it.next().await());
                } catch (TimeoutException e) {
                    out.add("timeout");
                }
            }
            return out;
        });
        assertEquals(List.of("fast", "timeout"), got);
        never.cancel();
        assertThrows(CancelledError.class, () -> run(never));
    }

    @Test
    void waitHonoursEachReturnMode() {
        Future<String> a = loop.createFuture();
        Future<String> b = loop.createFuture();
        Future<String> c = loop.createFuture();
        Future<WaitResult<String>> first = Asyncio.wait(List.of(a, b, c), ReturnWhen.FIRST_COMPLETED);
        Future<WaitResult<String>> firstError = Asyncio.wait(List.of(a, b, c), ReturnWhen.FIRST_EXCEPTION);
        Future<WaitResult<String>> all = Asyncio.wait(List.of(a, b, c));
        loop.callSoon(() -> a.setResult("a"));
        WaitResult<String> r1 = run(first);
        assertEquals(Set.of(a), r1.done());
        assertEquals(Set.of(b, c), r1.pending());
        assertFalse(firstError.done(), "a result is not an exception");

        loop.callSoon(() -> b.setException(new IOException("b")));
        WaitResult<String> r2 = run(firstError);
        assertEquals(Set.of(a, b), r2.done());
        assertEquals(Set.of(c), r2.pending());
        assertFalse(all.done());

        loop.callSoon(() -> c.setResult("c"));
        WaitResult<String> r3 = run(all);
        assertEquals(Set.of(a, b, c), r3.done());
        assertTrue(r3.pending().isEmpty());

        Future<String> never = loop.createFuture();
        WaitResult<String> timedOut = run(Asyncio.wait(List.of(a, never), 0.005, ReturnWhen.ALL_COMPLETED));
        assertEquals(Set.of(a), timedOut.done());
        assertEquals(Set.of(never), timedOut.pending());
        assertFalse(never.cancelled(), "wait does not cancel on timeout");

        WaitResult<String> alreadyDone = run(Asyncio.wait(List.of(a, c), ReturnWhen.FIRST_EXCEPTION));
        assertEquals(Set.of(a, c), alreadyDone.done());
        assertThrows(IllegalArgumentException.class, () -> Asyncio.wait(List.<Future<String>>of()));
    }

    @Test
    void runCoroutineThreadsafeSubmitsFromAnotherThread() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        loop.callSoon(running::countDown);
        Thread loopThread = new Thread(loop::runForever, "loop");
        loopThread.start();
        try {
            assertTrue(running.await(10, TimeUnit.SECONDS));
            CompletableFuture<String> cf = Asyncio.runCoroutineThreadsafe(
                    () -> Asyncio.sleep(0.001, "from afar").await(), loop);
            assertEquals("from afar", cf.get(10, TimeUnit.SECONDS));
            CompletableFuture<String> failing = Asyncio.runCoroutineThreadsafe(() -> {
                throw new IOException("nope");
            }, loop);
            ExecutionException e = assertThrows(ExecutionException.class, () -> failing.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause());
        } finally {
            loop.callSoonThreadsafe(loop::stop);
            loopThread.join(10_000);
        }
    }

    @Test
    void runReturnsTheResultAndCancelsLeftoverTasks() {
        boolean[] leftoverCancelled = new boolean[1];
        String result = Asyncio.run(() -> {
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600).await();
                } catch (CancelledError e) {
                    leftoverCancelled[0] = true;
                    throw e;
                }
                return null;
            });
            Asyncio.sleep(0.001).await();
            return "main done";
        });
        assertEquals("main done", result);
        assertTrue(leftoverCancelled[0]);
        IOException e = assertThrows(IOException.class, () -> Asyncio.run(() -> {
            throw new IOException("main failed");
        }));
        assertEquals("main failed", e.getMessage());
    }

    @Test
    void aRunnerSharesOneLoopAndOneContextAcrossRuns() {
        ContextVar<String> var = new ContextVar<>("runner-var", "unset");
        try (Asyncio.Runner runner = new Asyncio.Runner(true, () -> new SelectorEventLoop(backend()))) {
            EventLoop l = runner.getLoop();
            assertTrue(l.getDebug());
            runner.run(() -> {
                var.set("set by the first run");
                return null;
            });
            assertEquals("set by the first run", runner.run(var::get));
            assertSame(l, runner.run(Asyncio::getRunningLoop));
            assertThrows(IllegalArgumentException.class, () -> runner.run(null));
            runner.close();
            runner.close();
            assertTrue(l.isClosed());
            assertThrows(IllegalStateException.class, () -> runner.run(() -> null));
        }
    }

    @Test
    void runReportsErrorsOfLeftoverTasksRaisedWhileTheyAreCancelled() {
        List<java.util.Map<String, Object>> seen = new ArrayList<>();
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((l, c) -> seen.add(c));
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600).await();
                } catch (CancelledError e) {
                    throw new IOException("failed while cancelled");
                }
                return null;
            });
            Asyncio.sleep(0).await();
            return null;
        }, null, () -> new SelectorEventLoop(backend()));
        assertEquals(1, seen.size());
        assertTrue(String.valueOf(seen.get(0).get("message")).contains("shutdown"));
        assertInstanceOf(IOException.class, seen.get(0).get("exception"));
    }

    @Test
    void anAutoAdvancingVirtualClockSkipsTheWaiting() {
        loop.setClockMode(ClockMode.AUTO);
        double start = loop.time();
        long wallStart = System.nanoTime();
        List<String> order = new ArrayList<>();
        Task<String> t = loop.createTask(() -> {
            Asyncio.sleep(3600).await();
            order.add("an hour");
            Asyncio.sleep(86_400).await();
            order.add("a day");
            return "done";
        });
        loop.callLater(7200, () -> order.add("two hours"));
        assertEquals("done", run(t));
        assertEquals(List.of("an hour", "two hours", "a day"), order);
        assertTrue(loop.time() - start >= 3600 + 86_400 - 1e-6);
        assertTrue(System.nanoTime() - wallStart < 5_000_000_000L, "virtual time must not be waited for");
        TimeoutException e = assertThrows(TimeoutException.class,
                () -> run(Asyncio.waitFor(loop.createTask(() -> Asyncio.sleep(10).await()), 5.0)));
        assertInstanceOf(CancelledError.class, e.getCause());
    }

    @Test
    void aManualVirtualClockMovesOnlyWhenAdvanced() throws Exception {
        loop.setClockMode(ClockMode.MANUAL);
        Task<String> t = loop.createTask(() -> Asyncio.sleep(10, "woke").await());
        loop.callSoon(loop::stop);
        loop.runForever();
        CountDownLatch running = new CountDownLatch(1);
        loop.callSoon(running::countDown);
        Thread loopThread = new Thread(() -> loop.runUntilComplete(t), "loop");
        loopThread.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        loop.advanceTime(5);
        CompletableFuture<Boolean> doneAtFive = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> doneAtFive.complete(t.done()));
        assertFalse(doneAtFive.get(10, TimeUnit.SECONDS), "five virtual seconds are not ten");
        loop.advanceTime(5);
        loopThread.join(10_000);
        assertFalse(loopThread.isAlive());
        assertEquals("woke", t.result());
        assertThrows(IllegalArgumentException.class, () -> loop.advanceTime(-1));
        loop.setClockMode(ClockMode.REAL);
        assertThrows(IllegalStateException.class, () -> loop.advanceTime(1));
    }

    @Test
    void shutdownHooksRunAtTheEndOfRunAndFailuresAreReported() {
        List<String> order = new ArrayList<>();
        List<java.util.Map<String, Object>> seen = new ArrayList<>();
        Asyncio.run(() -> {
            EventLoop l = Asyncio.getRunningLoop();
            l.setExceptionHandler((x, c) -> seen.add(c));
            l.addShutdownHook(() -> {
                Asyncio.sleep(0).await();
                order.add("closed resource a");
                return null;
            });
            AutoCloseable removed = l.addShutdownHook(() -> order.add("removed hook ran"));
            removed.close();
            l.addShutdownHook(() -> {
                throw new IOException("close failed");
            });
            return null;
        }, null, () -> new SelectorEventLoop(backend()));
        assertEquals(List.of("closed resource a"), order);
        assertEquals(1, seen.size());
        assertInstanceOf(IOException.class, seen.get(0).get("exception"));
        run(loop.shutdownAsyncgens());
        assertThrows(IllegalStateException.class, () -> loop.addShutdownHook(() -> null));
    }

    @Test
    void runRefusesToNestInsideARunningLoop() {
        Throwable[] seen = new Throwable[1];
        run(() -> {
            try {
                Asyncio.run(() -> null);
            } catch (IllegalStateException e) {
                seen[0] = e;
            }
            return null;
        });
        assertInstanceOf(IllegalStateException.class, seen[0]);
    }
}

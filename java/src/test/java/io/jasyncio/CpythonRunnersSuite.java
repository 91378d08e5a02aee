package io.jasyncio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code Lib/test/test_asyncio/test_runners.py}, translated to jasyncio's
 * {@link Asyncio#run} and {@link Asyncio.Runner} (SPEC 1, 3). As in CPython, a test policy makes
 * the loops, and after each test every loop it made must be closed with its shutdown hooks run
 * (CPython's {@code shutdown_asyncgens}).
 *
 * <p>Not translated, and why:
 * <ul>
 * <li>{@code test_interrupt_call_soon}, {@code test_interrupt_wait}, {@code test_interrupt_cancelled_task}:
 *     they interrupt the test process's main thread with SIGINT; SigintTest does that in a child JVM.</li>
 * <li>{@code test_asyncio_run_without_uncancel}: a task factory returning a task-like object
 *     without {@code uncancel}; a jasyncio task factory returns a {@link Task}.</li>
 * <li>{@code test_run_future}, the non-callable half of {@code test_asyncio_run_only_coro}: the
 *     compiler takes only a {@link Coroutine} (null is tested instead).</li>
 * </ul>
 */
@Tag("tasks")
abstract class CpythonRunnersSuite extends CpythonSuiteBase {

    /** CPython's TestPolicy: new loops from a factory; {@code getEventLoop} must never be asked. */
    final class TestPolicy implements EventLoopPolicy {
        final Supplier<SelectorEventLoop> factory;
        final List<SelectorEventLoop> made = new CopyOnWriteArrayList<>();
        final Set<EventLoop> hooksRan = new CopyOnWriteArraySet<>();
        final AtomicInteger setEventLoopCalls = new AtomicInteger();

        TestPolicy(Supplier<SelectorEventLoop> factory) {
            this.factory = factory;
        }

        @Override
        public EventLoop getEventLoop() {
            throw new IllegalStateException("Asyncio.run() never asks the policy for the current loop");
        }

        @Override
        public void setEventLoop(EventLoop loop) {
            setEventLoopCalls.incrementAndGet();
        }

        @Override
        public EventLoop newEventLoop() {
            SelectorEventLoop l = factory.get();
            l.addShutdownHook(() -> {
                hooksRan.add(l);
                return null;
            });
            made.add(l);
            return l;
        }
    }

    private EventLoopPolicy previousPolicy;
    private TestPolicy policy;

    @BeforeEach
    void installTestPolicy() {
        previousPolicy = Asyncio.getEventLoopPolicy();
        policy = new TestPolicy(() -> new SelectorEventLoop(backend()));
        Asyncio.setEventLoopPolicy(policy);
    }

    @AfterEach
    void everyLoopWasClosedCleanly() {
        Asyncio.setEventLoopPolicy(previousPolicy);
        for (SelectorEventLoop l : policy.made) {
            assertTrue(l.isClosed(), "a loop made for a run was left open");
            assertTrue(policy.hooksRan.contains(l), "the shutdown hooks of a run's loop did not run");
        }
    }

    // ---- RunTests ----

    @Test
    void runReturnsTheResult() { // test_asyncio_run_return
        assertEquals(42, Asyncio.run(() -> {
            Asyncio.sleep(0).await();
            return 42;
        }));
    }

    @Test
    void runRaisesTheException() { // test_asyncio_run_raises
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.run(() -> {
            Asyncio.sleep(0).await();
            throw new IllegalArgumentException("spam");
        }));
        assertEquals("spam", e.getMessage());
    }

    @Test
    void runNeedsACoroutine() { // test_asyncio_run_only_coro
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.run(null));
        assertTrue(e.getMessage().contains("a coroutine was expected"), e.getMessage());
    }

    private static Coroutine<Void> expectDebug(boolean expected) {
        return () -> {
            assertEquals(expected, Asyncio.getEventLoop().getDebug());
            return null;
        };
    }

    @Test
    void runDebug() { // test_asyncio_run_debug
        Asyncio.run(expectDebug(false), false);
        Asyncio.run(expectDebug(true), true);
        String before = System.getProperty(BaseEventLoop.DEBUG_PROP_NAME);
        try {
            System.setProperty(BaseEventLoop.DEBUG_PROP_NAME, "true");
            Asyncio.run(expectDebug(true));
            Asyncio.run(expectDebug(false), false);
            System.setProperty(BaseEventLoop.DEBUG_PROP_NAME, "false");
            Asyncio.run(expectDebug(true), true);
            Asyncio.run(expectDebug(false));
        } finally {
            if (before == null) {
                System.clearProperty(BaseEventLoop.DEBUG_PROP_NAME);
            } else {
                System.setProperty(BaseEventLoop.DEBUG_PROP_NAME, before);
            }
        }
    }

    @Test
    void runRefusesToRunInsideARunningLoop() { // test_asyncio_run_from_running_loop
        boolean[] innerRan = {false};
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> {
            Asyncio.run(() -> {
                innerRan[0] = true;
                return null;
            });
            return null;
        }));
        assertTrue(e.getMessage().contains("cannot be called from a running"), e.getMessage());
        assertFalse(innerRan[0]);
    }

    @Test
    void runCancelsHangingTasks() { // test_asyncio_run_cancels_hanging_tasks
        List<Task<Void>> loTask = new ArrayList<>();
        assertEquals(123, Asyncio.run(() -> {
            loTask.add(Asyncio.createTask(() -> Asyncio.sleep(0.1).await()));
            return 123;
        }));
        assertTrue(loTask.get(0).done());
    }

    @Test
    void runReportsErrorsOfHangingTasks() { // test_asyncio_run_reports_hanging_tasks_errors
        List<Map<String, Object>> calls = new ArrayList<>();
        List<Task<Void>> loTask = new ArrayList<>();
        assertEquals(123, Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((l, context) -> calls.add(context));
            loTask.add(Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(0.1).await();
                } catch (CancelledError e) {
                    int zero = 0;
                    System.out.println(1 / zero);
                }
                return null;
            }));
            return 123;
        }));
        assertTrue(loTask.get(0).done());
        assertEquals(1, calls.size(), calls.toString());
        Map<String, Object> context = calls.get(0);
        assertTrue(String.valueOf(context.get("message")).matches("(?i).*asyncio\\.run.*shutdown.*"), context.toString());
        assertSame(loTask.get(0), context.get("task"));
        assertInstanceOf(ArithmeticException.class, context.get("exception"));
    }

    static final class FancyExit extends RuntimeException {
    }

    @Test
    void runStillShutsDownAfterTheErrorsOfHangingTasks() { // test_asyncio_run_closes_gens_after_hanging_tasks_errors
        List<Task<Void>> lazyboy = new ArrayList<>();
        boolean[] spinnerClosed = {false};
        assertThrows(FancyExit.class, () -> Asyncio.run(() -> {
            EventLoop l = Asyncio.getRunningLoop();
            l.setExceptionHandler((lp, context) -> { });
            l.addShutdownHook(() -> {
                spinnerClosed[0] = true;
                return null;
            });
            lazyboy.add(Asyncio.createTask(() -> {
                try {
                    while (true) {
                        Asyncio.sleep(1).await();
                    }
                } catch (CancelledError e) {
                    int zero = 0;
                    System.out.println(1 / zero);
                }
                return null;
            }));
            throw new FancyExit();
        }));
        assertTrue(lazyboy.get(0).done());
        assertTrue(spinnerClosed[0], "the open resource was closed by the shutdown hooks");
    }

    @Test
    void runSetsTheLoopThroughThePolicy() { // test_asyncio_run_set_event_loop
        Asyncio.run(() -> {
            Asyncio.sleep(0).await();
            return 42;
        });
        assertTrue(policy.setEventLoopCalls.get() > 0);
    }

    @Test
    void runWithALoopFactory() { // test_asyncio_run_loop_factory
        AtomicInteger calls = new AtomicInteger();
        SelectorEventLoop made = policy.newEventLoop() instanceof SelectorEventLoop s ? s : null;
        Asyncio.run(() -> {
            assertSame(made, Asyncio.getRunningLoop());
            return null;
        }, null, () -> {
            calls.incrementAndGet();
            return made;
        });
        assertEquals(1, calls.get());
    }

    @Test
    void runWithTheSelectorLoopAsFactory() { // test_loop_factory_default_event_loop
        List<SelectorEventLoop> made = new ArrayList<>();
        Asyncio.run(() -> {
            assertInstanceOf(SelectorEventLoop.class, Asyncio.getRunningLoop());
            return null;
        }, null, () -> {
            SelectorEventLoop l = (SelectorEventLoop) policy.newEventLoop();
            made.add(l);
            return l;
        });
        assertTrue(made.get(0).isClosed());
    }

    @Test
    void runOnAThreadWhereSigintCannotBeWatched() throws Exception { // test_signal_install_not_supported_ok
        Throwable e = onAnotherThread(() -> assertEquals("ok", Asyncio.run(() -> "ok")));
        assertNull(e);
    }

    // ---- RunnerTests ----

    @Test
    void runnerNonDebug() { // test_non_debug
        try (Asyncio.Runner runner = new Asyncio.Runner(false)) {
            assertFalse(runner.getLoop().getDebug());
        }
    }

    @Test
    void runnerDebug() { // test_debug
        try (Asyncio.Runner runner = new Asyncio.Runner(true)) {
            assertTrue(runner.getLoop().getDebug());
        }
    }

    @Test
    void runnerWithACustomFactory() { // test_custom_factory
        SelectorEventLoop l = (SelectorEventLoop) policy.newEventLoop();
        try (Asyncio.Runner runner = new Asyncio.Runner(null, () -> l)) {
            assertSame(l, runner.getLoop());
        }
    }

    @Test
    void runnerRun() { // test_run
        EventLoop l;
        Asyncio.Runner runner = new Asyncio.Runner();
        try (runner) {
            assertEquals("done", runner.run(() -> {
                Asyncio.sleep(0).await();
                return "done";
            }));
            l = runner.getLoop();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, runner::getLoop);
        assertTrue(e.getMessage().contains("Runner is closed"), e.getMessage());
        assertTrue(l.isClosed());
    }

    @Test
    void runnerRunNeedsACoroutine() { // test_run_non_coro
        try (Asyncio.Runner runner = new Asyncio.Runner()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner.run(null));
            assertTrue(e.getMessage().contains("a coroutine was expected"), e.getMessage());
            runner.getLoop();
        }
    }

    @Test
    void runnerExplicitClose() { // test_explicit_close
        Asyncio.Runner runner = new Asyncio.Runner();
        EventLoop l = runner.getLoop();
        runner.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, runner::getLoop);
        assertTrue(e.getMessage().contains("Runner is closed"), e.getMessage());
        assertTrue(l.isClosed());
    }

    @Test
    void runnerDoubleClose() { // test_double_close
        Asyncio.Runner runner = new Asyncio.Runner();
        EventLoop l = runner.getLoop();
        runner.close();
        assertTrue(l.isClosed());
        runner.close();
        assertTrue(l.isClosed());
    }

    @Test
    void aClosedRunnerRefusesToRun() { // test_second_with_block_raises
        List<Integer> ret = new ArrayList<>();
        Asyncio.Runner runner = new Asyncio.Runner();
        try (runner) {
            runner.run(() -> ret.add(1));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (runner) {
                runner.run(() -> ret.add(2));
            }
        });
        assertTrue(e.getMessage().contains("Runner is closed"), e.getMessage());
        assertEquals(List.of(1), ret);
    }

    @Test
    void runnerKeepsOneContextAcrossRuns() { // test_run_keeps_context
        ContextVar<Integer> cvar = new ContextVar<>("cvar", -1);
        try (Asyncio.Runner runner = new Asyncio.Runner()) {
            Coroutine<Integer> f1 = () -> {
                int old = cvar.get();
                Asyncio.sleep(0).await();
                cvar.set(1);
                return old;
            };
            Coroutine<Integer> f2 = () -> {
                int old = cvar.get();
                Asyncio.sleep(0).await();
                cvar.set(2);
                return old;
            };
            assertEquals(-1, runner.run(f1));
            assertEquals(1, runner.run(f2));
            assertEquals(2, runner.run(Context::copyContext).get(cvar));
        }
    }

    @Test
    void aRunnerCannotRunRecursively() { // test_recursive_run
        boolean[] gRan = {false};
        try (Asyncio.Runner runner = new Asyncio.Runner()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(() -> {
                runner.run(() -> {
                    gRan[0] = true;
                    return null;
                });
                return null;
            }));
            assertTrue(e.getMessage().contains("Runner.run() cannot be called from a running event loop"),
                    e.getMessage());
        }
        assertFalse(gRan[0]);
    }

    @Test
    void aRunnerSetsTheEventLoopOnce() { // test_set_event_loop_called_once
        Asyncio.Runner runner = new Asyncio.Runner();
        runner.run(() -> null);
        runner.run(() -> null);
        assertEquals(1, policy.setEventLoopCalls.get());
        runner.close();
    }

    /** A result that counts the calls to its toString (CPython's {@code __repr__}). */
    static final class MyResult {
        int reprCount;

        @Override
        public String toString() {
            reprCount++;
            return super.toString();
        }
    }

    @Test
    void theResultIsNeverTurnedIntoAString() { // test_no_repr_is_call_on_the_task_result
        MyResult result;
        try (Asyncio.Runner runner = new Asyncio.Runner()) {
            result = runner.run(MyResult::new);
        }
        assertEquals(0, result.reprCount);
    }
}

package io.jasyncio;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delays, timeouts and deadlines as a Java user types them: every one takes {@code double}
 * seconds (an {@code int} literal widens to it) and a {@link Duration}, and "no limit" is a form
 * without the argument. Infinity is never, NaN and null are refused, negative is at once. On the
 * auto-advancing virtual clock, so the seconds cost nothing and the times are exact.
 */
@Tag("tasks")
abstract class DelaySuite extends LoopTestBase {

    @BeforeEach
    void virtualClock() {
        loop.setClockMode(ClockMode.AUTO);
    }

    /** Runs {@code body} as a task and returns the virtual seconds it took. */
    private double timed(Coroutine<?> body) {
        double t0 = loop.time();
        run(body);
        return loop.time() - t0;
    }

    private static void assertAbout(double expected, double actual) {
        assertEquals(expected, actual, 1e-6);
    }

    @Test
    void intLiteralsAreSeconds() {
        assertAbout(1, timed(() -> Asyncio.sleep(1).await()));
        assertAbout(2, timed(() -> Asyncio.sleep(2, "x").await()));
        assertAbout(1, timed(() -> {
            assertThrows(TimeoutException.class, () -> Asyncio.timeout(1, () -> Asyncio.sleep(5).await()));
            return null;
        }));
        assertAbout(1, timed(() -> {
            assertThrows(TimeoutException.class, () -> Asyncio.timeout(1, scope -> Asyncio.sleep(5).await()));
            return null;
        }));
        assertAbout(1, timed(() -> {
            Future<Void> f = Asyncio.sleep(5);
            assertThrows(TimeoutException.class, () -> Asyncio.waitFor(f, 1).await());
            assertTrue(f.cancelled());
            return null;
        }));
        assertAbout(1, timed(() -> {
            assertThrows(TimeoutException.class, () -> Asyncio.waitFor(() -> Asyncio.sleep(5).await(), 1).await());
            return null;
        }));
        assertAbout(1, timed(() -> {
            Future<Void> slow = Asyncio.sleep(5);
            WaitResult<Void> r = Asyncio.wait(List.of(slow), 1, ReturnWhen.ALL_COMPLETED).await();
            assertEquals(Set.of(slow), r.pending());
            r = Asyncio.wait(List.of(slow), 0).await();
            assertEquals(Set.of(slow), r.pending());
            slow.cancel();
            return null;
        }));
        assertAbout(1, timed(() -> {
            Future<Void> slow = Asyncio.sleep(5);
            Iterator<Future<Void>> it = Asyncio.asCompleted(List.of(slow), 1);
            Future<Void> first = it.next();
            assertThrows(TimeoutException.class, first::await);
            slow.cancel();
            return null;
        }));
        assertAbout(3, timed(() -> {
            Future<Void> ran = loop.createFuture();
            loop.callLater(3, () -> ran.setResult(null));
            ran.await();
            return null;
        }));
        double t0 = loop.time();
        assertThrows(TimeoutException.class, () -> run(() -> Asyncio.timeout(3600, scope -> {
            scope.reschedule(0); // long past: expires on the next iteration
            return Asyncio.sleep(3600).await();
        })));
        assertAbout(0, loop.time() - t0);
        loop.runInExecutor(null, () -> null);
        run(loop.shutdownDefaultExecutor(1));
    }

    @Test
    void durationsAreAcceptedWhereSecondsAre() {
        Duration second = Duration.ofSeconds(1);
        assertAbout(1, timed(() -> Asyncio.sleep(second).await()));
        assertEquals("x", run(() -> Asyncio.sleep(Duration.ofMillis(1500), "x").await()));
        assertAbout(1, timed(() -> {
            assertThrows(TimeoutException.class, () -> Asyncio.timeout(second, () -> Asyncio.sleep(5).await()));
            assertThrows(TimeoutException.class,
                    () -> Asyncio.timeout(Duration.ZERO, scope -> Asyncio.sleep(5).await()));
            return null;
        }));
        assertAbout(1, timed(() -> {
            assertThrows(TimeoutException.class, () -> Asyncio.waitFor(Asyncio.sleep(5), second).await());
            return null;
        }));
        assertAbout(1, timed(() -> {
            assertThrows(TimeoutException.class, () -> Asyncio.waitFor(() -> Asyncio.sleep(5).await(), second).await());
            return null;
        }));
        assertAbout(1, timed(() -> {
            Future<Void> slow = Asyncio.sleep(5);
            assertEquals(Set.of(slow), Asyncio.wait(List.of(slow), second).await().pending());
            assertEquals(Set.of(slow),
                    Asyncio.wait(List.of(slow), Duration.ZERO, ReturnWhen.FIRST_COMPLETED).await().pending());
            slow.cancel();
            return null;
        }));
        assertAbout(1, timed(() -> {
            Future<Void> slow = Asyncio.sleep(5);
            assertThrows(TimeoutException.class, () -> Asyncio.asCompleted(List.of(slow), second).next().await());
            slow.cancel();
            return null;
        }));
        assertAbout(1, timed(() -> {
            Future<Void> ran = loop.createFuture();
            loop.callLater(second, () -> ran.setResult(null));
            ran.await();
            return null;
        }));
        run(loop.shutdownDefaultExecutor(Duration.ofSeconds(1)));
    }

    @Test
    void noLimitIsAFormWithoutTheArgument() {
        assertEquals("done", run(() -> Asyncio.waitFor(Asyncio.sleep(7, "done")).await()));
        assertEquals("done", run(() -> Asyncio.waitFor(() -> Asyncio.sleep(7, "done").await()).await()));
        assertAbout(7, timed(() -> {
            Future<Void> f = Asyncio.sleep(7);
            assertEquals(Set.of(f), Asyncio.wait(List.of(f), ReturnWhen.FIRST_COMPLETED).await().done());
            return null;
        }));
        assertEquals("late", run(() -> Asyncio.asCompleted(List.of(Asyncio.sleep(7, "late"))).next().await()));
        run(() -> Asyncio.timeout(scope -> {
            assertEquals(Double.POSITIVE_INFINITY, scope.when());
            assertEquals("Timeout[active, when=none]", scope.toString());
            scope.reschedule(loop.time() + 1);
            assertAbout(loop.time() + 1, scope.when());
            scope.clearDeadline();
            assertEquals(Double.POSITIVE_INFINITY, scope.when());
            return Asyncio.sleep(7).await();
        }));
    }

    @Test
    void infinityIsNever() {
        List<String> ran = new ArrayList<>();
        TimerHandle never = loop.callLater(Double.POSITIVE_INFINITY, () -> ran.add("never"));
        TimerHandle neverAt = loop.callAt(Double.POSITIVE_INFINITY, () -> ran.add("never at"));
        assertEquals(Double.POSITIVE_INFINITY, never.when());
        assertEquals(Double.POSITIVE_INFINITY, neverAt.when());
        assertEquals(0, loop.stats().scheduledTimers(), "a timer that never falls due takes no place in the heap");
        // The auto clock jumps to the next timer that can fall due, never to infinity.
        double t0 = loop.time();
        run(() -> Asyncio.sleep(10).await());
        assertAbout(10, loop.time() - t0);
        assertEquals(List.of(), ran);
        never.cancel();
        assertTrue(never.cancelled());

        // A huge but finite delay is cut, without overflowing the clock.
        TimerHandle far = loop.callLater(Duration.ofSeconds(Long.MAX_VALUE), () -> ran.add("far"));
        assertTrue(far.whenNanos() > loop.timeNanos(), "overflowed into the past: " + far);
        TimerHandle farSeconds = loop.callLater(1e300, () -> ran.add("far"));
        assertTrue(farSeconds.whenNanos() > loop.timeNanos(), "overflowed into the past: " + farSeconds);
        far.cancel();
        farSeconds.cancel();

        // sleep(inf) sleeps until cancelled; timeout(inf) and waitFor(f, inf) have no deadline.
        Task<Void> sleeper = loop.createTask(() -> Asyncio.sleep(Double.POSITIVE_INFINITY).await());
        loop.callLater(5, sleeper::cancel);
        assertThrows(CancelledError.class, () -> run(sleeper));
        assertEquals("in time", run(() -> Asyncio.timeout(Double.POSITIVE_INFINITY, scope -> {
            assertEquals(Double.POSITIVE_INFINITY, scope.when());
            return Asyncio.sleep(100, "in time").await();
        })));
        assertEquals("in time",
                run(() -> Asyncio.waitFor(Asyncio.sleep(100, "in time"), Double.POSITIVE_INFINITY).await()));
        assertEquals(List.of(), ran);
    }

    @Test
    void zeroAndNegativeAreAtOnceBehindWhatIsReady() {
        List<String> order = new ArrayList<>();
        loop.callLater(-1, () -> order.add("-1 s"));
        loop.callLater(Double.NEGATIVE_INFINITY, () -> order.add("-inf"));
        loop.callAt(Double.NEGATIVE_INFINITY, () -> order.add("at -inf"));
        loop.callLater(Duration.ofSeconds(-1), () -> order.add("-1 s as a Duration"));
        loop.callLater(0, () -> order.add("0"));
        loop.callSoon(() -> order.add("soon"));
        double t0 = loop.time();
        loop.callLater(0, loop::stop);
        loop.runForever();
        assertAbout(0, loop.time() - t0);
        // Due timers run by deadline: -infinity is the earliest of all.
        assertEquals(List.of("soon", "at -inf", "-inf", "-1 s", "-1 s as a Duration", "0"), order);
        assertThrows(TimeoutException.class, () -> run(() -> Asyncio.waitFor(Asyncio.sleep(1), -1).await()));
    }

    @Test
    void nanIsRefused() {
        Runnable cb = () -> { };
        List<org.junit.jupiter.api.function.Executable> calls = List.of(
                () -> loop.callLater(Double.NaN, cb),
                () -> loop.callLater(Double.NaN, cb, null),
                () -> loop.callAt(Double.NaN, cb),
                () -> loop.shutdownDefaultExecutor(Double.NaN),
                () -> loop.setSlowCallbackDuration(Double.NaN),
                () -> Asyncio.sleep(Double.NaN),
                () -> Asyncio.waitFor(loop.createFuture(), Double.NaN),
                () -> Asyncio.wait(List.of(loop.createFuture()), Double.NaN),
                () -> Asyncio.asCompleted(List.of(loop.createFuture()), Double.NaN));
        for (var call : calls) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        }
        run(() -> {
            assertThrows(IllegalArgumentException.class, () -> Asyncio.timeout(Double.NaN, () -> null));
            assertThrows(IllegalArgumentException.class, () -> Asyncio.timeoutAt(Double.NaN, () -> null));
            Asyncio.timeout(10, scope -> {
                assertThrows(IllegalArgumentException.class, () -> scope.reschedule(Double.NaN));
                assertAbout(loop.time() + 10, scope.when());
                return null;
            });
            return null;
        });
        assertEquals(0, loop.stats().scheduledTimers(), "a refused call left a timer behind");
    }

    @Test
    void nullDurationsAreRefusedByName() {
        Runnable cb = () -> { };
        List<org.junit.jupiter.api.function.Executable> calls = List.of(
                () -> loop.callLater((Duration) null, cb),
                () -> loop.callLater((Duration) null, cb, null),
                () -> loop.shutdownDefaultExecutor((Duration) null),
                () -> Asyncio.sleep((Duration) null),
                () -> Asyncio.waitFor(loop.createFuture(), (Duration) null),
                () -> Asyncio.wait(List.of(loop.createFuture()), (Duration) null),
                () -> Asyncio.asCompleted(List.of(loop.createFuture()), (Duration) null));
        for (var call : calls) {
            NullPointerException e = assertThrows(NullPointerException.class, call);
            assertTrue(e.getMessage() != null && e.getMessage().contains("null"), String.valueOf(e.getMessage()));
        }
    }

    @Test
    void theVirtualClockMovesBySecondsOrADuration() {
        loop.setClockMode(ClockMode.MANUAL);
        double t0 = loop.time();
        loop.advanceTime(2);
        loop.advanceTime(Duration.ofMillis(500));
        assertAbout(2.5, loop.time() - t0);
        assertThrows(IllegalArgumentException.class, () -> loop.advanceTime(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> loop.advanceTime(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> loop.advanceTime(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> loop.advanceTime((Duration) null));
        assertAbout(2.5, loop.time() - t0);
    }

    @Test
    void slowCallbackDuration() {
        NullPointerException npe = assertThrows(NullPointerException.class, () -> loop.setSlowCallbackDuration(null));
        assertEquals("slow callback duration is null", npe.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(-0.001));
        assertEquals(BaseEventLoop.SLOW_CALLBACK_DURATION_DEFAULT, loop.getSlowCallbackDuration(),
                "a refused value changed nothing");
        loop.setSlowCallbackDuration(0.25);
        assertEquals(Duration.ofMillis(250), loop.getSlowCallbackDuration());
        loop.setSlowCallbackDuration(1);
        assertEquals(Duration.ofSeconds(1), loop.getSlowCallbackDuration());
        loop.setSlowCallbackDuration(Duration.ofSeconds(Long.MAX_VALUE));
        assertFalse(loop.getSlowCallbackDuration().isNegative());
        loop.setSlowCallbackDuration(Double.POSITIVE_INFINITY);
        assertFalse(loop.getSlowCallbackDuration().isNegative());
    }
}

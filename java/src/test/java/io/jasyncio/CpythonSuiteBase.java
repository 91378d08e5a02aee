package io.jasyncio;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the suites translated from CPython's own asyncio tests share: the idioms of CPython's
 * {@code test_utils} in jasyncio's terms. The translations are ours; no code or text is copied.
 */
abstract class CpythonSuiteBase extends LoopTestBase {

    /**
     * CPython's {@code run_briefly}: runs a task that ends at once, so the loop makes two
     * iterations (the task's step, then the stop its completion schedules).
     */
    protected void runBriefly() {
        runBriefly(loop);
    }

    protected static void runBriefly(EventLoop l) {
        l.runUntilComplete(l.createTask(() -> null));
    }

    /** CPython's {@code run_once}: {@code call_soon(stop)} then {@code run_forever}. */
    protected void runOnce() {
        loop.callSoon(loop::stop);
        loop.runForever();
    }

    /** CPython's {@code _run_loop} in the gather tests: until nothing is ready. */
    protected void runUntilIdle() {
        while (loop.readyCount() > 0) {
            runBriefly();
        }
    }

    /**
     * Switches the loop to the auto-advancing virtual clock (the counterpart of CPython's
     * {@code TestLoop}) and returns the virtual time now, the origin for {@link #elapsed}.
     */
    protected double virtualClock() {
        loop.setClockMode(ClockMode.AUTO);
        return loop.time();
    }

    /** Seconds on the loop's clock since {@code t0}. */
    protected double elapsed(double t0) {
        return loop.time() - t0;
    }

    /** {@code assertAlmostEqual} for times on the virtual clock (which jumps exactly to deadlines). */
    protected static void assertAbout(double expected, double actual) {
        assertTrue(Math.abs(expected - actual) < 1e-6, "expected about " + expected + " but was " + actual);
    }

    /** The reports whose message contains {@code text}. */
    protected List<Map<String, Object>> reportsContaining(String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : reported) {
            if (String.valueOf(r.get("message")).contains(text)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Runs {@code action} on a new platform thread and returns what it threw, or null. */
    protected static Throwable onAnotherThread(ThrowingRunnable action) throws InterruptedException {
        Throwable[] error = new Throwable[1];
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                action.run();
            } catch (Throwable e) {
                error[0] = e;
            }
        });
        t.join(10_000);
        return error[0];
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}

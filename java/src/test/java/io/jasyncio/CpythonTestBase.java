package io.jasyncio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Base of the suites translated from CPython's {@code Lib/test/test_asyncio} (test_locks,
 * test_pep492, test_queues, test_taskgroups, test_timeouts, test_eager_task_factory). Each test
 * body runs as a task, as {@code IsolatedAsyncioTestCase} runs its {@code async def} tests.
 *
 * <p>The loop runs on the virtual clock ({@link ClockMode#AUTO}): CPython's tests sleep for short
 * real times (0.01 s, 0.1 s...) to order events, and on a virtual clock those sleeps still order
 * the events the same way but cost nothing and cannot be disturbed by a slow machine. Where a
 * CPython test blocks the loop with {@code time.sleep} to pretend it is busy, the translation moves
 * the virtual clock forward with {@link BaseEventLoop#advanceTime} instead.
 */
abstract class CpythonTestBase extends LoopTestBase {
    private static final Pattern WAITERS = Pattern.compile("(?:waiters|getters|putters)[:=](\\d+)");

    @BeforeEach
    void virtualClock() {
        loop.setClockMode(ClockMode.AUTO);
    }

    /** Every test leaves nothing behind: no task still pending, and nothing reported. */
    @AfterEach
    void nothingLeftBehind() {
        if (loop != null) {
            assertEquals(java.util.Set.of(), Asyncio.allTasks(loop), "tasks left pending");
        }
        assertEquals(List.of(), reported);
    }

    /** asyncio's {@code await asyncio.sleep(0)}: lets every callback already queued run once. */
    static void sleep0() throws Exception {
        Asyncio.sleep(0).await();
    }

    /** {@code asyncio.sleep(seconds)} (on the virtual clock). */
    static void sleep(double seconds) throws Exception {
        Asyncio.sleep(seconds).await();
    }

    /** {@code asyncio.create_task(coroutine)} from inside a task. */
    static <T> Task<T> spawn(Coroutine<T> coroutine) {
        return Asyncio.createTask(coroutine);
    }

    /**
     * How many waiters a primitive or queue reports in its {@code toString()} (CPython's tests look
     * at {@code len(lock._waiters)}; ours keep the queue private and show its length instead).
     */
    static int waiters(Object primitive, String kind) {
        Matcher m = WAITERS.matcher(primitive.toString());
        while (m.find()) {
            if (m.group().startsWith(kind)) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0;
    }

    static int waiters(Object primitive) {
        return waiters(primitive, "waiters");
    }

    /** A private field of a library object, for the few CPython tests that read one. */
    static Object field(Object target, String name) {
        try {
            var f = target.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}

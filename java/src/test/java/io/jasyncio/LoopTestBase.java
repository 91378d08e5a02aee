package io.jasyncio;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Base of the contract suites that run once per loop implementation: a subclass only names its
 * backend. A backend this platform lacks is skipped, never failed. Each test gets a fresh loop,
 * and ends by checking the loop can close and did; each test class ends by checking that the
 * process has the file descriptors it had when the class started ({@link OpenFds}).
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class LoopTestBase {
    protected SelectorEventLoop loop;
    /** Exception-handler contexts reported during the test. */
    protected final List<java.util.Map<String, Object>> reported = new ArrayList<>();

    abstract SelectorEventLoop.Backend backend();

    /** The process's open descriptors when this test class started. */
    private static Map<Integer, String> fdsAtStart;

    @BeforeAll
    static void recordOpenFds() {
        fdsAtStart = OpenFds.atClassStart();
    }

    @AfterAll
    static void noFdLeaked(org.junit.jupiter.api.TestInfo info) {
        Map<Integer, String> atStart = fdsAtStart;
        fdsAtStart = null;
        OpenFds.assertNoneLeaked(atStart, info.getDisplayName());
    }

    @BeforeEach
    void createLoop() {
        assumeTrue(backend().isAvailable(), backend() + " is not available on this platform");
        loop = new SelectorEventLoop(backend());
        loop.setExceptionHandler((l, context) -> reported.add(context));
    }

    @AfterEach
    void closeLoop() {
        if (loop != null) {
            assertFalse(loop.isRunning(), "the test left the loop running");
            loop.close();
            assertTrue(loop.isClosed());
        }
    }

    /** Runs the loop until {@code future} is done, returning its result. */
    protected <T> T run(Future<T> future) {
        return loop.runUntilComplete(future);
    }

    /** Runs {@code body} as a task until it is done, returning its result. */
    protected <T> T run(Coroutine<T> body) {
        return loop.runUntilComplete(body);
    }

    /**
     * Collects garbage and runs the loop briefly until a report matching {@code which} arrives
     * (CPython's {@code gc_collect()} followed by a look at the reports).
     */
    protected Map<String, Object> awaitReport(Predicate<Map<String, Object>> which) {
        for (int attempt = 0; attempt < 400; attempt++) {
            for (Map<String, Object> r : reported) {
                if (which.test(r)) {
                    return r;
                }
            }
            System.gc();
            loop.callLater(0.005, loop::stop);
            loop.runForever();
        }
        throw new AssertionError("no such report; got " + reported);
    }

    protected static Predicate<Map<String, Object>> message(String text) {
        return r -> String.valueOf(r.get("message")).contains(text);
    }

    /** Log records of the {@code io.jasyncio} logger while {@code body} runs . */
    protected static List<LogRecord> captureLog(Runnable body) {
        return captureLog(records -> body.run());
    }

    /** {@link #captureLog(Runnable)} with a body that can look at the records as they arrive. */
    protected static List<LogRecord> captureLog(java.util.function.Consumer<List<LogRecord>> body) {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger("io.jasyncio");
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level before = logger.getLevel();
        boolean parents = logger.getUseParentHandlers();
        logger.addHandler(h);
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        try {
            body.accept(records);
        } finally {
            logger.removeHandler(h);
            logger.setLevel(before);
            logger.setUseParentHandlers(parents);
        }
        return records;
    }
}

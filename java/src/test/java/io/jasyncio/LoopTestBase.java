package io.jasyncio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Base of the contract suites that run once per loop implementation: a subclass only names its
 * backend. A backend this platform lacks is skipped, never failed. Each test gets a fresh loop,
 * and ends by checking the loop can close and did.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class LoopTestBase {
    protected SelectorEventLoop loop;
    /** Exception-handler contexts reported during the test. */
    protected final List<java.util.Map<String, Object>> reported = new ArrayList<>();

    abstract SelectorEventLoop.Backend backend();

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
}

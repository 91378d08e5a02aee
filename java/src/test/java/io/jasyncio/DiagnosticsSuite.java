package io.jasyncio;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reports of SPEC 9, each provoked and captured. */
@org.junit.jupiter.api.Tag("tasks")
abstract class DiagnosticsSuite extends LoopTestBase {

    private void dropFailedFuture(Throwable e, boolean retrieve) {
        Future<String> f = loop.createFuture();
        f.setException(e);
        if (retrieve) {
            assertSame(e, f.exception());
        }
    }

    @Test
    void aNeverRetrievedExceptionIsReportedWhenTheFutureIsCollected() {
        IOException lost = new IOException("lost");
        IOException seen = new IOException("seen");
        dropFailedFuture(seen, true);
        dropFailedFuture(lost, false);
        Map<String, Object> report = awaitReport(message("Future exception was never retrieved"));
        assertSame(lost, report.get("exception"));
        assertTrue(String.valueOf(report.get("future")).contains("lost"));
        for (Map<String, Object> r : reported) {
            assertFalse(r.get("exception") == seen, "a retrieved exception must not be reported");
        }
    }

    @Test
    void aTaskExceptionNeverRetrievedIsReported() {
        Future<Void> ran = loop.createFuture();
        startFailingTask(ran);
        run(ran);
        Map<String, Object> report = awaitReport(message("Task exception was never retrieved"));
        assertEquals("task failed", ((Throwable) report.get("exception")).getMessage());
    }

    private void startFailingTask(Future<Void> ran) {
        loop.createTask(() -> {
            loop.callSoon(() -> ran.setResult(null));
            throw new IllegalStateException("task failed");
        });
    }

    @Test
    void anExceptionNobodyRetrievedIsReportedWhenTheLoopClosesAndNotAgainAtCollection() {
        // Everything stays reachable, so no garbage-collection report can come first.
        IOException lost = new IOException("lost");
        Future<String> lostFuture = loop.createFuture();
        lostFuture.setException(lost);
        Future<String> seenFuture = loop.createFuture();
        seenFuture.setException(new IOException("seen"));
        assertEquals("seen", seenFuture.exception().getMessage());
        Future<String> fine = loop.createFuture();
        fine.setResult("fine");
        Future<Void> ran = loop.createFuture();
        Task<Void> failed = loop.createTask(() -> {
            loop.callSoon(() -> ran.setResult(null));
            throw new IllegalStateException("task failed");
        });
        run(ran);
        assertTrue(reported.stream().noneMatch(message("never retrieved")), "nothing before close: " + reported);

        loop.close();
        List<Map<String, Object>> reports = reported.stream().filter(message("exception was never retrieved")).toList();
        assertEquals(List.of("Future exception was never retrieved", "Task exception was never retrieved"),
                reports.stream().map(r -> r.get("message")).toList(), "in the order they failed: " + reported);
        assertSame(lost, reports.get(0).get("exception"));
        assertSame(lostFuture, reports.get(0).get("future"));
        assertEquals("task failed", ((Throwable) reports.get(1).get("exception")).getMessage());
        assertSame(failed, reports.get(1).get("future"));

        // What the cleaner runs once they are collected: nothing more to say.
        lostFuture.diagnostics.run();
        failed.diagnostics.run();
        assertEquals(2, reported.stream().filter(message("never retrieved")).count(), reported.toString());
    }

    @Test
    void aFireAndForgetTaskThatFailsIsReportedWhenAsyncioRunEnds() {
        List<Map<String, Object>> seen = new ArrayList<>();
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((l, context) -> seen.add(context));
            Asyncio.createTask(() -> {
                throw new IllegalStateException("nobody awaits me");
            });
            return Asyncio.sleep(0).await();
        }, null, () -> new SelectorEventLoop(backend()));
        assertEquals(1, seen.size(), seen.toString());
        assertEquals("Task exception was never retrieved", seen.get(0).get("message"));
        assertEquals("nobody awaits me", ((Throwable) seen.get(0).get("exception")).getMessage());
    }

    @Test
    void aTaskStillPendingWhenItsLoopClosesIsReported() {
        Task<Void> pending = loop.createTask(() -> loop.<Void>createFuture().await());
        loop.callSoon(() -> loop.callSoon(loop::stop));
        loop.runForever();
        loop.close();
        Map<String, Object> report = reported.stream().filter(message("destroyed but it is pending")).findFirst()
                .orElseThrow(() -> new AssertionError("no report: " + reported));
        assertSame(pending, report.get("task"));
    }

    @Test
    void aPendingTaskThatBecomesUnreachableIsReportedWhenCollected() {
        org.junit.jupiter.api.Assumptions.assumeTrue("false".equals(System.getProperty("jdk.trackAllThreads")),
                "suspended virtual threads are collectable only with -Djdk.trackAllThreads=false"
                        + " (the hand-off test run sets it)");
        Future<Void> started = loop.createFuture();
        startTaskOnUnreachableFuture(started);
        run(started);
        Map<String, Object> report = awaitReport(message("destroyed but it is pending"));
        assertTrue(String.valueOf(report.get("task")).contains("stranded"), report.toString());
    }

    private void startTaskOnUnreachableFuture(Future<Void> started) {
        loop.createTask(() -> {
            Future<Void> nobodyElseHasThis = loop.createFuture();
            loop.callSoon(() -> started.setResult(null));
            return nobodyElseHasThis.await();
        }, "stranded");
    }

    @Test
    void inDebugModeATaskNobodyAwaitedIsReported() {
        loop.setDebug(true);
        Future<Void> ran = loop.createFuture();
        startForgottenTask(ran, "forgotten");
        Task<String> awaited = loop.createTask(() -> "awaited");
        run(ran);
        assertEquals("awaited", run(awaited));
        Map<String, Object> report = awaitReport(message("never awaited"));
        assertTrue(String.valueOf(report.get("message")).contains("forgotten"), report.toString());
        assertTrue(String.valueOf(report.get("source_traceback")).contains("startForgottenTask"),
                "the report says where the task was created: " + report);
        for (Map<String, Object> r : reported) {
            assertFalse(String.valueOf(r.get("message")).contains("awaited]"), "an awaited task was reported");
        }
    }

    private void startForgottenTask(Future<Void> ran, String name) {
        loop.createTask(() -> {
            loop.callSoon(() -> ran.setResult(null));
            return "nobody reads this";
        }, name);
    }

    @Test
    void inDebugModeSlowCallbacksAreLoggedWithTheirDuration() {
        List<LogRecord> records = captureLog(() -> {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(Duration.ofMillis(100));
            assertEquals(Duration.ofMillis(100), loop.getSlowCallbackDuration());
            loop.callSoon(() -> {
                long end = System.nanoTime() + 200_000_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            });
            loop.callSoon(() -> { });
            loop.callSoon(loop::stop);
            loop.runForever();
        });
        List<String> slow = new ArrayList<>();
        for (LogRecord r : records) {
            if (r.getMessage().contains("took")) {
                slow.add(r.getMessage());
            }
        }
        assertEquals(1, slow.size(), "exactly the slow callback is logged: " + slow);
        assertTrue(slow.get(0).matches("Executing .* took (0\\.[2-9]|[1-9]\\.)\\d\\d seconds"), slow.get(0));
    }

    @Test
    void aLoopCollectedWithoutCloseIsReported() throws Exception {
        List<LogRecord> records = captureLog(seen -> {
            createAndCloseALoop();
            createAndDropALoop();
            for (int i = 0; i < 200 && seen.stream().noneMatch(r -> r.getMessage().contains("unclosed")); i++) {
                System.gc();
                loop.callLater(0.005, loop::stop);
                loop.runForever();
            }
        });
        long unclosed = records.stream().filter(r -> r.getMessage().contains("unclosed event loop")).count();
        assertEquals(1, unclosed, "exactly the dropped loop is reported");
    }

    /**
     * Drops a loop without closing it. jasyncio reports such a loop but, unlike asyncio's
     * {@code __del__}, does not close it, so its descriptors stay open: the class's fd check is
     * told so.
     */
    private void createAndDropALoop() {
        Map<Integer, String> before = OpenFds.snapshot();
        new SelectorEventLoop(backend());
        OpenFds.leaveOpen(OpenFds.openedSince(before));
    }

    private void createAndCloseALoop() {
        new SelectorEventLoop(backend()).close();
    }

    @Test
    void debugModeFollowsTheSystemProperty() {
        String before = System.getProperty(BaseEventLoop.DEBUG_PROP_NAME);
        System.setProperty(BaseEventLoop.DEBUG_PROP_NAME, "true");
        try (SelectorEventLoop debugLoop = new SelectorEventLoop(backend())) {
            assertTrue(debugLoop.getDebug());
        } finally {
            if (before == null) {
                System.clearProperty(BaseEventLoop.DEBUG_PROP_NAME);
            } else {
                System.setProperty(BaseEventLoop.DEBUG_PROP_NAME, before);
            }
        }
    }
}

package io.jasyncio;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code Lib/test/test_asyncio/test_futures.py}, translated to jasyncio (SPEC 3, 13).
 * Each test names the CPython test it comes from.
 *
 * <p>Not translated, and why:
 * <ul>
 * <li>{@code DuckTests}, {@code test_isfuture}, {@code test_generic_alias}, {@code test_constructor_positional}:
 *     duck typing, {@code isfuture} and generic aliases have no Java counterpart; the type system does it.</li>
 * <li>{@code test_uninitialized}, {@code test_inherit_without_calling_super_init},
 *     {@code test_future_disallow_multiple_initialization}: Java constructors always run.</li>
 * <li>{@code test_stop_iteration_exception*}, {@code test_exception_class}, {@code test_iter},
 *     {@code test_future_stop_iteration_args}, {@code test_future_iter_throw},
 *     {@code test_futureiter_send_after_throw_no_crash}, {@code test_log_traceback}: generator and
 *     exception-class protocol of Python.</li>
 * <li>{@code test_future_repr}, {@code test_future_source_traceback}: {@code repr} formats and
 *     source tracebacks are Python's; jasyncio's {@code toString} is its own.</li>
 * <li>{@code test_future_del_collect}, {@code test_future_cancelled_*_refcycles}, the
 *     {@code *_list_mutation*}, {@code *_list_clear}, {@code test_evil_call_soon_list_mutation} and
 *     {@code test_use_after_free_*} tests: memory safety of the C accelerator under hostile
 *     {@code __eq__}/{@code __del__}; the C/Python duplicate classes ({@code CFutureTests}...) run
 *     the same tests twice.</li>
 * <li>{@code test_set_result_unless_cancelled}, {@code test_callbacks_copy}: private helpers.</li>
 * <li>{@code test_wrap_future_future}: {@code wrapFuture} takes a {@code CompletionStage}, which a
 *     jasyncio future is not (the compiler refuses the call).</li>
 * </ul>
 */
@Tag("tasks")
abstract class CpythonFuturesSuite extends CpythonSuiteBase {

    // ---- BaseFutureTests ----

    @Test
    void initialState() { // test_initial_state
        Future<Object> f = loop.createFuture();
        assertFalse(f.cancelled());
        assertFalse(f.done());
        f.cancel();
        assertTrue(f.cancelled());
    }

    @Test
    void constructorWithoutLoop() throws Exception { // test_constructor_without_loop
        Throwable e = onAnotherThread(() -> new Future<Object>());
        assertInstanceOf(IllegalStateException.class, e);
        assertTrue(e.getMessage().contains("no current event loop"), e.getMessage());
    }

    @Test
    void constructorUsesTheRunningLoop() { // test_constructor_use_running_loop
        Future<Object> f = run(() -> new Future<>());
        assertSame(loop, f.getLoop());
    }

    @Test
    void constructorUsesTheGlobalLoop() { // test_constructor_use_global_loop
        Asyncio.setEventLoop(loop);
        try {
            Future<Object> f = new Future<>();
            assertSame(loop, f.getLoop());
        } finally {
            Asyncio.setEventLoop(null);
        }
    }

    @Test
    void cancelMessageReachesTheCancelledError() { // test_future_cancel_message_getter
        Future<Object> f = loop.createFuture();
        f.cancel("my message");
        CancelledError e = assertThrows(CancelledError.class, () -> run(f));
        assertEquals("my message", e.getMessage());
    }

    @Test
    void cancel() { // test_cancel
        Future<Object> f = loop.createFuture();
        assertTrue(f.cancel());
        assertTrue(f.cancelled());
        assertTrue(f.done());
        assertThrows(CancelledError.class, f::result);
        assertThrows(CancelledError.class, f::exception);
        assertThrows(InvalidStateException.class, () -> f.setResult(null));
        assertThrows(InvalidStateException.class, () -> f.setException(null));
        assertFalse(f.cancel());
    }

    @Test
    void result() { // test_result
        Future<Integer> f = loop.createFuture();
        assertThrows(InvalidStateException.class, f::result);
        f.setResult(42);
        assertFalse(f.cancelled());
        assertTrue(f.done());
        assertEquals(42, f.result());
        assertNull(f.exception());
        assertThrows(InvalidStateException.class, () -> f.setResult(null));
        assertThrows(InvalidStateException.class, () -> f.setException(null));
        assertFalse(f.cancel());
    }

    @Test
    void exception() { // test_exception
        RuntimeException exc = new RuntimeException();
        Future<Object> f = loop.createFuture();
        assertThrows(InvalidStateException.class, f::exception);
        f.setException(exc);
        assertFalse(f.cancelled());
        assertTrue(f.done());
        assertSame(exc, assertThrows(RuntimeException.class, f::result));
        assertSame(exc, f.exception());
        assertThrows(InvalidStateException.class, () -> f.setResult(null));
        assertThrows(InvalidStateException.class, () -> f.setException(null));
        assertFalse(f.cancel());
    }

    @Test
    void awaitingTheSameFutureTwiceGivesTheSameResult() { // test_yield_from_twice
        Future<Integer> f = loop.createFuture();
        List<Object> steps = new ArrayList<>();
        Task<Void> t = loop.createTask(() -> {
            steps.add("A");
            int x = f.await();
            steps.add("B" + x);
            int y = f.await();
            steps.add("C" + y);
            return null;
        });
        runBriefly();
        assertEquals(List.of("A"), steps);
        f.setResult(42);
        run(t);
        assertEquals(List.of("A", "B42", "C42"), steps);
    }

    // test_copy_state / test_copy_state_from_concurrent_futures: the state of a JDK future copied
    // into a jasyncio one, which jasyncio does in wrapFuture.

    @Test
    void copyStateOfAResult() { // test_copy_state
        Future<Integer> f = Asyncio.wrapFuture(CompletableFuture.completedFuture(10), loop);
        runBriefly();
        assertTrue(f.done());
        assertEquals(10, f.result());
    }

    @Test
    void copyStateOfAnException() { // test_copy_state
        Future<Integer> f = Asyncio.wrapFuture(CompletableFuture.failedFuture(new IllegalStateException("x")), loop);
        runBriefly();
        assertTrue(f.done());
        assertThrows(IllegalStateException.class, f::result);
    }

    @Test
    void copyStateOfACancellation() { // test_copy_state
        CompletableFuture<Integer> cf = new CompletableFuture<>();
        cf.cancel(false);
        Future<Integer> f = Asyncio.wrapFuture(cf, loop);
        runBriefly();
        assertTrue(f.cancelled());
    }

    @Test
    void copyStateKeepsTheMessageOfTheException() { // test_copy_state_from_concurrent_futures
        Future<Integer> f = Asyncio.wrapFuture(
                CompletableFuture.failedFuture(new IllegalArgumentException("test exception")), loop);
        runBriefly();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, f::result);
        assertEquals("test exception", e.getMessage());
    }

    @Test
    void copyStateLeavesACancelledDestinationCancelled() { // test_copy_state_from_concurrent_futures
        CompletableFuture<Integer> cf = new CompletableFuture<>();
        Future<Integer> f = Asyncio.wrapFuture(cf, loop);
        f.cancel();
        cf.complete(10);
        runBriefly();
        assertTrue(f.cancelled());
    }

    // ---- the never-retrieved report (test_tb_logger_*) ----
    // CPython drops the future and checks its mocked logger after gc. Here a sentinel future whose
    // exception is never retrieved is dropped too: once its report arrives, the collector has run,
    // and the report about the future under test (or its absence) can be checked.

    private static final String NEVER_RETRIEVED = "exception was never retrieved";

    private void dropSentinel() {
        Future<Object> sentinel = loop.createFuture();
        sentinel.setException(new IllegalStateException("sentinel"));
    }

    private void assertOnlyTheSentinelIsReported() {
        awaitReport(r -> r.get("exception") instanceof IllegalStateException e && "sentinel".equals(e.getMessage()));
        for (Map<String, Object> r : reportsContaining(NEVER_RETRIEVED)) {
            Throwable e = (Throwable) r.get("exception");
            assertEquals("sentinel", e.getMessage(), "unexpected report " + r);
        }
    }

    private void dropPending() {
        loop.createFuture();
    }

    @Test
    void anAbandonedPendingFutureIsNotReported() { // test_tb_logger_abandoned
        dropPending();
        dropSentinel();
        assertOnlyTheSentinelIsReported();
    }

    private void dropFailedThenCancelled() {
        Future<Object> f = loop.createFuture();
        f.setException(new RuntimeException("boom"));
        f.cancel();
    }

    @Test
    void cancelMarksTheExceptionRetrieved() { // test_tb_logger_not_called_after_cancel
        dropFailedThenCancelled();
        dropSentinel();
        assertOnlyTheSentinelIsReported();
    }

    private void dropResult(boolean retrieve) {
        Future<Integer> f = loop.createFuture();
        f.setResult(42);
        if (retrieve) {
            f.result();
        }
    }

    @Test
    void anUnretrievedResultIsNotReported() { // test_tb_logger_result_unretrieved
        dropResult(false);
        dropSentinel();
        assertOnlyTheSentinelIsReported();
    }

    @Test
    void aRetrievedResultIsNotReported() { // test_tb_logger_result_retrieved
        dropResult(true);
        dropSentinel();
        assertOnlyTheSentinelIsReported();
    }

    private void dropFailed(String message, int how) {
        Future<Object> f = loop.createFuture();
        f.setException(new RuntimeException(message));
        if (how == 1) {
            f.exception();
        } else if (how == 2) {
            assertThrows(RuntimeException.class, f::result);
        }
    }

    @Test
    void anUnretrievedExceptionIsReported() { // test_tb_logger_exception_unretrieved
        dropFailed("boom", 0);
        Map<String, Object> report = awaitReport(r -> r.get("exception") instanceof RuntimeException e
                && "boom".equals(e.getMessage()));
        assertTrue(String.valueOf(report.get("message")).contains("Future " + NEVER_RETRIEVED), report.toString());
    }

    @Test
    void anExceptionRetrievedWithExceptionIsNotReported() { // test_tb_logger_exception_retrieved
        dropFailed("boom", 1);
        dropSentinel();
        assertOnlyTheSentinelIsReported();
    }

    @Test
    void anExceptionRetrievedWithResultIsNotReported() { // test_tb_logger_exception_result_retrieved
        dropFailed("boom", 2);
        dropSentinel();
        assertOnlyTheSentinelIsReported();
    }

    private void dropFailedWithError() {
        Future<Object> f = loop.createFuture();
        f.setException(new OutOfMemoryError("pretend"));
    }

    @Test
    void aNeverRetrievedErrorIsReportedWithTheErrorItself() { // test_future_exception_never_retrieved
        dropFailedWithError();
        Map<String, Object> report = awaitReport(message(NEVER_RETRIEVED));
        assertTrue(String.valueOf(report.get("message")).startsWith("Future exception was never retrieved"), report.toString());
        assertInstanceOf(OutOfMemoryError.class, report.get("exception"));
    }

    @Test
    void aNeverRetrievedErrorIsReportedInDebugModeToo() { // test_future_exception_never_retrieved_debug
        loop.setDebug(true);
        dropFailedWithError();
        Map<String, Object> report = awaitReport(message(NEVER_RETRIEVED));
        assertInstanceOf(OutOfMemoryError.class, report.get("exception"));
    }

    // ---- wrap_future ----

    @Test
    void wrapFuture() throws Exception { // test_wrap_future
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Object[]> f1 = CompletableFuture.supplyAsync(
                    () -> new Object[] {"oi", Thread.currentThread()}, ex);
            Future<Object[]> f2 = Asyncio.wrapFuture(f1, loop);
            Object[] res = run(f2);
            assertEquals("oi", res[0]);
            assertNotSame(Thread.currentThread(), res[1]);
        } finally {
            ex.shutdown();
        }
    }

    @Test
    void wrapFutureWithoutLoop() throws Exception { // test_wrap_future_without_loop
        Throwable e = onAnotherThread(() -> Asyncio.wrapFuture(new CompletableFuture<>()));
        assertInstanceOf(IllegalStateException.class, e);
        assertTrue(e.getMessage().contains("no current event loop"), e.getMessage());
    }

    @Test
    void wrapFutureUsesTheRunningLoop() { // test_wrap_future_use_running_loop
        CompletableFuture<String> f1 = new CompletableFuture<>();
        Future<String> f2 = run(() -> Asyncio.wrapFuture(f1));
        assertSame(loop, f2.getLoop());
        f1.complete("done");
        assertEquals("done", run(f2));
    }

    @Test
    void wrapFutureUsesTheGlobalLoop() { // test_wrap_future_use_global_loop
        Asyncio.setEventLoop(loop);
        try {
            Future<String> f2 = Asyncio.wrapFuture(new CompletableFuture<>());
            assertSame(loop, f2.getLoop());
            f2.cancel();
        } finally {
            Asyncio.setEventLoop(null);
        }
    }

    @Test
    void cancellingTheWrapperCancelsTheWrapped() { // test_wrap_future_cancel
        CompletableFuture<Integer> f1 = new CompletableFuture<>();
        Future<Integer> f2 = Asyncio.wrapFuture(f1, loop);
        f2.cancel();
        runBriefly();
        assertTrue(f1.isCancelled());
        assertTrue(f2.cancelled());
    }

    @Test
    void cancellingTheWrapperAfterTheWrappedIsDoneLeavesItsResult() throws Exception { // test_wrap_future_cancel2
        CompletableFuture<Integer> f1 = new CompletableFuture<>();
        Future<Integer> f2 = Asyncio.wrapFuture(f1, loop);
        f1.complete(42);
        f2.cancel();
        runBriefly();
        assertFalse(f1.isCancelled());
        assertEquals(42, f1.get());
        assertTrue(f2.cancelled());
    }

    // ---- BaseFutureDoneCallbackTests ----

    private static Consumer<Future<String>> bagAppender(List<Integer> bag, int thing) {
        return f -> bag.add(thing);
    }

    @Test
    void removingTheFirstCallback() { // test_callbacks_remove_first_callback
        List<Integer> bag = new ArrayList<>();
        Future<String> f = loop.createFuture();
        Consumer<Future<String>> cb1 = bagAppender(bag, 42);
        Consumer<Future<String>> cb2 = bagAppender(bag, 17);
        Consumer<Future<String>> cb3 = bagAppender(bag, 100);
        f.addDoneCallback(cb1);
        f.addDoneCallback(cb2);
        f.addDoneCallback(cb3);
        f.removeDoneCallback(cb1);
        f.removeDoneCallback(cb1);
        assertEquals(List.of(), bag);
        f.setResult("foo");
        runBriefly();
        assertEquals(List.of(17, 100), bag);
        assertEquals("foo", f.result());
    }

    @Test
    void removingTheFirstAndSecondCallbacks() { // test_callbacks_remove_first_and_second_callback
        List<Integer> bag = new ArrayList<>();
        Future<String> f = loop.createFuture();
        Consumer<Future<String>> cb1 = bagAppender(bag, 42);
        Consumer<Future<String>> cb2 = bagAppender(bag, 17);
        Consumer<Future<String>> cb3 = bagAppender(bag, 100);
        f.addDoneCallback(cb1);
        f.addDoneCallback(cb2);
        f.addDoneCallback(cb3);
        f.removeDoneCallback(cb1);
        f.removeDoneCallback(cb2);
        f.removeDoneCallback(cb1);
        assertEquals(List.of(), bag);
        f.setResult("foo");
        runBriefly();
        assertEquals(List.of(100), bag);
        assertEquals("foo", f.result());
    }

    @Test
    void removingTheThirdCallback() { // test_callbacks_remove_third_callback
        List<Integer> bag = new ArrayList<>();
        Future<String> f = loop.createFuture();
        Consumer<Future<String>> cb1 = bagAppender(bag, 42);
        Consumer<Future<String>> cb2 = bagAppender(bag, 17);
        Consumer<Future<String>> cb3 = bagAppender(bag, 100);
        f.addDoneCallback(cb1);
        f.addDoneCallback(cb2);
        f.addDoneCallback(cb3);
        f.removeDoneCallback(cb3);
        f.removeDoneCallback(cb3);
        assertEquals(List.of(), bag);
        f.setResult("foo");
        runBriefly();
        assertEquals(List.of(42, 17), bag);
        assertEquals("foo", f.result());
    }

    @Test
    void callbacksRunAfterSetResult() { // test_callbacks_invoked_on_set_result
        List<Integer> bag = new ArrayList<>();
        Future<String> f = loop.createFuture();
        f.addDoneCallback(bagAppender(bag, 42));
        f.addDoneCallback(bagAppender(bag, 17));
        assertEquals(List.of(), bag);
        f.setResult("foo");
        runBriefly();
        assertEquals(List.of(42, 17), bag);
        assertEquals("foo", f.result());
    }

    @Test
    void callbacksRunAfterSetException() { // test_callbacks_invoked_on_set_exception
        List<Integer> bag = new ArrayList<>();
        Future<String> f = loop.createFuture();
        f.addDoneCallback(bagAppender(bag, 100));
        assertEquals(List.of(), bag);
        RuntimeException exc = new RuntimeException();
        f.setException(exc);
        runBriefly();
        assertEquals(List.of(100), bag);
        assertSame(exc, f.exception());
    }

    @Test
    void removeDoneCallbackCountsTheRemovals() { // test_remove_done_callback
        List<Integer> bag = new ArrayList<>();
        Future<String> f = loop.createFuture();
        Consumer<Future<String>> cb1 = bagAppender(bag, 1);
        Consumer<Future<String>> cb2 = bagAppender(bag, 2);
        Consumer<Future<String>> cb3 = bagAppender(bag, 3);
        f.addDoneCallback(cb1);
        f.addDoneCallback(cb2);
        assertEquals(1, f.removeDoneCallback(cb2));
        assertEquals(0, f.removeDoneCallback(cb3));
        f.addDoneCallback(cb2);
        for (int i = 0; i < 5; i++) {
            f.addDoneCallback(cb1);
        }
        assertEquals(6, f.removeDoneCallback(cb1));
        assertEquals(List.of(), bag);
        f.setResult("foo");
        runBriefly();
        assertEquals(List.of(2), bag);
        assertEquals("foo", f.result());
    }

    @Test
    void aCallbackThatRemovesOthersAfterTheyAreScheduledDoesNotStopThem() { // test_schedule_callbacks_list_mutation_1
        List<String> ran = new ArrayList<>();
        Future<Integer> f = loop.createFuture();
        Consumer<Future<Integer>> other = x -> ran.add("other");
        f.addDoneCallback(x -> {
            ran.add("mut");
            assertEquals(0, x.removeDoneCallback(other), "a done future has no callbacks left to remove");
        });
        f.addDoneCallback(other);
        f.addDoneCallback(other);
        f.setResult(1);
        runBriefly();
        assertEquals(List.of("mut", "other", "other"), ran);
    }
}

package io.jasyncio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While a loop runs, every loop-thread-only call from another thread is refused with an
 * {@link IllegalStateException} that points to {@code callSoonThreadsafe}, in every mode (not
 * only in debug mode), and the refused call changes nothing.
 */
abstract class LoopThreadSuite extends LoopTestBase {

    /** Runs {@code calls} on another thread while the loop runs; returns what each threw. */
    private Map<String, Throwable> fromAnotherThreadWhileRunning(Map<String, Executable> calls) {
        Map<String, Throwable> thrown = new LinkedHashMap<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.callSoon(() -> Thread.ofPlatform().start(() -> {
            for (Map.Entry<String, Executable> call : calls.entrySet()) {
                try {
                    call.getValue().execute();
                    thrown.put(call.getKey(), null);
                } catch (Throwable t) {
                    thrown.put(call.getKey(), t);
                }
            }
            done.complete(null);
        }));
        run(Asyncio.wrapFuture(done, loop));
        return thrown;
    }

    @Test
    void everyLoopThreadOnlyCallIsRefusedFromAnotherThreadWhileTheLoopRuns() {
        assertFalse(loop.getDebug(), "the check must hold outside debug mode");
        Future<String> future = loop.createFuture();
        Handle handle = loop.callSoon(() -> { });
        List<String> fired = new ArrayList<>();
        TimerHandle timer = loop.callLater(0.001, () -> fired.add("timer"));
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("callSoon", () -> loop.callSoon(() -> { }));
        calls.put("callSoon(stop)", () -> loop.callSoon(loop::stop));
        calls.put("callLater", () -> loop.callLater(1, () -> { }));
        calls.put("callAt", () -> loop.callAt(loop.time() + 1, () -> { }));
        calls.put("createTask", () -> loop.createTask(() -> null));
        calls.put("stop", loop::stop);
        calls.put("setResult", () -> future.setResult("x"));
        calls.put("setException", () -> future.setException(new RuntimeException()));
        calls.put("cancel", future::cancel);
        calls.put("addDoneCallback", () -> future.addDoneCallback(f -> { }));
        calls.put("removeDoneCallback", () -> future.removeDoneCallback(f -> { }));
        calls.put("Handle.cancel", handle::cancel);
        calls.put("TimerHandle.cancel", timer::cancel);
        calls.put("runInExecutor", () -> loop.runInExecutor(null, () -> 1));
        Map<String, Throwable> thrown = fromAnotherThreadWhileRunning(calls);
        for (Map.Entry<String, Throwable> e : thrown.entrySet()) {
            Throwable t = e.getValue();
            assertTrue(t instanceof IllegalStateException && t.getMessage().contains("callSoonThreadsafe"),
                    e.getKey() + " from another thread must be refused, got " + t);
        }
        // Nothing changed: the future is pending, the handles are not cancelled, the timer fires.
        assertFalse(future.done());
        assertFalse(handle.cancelled());
        assertFalse(timer.cancelled(), "a refused cancel must not mark the timer cancelled");
        run(() -> Asyncio.sleep(0.01).await());
        assertEquals(List.of("timer"), fired);
        future.cancel();
    }

    @Test
    void callSoonThreadsafeAndTheBridgesStillWorkFromAnotherThread() throws Exception {
        Future<String> future = loop.createFuture();
        CompletableFuture<String> bridged = new CompletableFuture<>();
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("callSoonThreadsafe", () -> loop.callSoonThreadsafe(() -> future.setResult("posted")));
        calls.put("toCompletableFuture", () -> future.toCompletableFuture().thenAccept(bridged::complete));
        Map<String, Throwable> thrown = fromAnotherThreadWhileRunning(calls);
        thrown.forEach((call, t) -> assertEquals(null, t, call));
        run(future);
        run(() -> Asyncio.sleep(0).await());
        assertEquals("posted", bridged.get(5, TimeUnit.SECONDS));
    }

    @Test
    void anyThreadMaySetUpALoopThatIsNotRunning() throws Exception {
        List<String> order = new ArrayList<>();
        Future<String> done = loop.createFuture();
        done.setResult("ready");
        CompletableFuture<String> bridged = new CompletableFuture<>();
        Thread setup = Thread.ofPlatform().start(() -> {
            loop.callSoon(() -> order.add("soon"));
            loop.callLater(0, () -> order.add("later"));
            done.toCompletableFuture().thenAccept(bridged::complete);
        });
        setup.join();
        assertEquals("ready", bridged.get(5, TimeUnit.SECONDS), "a done future completes its bridge at once");
        run(() -> Asyncio.sleep(0.001).await());
        assertEquals(List.of("soon", "later"), order);
    }
}

package io.jasyncio.bench;

import io.jasyncio.Future;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.SelectorEventLoop.Backend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A future's done callback, per operation: create a future, add a done callback, set the result,
 * and get the callback run.
 * <ul>
 * <li>{@code loopFutureCallback}: jasyncio, then one loop iteration on the benchmark thread runs
 *     the callback (asyncio schedules done callbacks with {@code call_soon}, so the loop must turn:
 *     one poll without waiting per operation), per backend;</li>
 * <li>{@code loopFutureCallbackBatched}: the same for {@value #FUTURES} futures per loop
 *     iteration, so the figure is the future's own cost;</li>
 * <li>{@code completableFutureThenRun}: {@code CompletableFuture.thenRun} + {@code complete}
 *     (the dependent action runs inline in {@code complete}).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
        "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public class FutureBench {
    static final int FUTURES = 100;
    private static final Object VALUE = "result";

    /** A loop driven by the benchmark thread. */
    @State(Scope.Thread)
    public static class LoopState {
        /** The loop's poller: native epoll or java.nio. */
        @Param({"EPOLL", "NIO"})
        public Backend backend;

        SelectorEventLoop loop;
        long ran;
        long expected;
        final Consumer<Future<Object>> onDone = f -> ran++;

        @Setup(Level.Trial)
        public void setUp() {
            loop = Loops.open(backend);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close();
            Loops.check("loopFutureCallback", expected, ran);
        }
    }

    /** The reference's counter. */
    @State(Scope.Thread)
    public static class CfState {
        long ran;
        long expected;
        final Runnable onDone = () -> ran++;

        @TearDown(Level.Trial)
        public void tearDown() {
            Loops.check("completableFutureThenRun", expected, ran);
        }
    }

    /** One future, one done callback, the result, and one loop iteration that runs the callback. */
    @Benchmark
    public Future<Object> loopFutureCallback(LoopState s) {
        Future<Object> f = s.loop.createFuture();
        f.addDoneCallback(s.onDone);
        f.setResult(VALUE);
        Loops.runOnce(s.loop);
        s.expected++;
        return f;
    }

    /** 100 futures with a done callback each, completed, then one loop iteration runs the callbacks. */
    @Benchmark
    @OperationsPerInvocation(FUTURES)
    public long loopFutureCallbackBatched(LoopState s) {
        SelectorEventLoop loop = s.loop;
        Consumer<Future<Object>> onDone = s.onDone;
        for (int i = 0; i < FUTURES; i++) {
            Future<Object> f = loop.createFuture();
            f.addDoneCallback(onDone);
            f.setResult(VALUE);
        }
        Loops.runOnce(loop);
        s.expected += FUTURES;
        return s.ran;
    }

    /** CompletableFuture with a {@code thenRun} action, completed (the action runs inline). */
    @Benchmark
    public CompletableFuture<Void> completableFutureThenRun(CfState s) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        CompletableFuture<Void> after = f.thenRun(s.onDone);
        f.complete(VALUE);
        s.expected++;
        return after;
    }
}

package io.jasyncio.bench;

import io.jasyncio.SelectorEventLoop;
import io.jasyncio.SelectorEventLoop.Backend;
import io.netty.channel.DefaultEventLoop;
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

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one scheduled callback: {@link Loops#BATCH} callbacks are scheduled, then they run, and
 * the time is divided by the batch. Rows:
 * <ul>
 * <li>{@code loopCallSoon}: {@code callSoon} on the loop's thread, then one loop iteration runs
 *     the batch (one poll without waiting included), per backend;</li>
 * <li>{@code loopEmptyIteration}: one loop iteration with nothing to run (per invocation, not
 *     divided by the batch): the poll without waiting and the loop's bookkeeping, which
 *     FutureBench pays once per operation and AwaitBench twice per round trip;</li>
 * <li>{@code arrayDequeRunner}: the floor, a plain {@code ArrayDeque<Runnable>} filled and drained
 *     on one thread;</li>
 * <li>{@code loopCallSoonThreadsafe}: from the benchmark thread into a loop running on its own
 *     thread, until the batch has run there (cross-thread; the queue, the wake-up);</li>
 * <li>{@code nettyExecute}: the same, into Netty's {@code DefaultEventLoop} (cross-thread, the
 *     like-for-like reference for the row above);</li>
 * <li>{@code nettyExecuteInLoop}: Netty's {@code execute} called on its own loop thread (one
 *     cross-thread hand-off per batch), the nearer reference for {@code loopCallSoon}.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
        "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public class CallSoonBench {

    /** A loop driven by the benchmark thread, one iteration per invocation. */
    @State(Scope.Thread)
    public static class SameThreadLoop {
        /** The loop's poller: native epoll or java.nio. */
        @Param({"EPOLL", "NIO"})
        public Backend backend;

        SelectorEventLoop loop;
        long ran;
        long invocations;
        final Runnable tick = () -> ran++;

        @Setup(Level.Trial)
        public void setUp() {
            loop = Loops.open(backend);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close();
            Loops.check("loopCallSoon", invocations * Loops.BATCH, ran);
        }
    }

    /** A loop running forever on its own platform thread, fed from the benchmark thread. */
    @State(Scope.Thread)
    public static class LoopOnThread {
        /** The loop's poller: native epoll or java.nio. */
        @Param({"EPOLL", "NIO"})
        public Backend backend;

        SelectorEventLoop loop;
        Thread thread;
        /** Written on the loop thread only. */
        long ran;
        /** Batches requested, benchmark thread only. */
        long requested;
        /** Batches whose last callback has run; written on the loop thread. */
        volatile long done;
        final Runnable tick = () -> ran++;
        final Runnable marker = () -> done++;

        @Setup(Level.Trial)
        public void setUp() {
            loop = Loops.open(backend);
            thread = Thread.ofPlatform().name("bench-loop").start(loop::runForever);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            loop.callSoonThreadsafe(loop::stop);
            thread.join();
            loop.close();
            Loops.check("loopCallSoonThreadsafe", requested * Loops.BATCH, ran);
        }
    }

    /** The floor: a plain ready queue of Runnables on one thread. */
    @State(Scope.Thread)
    public static class DequeRunner {
        final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        long ran;
        long invocations;
        final Runnable tick = () -> ran++;

        @TearDown(Level.Trial)
        public void tearDown() {
            Loops.check("arrayDequeRunner", invocations * Loops.BATCH, ran);
        }
    }

    /** Netty's DefaultEventLoop (a single thread with a task queue; no I/O). */
    @State(Scope.Thread)
    public static class NettyLoop {
        DefaultEventLoop executor;
        long ran;
        long requested;
        volatile long done;
        final Runnable tick = () -> ran++;
        final Runnable marker = () -> done++;
        final Runnable batchInLoop = () -> {
            for (int i = 0; i < Loops.BATCH; i++) {
                executor.execute(tick);
            }
            executor.execute(marker);
        };

        @Setup(Level.Trial)
        public void setUp() {
            executor = new DefaultEventLoop();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            Loops.check("netty", requested * Loops.BATCH, ran);
        }
    }

    /** 1000 {@code callSoon} on the loop's thread, then one iteration runs them. */
    @Benchmark
    @OperationsPerInvocation(Loops.BATCH)
    public long loopCallSoon(SameThreadLoop s) {
        SelectorEventLoop loop = s.loop;
        Runnable tick = s.tick;
        for (int i = 0; i < Loops.BATCH; i++) {
            loop.callSoon(tick);
        }
        Loops.runOnce(loop);
        s.invocations++;
        return s.ran;
    }

    /** One loop iteration with nothing ready: the poll without waiting and the bookkeeping. */
    @Benchmark
    public long loopEmptyIteration(SameThreadLoop s) {
        Loops.runOnce(s.loop);
        return s.loop.iterationCount();
    }

    /** The floor: 1000 Runnables through a plain ArrayDeque on one thread. */
    @Benchmark
    @OperationsPerInvocation(Loops.BATCH)
    public long arrayDequeRunner(DequeRunner s) {
        ArrayDeque<Runnable> queue = s.queue;
        Runnable tick = s.tick;
        for (int i = 0; i < Loops.BATCH; i++) {
            queue.add(tick);
        }
        for (int n = queue.size(); n > 0; n--) {
            queue.poll().run();
        }
        s.invocations++;
        return s.ran;
    }

    /** 1000 {@code callSoonThreadsafe} into a loop on another thread, until they have run there. */
    @Benchmark
    @OperationsPerInvocation(Loops.BATCH)
    public long loopCallSoonThreadsafe(LoopOnThread s) {
        SelectorEventLoop loop = s.loop;
        Runnable tick = s.tick;
        for (int i = 0; i < Loops.BATCH; i++) {
            loop.callSoonThreadsafe(tick);
        }
        loop.callSoonThreadsafe(s.marker);
        long target = ++s.requested;
        while (s.done != target) {
            Thread.onSpinWait();
        }
        return target;
    }

    /** 1000 {@code DefaultEventLoop.execute} from this thread, until they have run on Netty's. */
    @Benchmark
    @OperationsPerInvocation(Loops.BATCH)
    public long nettyExecute(NettyLoop s) {
        DefaultEventLoop executor = s.executor;
        Runnable tick = s.tick;
        for (int i = 0; i < Loops.BATCH; i++) {
            executor.execute(tick);
        }
        executor.execute(s.marker);
        long target = ++s.requested;
        while (s.done != target) {
            Thread.onSpinWait();
        }
        return target;
    }

    /** 1000 {@code DefaultEventLoop.execute} called on Netty's own loop thread. */
    @Benchmark
    @OperationsPerInvocation(Loops.BATCH)
    public long nettyExecuteInLoop(NettyLoop s) {
        s.executor.execute(s.batchInLoop);
        long target = ++s.requested;
        while (s.done != target) {
            Thread.onSpinWait();
        }
        return target;
    }
}

package io.jasyncio.bench;

import io.jasyncio.SelectorEventLoop.Backend;
import io.jasyncio.internal.strand.Strands;
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

import java.util.concurrent.TimeUnit;

/**
 * The await round trip per mechanism (DESIGN.md, Coroutines), one loop on the benchmark thread,
 * see {@link PingPong}:
 * <ul>
 * <li>{@code callbackRoundTrip}: a plain done callback, run from the loop's queue (the floor);</li>
 * <li>{@code taskRoundTrip}: a jasyncio task, {@code future.await()}, on virtual threads
 *     scheduled by the loop (this fork has {@code --add-opens java.base/java.lang});</li>
 * <li>{@code continuationRoundTrip}: a raw {@code jdk.internal.vm.Continuation} resumed from a
 *     done callback (bench only).</li>
 * </ul>
 * The hand-off fallback needs its own JVM: {@link AwaitHandoffBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
        "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED"})
public class AwaitBench {

    /** The callback waiter. */
    @State(Scope.Thread)
    public static class CallbackState {
        /** The loop's poller: native epoll or java.nio. */
        @Param({"EPOLL", "NIO"})
        public Backend backend;
        PingPong rig;

        @Setup(Level.Trial)
        public void setUp() {
            rig = new PingPong.Callbacks(backend);
            rig.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            rig.close();
        }
    }

    /** The task waiter on loop-scheduled virtual threads. */
    @State(Scope.Thread)
    public static class TaskState {
        /** The loop's poller: native epoll or java.nio. */
        @Param({"EPOLL", "NIO"})
        public Backend backend;
        PingPong rig;

        @Setup(Level.Trial)
        public void setUp() {
            rig = new PingPong.Tasks(backend, Strands.Kind.LOOP_SCHEDULED);
            rig.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            rig.close();
        }
    }

    /** The raw-continuation waiter. */
    @State(Scope.Thread)
    public static class ContinuationState {
        /** The loop's poller: native epoll or java.nio. */
        @Param({"EPOLL", "NIO"})
        public Backend backend;
        PingPong rig;

        @Setup(Level.Trial)
        public void setUp() {
            rig = new PingPong.Continuations(backend);
            rig.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            rig.close();
        }
    }

    /** 1000 round trips of a done-callback waiter. */
    @Benchmark
    @OperationsPerInvocation(PingPong.ROUND_TRIPS)
    public long callbackRoundTrip(CallbackState s) {
        return s.rig.run(PingPong.ROUND_TRIPS);
    }

    /** 1000 round trips of a task awaiting, on loop-scheduled virtual threads. */
    @Benchmark
    @OperationsPerInvocation(PingPong.ROUND_TRIPS)
    public long taskRoundTrip(TaskState s) {
        return s.rig.run(PingPong.ROUND_TRIPS);
    }

    /** 1000 round trips of a raw-continuation waiter. */
    @Benchmark
    @OperationsPerInvocation(PingPong.ROUND_TRIPS)
    public long continuationRoundTrip(ContinuationState s) {
        return s.rig.run(PingPong.ROUND_TRIPS);
    }
}

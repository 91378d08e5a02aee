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
 * The await round trip of {@link AwaitBench#taskRoundTrip} on the fallback mechanism: each task
 * on its own virtual thread on the JDK's scheduler, in strict hand-off with the loop's thread.
 * A JVM picks its mechanism once, so this row has its own fork, forced with
 * {@code -Djasyncio.strand=handoff} (all other flags as in AwaitBench).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
        "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "-Djasyncio.strand=handoff"})
public class AwaitHandoffBench {

    /** The task waiter on hand-off virtual threads. */
    @State(Scope.Thread)
    public static class HandoffTaskState {
        /** The loop's poller: native epoll or java.nio. */
        @Param({"EPOLL", "NIO"})
        public Backend backend;
        PingPong rig;

        @Setup(Level.Trial)
        public void setUp() {
            rig = new PingPong.Tasks(backend, Strands.Kind.HAND_OFF);
            rig.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            rig.close();
        }
    }

    /** 1000 round trips of a task awaiting, on hand-off virtual threads. */
    @Benchmark
    @OperationsPerInvocation(PingPong.ROUND_TRIPS)
    public long taskRoundTrip(HandoffTaskState s) {
        return s.rig.run(PingPong.ROUND_TRIPS);
    }
}

package io.jasyncio.bench;

import io.jasyncio.SelectorEventLoop.Backend;
import io.jasyncio.internal.strand.HandOffStats;
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
 * A JVM picks its mechanism once, so this class has its own forks, forced with
 * {@code -Djasyncio.strand=handoff} (all other flags as in AwaitBench).
 *
 * <p>The candidates for the hand-off, compared in one run:
 * <ul>
 * <li>{@code handoff} (the internal {@code -Djasyncio.handoff} switch, set before the first task
 *     of the fork): {@code spin} (both sides spin up to {@code spinMicros} before parking),
 *     {@code loopspin} (only the loop's thread spins), {@code park} (both park at once);</li>
 * <li>where the loop runs: on the benchmark's platform thread ({@code taskRoundTrip}), or on a
 *     virtual thread of the default scheduler, so the hand-off is between two virtual threads
 *     ({@code taskRoundTripVirtualLoop}; one such thread per invocation of 10 000 round trips);</li>
 * <li>the default scheduler's parallelism: the machine's (2 here), or 1
 *     ({@code -Djdk.virtualThreadScheduler.parallelism=1}, the {@code …Parallelism1} rows).</li>
 * </ul>
 * Each trial prints the loop thread's {@link HandOffStats} (warm-up included).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
        "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "-Djasyncio.strand=handoff"})
public class AwaitHandoffBench {
    /** Round trips per invocation when the loop runs on its own virtual thread. */
    static final int VIRTUAL_LOOP_ROUND_TRIPS = 10 * PingPong.ROUND_TRIPS;

    /** The task waiter on hand-off virtual threads. */
    @State(Scope.Thread)
    public static class HandoffTaskState {
        /** The loop's poller: native epoll or java.nio. */
        @Param({"EPOLL", "NIO"})
        public Backend backend;
        /** The hand-off mode: {@code spin}, {@code loopspin} or {@code park}. */
        @Param({"spin", "loopspin", "park"})
        public String handoff;
        /** The bound of one spin, µs ({@code -Djasyncio.handoff.spinMicros}). */
        @Param({"20"})
        public String spinMicros;
        PingPong rig;
        private long resumes;
        private long loopSpinNanos;
        private long loopParks;
        private long bodySpins;
        private long bodySpinNanos;
        private long bodyParks;

        @Setup(Level.Trial)
        public void setUp() {
            // Read once, when the first hand-off strand is made: this fork has made none yet.
            System.setProperty("jasyncio.handoff", handoff);
            System.setProperty("jasyncio.handoff.spinMicros", spinMicros);
            rig = new PingPong.Tasks(backend, Strands.Kind.HAND_OFF);
            String config = HandOffStats.configuration();
            if (!config.startsWith(handoff + " ")) {
                throw new IllegalStateException("hand-off mode is " + config + ", expected " + handoff
                        + " (-f 0 runs every parameter set in one JVM)");
            }
            rig.start();
        }

        /** Runs {@code n} round trips with the loop on the calling thread and adds up its counters. */
        long run(int n) {
            HandOffStats before = HandOffStats.ofCurrentThread();
            long r = rig.run(n);
            HandOffStats after = HandOffStats.ofCurrentThread();
            resumes += after.resumes() - before.resumes();
            loopSpinNanos += after.loopSpinNanos() - before.loopSpinNanos();
            loopParks += after.loopParks() - before.loopParks();
            bodySpins += after.bodySpins() - before.bodySpins();
            bodySpinNanos += after.bodySpinNanos() - before.bodySpinNanos();
            bodyParks += after.bodyParks() - before.bodyParks();
            return r;
        }

        /** The same with the loop on a new virtual thread of the default scheduler. */
        long runOnVirtualThread(int n) throws InterruptedException {
            long[] result = new long[1];
            Throwable[] failure = new Throwable[1];
            Thread t = Thread.ofVirtual().name("jasyncio-bench-loop").start(() -> {
                try {
                    result[0] = run(n);
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            t.join();
            if (failure[0] != null) {
                throw new IllegalStateException("the loop's virtual thread failed", failure[0]);
            }
            return result[0];
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.printf("%n%s, %s: %s%n", HandOffStats.configuration(), backend, summary());
            rig.close();
        }

        private String summary() {
            return String.format("resumes %d; loop parked after %.1f%% (spun %.0f ns a resume);"
                            + " body spun after %d suspensions (%.0f ns each), parked after %.1f%%",
                    resumes, percent(loopParks, resumes), ratio(loopSpinNanos, resumes),
                    bodySpins, ratio(bodySpinNanos, bodySpins), percent(bodyParks, resumes));
        }

        private static double ratio(long a, long b) {
            return b == 0 ? 0 : (double) a / b;
        }

        private static double percent(long a, long b) {
            return 100 * ratio(a, b);
        }
    }

    /** 1000 round trips of a task awaiting, the loop on the benchmark thread. */
    @Benchmark
    @OperationsPerInvocation(PingPong.ROUND_TRIPS)
    public long taskRoundTrip(HandoffTaskState s) {
        return s.run(PingPong.ROUND_TRIPS);
    }

    /** 10 000 round trips of a task awaiting, the loop on a virtual thread. */
    @Benchmark
    @OperationsPerInvocation(VIRTUAL_LOOP_ROUND_TRIPS)
    public long taskRoundTripVirtualLoop(HandoffTaskState s) throws InterruptedException {
        return s.runOnVirtualThread(VIRTUAL_LOOP_ROUND_TRIPS);
    }

    /** {@link #taskRoundTrip} with one carrier thread for virtual threads. */
    @Benchmark
    @OperationsPerInvocation(PingPong.ROUND_TRIPS)
    @Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
            "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-Djasyncio.strand=handoff", "-Djdk.virtualThreadScheduler.parallelism=1"})
    public long taskRoundTripParallelism1(HandoffTaskState s) {
        return s.run(PingPong.ROUND_TRIPS);
    }

    /** {@link #taskRoundTripVirtualLoop} with one carrier thread for virtual threads. */
    @Benchmark
    @OperationsPerInvocation(VIRTUAL_LOOP_ROUND_TRIPS)
    @Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
            "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-Djasyncio.strand=handoff", "-Djdk.virtualThreadScheduler.parallelism=1"})
    public long taskRoundTripVirtualLoopParallelism1(HandoffTaskState s) throws InterruptedException {
        return s.runOnVirtualThread(VIRTUAL_LOOP_ROUND_TRIPS);
    }
}

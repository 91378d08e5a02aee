package io.jasyncio.bench;

import io.jasyncio.Held;
import io.jasyncio.Lock;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.SelectorEventLoop.Backend;
import io.jasyncio.Semaphore;
import io.jasyncio.Task;
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
import java.util.concurrent.locks.ReentrantLock;

/**
 * An uncontended acquire and release, per operation. An acquire that finds the lock free and
 * nobody queued does not suspend and needs no task (asyncio's fast path), so most rows run it on
 * the benchmark thread and measure the primitive alone:
 * <ul>
 * <li>{@code lockAcquireRelease}: jasyncio {@link Lock#acquire()} + {@link Lock#release()};</li>
 * <li>{@code lockHold}: the same through try-with-resources ({@link Lock#hold()}, one small
 *     {@link Held} per operation);</li>
 * <li>{@code semaphoreAcquireRelease}: jasyncio {@link Semaphore} of one permit;</li>
 * <li>{@code reentrantLock}, {@code jucSemaphore}: the {@code java.util.concurrent} references,
 *     uncontended on one thread (they pay for thread safety, which jasyncio's loop-affine
 *     primitives do not need);</li>
 * <li>{@code lockInTask} / {@code reentrantLockInTask}: {@value #BATCH} pairs inside one jasyncio
 *     task per invocation, per backend, so the figure includes a share of starting the task and
 *     turning the loop (the same for both rows).</li>
 * </ul>
 * The jasyncio fast path is a couple of field reads and writes with no atomic instruction, so the
 * JIT may fold an acquire/release pair on the benchmark thread almost entirely (sub-nanosecond
 * rows); the in-task rows, where the pair sits in a loop the JIT sees less of, are the ones to
 * compare with the references.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
        "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public class LockBench {
    /** Acquire/release pairs per task in the in-task rows. */
    static final int BATCH = 1000;

    /** The primitives, used from the benchmark thread only. */
    @State(Scope.Thread)
    public static class Primitives {
        final Lock lock = new Lock();
        final Semaphore semaphore = new Semaphore(1);
        final ReentrantLock reentrantLock = new ReentrantLock();
        final java.util.concurrent.Semaphore jucSemaphore = new java.util.concurrent.Semaphore(1);
    }

    /** A loop driven by the benchmark thread, for the in-task rows. */
    @State(Scope.Thread)
    public static class LoopState {
        /** The loop's poller: native epoll or java.nio. */
        @Param({"EPOLL", "NIO"})
        public Backend backend;

        SelectorEventLoop loop;
        final Lock lock = new Lock();
        final ReentrantLock reentrantLock = new ReentrantLock();

        @Setup(Level.Trial)
        public void setUp() {
            loop = Loops.open(backend);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close();
        }
    }

    /** jasyncio Lock: acquire, release. */
    @Benchmark
    public boolean lockAcquireRelease(Primitives p) {
        p.lock.acquire();
        p.lock.release();
        return p.lock.locked();
    }

    /** jasyncio Lock through try-with-resources. */
    @Benchmark
    public boolean lockHold(Primitives p) {
        try (Held held = p.lock.hold()) {
            return p.lock.locked();
        }
    }

    /** jasyncio Semaphore(1): acquire, release. */
    @Benchmark
    public boolean semaphoreAcquireRelease(Primitives p) {
        p.semaphore.acquire();
        p.semaphore.release();
        return p.semaphore.locked();
    }

    /** Reference: ReentrantLock lock, unlock, on one thread. */
    @Benchmark
    public boolean reentrantLock(Primitives p) {
        p.reentrantLock.lock();
        p.reentrantLock.unlock();
        return p.reentrantLock.isLocked();
    }

    /** Reference: java.util.concurrent.Semaphore(1) acquire, release, on one thread. */
    @Benchmark
    public int jucSemaphore(Primitives p) throws InterruptedException {
        p.jucSemaphore.acquire();
        p.jucSemaphore.release();
        return p.jucSemaphore.availablePermits();
    }

    /** {@value #BATCH} jasyncio Lock pairs inside one task. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int lockInTask(LoopState s) {
        Lock lock = s.lock;
        Task<Integer> task = s.loop.createTask(() -> {
            int held = 0;
            for (int i = 0; i < BATCH; i++) {
                lock.acquire();
                held++;
                lock.release();
            }
            return held;
        });
        return s.loop.runUntilComplete(task);
    }

    /** Reference: {@value #BATCH} ReentrantLock pairs inside one task. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int reentrantLockInTask(LoopState s) {
        ReentrantLock lock = s.reentrantLock;
        Task<Integer> task = s.loop.createTask(() -> {
            int held = 0;
            for (int i = 0; i < BATCH; i++) {
                lock.lock();
                held++;
                lock.unlock();
            }
            return held;
        });
        return s.loop.runUntilComplete(task);
    }
}

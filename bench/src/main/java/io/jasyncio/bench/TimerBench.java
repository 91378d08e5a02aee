package io.jasyncio.bench;

import io.jasyncio.SelectorEventLoop;
import io.jasyncio.SelectorEventLoop.Backend;
import io.jasyncio.TimerHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One timer scheduled 2000 s ahead and cancelled at once, per operation, with {@code pending} other
 * timers already waiting (deadlines spread over 1000..3000 s, so the new one lands mid-heap and
 * none of them falls due during a trial):
 * <ul>
 * <li>{@code loopCallLaterCancel}: {@code callLater} + {@code TimerHandle.cancel()} on a loop
 *     that is not running (the timer heap is the same code on every backend; NIO is used);</li>
 * <li>{@code priorityQueueAddRemove}: {@code java.util.PriorityQueue} add + remove(Object) of an
 *     equivalent entry (remove(Object) is a linear search);</li>
 * <li>{@code scheduledExecutorScheduleCancel}: {@code ScheduledThreadPoolExecutor.schedule} +
 *     {@code cancel(false)} with {@code setRemoveOnCancelPolicy(true)} (thread safe, takes a lock;
 *     with no other timer pending, each new timer becomes the head and signals the worker).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
        "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"})
@State(Scope.Thread)
public class TimerBench {
    private static final double DELAY_SECONDS = 2000.0;
    private static final long DELAY_NANOS = 2_000_000_000_000L;

    /** Timers already waiting in the structure under test. */
    @Param({"0", "1000"})
    public int pending;

    private final Runnable noop = () -> { };

    private SelectorEventLoop loop;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long sequence;
    private ScheduledThreadPoolExecutor executor;

    /** What a timer heap holds: a deadline and a sequence for FIFO among equal deadlines. */
    static final class Entry implements Comparable<Entry> {
        final long whenNanos;
        final long sequence;
        final Runnable callback;

        Entry(long whenNanos, long sequence, Runnable callback) {
            this.whenNanos = whenNanos;
            this.sequence = sequence;
            this.callback = callback;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(whenNanos, o.whenNanos);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        loop = Loops.open(Backend.NIO);
        executor = new ScheduledThreadPoolExecutor(1);
        executor.setRemoveOnCancelPolicy(true);
        SplittableRandom random = new SplittableRandom(42);
        long now = System.nanoTime();
        for (int i = 0; i < pending; i++) {
            long delayNanos = 1_000_000_000_000L + random.nextLong(2_000_000_000_000L);
            loop.callLater(delayNanos / 1e9, noop);
            queue.add(new Entry(now + delayNanos, sequence++, noop));
            executor.schedule(noop, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        int timers = loop.scheduledTimerCount();
        int scheduled = executor.getQueue().size();
        loop.close();
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
        if (timers != pending || queue.size() != pending || scheduled != pending) {
            throw new IllegalStateException("cancelled timers were left behind: loop " + timers
                    + ", PriorityQueue " + queue.size() + ", executor " + scheduled + ", expected " + pending);
        }
    }

    /** {@code callLater} 2000 s ahead, then {@code cancel()}. */
    @Benchmark
    public TimerHandle loopCallLaterCancel() {
        TimerHandle h = loop.callLater(DELAY_SECONDS, noop);
        h.cancel();
        return h;
    }

    /** PriorityQueue add, then remove(Object) of the same entry. */
    @Benchmark
    public Entry priorityQueueAddRemove() {
        Entry e = new Entry(System.nanoTime() + DELAY_NANOS, sequence++, noop);
        queue.add(e);
        queue.remove(e);
        return e;
    }

    /** ScheduledThreadPoolExecutor schedule 2000 s ahead, then cancel (removed on cancel). */
    @Benchmark
    public ScheduledFuture<?> scheduledExecutorScheduleCancel() {
        ScheduledFuture<?> f = executor.schedule(noop, DELAY_NANOS, TimeUnit.NANOSECONDS);
        f.cancel(false);
        return f;
    }
}

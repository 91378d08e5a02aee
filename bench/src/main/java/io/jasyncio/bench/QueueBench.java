package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.Queue;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.SelectorEventLoop.Backend;
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

import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * One item put and got, per operation ({@value #ITEMS} items per invocation):
 * <ul>
 * <li>{@code queueBetweenTasks}: a jasyncio {@link Queue} of {@code capacity} between a producer
 *     task and a consumer task on one loop, run by the benchmark thread, per backend. With
 *     capacity 1 every item costs each task a suspension; with 100 they mostly run in bursts;</li>
 * <li>{@code arrayBlockingQueueBetweenThreads}: the reference, {@link ArrayBlockingQueue} of the
 *     same capacity between a producer platform thread and the benchmark thread;</li>
 * <li>{@code queueNowaitOneThread}: jasyncio {@code putNowait} + {@code getNowait} +
 *     {@code taskDone} on one thread, no task (the queue's own cost);</li>
 * <li>{@code arrayDequeOneThread}: the floor, {@link ArrayDeque} {@code offer} + {@code poll}.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
        "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public class QueueBench {
    /** Items per invocation of the two-party rows. */
    static final int ITEMS = 10_000;
    private static final Integer ITEM = 42;

    /** A loop driven by the benchmark thread and a queue on it. */
    @State(Scope.Thread)
    public static class LoopState {
        /** The loop's poller: native epoll or java.nio. */
        @Param({"EPOLL", "NIO"})
        public Backend backend;
        /** The queue's maxsize. */
        @Param({"1", "100"})
        public int capacity;

        SelectorEventLoop loop;
        Queue<Integer> queue;

        @Setup(Level.Trial)
        public void setUp() {
            loop = Loops.open(backend);
            queue = new Queue<>(capacity);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close();
        }
    }

    /** The reference's queue and its producer thread, fed a batch size per invocation. */
    @State(Scope.Thread)
    public static class ThreadState {
        /** The queue's capacity. */
        @Param({"1", "100"})
        public int capacity;

        ArrayBlockingQueue<Integer> queue;
        /** Hands the producer the number of items to put. */
        final SynchronousQueue<Integer> orders = new SynchronousQueue<>();
        Thread producer;

        @Setup(Level.Trial)
        public void setUp() {
            queue = new ArrayBlockingQueue<>(capacity);
            producer = Thread.ofPlatform().daemon().name("queue-bench-producer").start(() -> {
                try {
                    while (true) {
                        int n = orders.take();
                        for (int i = 0; i < n; i++) {
                            queue.put(ITEM);
                        }
                    }
                } catch (InterruptedException e) {
                    // tear-down
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            producer.interrupt();
            producer.join();
        }
    }

    /** The one-thread rows' queues. */
    @State(Scope.Thread)
    public static class OneThread {
        final Queue<Integer> queue = new Queue<>(100);
        final ArrayDeque<Integer> deque = new ArrayDeque<>(100);
    }

    /** {@value #ITEMS} items from a producer task to a consumer task through a jasyncio Queue. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long queueBetweenTasks(LoopState s) {
        Queue<Integer> queue = s.queue;
        Task<Void> producer = s.loop.createTask(() -> {
            for (int i = 0; i < ITEMS; i++) {
                queue.put(ITEM);
            }
            return null;
        });
        Task<Long> consumer = s.loop.createTask(() -> {
            long sum = 0;
            for (int i = 0; i < ITEMS; i++) {
                sum += queue.get();
            }
            return sum;
        });
        s.loop.runUntilComplete(Asyncio.gather(producer, consumer));
        return consumer.result();
    }

    /** Reference: {@value #ITEMS} items from a producer thread to this one through an ArrayBlockingQueue. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long arrayBlockingQueueBetweenThreads(ThreadState s) throws InterruptedException {
        s.orders.put(ITEMS);
        long sum = 0;
        for (int i = 0; i < ITEMS; i++) {
            sum += s.queue.take();
        }
        return sum;
    }

    /** jasyncio Queue putNowait + getNowait + taskDone on one thread. */
    @Benchmark
    public Integer queueNowaitOneThread(OneThread s) {
        s.queue.putNowait(ITEM);
        Integer item = s.queue.getNowait();
        s.queue.taskDone();
        return item;
    }

    /** Reference: ArrayDeque offer + poll on one thread. */
    @Benchmark
    public Integer arrayDequeOneThread(OneThread s) {
        s.deque.offer(ITEM);
        return s.deque.poll();
    }
}

package io.jasyncio.bench;

import io.jasyncio.Future;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.SelectorEventLoop.Backend;
import io.jasyncio.Task;
import io.jasyncio.internal.strand.Strands;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

import java.util.function.Consumer;

/**
 * One await round trip, the same for every mechanism: the waiter creates a future and schedules
 * its completion with {@code callSoon}; the loop runs that callback, which sets the result and
 * schedules the waiter's wake-up ({@code call_soon}, as asyncio); on the next iteration the waiter
 * resumes and reads the result. Two loop iterations (two polls without waiting) per round trip,
 * the same allocations in every variant: only the way the waiter suspends and resumes differs.
 *
 * <p>{@link #run} drives the loop on the calling thread until {@code n} more round trips are done;
 * the waiter stays suspended between calls. Not thread safe.
 */
abstract class PingPong {
    /** Round trips per benchmark invocation. */
    static final int ROUND_TRIPS = 1000;
    static final Object VALUE = "pong";

    final SelectorEventLoop loop;
    long roundTrips;
    private long target;

    PingPong(Backend backend) {
        this.loop = Loops.open(backend);
    }

    /** Sets the waiter up; its first step runs on the loop's next iteration. */
    abstract void start();

    final long run(int n) {
        target = roundTrips + n;
        loop.runForever();
        if (roundTrips != target) {
            throw new IllegalStateException(this + ": the loop stopped after " + roundTrips
                    + " round trips, expected " + target);
        }
        return roundTrips;
    }

    /** Called by the waiter after each round trip. */
    final void roundTripDone() {
        if (++roundTrips == target) {
            loop.stop();
        }
    }

    /** The far side of the ping-pong: a future whose completion is queued with callSoon. */
    final Future<Object> ping() {
        Future<Object> f = loop.createFuture();
        loop.callSoon(() -> {
            if (!f.done()) {
                f.setResult(VALUE);
            }
        });
        return f;
    }

    /** Ends the waiter and closes the loop. */
    void close() {
        loop.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + loop.backend() + "]";
    }

    /** The waiter is a plain done callback that starts the next round (the callback core). */
    static final class Callbacks extends PingPong {
        private final Consumer<Future<Object>> onDone = f -> {
            f.result();
            roundTripDone();
            next();
        };

        Callbacks(Backend backend) {
            super(backend);
        }

        @Override
        void start() {
            next();
        }

        private void next() {
            ping().addDoneCallback(onDone);
        }
    }

    /** The waiter is a jasyncio task: {@code await()} on whatever strand this JVM uses. */
    static final class Tasks extends PingPong {
        private Task<Void> task;

        Tasks(Backend backend, Strands.Kind expected) {
            super(backend);
            if (Strands.kind() != expected) {
                throw new IllegalStateException("tasks run on " + Strands.kind() + " strands in this JVM, the"
                        + " benchmark expects " + expected + " (check --add-opens java.base/java.lang and"
                        + " -Djasyncio.strand; -f 0 runs every class in one JVM)");
            }
        }

        @Override
        void start() {
            task = loop.createTask(() -> {
                while (true) {
                    ping().await();
                    roundTripDone();
                }
            });
        }

        /** Cancels the task and lets it unwind, so the loop closes with no task pending. */
        @Override
        void close() {
            task.cancel();
            while (!task.done()) {
                Loops.runOnce(loop);
            }
            super.close();
        }
    }

    /**
     * The waiter is a raw {@code jdk.internal.vm.Continuation} resumed by a done callback on the
     * loop's thread: what a task would cost without the virtual thread around the continuation.
     * Bench only (needs {@code --add-exports java.base/jdk.internal.vm}, and code inside sees the
     * loop's thread as its own, so it is no candidate for the library).
     */
    static final class Continuations extends PingPong {
        private static final ContinuationScope SCOPE = new ContinuationScope("jasyncio-bench");

        private final Continuation continuation = new Continuation(SCOPE, this::body);
        private final Consumer<Future<Object>> resume = f -> continuation.run();

        Continuations(Backend backend) {
            super(backend);
        }

        @Override
        void start() {
            loop.callSoon(continuation::run);
        }

        private void body() {
            while (true) {
                Future<Object> f = ping();
                f.addDoneCallback(resume);
                Continuation.yield(SCOPE);
                f.result();
                roundTripDone();
            }
        }
    }
}

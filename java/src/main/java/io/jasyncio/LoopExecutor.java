package io.jasyncio;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * A loop's bridge to blocking code ({@link EventLoop#runInExecutor}): the default executor
 * (a virtual thread per call, made on first use), results delivered back on the loop's thread,
 * and the executor's shutdown. Loop thread only, except the completions, which come from the
 * executor's threads through {@code callSoonThreadsafe}.
 */
final class LoopExecutor {
    private final BaseEventLoop loop;
    private ExecutorService defaultExecutor;
    private boolean shutdownCalled;

    LoopExecutor(BaseEventLoop loop) {
        this.loop = loop;
    }

    <T> Future<T> run(Executor executor, Callable<T> function) {
        if (function == null) {
            throw new NullPointerException("function");
        }
        Executor ex = executor;
        if (ex == null) {
            if (shutdownCalled) {
                throw new IllegalStateException("Executor shutdown has been called");
            }
            if (defaultExecutor == null) {
                defaultExecutor = Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("jasyncio-executor-", 0).factory());
            }
            ex = defaultExecutor;
        }
        Future<T> future = loop.createFuture();
        FutureTask<Void> job = new FutureTask<>(() -> {
            T value;
            try {
                value = function.call();
            } catch (Throwable t) {
                complete(future, null, t);
                return null;
            }
            complete(future, value, null);
            return null;
        });
        // Cancelling the future keeps the function from starting if it has not yet (asyncio
        // cancels the executor's concurrent future the same way).
        future.addDoneCallback(f -> {
            if (f.cancelled()) {
                job.cancel(false);
            }
        });
        ex.execute(job);
        return future;
    }

    /** From any thread: completes {@code future} on the loop's thread, unless it is done by then. */
    private <T> void complete(Future<T> future, T value, Throwable error) {
        if (loop.isClosed()) {
            return;
        }
        try {
            loop.callSoonThreadsafe(() -> {
                if (future.done()) {
                    return;
                }
                if (error != null) {
                    future.setException(error);
                } else {
                    future.setResult(value);
                }
            });
        } catch (IllegalStateException loopClosed) {
            // The loop closed while the function ran: nobody is left to take the result.
        }
    }

    void setDefault(ExecutorService executor) {
        this.defaultExecutor = executor;
    }

    /**
     * Shuts the default executor down; the future completes once its threads have ended, or
     * after {@code timeoutNanos} ({@link Delays#NEVER}: no limit) with a warning.
     */
    Future<Void> shutdown(long timeoutNanos) {
        shutdownCalled = true;
        Future<Void> done = loop.createFuture();
        ExecutorService executor = defaultExecutor;
        if (executor == null) {
            done.setResult(null);
            return done;
        }
        Thread.ofVirtual().name("jasyncio-executor-shutdown").start(() -> {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(timeoutNanos, TimeUnit.NANOSECONDS)) {
                    BaseEventLoop.LOG.log(System.Logger.Level.WARNING,
                            "The default executor did not finish joining its threads within "
                                    + Delays.seconds(timeoutNanos) + " seconds.");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            complete(done, null, null);
        });
        return done;
    }

    /** The loop is closing: stops the default executor without waiting. */
    void close() {
        ExecutorService executor = defaultExecutor;
        defaultExecutor = null;
        if (executor != null) {
            executor.shutdown();
        }
    }
}

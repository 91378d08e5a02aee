package io.jasyncio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * asyncio's module-level functions: running a program, the current loop, tasks and the
 * combinators over futures.
 *
 * <p>Functions that are coroutines in asyncio ({@code sleep}, {@code waitFor}, {@code wait},
 * {@code gather}...) return a {@link Future} here: {@code await()} it inside a task, pass it to
 * {@code runUntilComplete}, or combine it further.
 */
public final class Asyncio {
    private static volatile EventLoopPolicy policy;

    private Asyncio() {
    }

    // ---- running a program ----

    /**
     * Runs {@code main} on a new loop and returns its result (asyncio's {@code run}): then cancels
     * the tasks left over, shuts the default executor down and closes the loop. Refused from a
     * thread that runs a loop.
     *
     * @param <T> the type of the result
     * @param main the program's main coroutine, run as a task
     * @return what {@code main} returned
     */
    public static <T> T run(Coroutine<T> main) {
        return run(main, null);
    }

    /**
     * {@link #run(Coroutine)} with debug mode set as given (null: the default).
     *
     * @param <T> the type of the result
     * @param main the program's main coroutine, run as a task
     * @param debug whether the loop runs in debug mode, or null for the default
     * @return what {@code main} returned
     */
    public static <T> T run(Coroutine<T> main, Boolean debug) {
        return run(main, debug, null);
    }

    /**
     * {@link #run(Coroutine)} with debug mode set as given (null: the default) on a loop from
     * {@code loopFactory} (null: the policy's {@code newEventLoop}).
     *
     * @param <T> the type of the result
     * @param main the program's main coroutine, run as a task
     * @param debug whether the loop runs in debug mode, or null for the default
     * @param loopFactory makes the loop, or null for the policy's
     * @return what {@code main} returned
     */
    public static <T> T run(Coroutine<T> main, Boolean debug, Supplier<? extends EventLoop> loopFactory) {
        if (Running.loop() != null) {
            throw new IllegalStateException("Asyncio.run() cannot be called from a running event loop");
        }
        try (Runner runner = new Runner(debug, loopFactory)) {
            return runner.run(main);
        }
    }

    /**
     * Runs several coroutines on one loop (asyncio's {@code Runner}): the loop is made lazily
     * (set as the thread's current loop when the policy made it) and closed by {@link #close()}.
     * Every run shares one {@link Context}, so context variables set by one run are seen by the
     * next. While a run goes on and SIGINT still has the JVM's own handler, the first Ctrl-C
     * cancels the main task and the run then throws {@link KeyboardInterruptError} (unless the task
     * caught the cancellation and finished anyway); a second Ctrl-C throws it out of the loop at
     * once. The JVM's handler is put back when the run ends.
     */
    public static final class Runner implements AutoCloseable {
        private final Boolean debug;
        private final Supplier<? extends EventLoop> loopFactory;
        private EventLoop loop;
        private Context context;
        private boolean setEventLoop;
        private boolean closed;

        /**
         * A runner whose loop comes from the policy, in the default debug mode.
         */
        public Runner() {
            this(null, null);
        }

        /**
         * A runner whose loop comes from the policy.
         *
         * @param debug whether the loop runs in debug mode, or null for the default
         */
        public Runner(Boolean debug) {
            this(debug, null);
        }

        /**
         * A runner whose loop comes from {@code loopFactory} (null: the policy).
         *
         * @param debug whether the loop runs in debug mode, or null for the default
         * @param loopFactory makes the loop, or null for the policy's
         */
        public Runner(Boolean debug, Supplier<? extends EventLoop> loopFactory) {
            this.debug = debug;
            this.loopFactory = loopFactory;
        }

        /**
         * The runner's loop (made on first use).
         *
         * @return the loop every run of this runner uses
         */
        public EventLoop getLoop() {
            lazyInit();
            return loop;
        }

        /**
         * Runs {@code coroutine} in a task on the runner's loop and returns its result.
         *
         * @param <T> the type of the coroutine's result
         * @param coroutine the body of the task
         * @return what {@code coroutine} returned
         */
        public <T> T run(Coroutine<T> coroutine) {
            return run(coroutine, null);
        }

        /**
         * {@link #run(Coroutine)} in {@code context} (null: the runner's own context).
         *
         * @param <T> the type of the coroutine's result
         * @param coroutine the body of the task
         * @param context the context the task runs in, or null for the runner's own
         * @return what {@code coroutine} returned
         */
        public <T> T run(Coroutine<T> coroutine, Context context) {
            if (coroutine == null) {
                throw new IllegalArgumentException("a coroutine was expected, got null");
            }
            if (Running.loop() != null) {
                throw new IllegalStateException("Runner.run() cannot be called from a running event loop");
            }
            lazyInit();
            Task<T> task = loop.createTask(coroutine, null, context != null ? context : this.context);
            SigintGuard guard = SigintGuard.install(loop, task);
            try {
                return loop.runUntilComplete(task);
            } catch (CancelledError e) {
                if (guard != null && guard.interrupts() > 0 && task.uncancel() == 0) {
                    throw new KeyboardInterruptError();
                }
                throw e;
            } finally {
                if (guard != null) {
                    guard.restore();
                }
            }
        }

        private void lazyInit() {
            if (closed) {
                throw new IllegalStateException("Runner is closed");
            }
            if (loop == null) {
                if (loopFactory == null) {
                    loop = getEventLoopPolicy().newEventLoop();
                    setEventLoop(loop);
                    setEventLoop = true;
                } else {
                    loop = loopFactory.get();
                }
                if (debug != null) {
                    loop.setDebug(debug);
                }
                context = Context.copyContext();
            }
        }

        /** Cancels leftover tasks, shuts the default executor down, closes the loop. Idempotent. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            try {
                if (loop != null && !loop.isClosed()) {
                    cancelAllTasks(loop);
                    loop.runUntilComplete(loop.shutdownAsyncgens());
                    loop.runUntilComplete(loop.shutdownDefaultExecutor());
                }
            } finally {
                if (loop != null) {
                    if (setEventLoop) {
                        setEventLoop(null);
                    }
                    loop.close();
                }
                closed = true;
            }
        }

        private static void cancelAllTasks(EventLoop loop) {
            Set<Task<?>> toCancel = allTasks(loop);
            if (toCancel.isEmpty()) {
                return;
            }
            for (Task<?> t : toCancel) {
                t.cancel();
            }
            loop.runUntilComplete(gather(true, toCancel.toArray(new Future<?>[0])));
            for (Task<?> t : toCancel) {
                if (t.cancelled()) {
                    continue;
                }
                Throwable e = t.exception();
                if (e != null) {
                    loop.callExceptionHandler(Contexts.of(
                            "message", "unhandled exception during asyncio.run() shutdown",
                            "exception", e,
                            "task", t));
                }
            }
        }
    }

    // ---- loops and policies ----

    /**
     * The policy in force (the default one unless set).
     *
     * @return the installed policy, or a {@link DefaultEventLoopPolicy} made on first use
     */
    public static EventLoopPolicy getEventLoopPolicy() {
        EventLoopPolicy p = policy;
        if (p == null) {
            synchronized (Asyncio.class) {
                if (policy == null) {
                    policy = new DefaultEventLoopPolicy();
                }
                p = policy;
            }
        }
        return p;
    }

    /**
     * Installs {@code newPolicy} (null: back to the default).
     *
     * @param newPolicy the policy {@link #getEventLoopPolicy()} returns from now on, or null
     */
    public static void setEventLoopPolicy(EventLoopPolicy newPolicy) {
        policy = newPolicy;
    }

    /**
     * The running loop if there is one, else the policy's loop for this thread.
     *
     * @return the loop this thread works with
     */
    public static EventLoop getEventLoop() {
        BaseEventLoop running = Running.loop();
        return running != null ? running : getEventLoopPolicy().getEventLoop();
    }

    /**
     * Sets this thread's current loop through the policy.
     *
     * @param loop the thread's loop from now on, or null for none
     */
    public static void setEventLoop(EventLoop loop) {
        getEventLoopPolicy().setEventLoop(loop);
    }

    /**
     * A new loop from the policy.
     *
     * @return a loop that is neither running nor closed, not set as any thread's loop
     */
    public static EventLoop newEventLoop() {
        return getEventLoopPolicy().newEventLoop();
    }

    /**
     * The loop running on this thread; IllegalStateException if none.
     *
     * @return the loop running on the calling thread
     * @throws IllegalStateException when no loop runs on the calling thread
     */
    public static EventLoop getRunningLoop() {
        BaseEventLoop running = Running.loop();
        if (running == null) {
            throw new IllegalStateException("no running event loop");
        }
        return running;
    }

    // ---- tasks ----

    /**
     * Wraps {@code coroutine} in a task on the running loop.
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the body of the task
     * @return the task, scheduled to start on the loop's next iteration
     * @throws IllegalStateException when no loop runs on the calling thread
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine) {
        return getRunningLoop().createTask(coroutine);
    }

    /**
     * Wraps {@code coroutine} in a task called {@code name} on the running loop.
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the body of the task
     * @param name the task's name, or null for a generated one
     * @return the task, scheduled to start on the loop's next iteration
     * @throws IllegalStateException when no loop runs on the calling thread
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return getRunningLoop().createTask(coroutine, name);
    }

    /**
     * Wraps {@code coroutine} in a task called {@code name} (null: a generated one) on the running
     * loop, running in {@code context} (null: a copy of the current one).
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the body of the task
     * @param name the task's name, or null for a generated one
     * @param context the context the task runs in, or null for a copy of the current one
     * @return the task, scheduled to start on the loop's next iteration
     * @throws IllegalStateException when no loop runs on the calling thread
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context) {
        return getRunningLoop().createTask(coroutine, name, context);
    }

    /**
     * The task running on this thread, or null in a plain callback on the loop's thread;
     * IllegalStateException when no loop runs on this thread (asyncio's RuntimeError).
     *
     * @return the current task, or null outside any task
     */
    public static Task<?> currentTask() {
        Running.loopOrThrow();
        return Running.task();
    }

    /**
     * The task running on {@code loop}'s thread right now, or null; a null loop means the running one.
     *
     * @param loop the loop to ask about, or null for the running one
     * @return the task {@code loop} is running on the calling thread, or null
     */
    public static Task<?> currentTask(EventLoop loop) {
        if (loop == null) {
            return currentTask();
        }
        Task<?> t = Running.task();
        return t != null && t.loop == loop ? t : null;
    }

    /**
     * The running loop's tasks that are not done.
     *
     * @return a snapshot of the running loop's pending tasks
     * @throws IllegalStateException when no loop runs on the calling thread
     */
    public static Set<Task<?>> allTasks() {
        return allTasks(getRunningLoop());
    }

    /**
     * {@code loop}'s tasks that are not done.
     *
     * @param loop the loop whose tasks are wanted
     * @return a snapshot of {@code loop}'s pending tasks
     */
    public static Set<Task<?>> allTasks(EventLoop loop) {
        return ((BaseEventLoop) loop).pendingTasks();
    }

    /**
     * {@code future} itself.
     *
     * @param <T> the type of the future's result
     * @param future a future
     * @return {@code future}
     */
    public static <T> Future<T> ensureFuture(Future<T> future) {
        return future;
    }

    /**
     * {@code future} itself, which must belong to {@code loop}: IllegalArgumentException otherwise
     * (asyncio's ValueError).
     *
     * @param <T> the type of the future's result
     * @param future a future
     * @param loop the loop it must belong to, or null for any
     * @return {@code future}
     */
    public static <T> Future<T> ensureFuture(Future<T> future, EventLoop loop) {
        if (loop != null && future.getLoop() != loop) {
            throw new IllegalArgumentException(
                    "The future belongs to a different loop than the one specified as the loop argument");
        }
        return future;
    }

    /**
     * {@code coroutine} wrapped in a task on the current loop.
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the body of the task
     * @return the new task
     */
    public static <T> Future<T> ensureFuture(Coroutine<T> coroutine) {
        return getEventLoop().createTask(coroutine);
    }

    /**
     * {@code coroutine} wrapped in a task on {@code loop}.
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the body of the task
     * @param loop the loop the task runs on
     * @return the new task
     */
    public static <T> Future<T> ensureFuture(Coroutine<T> coroutine, EventLoop loop) {
        return loop.createTask(coroutine);
    }

    /**
     * Awaits {@code future} ({@link Future#await()}).
     *
     * @param <T> the type of the future's result
     * @param future the future to wait for
     * @return the future's result
     * @throws Exception the future's exception, as it is
     */
    public static <T> T await(Future<T> future) throws Exception {
        return future.await();
    }

    // ---- sleeping ----

    /**
     * Runs {@code function} on another thread (the running loop's default executor) in a copy of
     * the current context, and returns a future of its result (asyncio's {@code to_thread}).
     * The way to make a blocking call from a task: a task that blocks in place blocks its loop.
     *
     * @param <T> the result's type
     * @param function the blocking work
     * @return the future to await
     * @throws IllegalStateException if no loop is running on this thread
     */
    public static <T> Future<T> toThread(java.util.concurrent.Callable<T> function) {
        if (function == null) {
            throw new NullPointerException("function");
        }
        Context context = Context.copyContext();
        return getRunningLoop().runInExecutor(null, () -> context.call(function));
    }

    /**
     * A future done after {@code delaySeconds} (asyncio's {@code sleep}); {@code 0} (or less)
     * gives the other tasks one turn, {@code Double.POSITIVE_INFINITY} sleeps until cancelled.
     *
     * @param delaySeconds how long, in seconds
     * @return the future to await
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     * @throws IllegalStateException if there is no loop to sleep on
     */
    public static Future<Void> sleep(double delaySeconds) {
        return sleep(delaySeconds, null);
    }

    /**
     * A future done with {@code result} after {@code delaySeconds}, on the running loop or, off
     * the loop, on the current one ({@code loop.runUntilComplete(Asyncio.sleep(0.1))} after
     * {@link #setEventLoop}, as asyncio's {@code run_until_complete(asyncio.sleep(0.1))}).
     *
     * @param <T> the result's type
     * @param delaySeconds how long, in seconds, as in {@link #sleep(double)}
     * @param result what the future completes with
     * @return the future to await
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     */
    public static <T> Future<T> sleep(double delaySeconds, T result) {
        long nanos = Delays.nanos(delaySeconds, "delay");
        return Combinators.sleep(sleepLoop(), nanos, result);
    }

    /**
     * A future done after {@code delay}.
     *
     * @param delay how long; zero or negative gives the other tasks one turn
     * @return the future to await
     * @throws NullPointerException if {@code delay} is null
     */
    public static Future<Void> sleep(Duration delay) {
        return sleep(delay, null);
    }

    /**
     * A future done with {@code result} after {@code delay}.
     *
     * @param <T> the result's type
     * @param delay how long; zero or negative gives the other tasks one turn
     * @param result what the future completes with
     * @return the future to await
     * @throws NullPointerException if {@code delay} is null
     */
    public static <T> Future<T> sleep(Duration delay, T result) {
        long nanos = Delays.nanos(delay, "delay");
        return Combinators.sleep(sleepLoop(), nanos, result);
    }

    private static BaseEventLoop sleepLoop() {
        BaseEventLoop running = Running.loop();
        return running != null ? running : (BaseEventLoop) getEventLoop();
    }

    // ---- combinators ----

    /**
     * A future of every result, in argument order; the first exception (or cancellation) fails it
     * unless {@code returnExceptions}, which puts exceptions in the list instead. Cancelling it
     * cancels every child.
     *
     * @param returnExceptions whether exceptions become results instead of failing the whole
     * @param futures the futures to wait for
     * @return a future of the results, in the order of {@code futures}
     */
    public static Future<List<Object>> gather(boolean returnExceptions, Future<?>... futures) {
        return Combinators.gather(List.of(futures), returnExceptions);
    }

    /**
     * {@link #gather(boolean, Future[])} without {@code returnExceptions}.
     *
     * @param futures the futures to wait for
     * @return a future of the results, in the order of {@code futures}
     */
    public static Future<List<Object>> gather(Future<?>... futures) {
        return Combinators.gather(List.of(futures), false);
    }

    /**
     * Typed {@link #gather}: the results of {@code futures}, in order.
     *
     * @param <T> the common type of the results
     * @param futures the futures to wait for
     * @return a future of the results, in the order of {@code futures}
     */
    @SuppressWarnings("unchecked")
    public static <T> Future<List<T>> gatherAll(Collection<? extends Future<? extends T>> futures) {
        Future<?> f = Combinators.gather(new ArrayList<>(futures), false);
        return (Future<List<T>>) f;
    }

    /**
     * Waits until {@code returnWhen} holds or {@code timeoutSeconds} passes, without cancelling
     * anything (asyncio's {@code wait}). {@code Double.POSITIVE_INFINITY} waits without limit.
     *
     * @param <T> the futures' result type
     * @param futures what to wait for, not empty
     * @param timeoutSeconds the most to wait, in seconds
     * @param returnWhen when to return
     * @return a future of the done and the pending futures
     * @throws IllegalArgumentException if {@code futures} is empty, {@code returnWhen} null or
     *         {@code timeoutSeconds} NaN
     */
    public static <T> Future<WaitResult<T>> wait(Collection<? extends Future<T>> futures, double timeoutSeconds,
            ReturnWhen returnWhen) {
        return Combinators.wait(futures, Delays.nanos(timeoutSeconds, "timeout"), returnWhen);
    }

    /**
     * {@link #wait(Collection, double, ReturnWhen)} with the timeout as a {@link Duration}.
     *
     * @param <T> the futures' result type
     * @param futures what to wait for, not empty
     * @param timeout the most to wait
     * @param returnWhen when to return
     * @return a future of the done and the pending futures
     * @throws IllegalArgumentException if {@code futures} is empty or {@code returnWhen} null
     * @throws NullPointerException if {@code timeout} is null
     */
    public static <T> Future<WaitResult<T>> wait(Collection<? extends Future<T>> futures, Duration timeout,
            ReturnWhen returnWhen) {
        return Combinators.wait(futures, Delays.nanos(timeout, "timeout"), returnWhen);
    }

    /**
     * {@link #wait(Collection, double, ReturnWhen)} without a timeout.
     *
     * @param <T> the futures' result type
     * @param futures what to wait for, not empty
     * @param returnWhen when to return
     * @return a future of the done and the pending futures
     * @throws IllegalArgumentException if {@code futures} is empty or {@code returnWhen} null
     */
    public static <T> Future<WaitResult<T>> wait(Collection<? extends Future<T>> futures, ReturnWhen returnWhen) {
        return Combinators.wait(futures, Delays.NEVER, returnWhen);
    }

    /**
     * {@link #wait(Collection, double, ReturnWhen)} with {@code ALL_COMPLETED}.
     *
     * @param <T> the futures' result type
     * @param futures what to wait for, not empty
     * @param timeoutSeconds the most to wait, in seconds
     * @return a future of the done and the pending futures
     * @throws IllegalArgumentException if {@code futures} is empty or {@code timeoutSeconds} NaN
     */
    public static <T> Future<WaitResult<T>> wait(Collection<? extends Future<T>> futures, double timeoutSeconds) {
        return wait(futures, timeoutSeconds, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * {@link #wait(Collection, Duration, ReturnWhen)} with {@code ALL_COMPLETED}.
     *
     * @param <T> the futures' result type
     * @param futures what to wait for, not empty
     * @param timeout the most to wait
     * @return a future of the done and the pending futures
     * @throws IllegalArgumentException if {@code futures} is empty
     * @throws NullPointerException if {@code timeout} is null
     */
    public static <T> Future<WaitResult<T>> wait(Collection<? extends Future<T>> futures, Duration timeout) {
        return wait(futures, timeout, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * {@link #wait(Collection, double, ReturnWhen)} with no timeout and {@code ALL_COMPLETED}.
     *
     * @param <T> the futures' result type
     * @param futures what to wait for, not empty
     * @return a future of the done futures (all of them) and an empty pending set
     * @throws IllegalArgumentException if {@code futures} is empty
     */
    public static <T> Future<WaitResult<T>> wait(Collection<? extends Future<T>> futures) {
        return Combinators.wait(futures, Delays.NEVER, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * {@code future}'s result, or on timeout cancels it and fails with
     * {@link java.util.concurrent.TimeoutException} (whose cause is the cancellation), as
     * asyncio's {@code wait_for}. Cancelling the returned future cancels {@code future}. A timeout
     * of zero or less cancels at once (unless {@code future} is done); {@code Double.POSITIVE_INFINITY}
     * waits without limit.
     *
     * @param <T> the result's type
     * @param future what to wait for
     * @param timeoutSeconds the most to wait, in seconds
     * @return a future of {@code future}'s result
     * @throws IllegalArgumentException if {@code timeoutSeconds} is NaN
     */
    public static <T> Future<T> waitFor(Future<T> future, double timeoutSeconds) {
        return Combinators.waitFor(future, Delays.nanos(timeoutSeconds, "timeout"));
    }

    /**
     * {@link #waitFor(Future, double)} with the timeout as a {@link Duration}.
     *
     * @param <T> the result's type
     * @param future what to wait for
     * @param timeout the most to wait
     * @return a future of {@code future}'s result
     * @throws NullPointerException if {@code timeout} is null
     */
    public static <T> Future<T> waitFor(Future<T> future, Duration timeout) {
        return Combinators.waitFor(future, Delays.nanos(timeout, "timeout"));
    }

    /**
     * {@link #waitFor(Future, double)} without a timeout (asyncio's {@code wait_for(f, None)}):
     * only cancelling the returned future cancels {@code future}.
     *
     * @param <T> the result's type
     * @param future what to wait for
     * @return a future of {@code future}'s result
     */
    public static <T> Future<T> waitFor(Future<T> future) {
        return Combinators.waitFor(future, Delays.NEVER);
    }

    /**
     * {@link #waitFor(Future, double)} over a new task running {@code coroutine}. asyncio awaits
     * the coroutine inside the calling task, so it starts at once and a cancellation reaches its
     * body wherever it is: the task here starts eagerly (when the loop runs) to behave the same.
     * With a timeout of zero or less the coroutine never starts, as in asyncio.
     *
     * @param <T> the result's type
     * @param coroutine what to run
     * @param timeoutSeconds the most to wait, in seconds
     * @return a future of the coroutine's result
     * @throws IllegalArgumentException if {@code timeoutSeconds} is NaN
     */
    public static <T> Future<T> waitFor(Coroutine<T> coroutine, double timeoutSeconds) {
        return waitFor(coroutine, Delays.nanos(timeoutSeconds, "timeout"));
    }

    /**
     * {@link #waitFor(Coroutine, double)} with the timeout as a {@link Duration}.
     *
     * @param <T> the result's type
     * @param coroutine what to run
     * @param timeout the most to wait
     * @return a future of the coroutine's result
     * @throws NullPointerException if {@code timeout} is null
     */
    public static <T> Future<T> waitFor(Coroutine<T> coroutine, Duration timeout) {
        return waitFor(coroutine, Delays.nanos(timeout, "timeout"));
    }

    /**
     * {@link #waitFor(Coroutine, double)} without a timeout.
     *
     * @param <T> the result's type
     * @param coroutine what to run
     * @return a future of the coroutine's result
     */
    public static <T> Future<T> waitFor(Coroutine<T> coroutine) {
        return waitFor(coroutine, Delays.NEVER);
    }

    private static <T> Future<T> waitFor(Coroutine<T> coroutine, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return Combinators.waitFor(ensureFuture(coroutine), timeoutNanos);
        }
        BaseEventLoop loop = (BaseEventLoop) getEventLoop();
        return Combinators.waitFor(new Task<>(loop, coroutine, null, true, null), timeoutNanos);
    }

    /**
     * A future that follows {@code future} but whose cancellation does not reach it: cancelling
     * the task that awaits the shield leaves {@code future} running.
     *
     * @param <T> the type of the result
     * @param future the future to protect from cancellation
     * @return a future with {@code future}'s outcome, cancellable on its own
     */
    public static <T> Future<T> shield(Future<T> future) {
        return Combinators.shield(future);
    }

    /**
     * Futures in the order {@code futures} complete (asyncio's {@code as_completed}): the first
     * one yielded is done with the first result, and so on. After {@code timeoutSeconds}
     * ({@code Double.POSITIVE_INFINITY}: never) the ones not yet done fail with
     * {@link java.util.concurrent.TimeoutException}.
     *
     * @param <T> the futures' result type
     * @param futures what to wait for
     * @param timeoutSeconds the most to wait, in seconds
     * @return one future per element of {@code futures}, in completion order
     * @throws IllegalArgumentException if {@code timeoutSeconds} is NaN
     */
    public static <T> Iterator<Future<T>> asCompleted(Collection<? extends Future<T>> futures, double timeoutSeconds) {
        return Combinators.asCompleted(futures, Delays.nanos(timeoutSeconds, "timeout"));
    }

    /**
     * {@link #asCompleted(Collection, double)} with the timeout as a {@link Duration}.
     *
     * @param <T> the futures' result type
     * @param futures what to wait for
     * @param timeout the most to wait
     * @return one future per element of {@code futures}, in completion order
     * @throws NullPointerException if {@code timeout} is null
     */
    public static <T> Iterator<Future<T>> asCompleted(Collection<? extends Future<T>> futures, Duration timeout) {
        return Combinators.asCompleted(futures, Delays.nanos(timeout, "timeout"));
    }

    /**
     * {@link #asCompleted(Collection, double)} without a timeout.
     *
     * @param <T> the futures' result type
     * @param futures what to wait for
     * @return one future per element of {@code futures}, in completion order
     */
    public static <T> Iterator<Future<T>> asCompleted(Collection<? extends Future<T>> futures) {
        return Combinators.asCompleted(futures, Delays.NEVER);
    }

    // ---- structured concurrency ----

    /**
     * Runs {@code body} in the current task under a deadline {@code delaySeconds} from now
     * (asyncio's {@code timeout()}); when it passes, the body is cancelled and this throws
     * {@link java.util.concurrent.TimeoutException}. {@code Double.POSITIVE_INFINITY} sets no
     * deadline.
     *
     * @param <R> the body's result type
     * @param delaySeconds the time the body has, in seconds
     * @param body what to run
     * @return the body's result
     * @throws java.util.concurrent.TimeoutException if the deadline passed
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     * @throws IllegalStateException outside a task
     * @throws Exception what the body throws
     */
    public static <R> R timeout(double delaySeconds, Coroutine<R> body) throws Exception {
        return Timeout.run(deadline(Delays.nanos(delaySeconds, "delay")), scope -> body.call());
    }

    /**
     * {@link #timeout(double, Coroutine)} with a body that can see and reschedule its scope.
     *
     * @param <R> the body's result type
     * @param delaySeconds the time the body has, in seconds
     * @param body what to run, given its scope
     * @return the body's result
     * @throws java.util.concurrent.TimeoutException if the deadline passed
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     * @throws Exception what the body throws
     */
    public static <R> R timeout(double delaySeconds, Timeout.Body<R> body) throws Exception {
        return Timeout.run(deadline(Delays.nanos(delaySeconds, "delay")), body);
    }

    /**
     * {@link #timeout(double, Coroutine)} with the delay as a {@link Duration}.
     *
     * @param <R> the body's result type
     * @param delay the time the body has
     * @param body what to run
     * @return the body's result
     * @throws java.util.concurrent.TimeoutException if the deadline passed
     * @throws NullPointerException if {@code delay} is null
     * @throws Exception what the body throws
     */
    public static <R> R timeout(Duration delay, Coroutine<R> body) throws Exception {
        return Timeout.run(deadline(Delays.nanos(delay, "delay")), scope -> body.call());
    }

    /**
     * {@link #timeout(Duration, Coroutine)} with a body that can see and reschedule its scope.
     *
     * @param <R> the body's result type
     * @param delay the time the body has
     * @param body what to run, given its scope
     * @return the body's result
     * @throws java.util.concurrent.TimeoutException if the deadline passed
     * @throws NullPointerException if {@code delay} is null
     * @throws Exception what the body throws
     */
    public static <R> R timeout(Duration delay, Timeout.Body<R> body) throws Exception {
        return Timeout.run(deadline(Delays.nanos(delay, "delay")), body);
    }

    /**
     * A scope with no deadline yet (asyncio's {@code timeout(None)}): the body may set one with
     * {@link Timeout#reschedule(double)}.
     *
     * @param <R> the body's result type
     * @param body what to run, given its scope
     * @return the body's result
     * @throws java.util.concurrent.TimeoutException if a deadline set later passed
     * @throws Exception what the body throws
     */
    public static <R> R timeout(Timeout.Body<R> body) throws Exception {
        return Timeout.run(Double.POSITIVE_INFINITY, body);
    }

    /**
     * {@link #timeout(double, Coroutine)} with an absolute deadline on the loop's clock
     * (asyncio's {@code timeout_at}); {@code Double.POSITIVE_INFINITY} is none.
     *
     * @param <R> the body's result type
     * @param when the deadline, in seconds on {@link EventLoop#time()}
     * @param body what to run
     * @return the body's result
     * @throws java.util.concurrent.TimeoutException if the deadline passed
     * @throws IllegalArgumentException if {@code when} is NaN
     * @throws Exception what the body throws
     */
    public static <R> R timeoutAt(double when, Coroutine<R> body) throws Exception {
        return Timeout.run(when, scope -> body.call());
    }

    /**
     * {@link #timeoutAt(double, Coroutine)} with a body that can see and reschedule its scope.
     *
     * @param <R> the body's result type
     * @param when the deadline, in seconds on {@link EventLoop#time()}
     * @param body what to run, given its scope
     * @return the body's result
     * @throws java.util.concurrent.TimeoutException if the deadline passed
     * @throws IllegalArgumentException if {@code when} is NaN
     * @throws Exception what the body throws
     */
    public static <R> R timeoutAt(double when, Timeout.Body<R> body) throws Exception {
        return Timeout.run(when, body);
    }

    /** The deadline {@code delayNanos} from now on the running loop's clock, in seconds. */
    private static double deadline(long delayNanos) {
        return Delays.seconds(Delays.deadline(Running.loopOrThrow().timeNanos(), delayNanos));
    }

    /**
     * A task factory whose tasks start eagerly (asyncio's {@code eager_task_factory}): install it
     * with {@link EventLoop#setTaskFactory}.
     *
     * @return a new eager task factory
     */
    public static TaskFactory eagerTaskFactory() {
        return new TaskFactory() {
            @Override
            public Task<?> createTask(EventLoop loop, Coroutine<?> coroutine, String name) {
                return new Task<>(loop, coroutine, name, true, null);
            }

            @Override
            public Task<?> createTask(EventLoop loop, Coroutine<?> coroutine, String name, Context context) {
                return new Task<>(loop, coroutine, name, true, context);
            }
        };
    }

    // ---- threads ----

    /**
     * Submits {@code coroutine} to {@code loop} from any thread; the returned future completes
     * with its result, and cancelling it cancels the task. Thread safe.
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the body of the task
     * @param loop the loop to run it on, running on another thread
     * @return a future of the task's outcome, usable from any thread
     */
    public static <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine, EventLoop loop) {
        if (coroutine == null) {
            throw new NullPointerException("coroutine");
        }
        CompletableFuture<T> result = new CompletableFuture<>() {
            private volatile Task<T> task;

            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean done = super.cancel(mayInterruptIfRunning);
                if (done && !loop.isClosed()) {
                    loop.callSoonThreadsafe(() -> {
                        if (task != null) {
                            task.cancel();
                        }
                    });
                }
                return done;
            }

            {
                loop.callSoonThreadsafe(() -> {
                    if (isDone()) {
                        return;
                    }
                    try {
                        task = loop.createTask(coroutine);
                    } catch (Throwable t) {
                        completeExceptionally(t);
                        throw t;
                    }
                    task.addDoneCallback(t -> {
                        if (t.cancelled()) {
                            completeExceptionally(t.makeCancelledError().toCancellationException());
                        } else if (t.exception() != null) {
                            completeExceptionally(t.exception());
                        } else {
                            complete(t.result());
                        }
                    });
                });
            }
        };
        return result;
    }

    /**
     * A future on the current loop that follows {@code stage} (completed on any thread);
     * cancelling it cancels {@code stage} when that is a {@link java.util.concurrent.Future}.
     *
     * @param <T> the type of the result
     * @param stage the computation to follow
     * @return a future on the current loop with {@code stage}'s outcome
     */
    public static <T> Future<T> wrapFuture(CompletionStage<T> stage) {
        return wrapFuture(stage, getEventLoop());
    }

    /**
     * {@link #wrapFuture(CompletionStage)} on {@code loop}.
     *
     * @param <T> the type of the result
     * @param stage the computation to follow
     * @param loop the loop the returned future belongs to
     * @return a future on {@code loop} with {@code stage}'s outcome
     */
    public static <T> Future<T> wrapFuture(CompletionStage<T> stage, EventLoop loop) {
        return Combinators.wrap(stage, (BaseEventLoop) loop);
    }

    // ---- streams ----

    /**
     * Opens a TCP connection as a reader and a writer (asyncio's {@code open_connection}), on the
     * running loop, with the default limit (64 KiB).
     *
     * @param host a name or numeric address
     * @param port the port
     * @return a future of the reader and writer; it fails as {@link EventLoop#createConnection}
     * @throws IllegalStateException when no loop runs on the calling thread
     */
    public static Future<StreamConnection> openConnection(String host, int port) {
        return Streams.openConnection(ConnectOptions.to(host, port));
    }

    /**
     * Opens a connection as a reader and a writer with asyncio's options (TLS, local address, a
     * given socket, Happy Eyeballs, and the reader's {@link ConnectOptions#limit(int) limit}), on
     * the running loop.
     *
     * @param options the options
     * @return a future of the reader and writer
     * @throws IllegalStateException when no loop runs on the calling thread
     */
    public static Future<StreamConnection> openConnection(ConnectOptions options) {
        return Streams.openConnection(options);
    }

    /**
     * Opens a Unix stream connection as a reader and a writer (asyncio's
     * {@code open_unix_connection}), on the running loop, with the default limit.
     *
     * @param path the socket's path; a leading NUL byte ({@code "\0name"}) names an abstract socket
     * @return a future of the reader and writer
     * @throws IllegalStateException when no loop runs on the calling thread
     */
    public static Future<StreamConnection> openUnixConnection(String path) {
        return Streams.openConnection(Streams.unixConnect(path, ConnectOptions.DEFAULT_LIMIT));
    }

    /**
     * {@link #openUnixConnection(String)} with the reader's limit.
     *
     * @param path the socket's path; a leading NUL byte names an abstract socket
     * @param limit the reader's limit in bytes, positive
     * @return a future of the reader and writer
     * @throws IllegalStateException when no loop runs on the calling thread
     */
    public static Future<StreamConnection> openUnixConnection(String path, int limit) {
        return Streams.openConnection(Streams.unixConnect(path, limit));
    }

    /**
     * Starts a TCP server whose connections are streams (asyncio's {@code start_server}), on the
     * running loop: each connection's {@code handler} runs as a task with its reader (limit
     * 64 KiB) and writer.
     *
     * @param handler what to do with each connection
     * @param host a name or numeric address; null or "" for every interface
     * @param port the port; 0 for one the OS picks
     * @return a future of the server, accepting
     * @throws IllegalStateException when no loop runs on the calling thread
     */
    public static Future<Server> startServer(StreamHandler handler, String host, int port) {
        return Streams.startServer(handler, ServerOptions.on(host, port));
    }

    /**
     * Starts a stream server with asyncio's options (several hosts, backlog, reuse, TLS, a given
     * socket, a deferred start, and the readers' {@link ServerOptions#limit(int) limit}), on the
     * running loop.
     *
     * @param handler what to do with each connection
     * @param options the options
     * @return a future of the server
     * @throws IllegalStateException when no loop runs on the calling thread
     */
    public static Future<Server> startServer(StreamHandler handler, ServerOptions options) {
        return Streams.startServer(handler, options);
    }

    /**
     * Starts a Unix stream server whose connections are streams (asyncio's
     * {@code start_unix_server}), on the running loop. A stale socket file at {@code path} is
     * removed first.
     *
     * @param handler what to do with each connection
     * @param path the socket's path; a leading NUL byte names an abstract socket
     * @return a future of the server
     * @throws IllegalStateException when no loop runs on the calling thread
     */
    public static Future<Server> startUnixServer(StreamHandler handler, String path) {
        return Streams.startServer(handler, Streams.unixServe(path, ConnectOptions.DEFAULT_LIMIT));
    }

    /**
     * {@link #startUnixServer(StreamHandler, String)} with the readers' limit.
     *
     * @param handler what to do with each connection
     * @param path the socket's path; a leading NUL byte names an abstract socket
     * @param limit the readers' limit in bytes, positive
     * @return a future of the server
     * @throws IllegalStateException when no loop runs on the calling thread
     */
    public static Future<Server> startUnixServer(StreamHandler handler, String path, int limit) {
        return Streams.startServer(handler, Streams.unixServe(path, limit));
    }

    // ---- child processes (asyncio.subprocess) ----

    /**
     * Starts a program with streams (asyncio's {@code create_subprocess_exec}) on the running
     * loop. As in asyncio the streams default to inherited: ask for {@link Stdio#PIPE} in
     * {@code options} to get {@link Subprocess#stdin()} and the readers.
     *
     * @param args the program (looked up on the PATH unless it holds a slash) and its arguments
     * @param options the streams, cwd, environment and readers' limit
     * @return a future of the process; it fails with {@link java.nio.file.NoSuchFileException}
     *         naming a missing program or cwd
     * @throws IllegalStateException if no loop runs in this thread
     */
    public static Future<Subprocess> createSubprocessExec(List<String> args, SubprocessOptions options) {
        return Subprocess.create(List.copyOf(args), java.util.Objects.requireNonNull(options, "options"), false, null);
    }

    /**
     * {@link #createSubprocessExec(List, SubprocessOptions)} with every stream inherited.
     *
     * @param program the program
     * @param args its arguments
     * @return a future of the process
     */
    public static Future<Subprocess> createSubprocessExec(String program, String... args) {
        List<String> all = new java.util.ArrayList<>();
        all.add(program);
        all.addAll(List.of(args));
        return createSubprocessExec(all, new SubprocessOptions());
    }

    /**
     * Runs a command through {@code /bin/sh -c} with streams (asyncio's
     * {@code create_subprocess_shell}).
     *
     * @param cmd the shell command
     * @param options the streams, cwd, environment and readers' limit
     * @return a future of the process
     * @throws IllegalStateException if no loop runs in this thread
     */
    public static Future<Subprocess> createSubprocessShell(String cmd, SubprocessOptions options) {
        java.util.Objects.requireNonNull(cmd, "cmd");
        return Subprocess.create(null, java.util.Objects.requireNonNull(options, "options"), true, cmd);
    }

    /**
     * {@link #createSubprocessShell(String, SubprocessOptions)} with every stream inherited.
     *
     * @param cmd the shell command
     * @return a future of the process
     */
    public static Future<Subprocess> createSubprocessShell(String cmd) {
        return createSubprocessShell(cmd, new SubprocessOptions());
    }
}

package io.jasyncio;

import io.jasyncio.internal.strand.Strand;
import io.jasyncio.internal.strand.StrandAbandonedError;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A coroutine running on a loop (asyncio's {@code Task}): its body is plain Java that runs on the
 * loop's thread and suspends at {@link Future#await()}. {@link #cancel()} raises
 * {@link CancelledError} at the body's current await point (or at its start, if it has not
 * started); the body may catch it and carry on. Not thread safe, like every future.
 *
 * @param <T> the body's result type
 */
public class Task<T> extends Future<T> {
    private static final AtomicLong COUNTER = new AtomicLong();

    private final Coroutine<T> coroutine;
    private final Context context;
    /** Made at the first step, on the thread that runs the loop (see {@link BaseEventLoop#strands()}). */
    private Strand strand;
    private final Step wakeup = new Step();
    private String name;

    /** The future the body is suspended on, or null. */
    private Future<?> waitingOn;
    private boolean mustCancel;
    private String cancelMessage;
    private int cancelRequests;
    /** A KeyboardInterruptError or SystemExitError from the body, to rethrow on the loop thread. */
    private Throwable fatal;

    /**
     * A task running {@code coroutine} on {@code loop}, scheduled to start on the next iteration.
     *
     * @param loop the loop the task runs on
     * @param coroutine the body of the task
     * @param name the task's name, or null for a generated one
     */
    public Task(EventLoop loop, Coroutine<T> coroutine, String name) {
        this(Task.base(loop), coroutine, name, false, null);
    }

    /**
     * A task that, if {@code eagerStart} and the loop is running, starts at once: its body runs
     * until its first suspension before this constructor returns, and a body that never suspends
     * leaves the task already done (asyncio's eager tasks). Otherwise it starts on the next
     * iteration.
     *
     * @param loop the loop the task runs on
     * @param coroutine the body of the task
     * @param name the task's name, or null for a generated one
     * @param eagerStart whether the body starts at once when called on the running loop's thread
     */
    public Task(EventLoop loop, Coroutine<T> coroutine, String name, boolean eagerStart) {
        this(Task.base(loop), coroutine, name, eagerStart, null);
    }

    /**
     * {@link #Task(EventLoop, Coroutine, String, boolean)} running in {@code context} (null: a
     * copy of the current context, as asyncio does).
     *
     * @param loop the loop the task runs on
     * @param coroutine the body of the task
     * @param name the task's name, or null for a generated one
     * @param eagerStart whether the body starts at once when called on the running loop's thread
     * @param context the context the body runs in, or null for a copy of the current one
     */
    public Task(EventLoop loop, Coroutine<T> coroutine, String name, boolean eagerStart, Context context) {
        this(Task.base(loop), coroutine, name, eagerStart, context);
    }

    Task(BaseEventLoop loop, Coroutine<T> coroutine, String name, boolean eagerStart, Context context) {
        super(loop);
        if (coroutine == null) {
            throw new NullPointerException("coroutine");
        }
        loop.checkClosed();
        this.coroutine = coroutine;
        this.context = context != null ? context : Context.copyContext();
        this.name = name != null ? name : "Task-" + COUNTER.incrementAndGet();
        diagnostics = Diagnostics.watch(this, loop.debug ? Diagnostics.callerSite() : null);
        loop.registerTask(this);
        if (eagerStart && loop.isRunning() && loop.isInLoopThread()) {
            Task<?> creator = Running.task();
            if (creator == null) {
                step();
            } else {
                creator.runFirst(wakeup);
            }
        } else {
            loop.callSoon(wakeup);
        }
    }

    /** A step of this task, as a callback or a done callback; named after the task in reports. */
    private final class Step implements Runnable, Consumer<Future<?>> {
        @Override
        public void run() {
            step();
        }

        @Override
        public void accept(Future<?> awaited) {
            step();
        }

        @Override
        public String toString() {
            return "step of " + Task.this;
        }
    }

    private static BaseEventLoop base(EventLoop loop) {
        if (loop instanceof BaseEventLoop b) {
            return b;
        }
        throw new IllegalArgumentException("not a jasyncio loop: " + loop);
    }

    /**
     * The task's name (asyncio's {@code get_name()}): given at creation, or {@code Task-<n>}.
     *
     * @return the name
     */
    public String getName() {
        return name;
    }

    /**
     * Renames the task (asyncio's {@code set_name()}).
     *
     * @param name the new name; null becomes {@code "null"}, as Python's {@code str(None)} would
     */
    public void setName(String name) {
        this.name = String.valueOf(name);
    }

    /**
     * The body this task runs (asyncio's {@code get_coro()}).
     *
     * @return the coroutine given to the constructor
     */
    public Coroutine<T> getCoro() {
        return coroutine;
    }

    /**
     * The context the body runs in.
     *
     * @return the task's context
     */
    public Context getContext() {
        return context;
    }

    /**
     * The body's current stack (empty if it has not started or has ended).
     *
     * @return the frames of the suspended or running body, innermost first
     */
    public StackTraceElement[] getStack() {
        Strand s = strand;
        return s == null ? new StackTraceElement[0] : s.stackTrace();
    }

    /**
     * Prints the body's current stack to {@code out}.
     *
     * @param out where to print
     */
    public void printStack(PrintStream out) {
        out.println("Stack for " + this + ":");
        for (StackTraceElement e : getStack()) {
            out.println("\tat " + e);
        }
    }

    /** Tasks cannot be completed from outside: throws IllegalStateException. */
    @Override
    public void setResult(T value) {
        throw new IllegalStateException("Task does not support setResult");
    }

    /** Tasks cannot be completed from outside: throws IllegalStateException. */
    @Override
    public void setException(Throwable error) {
        throw new IllegalStateException("Task does not support setException");
    }

    /**
     * Requests cancellation: the awaited future is cancelled (so the body sees
     * {@link CancelledError} at its await point), or, if the body is not suspended, the next
     * await raises it. Returns false if the task is already done.
     */
    @Override
    public boolean cancel(String message) {
        loop.checkThread();
        retrieved();
        if (done()) {
            return false;
        }
        cancelRequests++;
        if (waitingOn != null && waitingOn.cancel(message)) {
            return true;
        }
        mustCancel = true;
        cancelMessage = message;
        return true;
    }

    /**
     * How many cancellation requests are outstanding (asyncio's {@code cancelling()}).
     *
     * @return the number of {@link #cancel} calls not withdrawn by {@link #uncancel()}
     */
    public int cancelling() {
        return cancelRequests;
    }

    /**
     * Withdraws one cancellation request; returns how many remain.
     *
     * @return the number of cancellation requests still outstanding
     */
    public int uncancel() {
        if (cancelRequests > 0) {
            cancelRequests--;
            if (cancelRequests == 0) {
                mustCancel = false;
            }
        }
        return cancelRequests;
    }

    /** Runs the body until it suspends or ends. Loop thread, from a callback. */
    private void step() {
        if (done()) {
            return;
        }
        Strand s = strand;
        if (s == null) {
            s = loop.strands().newStrand(this::body);
            strand = s;
        }
        Thread outer = loop.stepThread;
        loop.stepThread = s.thread();
        try {
            s.resume();
        } finally {
            loop.stepThread = outer;
        }
        Throwable f = fatal;
        if (f != null) {
            fatal = null;
            throw Throwables.sneaky(f);
        }
    }

    private void body() {
        Running.enterTask(this);
        Context.swap(context);
        try {
            if (mustCancel) {
                mustCancel = false;
                throw new CancelledError(cancelMessage);
            }
            T value = coroutine.call();
            if (mustCancel) {
                mustCancel = false;
                super.cancel(cancelMessage);
            } else {
                completeResult(value);
            }
        } catch (CancelledError e) {
            cancelFrom(e);
        } catch (StrandAbandonedError e) {
            // The loop closed with this task pending: end quietly.
        } catch (KeyboardInterruptError | SystemExitError e) {
            completeException(e);
            fatal = e;
        } catch (Throwable t) {
            completeException(t);
        }
    }

    /** {@link Future#await()} inside this task's body. */
    <R> R awaitFuture(Future<R> future) {
        if (future.loop != loop) {
            throw new IllegalStateException("Task " + name + " got Future " + future
                    + " attached to a different loop");
        }
        if (future == this) {
            throw new IllegalStateException("Task cannot await on itself: " + this);
        }
        if (future instanceof Combinators.Yield<R> yield && !future.done()) {
            yield.completeForAwait();
            yieldNow();
            return future.result();
        }
        if (!future.done()) {
            waitingOn = future;
            future.addDoneCallback(wakeup);
            if (mustCancel && future.cancel(cancelMessage)) {
                mustCancel = false;
            }
            try {
                strand.suspend();
            } catch (IllegalStateException pinned) {
                future.removeDoneCallback(wakeup);
                throw pinned;
            } finally {
                waitingOn = null;
            }
            if (mustCancel) {
                mustCancel = false;
                throw new CancelledError(cancelMessage);
            }
        }
        return future.result();
    }

    /**
     * Suspends this (running) task so that {@code first} runs on the loop before anything else,
     * then resumes it straight after: how a task starts an eager task, whose first step cannot
     * run inside this task's thread.
     */
    private void runFirst(Runnable first) {
        loop.addReadyFirst(new Handle(loop, wakeup));
        loop.addReadyFirst(new Handle(loop, first));
        strand.suspend();
    }

    /** Gives the other callbacks and tasks one turn (asyncio's {@code await sleep(0)}). */
    void yieldNow() {
        loop.callSoon(wakeup);
        strand.suspend();
        if (mustCancel) {
            mustCancel = false;
            throw new CancelledError(cancelMessage);
        }
    }

    /** The loop closed with this task pending: report it and unwind its body. */
    void abandon() {
        if (!done()) {
            diagnostics.finished();
            loop.callExceptionHandler(Contexts.of(
                    "message", "Task was destroyed but it is pending!",
                    "task", this));
            if (strand != null) {
                strand.abandon();
            }
        }
    }

    @Override
    public String toString() {
        String s = super.toString();
        return "Task[" + name + ", " + s.substring(s.indexOf('[') + 1);
    }
}

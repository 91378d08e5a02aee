package io.jasyncio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The result of an asynchronous operation, filled in later (asyncio's {@code Future}). Done
 * callbacks are always scheduled on the loop with {@code callSoon}, never run inline.
 *
 * <p>{@link #result()} and {@link #await()} rethrow the exception the future holds as it is,
 * checked exceptions included, without wrapping (as {@code await} does in Python). Not thread safe:
 * use it on its loop's thread. While the loop runs, {@link #setResult}, {@link #setException},
 * {@link #cancel}, {@link #addDoneCallback} and {@link #removeDoneCallback} called from another
 * thread throw {@link IllegalStateException}; {@link #toCompletableFuture()} is the bridge to
 * other threads, and {@link #await()} on another thread blocks it until the future is done.
 *
 * @param <T> the result type
 */
public class Future<T> {
    private enum State { PENDING, CANCELLED, FINISHED }

    final BaseEventLoop loop;
    private State state = State.PENDING;
    private T result;
    private Throwable exception;
    private String cancelMessage;
    private CancelledError cancelCause;
    /**
     * A done callback: made once when it is added, and queued as it is when the future is done,
     * so completing a future allocates nothing per callback.
     */
    private static final class DoneCallback extends Handle implements Runnable {
        final Consumer<Object> function;
        final Future<?> future;

        DoneCallback(Future<?> future, Consumer<Object> function, Object context) {
            super(future.loop, null, context);
            this.function = function;
            this.future = future;
            this.callback = this;
        }

        @Override
        public void run() {
            function.accept(future);
        }

        @Override
        public String toString() {
            String what = function.getClass().getEnclosingClass() == Task.class
                    ? function.toString() : function.getClass().getName();
            return "Handle[" + what + " on " + future + "]";
        }
    }

    /** null, one DoneCallback, or a List of them. */
    private Object callbacks;
    /** The record behind the garbage-collection reports, made when first needed. */
    Diagnostics diagnostics;

    Future(BaseEventLoop loop) {
        this.loop = loop;
    }

    /** A pending future on the current event loop ({@link Asyncio#getEventLoop()}). */
    public Future() {
        this((BaseEventLoop) Asyncio.getEventLoop());
    }

    /**
     * A pending future on {@code loop}.
     *
     * @param loop the loop the future belongs to
     */
    public Future(EventLoop loop) {
        this(asBase(loop));
    }

    private static BaseEventLoop asBase(EventLoop loop) {
        if (loop instanceof BaseEventLoop b) {
            return b;
        }
        throw new IllegalArgumentException("not a jasyncio loop: " + loop);
    }

    /**
     * The loop this future is bound to.
     *
     * @return the loop the future belongs to
     */
    public EventLoop getLoop() {
        return loop;
    }

    /**
     * Whether the future is done: it has a result or an exception, or was cancelled (asyncio's
     * {@code done()}).
     *
     * @return true if done
     */
    public boolean done() {
        return state != State.PENDING;
    }

    /**
     * Whether the future was cancelled (asyncio's {@code cancelled()}).
     *
     * @return true if cancelled
     */
    public boolean cancelled() {
        return state == State.CANCELLED;
    }

    /**
     * The result. Throws {@link CancelledError} if cancelled, {@link InvalidStateException}
     * if not done yet, or the exception set with {@link #setException} (as is).
     *
     * @return the value set with {@link #setResult}
     */
    public T result() {
        if (state == State.CANCELLED) {
            throw makeCancelledError();
        }
        if (state == State.PENDING) {
            throw new InvalidStateException("Result is not ready.");
        }
        retrieved();
        if (exception != null) {
            throw Throwables.sneaky(exception);
        }
        return result;
    }

    /**
     * The exception set with {@link #setException}, or null if the future has a result. Throws
     * {@link CancelledError} if cancelled, {@link InvalidStateException} if not done yet.
     *
     * @return the exception, or null when the future has a result
     */
    public Throwable exception() {
        if (state == State.CANCELLED) {
            throw makeCancelledError();
        }
        if (state == State.PENDING) {
            throw new InvalidStateException("Exception is not set.");
        }
        retrieved();
        return exception;
    }

    /** Someone looked at the outcome: no never-retrieved report for it. */
    final void retrieved() {
        Diagnostics d = diagnostics;
        if (d != null) {
            d.retrieved();
        }
    }

    /**
     * The exception a cancelled future raises: the {@link CancelledError} that cancelled it,
     * when its body raised one (so the trace shows where the body was interrupted, and nothing is
     * chained under it), else a new one with the cancel message (asyncio's
     * {@code _make_cancelled_error}).
     */
    CancelledError makeCancelledError() {
        CancelledError original = cancelCause;
        return original != null ? original : new CancelledError(cancelMessage);
    }

    /**
     * Cancels the future; returns false if it was already done.
     *
     * @return true if the future was cancelled now, false if it was already done
     */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future with a message for the {@link CancelledError}; false if already done.
     *
     * @param message the message of the {@link CancelledError} the future raises, or null
     * @return true if the future was cancelled now, false if it was already done
     */
    public boolean cancel(String message) {
        loop.checkThread();
        retrieved();
        if (state != State.PENDING) {
            return false;
        }
        state = State.CANCELLED;
        cancelMessage = message;
        scheduleCallbacks();
        return true;
    }

    /** Cancels because the body raised {@code cause}; keeps it as the cause of later errors. */
    final void cancelFrom(CancelledError cause) {
        if (state == State.PENDING) {
            cancelCause = cause;
            state = State.CANCELLED;
            cancelMessage = cause.getMessage();
            scheduleCallbacks();
        }
    }

    /**
     * Marks the future done with {@code value}; InvalidStateException if already done.
     *
     * @param value the result
     */
    public void setResult(T value) {
        loop.checkThread();
        completeResult(value);
    }

    /**
     * Marks the future done with {@code error}; InvalidStateException if already done.
     *
     * @param error the exception {@link #result()} and {@link #await()} throw
     */
    public void setException(Throwable error) {
        loop.checkThread();
        completeException(error);
    }

    final void completeResult(T value) {
        if (state != State.PENDING) {
            throw new InvalidStateException(state + ": " + this);
        }
        result = value;
        state = State.FINISHED;
        scheduleCallbacks();
    }

    final void completeException(Throwable error) {
        if (state != State.PENDING) {
            throw new InvalidStateException(state + ": " + this);
        }
        if (error == null) {
            throw new NullPointerException("exception");
        }
        exception = error;
        state = State.FINISHED;
        if (diagnostics == null) {
            diagnostics = Diagnostics.watch(this, null);
        }
        diagnostics.exceptionStored(error, this);
        scheduleCallbacks();
    }

    /**
     * Adds a callback run (via the loop's {@code callSoon}) once the future is done, in a copy of
     * the context current now (so what the callback sets stays in that copy, as in asyncio).
     *
     * @param callback what to run, given this future
     */
    public void addDoneCallback(Consumer<? super Future<T>> callback) {
        addDoneCallback(callback, null);
    }

    /**
     * {@link #addDoneCallback(Consumer)} running {@code callback} in {@code context} (null: a copy of the current one).
     *
     * @param callback what to run, given this future
     * @param context the context it runs in, or null for a copy of the current one
     */
    @SuppressWarnings("unchecked")
    public void addDoneCallback(Consumer<? super Future<T>> callback, Context context) {
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        loop.checkThread();
        Diagnostics d = diagnostics;
        if (d != null) {
            d.observed();
        }
        DoneCallback entry = new DoneCallback(this, (Consumer<Object>) callback,
                Handle.contextOrSnapshot(context));
        if (state != State.PENDING) {
            schedule(entry);
        } else if (callbacks == null) {
            callbacks = entry;
        } else if (callbacks instanceof List<?> list) {
            ((List<Object>) list).add(entry);
        } else {
            List<Object> list = new ArrayList<>(4);
            list.add(callbacks);
            list.add(entry);
            callbacks = list;
        }
    }

    private void schedule(DoneCallback entry) {
        loop.schedule(entry);
    }

    /**
     * Removes every registration of {@code callback}; returns how many there were.
     *
     * @param callback the callback to remove
     * @return the number of registrations removed
     */
    public int removeDoneCallback(Consumer<? super Future<T>> callback) {
        loop.checkThread();
        if (callbacks == null) {
            return 0;
        }
        if (!(callbacks instanceof List<?> list)) {
            if (((DoneCallback) callbacks).function.equals(callback)) {
                callbacks = null;
                return 1;
            }
            return 0;
        }
        int before = list.size();
        list.removeIf(c -> ((DoneCallback) c).function.equals(callback));
        return before - list.size();
    }

    private void scheduleCallbacks() {
        Diagnostics d = diagnostics;
        if (d != null) {
            d.finished();
        }
        Object cbs = callbacks;
        callbacks = null;
        if (cbs == null) {
            return;
        }
        if (cbs instanceof List<?> list) {
            for (Object cb : list) {
                schedule((DoneCallback) cb);
            }
        } else {
            schedule((DoneCallback) cbs);
        }
    }

    /**
     * Waits for this future and returns its result, or throws its exception as is (a
     * {@link CancelledError} if it was cancelled). Inside a task it suspends the task. On a
     * thread that runs no task it returns at once if the future is done; otherwise it blocks that
     * thread while the future's loop runs on another thread, and throws
     * {@link IllegalStateException} when that loop is not running or is closed (nothing would
     * complete the future) and on a loop's own thread outside a task (waiting there would block
     * the loop forever).
     *
     * <p>It declares {@code throws Exception} so callers can catch the checked exceptions an
     * awaited operation fails with ({@code TimeoutException}, {@code IOException}); a task body
     * ({@link Coroutine#call()}) already lets them through.
     *
     * @return the future's result
     * @throws Exception the future's exception, as it was set
     */
    public T await() throws Exception {
        Task<?> task = Running.task();
        if (task != null) {
            return task.awaitFuture(this);
        }
        if (Running.loop() != null) {
            throw new IllegalStateException(
                    "await() called on an event loop's thread outside a task: it would block the loop forever;"
                            + " await inside a task (createTask) or add a done callback");
        }
        if (done()) {
            return result();
        }
        if (loop.isClosed()) {
            throw new IllegalStateException("await() on a thread that runs no task, for a future of a closed"
                    + " event loop: it would never complete");
        }
        if (!loop.isRunning()) {
            throw new IllegalStateException("await() on a thread that runs no task, for a future of an event"
                    + " loop that is not running: nothing would ever complete it. Run it with Asyncio.run(...)"
                    + " or loop.runUntilComplete(...), or wait from another thread while the loop runs with"
                    + " toCompletableFuture().get()");
        }
        return awaitBlocking();
    }

    private T awaitBlocking() {
        CompletableFuture<T> bridge = toCompletableFuture();
        try {
            return bridge.get();
        } catch (ExecutionException e) {
            throw Throwables.sneaky(e.getCause());
        } catch (java.util.concurrent.CancellationException e) {
            throw makeCancelledError();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledError("interrupted while awaiting " + this);
        }
    }

    /**
     * A {@link CompletableFuture} completed when this future is done, usable from any thread;
     * cancelling it cancels this future (on the loop's thread). Thread safe: any thread may call
     * it, whether the loop runs or not (a future already done completes it at once).
     *
     * @return a new {@link CompletableFuture} following this future
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> cf = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                if (cancelled && !loop.isClosed()) {
                    try {
                        loop.runOrPost(Future.this::cancel);
                    } catch (IllegalStateException loopClosed) {
                        // nothing left to cancel
                    }
                }
                return cancelled;
            }
        };
        Consumer<Future<T>> follow = f -> {
            if (f.cancelled()) {
                cf.completeExceptionally(f.makeCancelledError().toCancellationException());
            } else if (f.exception != null) {
                f.retrieved();
                cf.completeExceptionally(f.exception);
            } else {
                cf.complete(f.result);
            }
        };
        // On the loop's thread, or while the loop is not running (it cannot start meanwhile);
        // otherwise posted to the running loop.
        loop.runOrPost(() -> {
            if (done()) {
                follow.accept(this);
            } else {
                addDoneCallback(follow);
            }
        });
        return cf;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('[').append(state.name().toLowerCase());
        if (state == State.FINISHED) {
            if (exception != null) {
                sb.append(" exception=").append(exception);
            } else {
                sb.append(" result=").append(result);
            }
        }
        return sb.append(']').toString();
    }
}

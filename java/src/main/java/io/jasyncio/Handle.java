package io.jasyncio;

/**
 * A callback scheduled on a loop ({@link EventLoop#callSoon}); {@link #cancel()} keeps it from
 * running. Not thread safe: cancel it on the loop's thread.
 */
public class Handle {
    final BaseEventLoop loop;
    Runnable callback;
    boolean cancelled;
    /**
     * What the callback runs in: a {@link Context} given explicitly (the callback runs in it,
     * and its changes stay there), or the values current when it was scheduled (a
     * {@code Context.snapshot()}: the callback runs in a copy of them, as asyncio's handles do).
     */
    private final Object context;

    Handle(BaseEventLoop loop, Runnable callback, Object context) {
        this.loop = loop;
        this.callback = callback;
        this.context = context;
    }

    Handle(BaseEventLoop loop, Runnable callback) {
        this(loop, callback, Context.snapshot());
    }

    /** {@code context} if given, else a snapshot of the current values. */
    static Object contextOrSnapshot(Context context) {
        return context != null ? context : Context.snapshot();
    }

    /** Keeps the callback from running, if it has not run yet. Cancelling twice does nothing. */
    public void cancel() {
        if (!cancelled) {
            loop.checkThread();
            cancelled = true;
            callback = null;
        }
    }

    /**
     * Whether {@link #cancel()} was called.
     *
     * @return true if cancelled
     */
    public boolean cancelled() {
        return cancelled;
    }

    /**
     * The loop this handle belongs to.
     *
     * @return the loop
     */
    public EventLoop getLoop() {
        return loop;
    }

    /** Runs the callback on the loop's thread; an exception goes to the loop's exception handler. */
    void invoke() {
        Runnable cb = callback;
        if (cancelled || cb == null) {
            return;
        }
        Context current = Context.current();
        Context target = context instanceof Context given ? given : loop.callbackContext(context);
        if (target != current) {
            // An explicit context, or a callback invoked off the running loop's scratch context.
            Context.swap(target);
        }
        try {
            cb.run();
        } catch (KeyboardInterruptError | SystemExitError | VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            loop.callExceptionHandler(Contexts.of(
                    "message", "Exception in callback " + this,
                    "exception", t,
                    "handle", this));
        } finally {
            if (target != current) {
                Context.swap(current);
            }
        }
    }

    /**
     * A handle made by {@link EventLoop#callSoonThreadsafe}, which the posting thread may cancel
     * (asyncio 3.13's {@code _ThreadSafeHandle}): cancelling, or asking whether it is cancelled,
     * from another thread waits while the callback runs; a callback that has not started yet
     * then never runs.
     */
    static final class Threadsafe extends Handle {
        Threadsafe(BaseEventLoop loop, Runnable callback, Object context) {
            super(loop, callback, context);
        }

        /** Any thread; waits if the callback is running on another one. */
        @Override
        public synchronized void cancel() {
            if (!cancelled) {
                cancelled = true;
                callback = null;
            }
        }

        /** Any thread; waits if the callback is running on another one. */
        @Override
        public synchronized boolean cancelled() {
            return cancelled;
        }

        @Override
        synchronized void invoke() {
            super.invoke();
        }
    }

    static String describe(Runnable cb) {
        if (cb == null) {
            return "<cancelled>";
        }
        // A task's step says which task it runs (what a slow-callback report must name).
        return cb.getClass().getEnclosingClass() == Task.class ? cb.toString() : cb.getClass().getName();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + (cancelled ? "[cancelled]" : "[" + describe(callback) + "]");
    }
}

package io.jasyncio;

import java.util.concurrent.TimeoutException;

/**
 * A deadline over a stretch of a task (asyncio's {@code timeout()} context manager). When the
 * deadline passes, the task is cancelled; the scope turns that cancellation into a
 * {@link TimeoutException} (whose cause is the {@link CancelledError}). The body receives the
 * scope and may move the deadline with {@link #reschedule}. A cancellation from anywhere else
 * passes through unchanged.
 *
 * <pre>{@code
 * String page = Asyncio.timeout(5.0, () -> fetch(url));
 * Asyncio.timeout(10.0, scope -> { ...; scope.reschedule(loop.time() + 10); ... });
 * }</pre>
 *
 * Not thread safe: use it inside a task, on the loop's thread.
 */
public final class Timeout {

    /**
     * A body that may see (and reschedule) its scope.
     *
     * @param <R> the type of the body's result
     */
    @FunctionalInterface
    public interface Body<R> {
        /**
         * Runs the body under the scope's deadline, in the current task.
         *
         * @param scope the scope, to read or move the deadline
         * @return the value the {@code timeout} call returns
         * @throws Exception anything the body throws; on expiry, the cancellation becomes a
         *        {@link java.util.concurrent.TimeoutException}
         */
        R call(Timeout scope) throws Exception;
    }

    private enum State {
        CREATED("created"), ENTERED("active"), EXPIRING("expiring"), EXPIRED("expired"), EXITED("finished");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    private State state = State.CREATED;
    private Double when;
    private Handle handle;
    private Task<?> task;
    private int cancelling;

    private Timeout(Double when) {
        this.when = when;
    }

    static <R> R run(Double when, Body<R> body) throws Exception {
        Timeout scope = new Timeout(when);
        scope.enter();
        R result;
        try {
            result = body.call(scope);
        } catch (Throwable t) {
            scope.exit(t);
            throw Throwables.sneaky(t);
        }
        scope.exit(null);
        return result;
    }

    /**
     * The deadline on the loop's {@link EventLoop#time()} clock, or null for none.
     *
     * @return the deadline, or null
     */
    public Double when() {
        return when;
    }

    /**
     * Whether the deadline passed (and the task was cancelled for it).
     *
     * @return true once the deadline has passed
     */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    /**
     * Moves the deadline to {@code newWhen} (loop time in seconds; null: no deadline). Only while
     * the scope's body runs: IllegalStateException otherwise.
     *
     * @param newWhen the new deadline on the loop's clock, in seconds, or null for none
     */
    public void reschedule(Double newWhen) {
        if (state != State.ENTERED) {
            if (state == State.CREATED) {
                throw new IllegalStateException("Timeout has not been entered");
            }
            throw new IllegalStateException("Cannot change state of " + state.label + " Timeout");
        }
        when = newWhen;
        if (handle != null) {
            handle.cancel();
        }
        if (newWhen == null) {
            handle = null;
            return;
        }
        BaseEventLoop loop = task.loop;
        handle = newWhen <= loop.time() ? loop.callSoon(this::onTimeout) : loop.callAt(newWhen, this::onTimeout);
    }

    private void enter() {
        Task<?> current = Running.task();
        if (current == null) {
            throw new IllegalStateException("Timeout should be used inside a task");
        }
        state = State.ENTERED;
        task = current;
        cancelling = current.cancelling();
        reschedule(when);
    }

    private void exit(Throwable error) throws TimeoutException {
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            if (task.uncancel() <= cancelling && error instanceof CancelledError c) {
                TimeoutException timeout = new TimeoutException();
                timeout.initCause(c);
                throw timeout;
            }
        } else if (state == State.ENTERED) {
            state = State.EXITED;
        }
    }

    private void onTimeout() {
        task.cancel();
        state = State.EXPIRING;
        handle = null;
    }

    /**
     * The state, and while the body runs the deadline rounded to the millisecond, as asyncio's
     * repr: {@code Timeout[active, when=12.345]}, {@code Timeout[active, when=null]} (no
     * deadline), {@code Timeout[expired]}, {@code Timeout[finished]}.
     */
    @Override
    public String toString() {
        if (state != State.ENTERED) {
            return "Timeout[" + state.label + "]";
        }
        return "Timeout[" + state.label + ", when=" + (when == null ? null : Math.round(when * 1000) / 1000.0) + "]";
    }
}

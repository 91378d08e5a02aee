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
 * String page = Asyncio.timeout(5, () -> fetch(url));
 * Asyncio.timeout(Duration.ofSeconds(10), scope -> { ...; scope.reschedule(loop.time() + 10); ... });
 * Asyncio.timeout(scope -> { ...; scope.reschedule(loop.time() + 1); ... });   // no deadline at first
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
    /** The deadline in seconds on the loop's clock; {@code +infinity}: none. */
    private double when;
    private Handle handle;
    private Task<?> task;
    private int cancelling;

    private Timeout(double when) {
        this.when = when;
    }

    static <R> R run(double when, Body<R> body) throws Exception {
        checkWhen(when);
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
     * The deadline (asyncio's {@code when()}).
     *
     * @return the deadline in seconds on the loop's {@link EventLoop#time()} clock, or
     *         {@code Double.POSITIVE_INFINITY} when there is none (asyncio's {@code None})
     */
    public double when() {
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
     * Moves the deadline to {@code newWhen} (asyncio's {@code reschedule}); a time already past
     * expires the scope on the next iteration, {@code Double.POSITIVE_INFINITY} removes the
     * deadline (as {@link #clearDeadline()}). Only while the scope's body runs.
     *
     * @param newWhen the new deadline, in seconds on the loop's {@link EventLoop#time()} clock
     * @throws IllegalArgumentException if {@code newWhen} is NaN
     * @throws IllegalStateException if the body is not running (the scope was not entered, or
     *         has expired or finished)
     */
    public void reschedule(double newWhen) {
        checkWhen(newWhen);
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
        if (newWhen == Double.POSITIVE_INFINITY) {
            handle = null;
            return;
        }
        BaseEventLoop loop = task.loop;
        handle = newWhen <= loop.time() ? loop.callSoon(this::onTimeout) : loop.callAt(newWhen, this::onTimeout);
    }

    /**
     * Removes the deadline (asyncio's {@code reschedule(None)}): the body runs on without limit
     * unless it reschedules again.
     *
     * @throws IllegalStateException if the body is not running
     */
    public void clearDeadline() {
        reschedule(Double.POSITIVE_INFINITY);
    }

    private static void checkWhen(double when) {
        if (Double.isNaN(when)) {
            throw new IllegalArgumentException("deadline is NaN");
        }
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
     * repr: {@code Timeout[active, when=12.345]}, {@code Timeout[active, when=none]} (no
     * deadline), {@code Timeout[expired]}, {@code Timeout[finished]}.
     */
    @Override
    public String toString() {
        if (state != State.ENTERED) {
            return "Timeout[" + state.label + "]";
        }
        return "Timeout[" + state.label + ", when="
                + (when == Double.POSITIVE_INFINITY ? "none" : Math.round(when * 1000) / 1000.0) + "]";
    }
}

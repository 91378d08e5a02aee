package io.jasyncio;

/**
 * A callback scheduled for a point in time ({@link EventLoop#callLater}, {@link EventLoop#callAt}).
 * It never runs before {@link #when()} on the loop's clock. Cancelling removes it from the loop's
 * timer heap at once, so cancelled timers hold no memory.
 */
public final class TimerHandle extends Handle implements Comparable<TimerHandle> {
    final long whenNanos;
    final long sequence;
    /** Position in the loop's timer heap, -1 when not in it. */
    int heapIndex = -1;
    /** The deadline exactly as {@code callAt} was given it, or NaN: {@link #when()} returns it as given. */
    double whenSeconds = Double.NaN;

    TimerHandle(BaseEventLoop loop, long whenNanos, long sequence, Runnable callback, Object context) {
        super(loop, callback, context);
        this.whenNanos = whenNanos;
        this.sequence = sequence;
    }

    /**
     * When the callback is due, in seconds on the loop's {@link EventLoop#time()} clock.
     *
     * @return the deadline; {@code Double.POSITIVE_INFINITY} for a timer that never falls due
     */
    public double when() {
        return Double.isNaN(whenSeconds) ? Delays.seconds(whenNanos) : whenSeconds;
    }

    /**
     * When the callback is due, in nanoseconds on the loop's {@link EventLoop#timeNanos()} clock.
     *
     * @return the due time, in nanoseconds
     */
    public long whenNanos() {
        return whenNanos;
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            super.cancel();
            loop.timerCancelled(this);
        }
    }

    /** Earlier first; equal deadlines in the order they were scheduled. */
    @Override
    public int compareTo(TimerHandle o) {
        int c = Long.compare(whenNanos, o.whenNanos);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    @Override
    public String toString() {
        return "TimerHandle[when=" + when() + (cancelled ? ", cancelled" : ", " + describe(callback)) + "]";
    }
}

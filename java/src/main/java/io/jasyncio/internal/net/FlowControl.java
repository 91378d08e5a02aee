package io.jasyncio.internal.net;

import io.jasyncio.BaseProtocol;

import java.util.function.BiConsumer;

/**
 * A transport's write flow control (asyncio's {@code FlowControlMixin} on the transport side):
 * the high and low marks and whether the protocol was told to pause. The transport says how
 * big its buffer is after it grew or drained; this object calls the protocol's
 * {@code pauseWriting}/{@code resumeWriting} when a mark is crossed, and hands a failure of
 * either to the transport's reporter.
 *
 * <p>Not thread safe: one per transport, used by its loop.
 */
public final class FlowControl {

    /** asyncio's default high-water mark; the low one is a quarter of it. */
    public static final long DEFAULT_HIGH = 64 * 1024;

    private final BiConsumer<String, Throwable> report;
    private long high = DEFAULT_HIGH;
    private long low = DEFAULT_HIGH / 4;
    private boolean paused;

    /**
     * Flow control at asyncio's default marks.
     *
     * @param report where a failing {@code pauseWriting}/{@code resumeWriting} goes (a message
     *        and the exception)
     */
    public FlowControl(BiConsumer<String, Throwable> report) {
        this.report = report;
    }

    /** {@return the high-water mark} */
    public long high() {
        return high;
    }

    /** {@return the low-water mark} */
    public long low() {
        return low;
    }

    /**
     * Sets the marks with asyncio's defaults for -1, then looks at the buffer against them as
     * {@link #grew} does (asyncio's {@code set_write_buffer_limits}).
     *
     * @param high the high-water mark, or -1
     * @param low the low-water mark, or -1
     * @param size the buffer's size now
     * @param protocol the protocol to tell; null (gone) tells nobody
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    public void setLimits(long high, long low, long size, BaseProtocol protocol) {
        long[] limits = limits(high, low);
        this.high = limits[0];
        this.low = limits[1];
        grew(size, protocol);
    }

    /**
     * The buffer grew (or the marks changed): pauses {@code protocol} once it passes the high mark.
     *
     * @param size the buffer's size now
     * @param protocol the protocol to tell; null (gone) tells nobody
     */
    public void grew(long size, BaseProtocol protocol) {
        if (size <= high || paused || protocol == null) {
            return;
        }
        paused = true;
        try {
            protocol.pauseWriting();
        } catch (RuntimeException e) {
            report.accept("protocol.pauseWriting() failed", e);
        }
    }

    /**
     * The buffer drained: resumes {@code protocol} once it is at or below the low mark.
     *
     * @param size the buffer's size now
     * @param protocol the protocol to tell; null (gone) tells nobody
     */
    public void drained(long size, BaseProtocol protocol) {
        if (!paused || size > low || protocol == null) {
            return;
        }
        paused = false;
        try {
            protocol.resumeWriting();
        } catch (RuntimeException e) {
            report.accept("protocol.resumeWriting() failed", e);
        }
    }

    /**
     * Applies asyncio's defaults and checks the marks.
     *
     * @param high the high-water mark, or -1
     * @param low the low-water mark, or -1
     * @return {@code {high, low}}
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    public static long[] limits(long high, long low) {
        if (high < 0) {
            high = low < 0 ? DEFAULT_HIGH : 4 * low;
        }
        if (low < 0) {
            low = high / 4;
        }
        if (!(high >= low && low >= 0)) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        return new long[] {high, low};
    }
}

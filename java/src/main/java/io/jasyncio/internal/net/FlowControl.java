package io.jasyncio.internal.net;

/** The write-buffer marks every transport shares (asyncio's {@code _set_write_buffer_limits}). */
public final class FlowControl {
    private FlowControl() {
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
            high = low < 0 ? StreamTransport.DEFAULT_HIGH : 4 * low;
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

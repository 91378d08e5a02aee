package io.jasyncio.internal.natives;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Interval timers (native/itimer.c): {@code alarm}, {@code setitimer}, {@code getitimer}, in
 * microseconds. Failures come back as {@code -errno} for the caller to turn into its own
 * exception ({@code ItimerException}).
 *
 * <p>Thread safe (the timers are the process's).
 */
public final class Itimers {

    /** Slots of the four int64s native/itimer.c reads and writes. Keep in sync with it. */
    private static final int VALUE = 0;
    private static final int INTERVAL = 1;
    private static final int OLD_VALUE = 2;
    private static final int OLD_INTERVAL = 3;

    static {
        NativeLibrary.ensureLoaded();
    }

    private Itimers() {
    }

    /**
     * {@code alarm(seconds)}.
     *
     * @param seconds 0 cancels
     * @return the seconds left of the previous alarm, or -errno
     */
    public static int alarm(int seconds) {
        return alarm0(seconds);
    }

    /**
     * {@code setitimer(which, value, interval)}.
     *
     * @param which the timer
     * @param valueMicros the first expiry (0 disarms)
     * @param intervalMicros the period after it (0: one shot)
     * @param old receives the previous value and interval in microseconds
     * @return 0, or -errno
     */
    public static int set(int which, long valueMicros, long intervalMicros, long[] old) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment values = arena.allocate(ValueLayout.JAVA_LONG, 4);
            values.setAtIndex(ValueLayout.JAVA_LONG, VALUE, valueMicros);
            values.setAtIndex(ValueLayout.JAVA_LONG, INTERVAL, intervalMicros);
            int rc = set0(which, values.address());
            old[0] = values.getAtIndex(ValueLayout.JAVA_LONG, OLD_VALUE);
            old[1] = values.getAtIndex(ValueLayout.JAVA_LONG, OLD_INTERVAL);
            return rc;
        }
    }

    /**
     * {@code getitimer(which)}.
     *
     * @param which the timer
     * @param current receives the value and interval in microseconds
     * @return 0, or -errno
     */
    public static int get(int which, long[] current) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment values = arena.allocate(ValueLayout.JAVA_LONG, 4);
            int rc = get0(which, values.address());
            current[0] = values.getAtIndex(ValueLayout.JAVA_LONG, OLD_VALUE);
            current[1] = values.getAtIndex(ValueLayout.JAVA_LONG, OLD_INTERVAL);
            return rc;
        }
    }

    static native int alarm0(int seconds);

    static native int set0(int which, long address);

    static native int get0(int which, long address);
}

package io.jasyncio;

import java.time.Duration;

/**
 * One set of rules for every delay, timeout and deadline the public API takes, in seconds
 * ({@code double}) or as a {@link Duration}, turned into nanoseconds on the loop's clock:
 * <ul>
 * <li>seconds are rounded up, so nothing falls due early;</li>
 * <li>NaN is refused ({@link IllegalArgumentException}): it compares with nothing, so a timer at
 *     NaN would be neither due nor not due;</li>
 * <li>{@code +infinity} is {@link #NEVER}: the timer exists and can be cancelled but never falls
 *     due, as asyncio's {@code call_later(math.inf, cb)} (it keeps no place in the timer heap, so
 *     an auto-advancing virtual clock never jumps to it);</li>
 * <li>zero, negative and {@code -infinity}: due at once;</li>
 * <li>finite values are clamped to about ±146 years, so a sum with a clock reading cannot
 *     overflow; a {@code null} Duration is a {@link NullPointerException} that names it.</li>
 * </ul>
 */
final class Delays {
    /** The deadline (and delay) of what never falls due. */
    static final long NEVER = Long.MAX_VALUE;
    private static final long MAX = Long.MAX_VALUE / 2;
    private static final long MIN = Long.MIN_VALUE / 2;

    private Delays() {
    }

    /** {@code seconds} in nanoseconds, rounded up; {@link #NEVER} for {@code +infinity}. */
    static long nanos(double seconds, String what) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException(what + " is NaN");
        }
        if (seconds == Double.POSITIVE_INFINITY) {
            return NEVER;
        }
        double n = Math.ceil(seconds * 1e9);
        return n >= MAX ? MAX : n <= MIN ? MIN : (long) n;
    }

    /** {@code delay} in nanoseconds, clamped; a null one is refused with its name. */
    static long nanos(Duration delay, String what) {
        if (delay == null) {
            throw new NullPointerException(what + " is null");
        }
        try {
            return Math.clamp(delay.toNanos(), MIN, MAX);
        } catch (ArithmeticException e) {
            return delay.isNegative() ? MIN : MAX;
        }
    }

    /** The deadline {@code delayNanos} after {@code now}: {@link #NEVER} stays never; no overflow. */
    static long deadline(long now, long delayNanos) {
        if (delayNanos == NEVER) {
            return NEVER;
        }
        long r = now + delayNanos;
        if (((now ^ r) & (delayNanos ^ r)) < 0) {
            return delayNanos > 0 ? NEVER - 1 : Long.MIN_VALUE;
        }
        return r == NEVER ? NEVER - 1 : r;
    }

    /** Nanoseconds back in seconds, for messages: {@code +infinity} for {@link #NEVER}. */
    static double seconds(long nanos) {
        return nanos == NEVER ? Double.POSITIVE_INFINITY : nanos / 1e9;
    }
}

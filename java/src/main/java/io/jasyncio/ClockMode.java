package io.jasyncio;

/**
 * Which clock a loop's timers follow ({@link BaseEventLoop#setClockMode}). The virtual modes let
 * tests of time-based code run without waiting (like Tokio's {@code time::pause}).
 */
public enum ClockMode {
    /** The monotonic clock ({@code System.nanoTime()}, CLOCK_MONOTONIC). */
    REAL,
    /** A virtual clock that moves only by {@link BaseEventLoop#advanceTime}. */
    MANUAL,
    /**
     * A virtual clock that jumps to the next timer whenever the loop has nothing else to do: no
     * ready callback, no I/O event and no cross-thread call.
     */
    AUTO
}

package io.jasyncio;

/**
 * A snapshot of a loop's own figures, for metrics and tests ({@link BaseEventLoop#stats()}).
 * The two durations are measured only while {@link BaseEventLoop#setTimingEnabled timing} is on
 * (it costs two clock reads per iteration), and are zero otherwise.
 *
 * @param iterations     run-loop iterations so far
 * @param readyCallbacks callbacks waiting for the next iteration
 * @param scheduledTimers timers scheduled and not yet run; cancelled timers leave at once, so there
 *                       are never cancelled ones waiting to be removed
 * @param pendingTasks   tasks not done yet
 * @param pollNanos      time spent waiting in the poller
 * @param callbackNanos  time spent running callbacks (task steps included)
 */
public record LoopStats(long iterations, int readyCallbacks, int scheduledTimers, int pendingTasks,
                        long pollNanos, long callbackNanos) {
}

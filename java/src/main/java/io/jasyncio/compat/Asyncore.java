package io.jasyncio.compat;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.internal.natives.ClosedDescriptorException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Python's {@code asyncore} module functions: {@link #loop} serves a socket map on a jasyncio
 * event loop until the map is empty or a count of rounds is done, {@link #poll} serves one round,
 * and {@link #closeAll} closes a map's dispatchers.
 *
 * <p>Each round asks every dispatcher {@code readable()} and {@code writable()} (a listening one
 * is never watched for writing), waits up to the timeout for the loop to report one of them
 * ready, then calls the ready ones' read events, then their write events, as asyncore's
 * {@code select}-based poll did. Between rounds the loop runs its other callbacks and tasks, so
 * dispatchers and coroutines share one program. Where asyncore slept for the timeout when nothing
 * was watched, the loop waits on a timer.
 *
 * <p>Which loop: {@code loop(timeout, map, count)} uses the running loop when called from inside
 * a task (the task waits; other tasks run), otherwise the thread's current loop
 * ({@link Asyncio#getEventLoop()}), which it runs until the map is served. {@link #loopAsync}
 * starts the same serving as a future, for a program that is already callbacks on the loop.
 *
 * <p>Not thread safe: a map and its dispatchers belong to one loop's thread.
 */
public final class Asyncore {

    /** asyncore's default timeout: 30 seconds. */
    public static final double DEFAULT_TIMEOUT = 30.0;

    /** A count meaning no limit (Python's {@code count=None}). */
    public static final int FOREVER = -1;

    private static final Map<Integer, Dispatcher> SOCKET_MAP = new HashMap<>();

    private Asyncore() {
    }

    /**
     * The global socket map dispatchers join when given none (Python's {@code socket_map}).
     *
     * @return the map
     */
    public static Map<Integer, Dispatcher> socketMap() {
        return SOCKET_MAP;
    }

    /** Serves the global map until it is empty, with asyncore's 30-second timeout. */
    public static void loop() {
        loop(DEFAULT_TIMEOUT, null, FOREVER);
    }

    /**
     * Serves the global map until it is empty.
     *
     * @param timeout the longest wait of one round, in seconds
     */
    public static void loop(double timeout) {
        loop(timeout, null, FOREVER);
    }

    /**
     * Serves {@code map} until it is empty.
     *
     * @param timeout the longest wait of one round, in seconds
     * @param map the socket map; null for the global one
     */
    public static void loop(double timeout, Map<Integer, Dispatcher> map) {
        loop(timeout, map, FOREVER);
    }

    /**
     * Serves {@code map} until it is empty or {@code count} rounds are done, on the running loop
     * (inside a task) or else the thread's current loop.
     *
     * @param timeout the longest wait of one round, in seconds
     * @param map the socket map; null for the global one
     * @param count the most rounds; {@link #FOREVER} (any negative number) for no limit
     * @throws IllegalStateException on a loop's thread outside a task, where waiting would block
     *         the loop (use {@link #loopAsync} there)
     */
    public static void loop(double timeout, Map<Integer, Dispatcher> map, int count) {
        loop(Asyncio.getEventLoop(), timeout, map, count);
    }

    /**
     * Serves {@code map} on {@code loop} until it is empty or {@code count} rounds are done. If the
     * loop is not running it runs until then; inside a task of a running loop the task waits.
     * An {@link Error} thrown by a handler ends the serving and is rethrown here; an
     * {@link Exception} goes to that dispatcher's {@code handleError}.
     *
     * @param loop the loop
     * @param timeout the longest wait of one round, in seconds
     * @param map the socket map; null for the global one
     * @param count the most rounds; {@link #FOREVER} for no limit
     * @throws IllegalStateException on the loop's thread outside a task
     */
    public static void loop(EventLoop loop, double timeout, Map<Integer, Dispatcher> map, int count) {
        Objects.requireNonNull(loop, "loop");
        Future<Void> serving;
        if (loop.isRunning()) {
            if (Asyncio.currentTask(loop) == null) {
                throw new IllegalStateException("Asyncore.loop on a running loop's thread outside a task would"
                        + " block the loop: call it from a task, or use Asyncore.loopAsync");
            }
            serving = loopAsync(loop, timeout, map, count);
            try {
                serving.await();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        serving = loopAsync(loop, timeout, map, count);
        loop.runUntilComplete(serving);
    }

    /**
     * Starts serving {@code map} on {@code loop}, in callbacks; the future completes when the map
     * is empty or {@code count} rounds are done (with the exception of a handler's {@link Error},
     * or of a {@code readable()}/{@code writable()} that threw). Cancelling it stops the serving
     * after the current round. Call it on the loop's thread, or before the loop runs.
     *
     * @param loop the loop
     * @param timeout the longest wait of one round, in seconds
     * @param map the socket map; null for the global one
     * @param count the most rounds; {@link #FOREVER} for no limit
     * @return the future of the serving
     */
    public static Future<Void> loopAsync(EventLoop loop, double timeout, Map<Integer, Dispatcher> map, int count) {
        Objects.requireNonNull(loop, "loop");
        if (Double.isNaN(timeout)) {
            throw new IllegalArgumentException("timeout is NaN");
        }
        MapDriver driver = new MapDriver(loop, timeout, map != null ? map : SOCKET_MAP, count);
        driver.done.addDoneCallback(f -> {
            if (f.cancelled()) {
                driver.cancelled();
            }
        });
        loop.callSoon(driver::step);
        return driver.done;
    }

    /**
     * One round over {@code map} (Python's {@code poll}): {@code loop(timeout, map, 1)}.
     *
     * @param timeout the longest wait, in seconds
     * @param map the socket map; null for the global one
     */
    public static void poll(double timeout, Map<Integer, Dispatcher> map) {
        loop(timeout, map, 1);
    }

    /** Closes every dispatcher of the global map, then clears it. */
    public static void closeAll() {
        closeAll(null, false);
    }

    /**
     * Closes every dispatcher of {@code map}, then clears it.
     *
     * @param map the socket map; null for the global one
     */
    public static void closeAll(Map<Integer, Dispatcher> map) {
        closeAll(map, false);
    }

    /**
     * Closes every dispatcher of {@code map}, then clears it. A dispatcher already closed
     * (EBADF) is passed over; other failures propagate unless {@code ignoreAll}.
     *
     * @param map the socket map; null for the global one
     * @param ignoreAll whether to go on past every failure
     * @throws java.io.UncheckedIOException for a close that failed (unless {@code ignoreAll})
     */
    public static void closeAll(Map<Integer, Dispatcher> map, boolean ignoreAll) {
        Map<Integer, Dispatcher> m = map != null ? map : SOCKET_MAP;
        for (Dispatcher d : new ArrayList<>(m.values())) {
            try {
                d.close();
            } catch (ClosedDescriptorException e) {
                // EBADF: already closed.
            } catch (IOException e) {
                if (!ignoreAll) {
                    throw new java.io.UncheckedIOException(e);
                }
            } catch (RuntimeException e) {
                if (!ignoreAll) {
                    throw e;
                }
            }
        }
        m.clear();
    }
}

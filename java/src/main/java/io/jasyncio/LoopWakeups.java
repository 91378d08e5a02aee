package io.jasyncio;

import io.jasyncio.internal.signal.SignalDispatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process's one loop woken by signal deliveries ({@link Signals#setWakeupLoop}): setting,
 * replacing and unsetting it, and letting go of it when its loop closes. A wakeup's watch is
 * started and stopped where the loop's state may be touched ({@link BaseEventLoop#runOrPost}):
 * at once on the loop's thread or while it is not running, else posted to it.
 *
 * <p>Thread safe: changes are serialized by this class's lock, which nothing holds while waiting
 * for a loop.
 */
final class LoopWakeups {
    /** The loop woken now, or null. Guarded by the class lock. */
    private static LoopWakeup current;
    /** Every wakeup not closed yet, the current one and any whose stop is posted to its loop. */
    private static final Set<LoopWakeup> OPEN = ConcurrentHashMap.newKeySet();

    private LoopWakeups() {
    }

    /** {@link Signals#setWakeupLoop}, once the argument is checked to be a jasyncio loop or null. */
    static synchronized BaseEventLoop set(BaseEventLoop loop) {
        LoopWakeup previous = current;
        if (loop != null && previous != null && previous.loop == loop) {
            return loop;
        }
        LoopWakeup next = loop == null ? null : start(loop);
        current = next;
        SignalDispatcher.setWakeupTarget(next);
        if (previous != null) {
            stop(previous);
        }
        return previous == null ? null : previous.loop;
    }

    private static LoopWakeup start(BaseEventLoop loop) {
        if (loop.isClosed()) {
            throw new IllegalStateException("Signals.setWakeupLoop: the loop is closed");
        }
        LoopWakeup wakeup;
        try {
            wakeup = LoopWakeup.open(loop);
        } catch (IOException e) {
            throw new UncheckedIOException("Signals.setWakeupLoop: cannot make the loop's wakeup pipe", e);
        }
        OPEN.add(wakeup);
        try {
            loop.runOrPost(() -> {
                if (!wakeup.isClosed() && !loop.isClosed()) {
                    wakeup.watch();
                }
            });
        } catch (RuntimeException | Error e) {
            // Closed meanwhile (callSoonThreadsafe refused), or the watch failed at once.
            OPEN.remove(wakeup);
            wakeup.close();
            if (e instanceof IllegalStateException && loop.isClosed()) {
                throw new IllegalStateException("Signals.setWakeupLoop: the loop is closed", e);
            }
            throw e;
        }
        return wakeup;
    }

    /** Stops watching (on the loop's thread) and closes the pipe; the loop's close does it otherwise. */
    private static void stop(LoopWakeup wakeup) {
        BaseEventLoop loop = wakeup.loop;
        Runnable stop = () -> {
            if (!loop.isClosed()) {
                wakeup.unwatch();
            }
            OPEN.remove(wakeup);
            wakeup.close();
        };
        try {
            loop.runOrPost(stop);
        } catch (IllegalStateException closed) {
            // The loop closed after all: its close let go of its watches.
            OPEN.remove(wakeup);
            wakeup.close();
        }
    }

    /** From the loop's close: unsets it if it is the one woken, and closes its pipes. */
    static synchronized void loopClosed(BaseEventLoop loop) {
        if (current != null && current.loop == loop) {
            current = null;
            SignalDispatcher.setWakeupTarget(null);
        }
        for (LoopWakeup wakeup : OPEN) {
            if (wakeup.loop == loop) {
                OPEN.remove(wakeup);
                wakeup.close();
            }
        }
    }

    /** The wakeup in place now, or null: for tests. */
    static synchronized LoopWakeup current() {
        return current;
    }
}

package io.jasyncio;

import io.jasyncio.internal.signal.SignalDispatcher;
import io.jasyncio.internal.signal.SignalNumbers;

import java.util.HashMap;
import java.util.Map;

/**
 * One loop's signal callbacks ({@link EventLoop#addSignalHandler}): registers the loop with the
 * process-wide dispatcher, and runs a delivered signal's callback on the loop's thread, in a copy
 * of the context current when it was added. Not thread safe, except {@link #signalArrived}, which
 * the dispatcher calls from a signal thread.
 */
final class LoopSignalHandlers {
    /** A signal callback and the context it runs in. */
    private record Registered(Runnable callback, Context context) {
    }

    private final BaseEventLoop loop;
    private final Map<Integer, Registered> bySignal = new HashMap<>();
    /** What the process-wide dispatcher tells of a delivery, from a signal thread. */
    private final SignalDispatcher.Target target = this::signalArrived;

    LoopSignalHandlers(BaseEventLoop loop) {
        this.loop = loop;
    }

    /** Adds or replaces the callback for {@code signum}; the signal was checked by the caller. */
    void add(int signum, Runnable callback) {
        if (!bySignal.containsKey(signum)) {
            SignalDispatcher.add(signum, target);
        }
        bySignal.put(signum, new Registered(callback, Context.copyContext()));
    }

    /** Removes the callback for {@code signum}; returns whether there was one. */
    boolean remove(int signum) {
        if (bySignal.remove(signum) == null) {
            return false;
        }
        SignalDispatcher.remove(signum, target);
        return true;
    }

    /** Removes every callback, and the loop's signal wakeup if it has one (the loop is closing). */
    void removeAll() {
        for (Integer signum : bySignal.keySet()) {
            SignalDispatcher.remove(signum, target);
        }
        bySignal.clear();
        LoopWakeups.loopClosed(loop);
    }

    /** On a signal thread: posts the delivery to the loop, like any other thread would. */
    private void signalArrived(int signum) {
        if (loop.isClosed()) {
            return;
        }
        try {
            loop.callSoonThreadsafe(() -> run(signum));
        } catch (IllegalStateException closedMeanwhile) {
            // The loop closed after the check; close() has unregistered it.
        }
    }

    /** On the loop's thread: runs the callback registered now, if there still is one. */
    private void run(int signum) {
        Registered registered = bySignal.get(signum);
        if (registered == null) {
            return;
        }
        Context previous = Context.swap(registered.context());
        try {
            registered.callback().run();
        } catch (KeyboardInterruptError | SystemExitError | VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            loop.callExceptionHandler(Contexts.of(
                    "message", "Exception in signal handler for " + SignalNumbers.describe(signum),
                    "exception", t,
                    "signal", signum));
        } finally {
            Context.swap(previous);
        }
    }
}

package io.jasyncio;

import io.jasyncio.internal.signal.SignalDispatcher;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C while {@link Asyncio.Runner#run} runs (asyncio's runner SIGINT handling): the first one
 * cancels the main task, a second one throws {@link KeyboardInterruptError} out of the loop. It is
 * installed only while SIGINT still has the JVM's own handler (the one that runs the shutdown
 * hooks): not under {@code -Xrs}, not when SIGINT was inherited as ignored ({@code nohup}), not
 * over another handler; and the JVM's handler is put back when the run ends.
 */
final class SigintGuard implements SignalHandler {
    private static final Signal SIGINT = new Signal("INT");

    private final EventLoop loop;
    private final Task<?> mainTask;
    private final AtomicInteger interrupts = new AtomicInteger();
    private SignalHandler previous;

    private SigintGuard(EventLoop loop, Task<?> mainTask) {
        this.loop = loop;
        this.mainTask = mainTask;
    }

    /** Installs a guard for {@code mainTask}, or returns null when SIGINT is not the JVM's own. */
    static SigintGuard install(EventLoop loop, Task<?> mainTask) {
        SigintGuard guard = new SigintGuard(loop, mainTask);
        try {
            guard.previous = Signal.handle(SIGINT, guard);
        } catch (IllegalArgumentException | UnsupportedOperationException refused) {
            return null;
        }
        if (!isJvmDefault(guard.previous)) {
            Signal.handle(SIGINT, guard.previous);
            return null;
        }
        return guard;
    }

    /** The JVM's own SIGINT handler is its Terminator's, which starts the shutdown sequence. */
    private static boolean isJvmDefault(SignalHandler handler) {
        return handler != SignalHandler.SIG_IGN && handler != SignalHandler.SIG_DFL
                && String.valueOf(handler).startsWith("java.lang.Terminator");
    }

    /** Runs on the JVM's signal thread. */
    @Override
    public void handle(Signal signal) {
        int n = interrupts.incrementAndGet();
        try {
            if (n == 1 && !mainTask.done()) {
                loop.callSoonThreadsafe(() -> {
                    if (!mainTask.done()) {
                        mainTask.cancel();
                    }
                });
            } else {
                loop.callSoonThreadsafe(() -> {
                    throw new KeyboardInterruptError();
                });
            }
        } catch (IllegalStateException loopClosed) {
            // The run is over; restore() is about to put the JVM's handler back.
        }
    }

    /** How many times Ctrl-C was pressed during the run. */
    int interrupts() {
        return interrupts.get();
    }

    /**
     * Puts the JVM's handler back, unless someone replaced ours meanwhile. If that someone is a
     * loop's INT handler (which set this guard aside), the JVM's handler is what comes back when
     * that handler is removed, rather than this guard, whose run is over.
     */
    void restore() {
        SignalHandler current = Signal.handle(SIGINT, previous);
        if (current != this) {
            Signal.handle(SIGINT, current);
            SignalDispatcher.replacePrevious(SIGINT.getNumber(), this, previous);
        }
    }
}

package io.jasyncio;

import java.lang.ref.Cleaner;
import java.util.Map;

/**
 * What a future leaves behind for the reports made when it is garbage-collected (SPEC 9):
 * "exception was never retrieved" for any future, "Task was destroyed but it is pending!" for a
 * task collected before it finished, and, in debug mode, "task was never awaited" for a task
 * whose outcome nobody looked at. The record must not reference its future, or the future would
 * never be collected.
 *
 * <p>A task suspended on its virtual thread is reachable from the JDK's thread registry unless
 * the JVM runs with {@code -Djdk.trackAllThreads=false}; only then can a task stuck forever be
 * collected (and reported) as in Python. Without it, such tasks are reported when their loop
 * closes.
 */
final class Diagnostics implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jasyncio-diagnostics");
        t.setDaemon(true);
        return t;
    });

    private final BaseEventLoop loop;
    private final boolean isTask;
    private final String createdAt;
    private volatile String description;
    /** The stored exception while nobody has looked at it. */
    private volatile Throwable unretrieved;
    /** Whether anyone awaited the future, added a callback, or read its outcome. */
    private volatile boolean observed;
    /** Whether the future is done (or was already reported as pending). */
    private volatile boolean finished;

    private Diagnostics(BaseEventLoop loop, boolean isTask, String description, String createdAt) {
        this.loop = loop;
        this.isTask = isTask;
        this.description = description;
        this.createdAt = createdAt;
    }

    /** Starts watching {@code future}; {@code createdAt} (debug mode) enables the never-awaited report. */
    static Diagnostics watch(Future<?> future, String createdAt) {
        Diagnostics d = new Diagnostics(future.loop, future instanceof Task<?>, future.toString(), createdAt);
        CLEANER.register(future, d);
        return d;
    }

    void exceptionStored(Throwable exception, String futureDescription) {
        description = futureDescription;
        unretrieved = exception;
    }

    void retrieved() {
        unretrieved = null;
        observed = true;
    }

    void observed() {
        observed = true;
    }

    void finished() {
        finished = true;
    }

    /** Runs on the cleaner's thread once the future is unreachable. */
    @Override
    public void run() {
        Throwable e = unretrieved;
        if (isTask && !finished) {
            report(Contexts.of(
                    "message", "Task was destroyed but it is pending!",
                    "task", description,
                    "source_traceback", createdAt));
        } else if (e != null) {
            report(Contexts.of(
                    "message", (isTask ? "Task" : "Future") + " exception was never retrieved",
                    "exception", e,
                    "future", description));
        } else if (createdAt != null && !observed) {
            report(Contexts.of(
                    "message", "Task was never awaited nor its result looked at: " + description,
                    "future", description,
                    "source_traceback", createdAt));
        }
    }

    private void report(Map<String, Object> context) {
        if (!loop.isClosed()) {
            try {
                loop.callSoonThreadsafe(() -> loop.callExceptionHandler(context));
                return;
            } catch (IllegalStateException closed) {
                // closed meanwhile: report from here
            }
        }
        loop.callExceptionHandler(context);
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final java.security.CodeSource LIBRARY = Diagnostics.class.getProtectionDomain().getCodeSource();

    /**
     * Registers {@code loop} for the "unclosed event loop" warning (asyncio's ResourceWarning):
     * logged if the loop becomes unreachable while {@code closed} is still false.
     */
    static void watchLoop(BaseEventLoop loop, java.util.concurrent.atomic.AtomicBoolean closed) {
        String description = loop.getClass().getSimpleName() + (loop.debug ? " created at" + callerSite() : "");
        CLEANER.register(loop, () -> {
            if (!closed.get()) {
                BaseEventLoop.LOG.log(System.Logger.Level.WARNING, "unclosed event loop " + description
                        + " (call close() when done with a loop)");
            }
        });
    }

    /** The first frames outside jasyncio's own code: where a task was created, for debug reports. */
    static String callerSite() {
        StringBuilder sb = new StringBuilder();
        WALKER.walk(frames -> {
            frames.filter(f -> !isLibrary(f.getDeclaringClass()))
                    .limit(8)
                    .forEach(f -> sb.append("\n\tat ").append(f));
            return null;
        });
        return sb.toString();
    }

    private static boolean isLibrary(Class<?> c) {
        java.security.CodeSource cs = c.getProtectionDomain().getCodeSource();
        return cs == LIBRARY || cs != null && LIBRARY != null && cs.getLocation().equals(LIBRARY.getLocation());
    }
}

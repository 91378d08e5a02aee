package io.jasyncio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.LinkedHashSet;
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
 *
 * <p>A short program never reaches the collection, so an exception nobody retrieved is also
 * reported when its loop closes (see {@link Unretrieved}), and then not again when collected.
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
    /** The stored exception while nobody has looked at it or reported it. */
    private volatile Throwable unretrieved;
    /** The future, weakly, for the close-time report: set with the exception. */
    private volatile WeakReference<Future<?>> future;
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

    /** {@code f}, watched by this record, failed: it joins its loop's {@link Unretrieved} set. */
    void exceptionStored(Throwable exception, Future<?> f) {
        description = f.toString();
        future = new WeakReference<>(f);
        unretrieved = exception;
        loop.unretrievedFutures.add(this);
    }

    void retrieved() {
        if (unretrieved != null) {
            unretrieved = null;
            loop.unretrievedFutures.remove(this);
        }
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
        Throwable e = takeUnretrieved();
        if (e != null) {
            loop.unretrievedFutures.remove(this);
        }
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

    /** The exception still to report, claimed once: by the close-time report or by the cleaner. */
    private Throwable takeUnretrieved() {
        return (Throwable) UNRETRIEVED.getAndSet(this, null);
    }

    private static final VarHandle UNRETRIEVED;

    static {
        try {
            UNRETRIEVED = MethodHandles.lookup().findVarHandle(Diagnostics.class, "unretrieved", Throwable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The futures of one loop whose exception nobody has retrieved yet, in the order they failed:
     * what "the loop still knows" when it closes. A future joins only when it fails (a result
     * costs nothing) and leaves when its exception is retrieved or it is collected. The set holds
     * the records, never the futures. Thread safe (the cleaner's thread removes from it).
     */
    static final class Unretrieved {
        private final LinkedHashSet<Diagnostics> records = new LinkedHashSet<>();

        synchronized void add(Diagnostics d) {
            records.add(d);
        }

        synchronized void remove(Diagnostics d) {
            records.remove(d);
        }

        /**
         * Reports each exception still unretrieved through the loop's exception handler, as
         * asyncio does when such a future is dropped; each is reported once only.
         */
        void reportAll(BaseEventLoop loop) {
            Diagnostics[] all;
            synchronized (this) {
                all = records.toArray(new Diagnostics[0]);
                records.clear();
            }
            for (Diagnostics d : all) {
                Throwable e = d.takeUnretrieved();
                if (e != null) {
                    d.observed = true; // this report covers debug mode's "never awaited" too
                    WeakReference<Future<?>> ref = d.future;
                    Object f = ref == null ? null : ref.get();
                    loop.callExceptionHandler(Contexts.of(
                            "message", (d.isTask ? "Task" : "Future") + " exception was never retrieved",
                            "exception", e,
                            "future", f != null ? f : d.description));
                }
            }
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

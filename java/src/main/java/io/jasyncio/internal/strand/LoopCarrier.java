package io.jasyncio.internal.strand;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * The scheduler of one loop's task threads, and the place their continuations run: on the loop's
 * own thread, in place, one task at a time.
 *
 * <p>A task suspends only at a jasyncio await ({@link VirtualStrand#suspend()}): the JDK hands the
 * yielded continuation back through {@link #execute}, this carrier holds it in the strand, and the
 * loop goes on. When a task's thread parks for any other reason (a JDK lock, {@code Thread.sleep},
 * {@code Object.wait}, blocking I/O), the loop does not go on: it waits on its own thread until
 * the JDK resubmits that continuation (from its timer, poller or unblocker thread) and runs it at
 * once, as asyncio's loop waits out a blocking call. So nothing else runs between two awaits.
 *
 * <p>Only one strand can be running or parked in the JDK at a time, so an {@link #execute} of a
 * task's continuation that comes from another thread is either for that strand or a resubmission
 * of a continuation already held (the JDK resubmits a yielded thread after taking its stack
 * trace), which is dropped: running it would resume a task before its awaited future is done.
 *
 * <p>A virtual thread that a task body starts (an executor of virtual threads, the JDK's own
 * I/O pollers) inherits its creator's scheduler, this carrier. It is no task: its continuations
 * run on {@link #OTHERS}, platform threads of jasyncio's own, as the JDK's scheduler would run them.
 */
final class LoopCarrier implements Executor {
    /** Runs the continuations of virtual threads started inside tasks. */
    private static final ExecutorService OTHERS = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("jasyncio-carrier-", 0).daemon().factory());

    /** The continuations of this loop's live tasks (weakly: a dropped task must stay collectable). */
    private final Set<Runnable> tasks = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    /** The strand whose continuation runs, or whose JDK park the loop waits out; else null. */
    private VirtualStrand current;
    /** The thread running {@link #current}'s continuation (the loop's, or the one closing it). */
    private Thread carrier;
    /** Set by another thread that resubmitted {@link #current} after a JDK park. */
    private volatile boolean handed;
    /** The thread waiting for {@link #handed}, or null. */
    private volatile Thread waiter;

    @Override
    public void execute(Runnable continuation) {
        VirtualStrand s = current;
        if (s != null && Thread.currentThread() == carrier
                && (s.continuation == null || s.continuation == continuation)) {
            // The JDK hands the running task's continuation back from inside our run: after a
            // start, a yield, or a park that was already unparked.
            if (s.continuation == null) {
                s.continuation = continuation;
                tasks.add(continuation);
            }
            if (s.awaiting) {
                s.captured = true;
            } else {
                s.again = true;
            }
        } else if (s != null && continuation == s.continuation) {
            handed = true;
            LockSupport.unpark(waiter);
        } else if (!tasks.contains(continuation)) {
            OTHERS.execute(continuation);
        }
    }

    /**
     * Runs {@code s} (started if {@code continuation} is null) on the calling thread until it
     * suspends at an await or ends, waiting out every other park it makes.
     */
    void run(VirtualStrand s, Runnable continuation) {
        if (current != null) {
            throw new IllegalStateException("a task was resumed while another one runs");
        }
        current = s;
        carrier = Thread.currentThread();
        if (handed) {
            handed = false;
        }
        try {
            Runnable r = continuation;
            if (r == null) {
                s.thread.start();
                r = next(s);
            }
            while (r != null) {
                r.run();
                r = next(s);
            }
        } finally {
            current = null;
            carrier = null;
        }
    }

    /** What to run next for {@code s}, or null once it has suspended at an await or ended. */
    private Runnable next(VirtualStrand s) {
        if (s.ended) {
            tasks.remove(s.continuation);
            return null;
        }
        if (s.captured) {
            return null;
        }
        if (s.again) {
            s.again = false;
            return s.continuation;
        }
        waiter = Thread.currentThread();
        while (!handed) {
            LockSupport.park(this);
        }
        handed = false;
        waiter = null;
        return s.continuation;
    }
}

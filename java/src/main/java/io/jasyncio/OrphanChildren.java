package io.jasyncio;

import io.jasyncio.internal.natives.Processes;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Child processes whose loop closed while they still ran (CPython's {@code subprocess._active}):
 * their pidfds are closed with the loop, so nothing would ever reap them and each would stay a
 * zombie until the JVM exits. They are reaped here, by pid with {@code waitid(WNOHANG)}, at the
 * next spawn of any loop and at the next close of any loop, as CPython's {@code subprocess}
 * reaps abandoned children at its next {@code Popen}: no thread and no SIGCHLD handler. A child
 * that outlives every later spawn and close stays a zombie until then or until the JVM exits.
 *
 * <p>A pid held here is still our unreaped child, so the kernel cannot give it to another
 * process; it is only ever reaped here, under the lock that also guards {@link #signal}, so a
 * signal never reaches a reused pid. (A {@code waitpid(-1)} elsewhere in the process could reap
 * it behind our back; the ECHILD that follows drops it.)
 *
 * <p>Thread safe: loops on any thread close and spawn.
 */
final class OrphanChildren {
    private static final Object LOCK = new Object();
    /** Guarded by LOCK. */
    private static final Set<Integer> PIDS = new LinkedHashSet<>();
    /** PIDS.size(), readable without the lock: spawns pay one volatile read while there is none. */
    private static volatile int count;

    private OrphanChildren() {
    }

    /** Takes over a running child of a closed loop; its pidfd is already closed. */
    static void adopt(int pid) {
        synchronized (LOCK) {
            PIDS.add(pid);
            count = PIDS.size();
        }
    }

    /** Reaps every orphan that has exited; leaves the running ones. */
    static void reapExited() {
        if (count == 0) {
            return;
        }
        synchronized (LOCK) {
            for (Iterator<Integer> it = PIDS.iterator(); it.hasNext();) {
                int pid = it.next();
                try {
                    if (Processes.reap(-1, pid) == Integer.MIN_VALUE) {
                        continue; // still running
                    }
                } catch (IOException e) {
                    // ECHILD: reaped elsewhere; nothing left to wait for
                }
                it.remove();
            }
            count = PIDS.size();
        }
    }

    /**
     * Signals an orphan that has not been reaped yet.
     *
     * @return false if {@code pid} is no orphan (any more): reaped, or never adopted
     */
    static boolean signal(int pid, int signum) throws IOException {
        synchronized (LOCK) {
            return PIDS.contains(pid) && Processes.signal(-1, pid, signum) == 0;
        }
    }

    /** Whether {@code pid} is an orphan not reaped yet. */
    static boolean holds(int pid) {
        synchronized (LOCK) {
            return PIDS.contains(pid);
        }
    }
}

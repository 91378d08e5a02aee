package io.jasyncio.internal.natives;

import java.io.IOException;

/**
 * The C library's signal numbers and the {@code sigaction} fallback (native/signal.c), for
 * signals the JDK's {@code sun.misc.Signal} cannot take: HUP, INT and TERM under {@code -Xrs},
 * and the real-time signals. A counting handler writes an eventfd at each delivery; one thread
 * blocks in {@link #await} and then {@link #take}s the counts.
 *
 * <p>{@link #install} and {@link #restore} must be serialized by the caller (jasyncio's signal
 * dispatcher does it under its lock); the other methods are thread safe.
 */
public final class Signals {

    /**
     * How many numbers {@link #numbers()} returns. Keep in sync with {@code JASYNCIO__SIGNALS} in
     * native/signal.c: 31 named signals, then SIGRTMIN, SIGRTMAX and NSIG.
     */
    public static final int TABLE_LENGTH = 34;

    static {
        NativeLibrary.ensureLoaded();
    }

    private Signals() {
    }

    /**
     * The C library's signal numbers: for HUP, INT, QUIT, ILL, TRAP, ABRT, BUS, FPE, KILL, USR1,
     * SEGV, USR2, PIPE, ALRM, TERM, STKFLT, CHLD, CONT, STOP, TSTP, TTIN, TTOU, URG, XCPU, XFSZ,
     * VTALRM, PROF, WINCH, IO, PWR, SYS in that order (-1 where the platform has no such signal),
     * then SIGRTMIN, SIGRTMAX and NSIG.
     *
     * @return a new array of {@link #TABLE_LENGTH} numbers
     * @throws UnsatisfiedLinkError if the library's table has another length (out of sync)
     */
    public static int[] numbers() {
        int[] out = new int[TABLE_LENGTH];
        int count = numbers0(out);
        if (count != TABLE_LENGTH) {
            throw new UnsatisfiedLinkError("native/signal.c exports " + count + " signal numbers, Signals.java expects "
                    + TABLE_LENGTH + ": the two lists are out of sync");
        }
        return out;
    }

    /**
     * Installs the counting handler for {@code signum}; each delivery then adds one to its count
     * and writes {@code eventFd}. Not thread safe (see the class comment).
     *
     * @param signum the signal; the C core refuses KILL, STOP, CHLD and those HotSpot uses (EINVAL)
     * @param eventFd a non-blocking eventfd ({@link Wakeup#create()}) that stays open
     * @throws IOException if {@code sigaction} refuses, or EEXIST if already installed
     */
    public static void install(int signum, int eventFd) throws IOException {
        int result = install0(signum, eventFd);
        if (result < 0) {
            throw Errors.newIOException("sigaction(" + signum + ")", result);
        }
    }

    /**
     * Puts back the disposition {@link #install} replaced. Not thread safe.
     *
     * @param signum the signal
     * @throws IOException ENOENT if the handler is not installed, or what {@code sigaction} says
     */
    public static void restore(int signum) throws IOException {
        int result = restore0(signum);
        if (result < 0) {
            throw Errors.newIOException("sigaction(" + signum + ", restore)", result);
        }
    }

    /**
     * Takes the count of deliveries of {@code signum} since the last take, and resets it.
     *
     * @param signum the signal
     * @return the count (0 when none)
     * @throws IllegalArgumentException if {@code signum} is out of range
     */
    public static int take(int signum) {
        int result = take0(signum);
        if (result < 0) {
            throw new IllegalArgumentException(Errors.message("take(signal=" + signum + ")", result));
        }
        return result;
    }

    /**
     * Blocks until {@code eventFd} is readable, then drains it. For a dedicated thread only: this
     * is the one blocking native call of jasyncio, and a loop thread never makes it.
     *
     * @param eventFd the eventfd given to {@link #install}
     * @param timeoutMillis the longest wait; negative waits without limit
     * @return the eventfd's count (at least 1), or 0 when the time ran out
     * @throws IOException if {@code eventFd} is not readable (EBADF: closed)
     */
    public static int await(int eventFd, int timeoutMillis) throws IOException {
        int result = wait0(eventFd, timeoutMillis);
        if (result < 0) {
            throw Errors.newIOException("poll(fd=" + eventFd + ")", result);
        }
        return result;
    }

    static native int numbers0(int[] out);

    static native int install0(int signum, int fd);

    static native int restore0(int signum);

    static native int take0(int signum);

    static native int wait0(int fd, int timeoutMs);
}

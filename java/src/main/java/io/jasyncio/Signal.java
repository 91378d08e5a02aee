package io.jasyncio;

import io.jasyncio.internal.signal.SignalNumbers;

/**
 * A signal of this platform: its number here and its name (Python's {@code signal.Signals}). The
 * constants are the POSIX signals every platform has; {@link #of(int)} and {@link #of(String)}
 * give any other, the real-time ones included ({@code "RTMIN+2"}). The numbers come from the C
 * library through jasyncio's native core, or from the JDK's table without it.
 *
 * <p>One instance per number: compare with {@code ==} or {@link #equals}. Immutable and thread
 * safe.
 */
public final class Signal implements Comparable<Signal> {

    /** One instance per number, made on first use. Guarded by itself. */
    private static final Signal[] BY_NUMBER = new Signal[SignalNumbers.nsig()];

    /** SIGHUP: hangup. */
    public static final Signal SIGHUP = of("HUP");
    /** SIGINT: interrupt from the keyboard (Ctrl-C). */
    public static final Signal SIGINT = of("INT");
    /** SIGQUIT: quit from the keyboard (Ctrl-\); the JVM's thread dump. */
    public static final Signal SIGQUIT = of("QUIT");
    /** SIGILL: illegal instruction; the JVM's. */
    public static final Signal SIGILL = of("ILL");
    /** SIGTRAP: trace trap. */
    public static final Signal SIGTRAP = of("TRAP");
    /** SIGABRT: abort. */
    public static final Signal SIGABRT = of("ABRT");
    /** SIGBUS: bus error; the JVM's. */
    public static final Signal SIGBUS = of("BUS");
    /** SIGFPE: arithmetic fault; the JVM's. */
    public static final Signal SIGFPE = of("FPE");
    /** SIGKILL: kill, which no process can catch. */
    public static final Signal SIGKILL = of("KILL");
    /** SIGUSR1: user-defined signal 1. */
    public static final Signal SIGUSR1 = of("USR1");
    /** SIGSEGV: invalid memory reference; the JVM's. */
    public static final Signal SIGSEGV = of("SEGV");
    /** SIGUSR2: user-defined signal 2; HotSpot's. */
    public static final Signal SIGUSR2 = of("USR2");
    /** SIGPIPE: write to a pipe without readers; the JVM ignores it. */
    public static final Signal SIGPIPE = of("PIPE");
    /** SIGALRM: {@link Signals#alarm} and {@link Signals#ITIMER_REAL}. */
    public static final Signal SIGALRM = of("ALRM");
    /** SIGTERM: termination. */
    public static final Signal SIGTERM = of("TERM");
    /** SIGCHLD: a child stopped or ended; the JDK's process handling relies on its default. */
    public static final Signal SIGCHLD = of("CHLD");
    /** SIGCONT: continue if stopped. */
    public static final Signal SIGCONT = of("CONT");
    /** SIGSTOP: stop, which no process can catch. */
    public static final Signal SIGSTOP = of("STOP");
    /** SIGTSTP: stop from the terminal (Ctrl-Z). */
    public static final Signal SIGTSTP = of("TSTP");
    /** SIGTTIN: background read from the terminal. */
    public static final Signal SIGTTIN = of("TTIN");
    /** SIGTTOU: background write to the terminal. */
    public static final Signal SIGTTOU = of("TTOU");
    /** SIGURG: urgent data on a socket. */
    public static final Signal SIGURG = of("URG");
    /** SIGXCPU: CPU time limit exceeded. */
    public static final Signal SIGXCPU = of("XCPU");
    /** SIGXFSZ: file size limit exceeded; the JVM ignores it. */
    public static final Signal SIGXFSZ = of("XFSZ");
    /** SIGVTALRM: {@link Signals#ITIMER_VIRTUAL}. */
    public static final Signal SIGVTALRM = of("VTALRM");
    /** SIGPROF: profiling timer; left to profilers in a JVM. */
    public static final Signal SIGPROF = of("PROF");
    /** SIGWINCH: the terminal's size changed. */
    public static final Signal SIGWINCH = of("WINCH");
    /** SIGIO: I/O possible. */
    public static final Signal SIGIO = of("IO");
    /** SIGSYS: bad system call. */
    public static final Signal SIGSYS = of("SYS");

    private final int number;

    private Signal(int number) {
        this.number = number;
    }

    /**
     * The signal with this number.
     *
     * @param number 1 to NSIG - 1
     * @return the signal
     * @throws IllegalArgumentException if no signal has this number here
     */
    public static Signal of(int number) {
        SignalNumbers.checkValid(number);
        synchronized (BY_NUMBER) {
            Signal signal = BY_NUMBER[number];
            if (signal == null) {
                signal = new Signal(number);
                BY_NUMBER[number] = signal;
            }
            return signal;
        }
    }

    /**
     * The signal with this name: {@code "INT"} or {@code "SIGINT"}, any case; {@code "RTMIN+2"},
     * {@code "RTMAX-1"} for the real-time ones.
     *
     * @param name the name
     * @return the signal
     * @throws IllegalArgumentException if no signal has that name here
     */
    public static Signal of(String name) {
        return of(SignalNumbers.number(name));
    }

    /**
     * This signal's number on this platform.
     *
     * @return the number
     */
    public int number() {
        return number;
    }

    /**
     * This signal's name.
     *
     * @return {@code "SIGINT"}, {@code "SIGRTMIN+2"}, or {@code "signal 32"} for one without a name
     */
    public String name() {
        return SignalNumbers.name(number);
    }

    /**
     * Orders by number.
     *
     * @param other another signal
     * @return as {@link Integer#compare}
     */
    @Override
    public int compareTo(Signal other) {
        return Integer.compare(number, other.number);
    }

    /**
     * The name and the number.
     *
     * @return {@code "SIGINT (2)"}
     */
    @Override
    public String toString() {
        return SignalNumbers.describe(number);
    }
}

package io.jasyncio.internal.signal;

import io.jasyncio.internal.natives.NativeLibrary;
import io.jasyncio.internal.natives.Signals;

import java.util.Locale;

/**
 * Signal names and numbers, and which signals a loop may handle (SPEC section 10). The numbers come
 * from the C library through native/signal.c; without the native library, from the JDK's own table
 * ({@code sun.misc.Signal}), which knows no real-time signals.
 *
 * <p>Thread safe (immutable after class initialization).
 */
public final class SignalNumbers {

    /**
     * The named signals, in the order of native/signal.c's table. Keep in sync with
     * {@code JASYNCIO__SIGNALS} there.
     */
    private static final String[] NAMES = {
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
        "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
        "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    };
    /** Other names of the same signals, as {@code kill -l} and the C headers know them. */
    private static final String[][] ALIASES = {{"IOT", "ABRT"}, {"POLL", "IO"}, {"CLD", "CHLD"}};

    /** The highest signal number Linux has, plus one: the default when C cannot be asked. */
    private static final int NSIG_DEFAULT = 65;

    /** Signal number of each of {@link #NAMES}; -1 where the platform has no such signal. */
    private static final int[] NUMBERS = new int[NAMES.length];
    /** The first real-time signal the C library leaves to applications; -1 when unknown. */
    private static final int RTMIN;
    /** The last real-time signal; -1 when unknown. */
    private static final int RTMAX;
    /** One more than the highest signal number. */
    private static final int NSIG;

    /** Per signal number: its short name ("INT"), or null. */
    private static final String[] BY_NUMBER;

    /** The signal numbers of the refusal rules, -1 where the platform lacks one. */
    private static final int SIGKILL;
    private static final int SIGSTOP;
    private static final int SIGCHLD;

    static {
        if (NativeLibrary.isAvailable()) {
            int[] table = Signals.numbers();
            System.arraycopy(table, 0, NUMBERS, 0, NAMES.length);
            RTMIN = table[NAMES.length];
            RTMAX = table[NAMES.length + 1];
            NSIG = table[NAMES.length + 2];
        } else {
            for (int i = 0; i < NAMES.length; i++) {
                NUMBERS[i] = jdkNumber(NAMES[i]);
            }
            RTMIN = -1;
            RTMAX = -1;
            NSIG = NSIG_DEFAULT;
        }
        BY_NUMBER = new String[NSIG];
        for (int i = 0; i < NAMES.length; i++) {
            if (NUMBERS[i] > 0 && NUMBERS[i] < NSIG && BY_NUMBER[NUMBERS[i]] == null) {
                BY_NUMBER[NUMBERS[i]] = NAMES[i];
            }
        }
        SIGKILL = lookup("KILL");
        SIGSTOP = lookup("STOP");
        SIGCHLD = lookup("CHLD");
    }

    private SignalNumbers() {
    }

    private static int jdkNumber(String name) {
        try {
            return new sun.misc.Signal(name).getNumber();
        } catch (IllegalArgumentException unknown) {
            return -1;
        }
    }

    private static int lookup(String shortName) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(shortName)) {
                return NUMBERS[i];
            }
        }
        return -1;
    }

    /**
     * The number of a signal given by name: {@code "INT"} or {@code "SIGINT"}, any case;
     * {@code "RTMIN+2"} and {@code "RTMAX-1"} for real-time signals.
     *
     * @param name the name
     * @return its number on this platform
     * @throws IllegalArgumentException if no signal has that name here
     */
    public static int number(String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        String upper = name.trim().toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("SIG") ? upper.substring(3) : upper;
        for (String[] alias : ALIASES) {
            if (alias[0].equals(bare)) {
                bare = alias[1];
            }
        }
        int n = lookup(bare);
        if (n > 0) {
            return n;
        }
        int rt = realTimeNumber(bare);
        if (rt > 0) {
            return rt;
        }
        throw new IllegalArgumentException("invalid signal: unknown signal name '" + name + "'");
    }

    /** "RTMIN", "RTMIN+n", "RTMAX", "RTMAX-n" within the real-time range, else -1. */
    private static int realTimeNumber(String bare) {
        if (RTMIN < 0 || !(bare.startsWith("RTMIN") || bare.startsWith("RTMAX"))) {
            return -1;
        }
        int base = bare.startsWith("RTMIN") ? RTMIN : RTMAX;
        String rest = bare.substring(5);
        int offset = 0;
        if (!rest.isEmpty()) {
            char sign = rest.charAt(0);
            if ((sign != '+' || base != RTMIN) && (sign != '-' || base != RTMAX)) {
                return -1;
            }
            try {
                offset = Integer.parseInt(rest.substring(1));
            } catch (NumberFormatException e) {
                return -1;
            }
            if (sign == '-') {
                offset = -offset;
            }
        }
        int n = base + offset;
        return n >= RTMIN && n <= RTMAX ? n : -1;
    }

    /**
     * A signal's display name.
     *
     * @param signum any number
     * @return {@code "SIGINT"}, {@code "SIGRTMIN+2"}, or {@code "signal 33"} for one without a name
     */
    public static String name(int signum) {
        String shortName = shortName(signum);
        if (shortName != null) {
            return "SIG" + shortName;
        }
        if (isRealTime(signum)) {
            return signum == RTMIN ? "SIGRTMIN" : "SIGRTMIN+" + (signum - RTMIN);
        }
        return "signal " + signum;
    }

    /**
     * A signal's name and number, for messages.
     *
     * @param signum any number
     * @return {@code "SIGINT (2)"}, or {@code "signal 33"} for one without a name
     */
    public static String describe(int signum) {
        String name = name(signum);
        return name.startsWith("SIG") ? name + " (" + signum + ")" : name;
    }

    /**
     * The name the JDK's {@code sun.misc.Signal} takes for {@code signum}.
     *
     * @param signum a valid signal number
     * @return {@code "INT"}, or null for a signal without a name (the real-time ones)
     */
    public static String shortName(int signum) {
        return signum > 0 && signum < NSIG ? BY_NUMBER[signum] : null;
    }

    /**
     * Whether {@code signum} is a real-time signal the C library leaves to applications.
     *
     * @param signum any number
     * @return true for SIGRTMIN to SIGRTMAX (never when the native library is missing)
     */
    public static boolean isRealTime(int signum) {
        return RTMIN > 0 && signum >= RTMIN && signum <= RTMAX;
    }

    /**
     * One more than the highest signal number.
     *
     * @return NSIG (65 on Linux)
     */
    public static int nsig() {
        return NSIG;
    }

    /**
     * Whether {@code signum} is a signal this platform offers applications: a named one or a
     * real-time one at or above the C library's SIGRTMIN (Python's {@code valid_signals()}, which
     * leaves out the two glibc keeps for its threads).
     *
     * @param signum any number
     * @return whether it is offered
     */
    public static boolean isOffered(int signum) {
        return shortName(signum) != null || isRealTime(signum);
    }

    /**
     * Whether {@code signum} is a signal number at all (1 to NSIG - 1), asyncio's
     * {@code valid_signals()}.
     *
     * @param signum any number
     * @return whether it is in range
     */
    public static boolean isValid(int signum) {
        return signum > 0 && signum < NSIG;
    }

    /**
     * Refuses a signal no loop may handle, saying which case it is: an invalid number, one the
     * kernel never lets a process catch (KILL, STOP), or one reserved by the JVM (QUIT, ILL, FPE,
     * SEGV, BUS, USR2, PIPE, XFSZ), by the JDK's process handling (CHLD) or by the C library.
     *
     * @param signum the signal
     * @throws IllegalArgumentException naming the case
     */
    public static void checkHandleable(int signum) {
        checkValid(signum);
        String refusal = refusal(signum);
        if (refusal != null) {
            throw new IllegalArgumentException(describe(signum) + " " + refusal);
        }
    }

    /**
     * Refuses a number that is no signal.
     *
     * @param signum the signal
     * @throws IllegalArgumentException if it is not between 1 and NSIG - 1
     */
    public static void checkValid(int signum) {
        if (!isValid(signum)) {
            throw new IllegalArgumentException("invalid signal number " + signum + ": signals are numbered 1 to "
                    + (NSIG - 1));
        }
    }

    private static String refusal(int signum) {
        if (signum == SIGKILL || signum == SIGSTOP) {
            return "cannot be caught: the kernel never lets a process handle SIGKILL or SIGSTOP";
        }
        if (signum == SIGCHLD) {
            return "is reserved: the JDK's process reaper needs SIGCHLD's default disposition "
                    + "(jasyncio watches child processes without it)";
        }
        String name = shortName(signum);
        if (name == null) {
            return isRealTime(signum) || RTMIN < 0 && signum > lookup("SYS")
                    ? null : "is reserved by the C library (its threads use it)";
        }
        return switch (name) {
            case "QUIT" -> "is reserved by the JVM: it prints a thread dump (Ctrl-\\)";
            case "ILL", "FPE", "SEGV", "BUS" -> "is reserved by the JVM: HotSpot handles it itself (implicit null "
                    + "checks, safepoints, faults on mapped files) and reports crashes with it";
            case "USR2" -> "is reserved by the JVM: HotSpot suspends and resumes threads with it";
            case "PIPE", "XFSZ" -> "is reserved by the JVM: HotSpot ignores it, so that a write to a closed pipe "
                    + "or past the file size limit fails with an IOException instead of ending the process";
            default -> null;
        };
    }
}

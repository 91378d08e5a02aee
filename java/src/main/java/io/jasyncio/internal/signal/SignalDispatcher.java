package io.jasyncio.internal.signal;

import io.jasyncio.internal.natives.NativeLibrary;
import io.jasyncio.internal.natives.Signals;
import io.jasyncio.internal.natives.Wakeup;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The process's one owner of signal handlers for event loops. Per signal it installs at most one
 * handler, the first time a loop asks, which only tells each registered loop (its {@link Target}
 * posts to the loop's queue and wakes it); when the last loop lets go, it puts back the handler
 * that was there before, so Ctrl-C again runs the JVM's shutdown hooks.
 *
 * <p>Two mechanisms, chosen per signal:
 * <ul>
 *   <li>{@code sun.misc.Signal.handle}, the default: the JVM runs the handler on a thread of its
 *       own at each delivery;</li>
 *   <li>native/signal.c's {@code sigaction} handler, for what the JDK will not deliver: every
 *       signal under {@code -Xrs} (the JDK refuses HUP, INT and TERM then, and accepts the others
 *       but has no thread to run their handlers), and the real-time signals (the JDK has no names
 *       for them). It
 *       counts deliveries and writes one process-wide eventfd, which the daemon platform thread
 *       {@value #WATCHER_NAME} waits on; that thread then tells the loops, exactly as the JVM's
 *       handler thread does. It runs while at least one such signal is handled.</li>
 * </ul>
 *
 * <p>Delivery takes no lock: the registered loops of a signal are a copy-on-write array. Adding and
 * removing are serialized by one lock, never taken on a delivery path.
 *
 * <p>Thread safe.
 */
public final class SignalDispatcher {

    /** The name of the thread that waits for the native handler's deliveries. */
    public static final String WATCHER_NAME = "jasyncio-signals";

    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    /** What a loop registers: told of each delivery, on a signal thread. */
    @FunctionalInterface
    public interface Target {
        /**
         * A delivery of {@code signum}. Runs on a JVM signal-handler thread or on
         * {@value #WATCHER_NAME}: it must only post (never block, never take a lock a loop holds).
         *
         * @param signum the signal
         */
        void signalArrived(int signum);
    }

    /** How a signal's handler is installed. */
    public enum Mechanism {
        /** {@code sun.misc.Signal.handle}. */
        JDK,
        /** native/signal.c's {@code sigaction} handler and the {@value #WATCHER_NAME} thread. */
        NATIVE
    }

    private static final Object LOCK = new Object();
    private static final Target[] NO_TARGETS = {};
    private static final Slot[] NO_SLOTS = {};

    /** The installed signals. Guarded by LOCK. */
    private static final Map<Integer, Slot> SLOTS = new HashMap<>();
    /** The signals installed natively, read by the watcher without the lock. */
    private static volatile Slot[] nativeSlots = NO_SLOTS;
    /**
     * The eventfd the native handler writes. Made on first need and never closed: a handler
     * invocation racing with its own removal must never write to a descriptor number that has
     * been reused. Guarded by LOCK.
     */
    private static int eventFd = -1;
    /** The running watcher, or null. Guarded by LOCK. */
    private static Thread watcher;
    /** The descriptor written one byte per delivery ({@link #setWakeupFd}), or -1. */
    private static volatile int wakeupFd = -1;
    /** Told of each delivery after {@link #wakeupFd} ({@link #setWakeupTarget}), or null. */
    private static volatile Target wakeupTarget;
    /** Whether {@link #xrsRefusal} was probed. Guarded by LOCK. */
    private static boolean xrsProbed;
    /** What the JDK said when refusing INT in a JVM run with {@code -Xrs}, else null. Guarded by LOCK. */
    private static IllegalArgumentException xrsRefusal;

    private SignalDispatcher() {
    }

    /** One installed signal: its handler for the JDK, its loops, and what to put back. */
    private static final class Slot implements SignalHandler {
        final int signum;
        /** Copy-on-write: replaced whole under LOCK, read without it. */
        volatile Target[] targets = NO_TARGETS;
        /** Set when installed with the JDK: the signal and the handler it replaced. */
        Signal jdkSignal;
        SignalHandler previous;

        Slot(int signum) {
            this.signum = signum;
        }

        /** The JVM calls this on a new thread at each delivery. */
        @Override
        public void handle(Signal signal) {
            deliver(1);
        }

        void deliver(int count) {
            int fd = wakeupFd;
            if (fd >= 0) {
                for (int i = 0; i < count; i++) {
                    writeWakeup(fd, signum);
                }
            }
            Target wake = wakeupTarget;
            if (wake != null) {
                for (int i = 0; i < count; i++) {
                    try {
                        wake.signalArrived(signum);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "the wakeup target failed to take " + SignalNumbers.name(signum), e);
                    }
                }
            }
            for (Target target : targets) {
                for (int i = 0; i < count; i++) {
                    try {
                        target.signalArrived(signum);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "a loop failed to take " + SignalNumbers.name(signum), e);
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "jasyncio signal dispatcher for " + SignalNumbers.name(signum);
        }
    }

    /**
     * Registers {@code target} for {@code signum}, installing the process's handler if it is the
     * first. Registering a target twice is one registration.
     *
     * @param signum the signal
     * @param target what to tell of each delivery
     * @throws IllegalArgumentException for an invalid number, KILL or STOP, a signal the JVM, the
     *         JDK or the C library reserves, or one the JVM refuses where no fallback can serve;
     *         the message says which
     * @throws IllegalStateException if the signal was ignored when the JVM started (HUP, INT or
     *         TERM under {@code nohup} or in a background job): the JVM keeps it ignored, so a
     *         handler would never run; it stays ignored
     */
    public static void add(int signum, Target target) {
        SignalNumbers.checkHandleable(signum);
        Objects.requireNonNull(target, "target");
        synchronized (LOCK) {
            Slot slot = SLOTS.get(signum);
            if (slot == null) {
                slot = new Slot(signum);
                install(slot);
                SLOTS.put(signum, slot);
            } else if (Arrays.asList(slot.targets).contains(target)) {
                return;
            }
            Target[] targets = Arrays.copyOf(slot.targets, slot.targets.length + 1);
            targets[targets.length - 1] = target;
            slot.targets = targets;
        }
    }

    /**
     * Unregisters {@code target} from {@code signum}; the last one out puts the previous handler
     * back.
     *
     * @param signum the signal
     * @param target the registered target
     * @return whether {@code target} was registered for {@code signum}
     */
    public static boolean remove(int signum, Target target) {
        synchronized (LOCK) {
            Slot slot = SLOTS.get(signum);
            if (slot == null) {
                return false;
            }
            Target[] targets = slot.targets;
            int i = Arrays.asList(targets).indexOf(target);
            if (i < 0) {
                return false;
            }
            Target[] fewer = new Target[targets.length - 1];
            System.arraycopy(targets, 0, fewer, 0, i);
            System.arraycopy(targets, i + 1, fewer, i, fewer.length - i);
            slot.targets = fewer;
            if (fewer.length == 0) {
                SLOTS.remove(signum);
                uninstall(slot);
            }
            return true;
        }
    }

    /**
     * For a handler we set aside that has since ended (the runner's Ctrl-C guard, whose run is
     * over while a loop still handles INT): what comes back with the last removal is then
     * {@code replacement}, the handler the ended one had set aside, instead of {@code stale}.
     *
     * @param signum the signal
     * @param stale the handler we replaced, which is going away
     * @param replacement the handler it had replaced
     * @return whether {@code stale} was what we would have put back
     */
    public static boolean replacePrevious(int signum, SignalHandler stale, SignalHandler replacement) {
        synchronized (LOCK) {
            Slot slot = SLOTS.get(signum);
            if (slot == null || slot.jdkSignal == null || slot.previous != stale) {
                return false;
            }
            slot.previous = replacement;
            return true;
        }
    }

    /**
     * How {@code signum}'s handler is installed, for tests and diagnostics.
     *
     * @param signum the signal
     * @return the mechanism, or null when no loop handles {@code signum}
     */
    public static Mechanism mechanism(int signum) {
        synchronized (LOCK) {
            Slot slot = SLOTS.get(signum);
            if (slot == null) {
                return null;
            }
            return slot.jdkSignal != null ? Mechanism.JDK : Mechanism.NATIVE;
        }
    }

    /**
     * Python's {@code set_wakeup_fd}: from now on each delivery of a handled signal (by a loop or
     * by {@code Signals.signal}) first writes one byte, the signal's number, to {@code fd}. The
     * write happens on the delivering thread (the JVM's signal thread or {@value #WATCHER_NAME}),
     * never inside a real signal handler; a full descriptor loses the byte (logged), as Python's
     * does.
     *
     * @param fd a non-blocking descriptor, or -1 to stop
     * @return the previous descriptor, or -1
     */
    public static int setWakeupFd(int fd) {
        synchronized (LOCK) {
            int previous = wakeupFd;
            wakeupFd = fd;
            return previous;
        }
    }

    /**
     * The loop form of {@link #setWakeupFd}: from now on each delivery of a handled signal tells
     * {@code target} (after the wakeup descriptor, before the loops), on the delivering thread.
     * Independent of {@link #setWakeupFd}: both may be set.
     *
     * @param target what to tell (it must only post, as any {@link Target}), or null to stop
     * @return the previous target, or null
     */
    public static Target setWakeupTarget(Target target) {
        synchronized (LOCK) {
            Target previous = wakeupTarget;
            wakeupTarget = target;
            return previous;
        }
    }

    private static void writeWakeup(int fd, int signum) {
        int rc = io.jasyncio.internal.natives.SignalControl.writeByte(fd, signum);
        if (rc < 0) {
            LOG.log(Level.DEBUG, () -> "wakeup fd " + fd + " not written for " + describe(signum) + ": "
                    + io.jasyncio.internal.natives.Errors.errnoName(-rc));
        }
    }

    // ---- installing and putting back; all under LOCK ----

    private static void install(Slot slot) {
        String shortName = SignalNumbers.shortName(slot.signum);
        if (shortName == null) {
            installNative(slot, " has no name the JDK knows", null);
            return;
        }
        IllegalArgumentException xrs = reducedSignalUsage();
        if (xrs != null) {
            installNative(slot, " cannot reach a Java handler in a JVM run with -Xrs", xrs);
            return;
        }
        Signal signal = new Signal(shortName);
        SignalHandler previous;
        try {
            previous = Signal.handle(signal, slot);
        } catch (IllegalArgumentException refused) {
            throw new IllegalArgumentException(describe(slot.signum) + " is reserved by the JVM, which refuses it: "
                    + refused.getMessage(), refused);
        }
        // HotSpot keeps HUP, INT and TERM ignored when they were ignored at start-up, and still
        // reports success. Asking again tells: ours is in place only if handle() returns it.
        if (previous == SignalHandler.SIG_IGN && Signal.handle(signal, slot) != slot) {
            Signal.handle(signal, SignalHandler.SIG_IGN);
            throw new IllegalStateException(describe(slot.signum) + " was ignored when this JVM started (nohup, "
                    + "or a background job of a non-interactive shell), and the JVM keeps it ignored: "
                    + "a handler would never run. It stays ignored; start the JVM without ignoring it.");
        }
        slot.jdkSignal = signal;
        slot.previous = previous;
    }

    /**
     * The handler the JDK has in place for {@code signum}, read by putting a forwarding handler in
     * for an instant (there is no other way to ask the JDK): a delivery in between reaches the
     * handler that was there when it is a Java one.
     *
     * @param signum the signal
     * @return the JDK's current handler, or null when the JDK refuses the signal (reserved, or
     *         HUP, INT and TERM under {@code -Xrs}) or knows no name for it
     */
    public static SignalHandler peekJdkHandler(int signum) {
        String shortName = SignalNumbers.shortName(signum);
        if (shortName == null) {
            return null;
        }
        synchronized (LOCK) {
            Slot slot = SLOTS.get(signum);
            if (slot != null && slot.jdkSignal != null) {
                return slot;
            }
            Signal signal = new Signal(shortName);
            SignalHandler[] previous = new SignalHandler[1];
            SignalHandler forward = s -> {
                SignalHandler p = previous[0];
                if (p != null && p != SignalHandler.SIG_DFL && p != SignalHandler.SIG_IGN) {
                    p.handle(s);
                }
            };
            try {
                previous[0] = Signal.handle(signal, forward);
            } catch (IllegalArgumentException refused) {
                return null;
            }
            SignalHandler current = Signal.handle(signal, previous[0]);
            if (current != forward) {
                Signal.handle(signal, current);
            }
            return previous[0];
        }
    }

    /**
     * Whether this JVM runs with {@code -Xrs}, as {@link #reducedSignalUsage()} found.
     *
     * @return true under {@code -Xrs}
     */
    public static boolean isReducedSignalUsage() {
        synchronized (LOCK) {
            return reducedSignalUsage() != null;
        }
    }

    /**
     * Whether this JVM runs with {@code -Xrs} (HotSpot's ReduceSignalUsage), asked once: the JDK
     * then refuses INT, HUP and TERM, and accepts any other handler but never runs it (it starts
     * no thread to deliver signals to Java), so under {@code -Xrs} every signal takes the native
     * fallback. There is no public way to ask, so this offers the JDK a handler for INT: under
     * {@code -Xrs} it refuses; otherwise what was there goes straight back. An INT arriving in
     * between reaches the handler that was there (when it is a Java one, such as the JVM's
     * shutdown), never ours.
     *
     * @return the JDK's refusal under {@code -Xrs}, else null
     */
    private static IllegalArgumentException reducedSignalUsage() {
        if (!xrsProbed) {
            xrsRefusal = probeReducedSignalUsage();
            xrsProbed = true;
        }
        return xrsRefusal;
    }

    private static IllegalArgumentException probeReducedSignalUsage() {
        Slot intSlot = SLOTS.get(SignalNumbers.number("INT"));
        if (intSlot != null && intSlot.jdkSignal != null) {
            return null; // the JDK took INT from us already
        }
        Signal signal = new Signal("INT");
        SignalHandler[] previous = new SignalHandler[1];
        SignalHandler forward = s -> {
            SignalHandler p = previous[0];
            if (p != null && p != SignalHandler.SIG_DFL && p != SignalHandler.SIG_IGN) {
                p.handle(s);
            }
        };
        try {
            previous[0] = Signal.handle(signal, forward);
        } catch (IllegalArgumentException refused) {
            return refused;
        }
        SignalHandler current = Signal.handle(signal, previous[0]);
        if (current != forward) {
            Signal.handle(signal, current); // someone set theirs meanwhile: keep it
        }
        return null;
    }

    /**
     * The fallback, for the signals the JDK cannot deliver: every one under {@code -Xrs}, and the
     * real-time signals. {@code why} says why the JDK cannot, for the refusal when the native
     * library is unavailable.
     */
    private static void installNative(Slot slot, String why, IllegalArgumentException jdkRefusal) {
        int signum = slot.signum;
        if (!NativeLibrary.isAvailable()) {
            throw new IllegalArgumentException(describe(signum) + why + ", and jasyncio's native fallback is "
                    + "unavailable: " + NativeLibrary.unavailableReason(), jdkRefusal);
        }
        try {
            if (eventFd < 0) {
                eventFd = Wakeup.create();
            }
            Signals.install(signum, eventFd);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the native handler for " + describe(signum), e);
        }
        Slot[] slots = Arrays.copyOf(nativeSlots, nativeSlots.length + 1);
        slots[slots.length - 1] = slot;
        nativeSlots = slots;
        if (watcher == null) {
            int fd = eventFd;
            watcher = Thread.ofPlatform().daemon().name(WATCHER_NAME).start(() -> watch(fd));
        }
    }

    private static void uninstall(Slot slot) {
        if (slot.jdkSignal != null) {
            SignalHandler current = Signal.handle(slot.jdkSignal, slot.previous);
            if (current != slot) {
                // Someone replaced ours meanwhile (Signal.handle directly): leave theirs.
                Signal.handle(slot.jdkSignal, current);
            }
            return;
        }
        try {
            Signals.restore(slot.signum);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot put back the handler of " + describe(slot.signum), e);
        }
        Slot[] slots = Arrays.stream(nativeSlots).filter(s -> s != slot).toArray(Slot[]::new);
        nativeSlots = slots;
        if (slots.length == 0) {
            try {
                Wakeup.signal(eventFd);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot wake " + WATCHER_NAME, e);
            }
        }
    }

    /**
     * The {@value #WATCHER_NAME} thread: waits on the eventfd, tells the loops, and ends once no
     * signal is handled natively any more (a later install starts a new one).
     */
    private static void watch(int fd) {
        while (true) {
            try {
                Signals.await(fd, -1);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.ERROR, WATCHER_NAME + " stopped: natively handled signals will not be delivered", e);
                synchronized (LOCK) {
                    watcher = null;
                }
                return;
            }
            for (Slot slot : nativeSlots) {
                int count = Signals.take(slot.signum);
                if (count > 0) {
                    slot.deliver(count);
                }
            }
            synchronized (LOCK) {
                if (nativeSlots.length == 0) {
                    watcher = null;
                    return;
                }
            }
        }
    }

    private static String describe(int signum) {
        return SignalNumbers.describe(signum);
    }
}

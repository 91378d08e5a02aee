package io.jasyncio;

import io.jasyncio.internal.natives.Errors;
import io.jasyncio.internal.natives.Itimers;
import io.jasyncio.internal.natives.NativeLibrary;
import io.jasyncio.internal.natives.SignalControl;
import io.jasyncio.internal.signal.SignalDispatcher;
import io.jasyncio.internal.signal.SignalNumbers;

import sun.misc.SignalHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

/**
 * Python's {@code signal} module, as far as a JVM allows.
 *
 * <p><b>Handlers.</b> {@link #signal} sets the process's handler for a signal and returns the
 * previous one; {@link #getsignal} reads it. A handler never runs inside a real signal handler:
 * each delivery is queued to one daemon thread, {@value #HANDLER_THREAD_NAME}, which runs the
 * handlers one at a time in the order the signals came (Python runs them in the main thread
 * between bytecodes; a JVM has no such point, so a handler that must reach another thread does
 * so explicitly: {@code mainThread.interrupt()}, {@code loop.callSoonThreadsafe}, a future). A
 * handler that throws is logged and does not stop the next one. Handlers of this class and those
 * of event loops ({@link EventLoop#addSignalHandler}) share one process-wide handler per signal:
 * each delivery reaches all of them.
 *
 * <p><b>The special handlers.</b> {@link #SIG_IGN} drops every delivery. {@link #SIG_DFL} puts
 * back what the JVM had before jasyncio took the signal: the default action for most signals,
 * and for HUP, INT and TERM the JVM's own handling (its shutdown hooks run, then it exits with
 * 128 + the signal's number), which is what {@link #getsignal} reports as {@code SIG_DFL} for
 * them. {@link #DEFAULT_INT_HANDLER} is Python's {@code default_int_handler}: an interrupt
 * ({@link KeyboardInterruptError}) out of the loop running on the main thread, or without one the
 * JVM's own handling. {@code Asyncio.run} already gives Ctrl-C that behaviour while it runs.
 *
 * <p><b>What the JVM keeps.</b> QUIT (thread dumps), ILL, FPE, SEGV and BUS (HotSpot's faults),
 * USR2 (HotSpot's thread suspension), PIPE and XFSZ (ignored so that writes fail with an
 * exception), CHLD (the JDK's process reaper), KILL and STOP (nobody's) and the C library's own
 * real-time signals are refused with an {@link IllegalArgumentException} that says which case it
 * is. A signal the JVM was started with ignored ({@code nohup}, a background job) is reported
 * with an {@link IllegalStateException} when a handler is set: the JVM keeps it ignored. Under
 * {@code -Xrs} every handler goes through jasyncio's native {@code sigaction} fallback (the JDK
 * then delivers no signal to Java).
 *
 * <p><b>Threads.</b> {@link #pthreadKill} sends to one Java platform thread (mapped to its
 * kernel thread); {@link #pthreadSigmask} and {@link #sigpending} act on the calling platform
 * thread. A virtual thread has no kernel thread of its own (it moves between carriers), so these
 * refuse it. A process-directed signal blocked in one thread goes to another that does not block
 * it: in a JVM some thread always does, so blocking a signal in one thread does not keep it from
 * the process.
 *
 * <p>Most calls need jasyncio's native library; without it they throw
 * {@link UnsupportedOperationException} with the reason. Thread safe.
 */
public final class Signals {

    /** The name of the thread that runs the handlers set with {@link #signal}. */
    public static final String HANDLER_THREAD_NAME = "jasyncio-signal-handler";

    /** {@link #setitimer}'s real-time timer: SIGALRM when it expires. */
    public static final int ITIMER_REAL = 0;
    /** The process's user CPU time timer: SIGVTALRM when it expires. */
    public static final int ITIMER_VIRTUAL = 1;
    /** The profiling timer (SIGPROF): refused, it belongs to profilers in a JVM. */
    public static final int ITIMER_PROF = 2;

    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    /**
     * A signal handler: runs on {@value #HANDLER_THREAD_NAME} once per delivery. Python's
     * {@code handler(signum, frame)}; a JVM has no frame to give.
     */
    @FunctionalInterface
    public interface Handler {
        /**
         * A delivery of {@code signal}.
         *
         * @param signal the signal
         */
        void handle(Signal signal);
    }

    /** The special handlers: compared by identity, never run directly. */
    private static final class Special implements Handler {
        private final String name;

        Special(String name) {
            this.name = name;
        }

        @Override
        public void handle(Signal signal) {
            // Never called: deliveries check for the special handlers first.
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The default action (for HUP, INT and TERM the JVM's own handling). */
    public static final Handler SIG_DFL = new Special("SIG_DFL");
    /** Ignore the signal. */
    public static final Handler SIG_IGN = new Special("SIG_IGN");
    /**
     * Python's {@code default_int_handler}: a {@link KeyboardInterruptError} thrown out of the
     * loop running on the JVM's main thread; when none runs there, the JVM's own handling
     * (shutdown hooks, then exit with 128 + the signal's number).
     */
    public static final Handler DEFAULT_INT_HANDLER = new Special("DEFAULT_INT_HANDLER");

    /** How {@link #pthreadSigmask} changes the mask. */
    public enum MaskHow {
        /** Add the set to the mask ({@code SIG_BLOCK}). */
        BLOCK(SignalControl.SIG_BLOCK),
        /** Remove the set from the mask ({@code SIG_UNBLOCK}). */
        UNBLOCK(SignalControl.SIG_UNBLOCK),
        /** The set becomes the mask ({@code SIG_SETMASK}). */
        SETMASK(SignalControl.SIG_SETMASK);

        private final int how;

        MaskHow(int how) {
            this.how = how;
        }
    }

    /**
     * An interval timer's setting (Python's {@code (delay, interval)} pair).
     *
     * @param delay the time to the next expiry; zero when disarmed
     * @param interval the period after it; zero for a one-shot timer
     */
    public record Itimer(Duration delay, Duration interval) {
        /**
         * Checks both are given.
         *
         * @param delay the time to the next expiry
         * @param interval the period after it
         */
        public Itimer {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(interval, "interval");
        }
    }

    private static final Object LOCK = new Object();
    /** The handler set per signal number; null where none was set. Written under LOCK. */
    private static final AtomicReferenceArray<Handler> HANDLERS = new AtomicReferenceArray<>(SignalNumbers.nsig());
    /** Whether the process target is registered with the dispatcher, per signal. Guarded by LOCK. */
    private static final boolean[] REGISTERED = new boolean[SignalNumbers.nsig()];
    /** What the dispatcher tells of each delivery, on a signal thread: queue it, never run it. */
    private static final SignalDispatcher.Target TARGET = Signals::enqueue;
    /** Deliveries waiting for the handler thread. */
    private static final BlockingQueue<Integer> QUEUE = new LinkedBlockingQueue<>();
    /** The handler thread, started with the first handler. Guarded by LOCK. */
    private static Thread handlerThread;

    /** Kernel ids of the platform threads that called in, for {@link #pthreadKill}. */
    private static final Map<Thread, Integer> NATIVE_IDS = Collections.synchronizedMap(new WeakHashMap<>());

    private Signals() {
    }

    // ---- names ----

    /**
     * The signals this platform offers applications (Python's {@code valid_signals()}): every
     * named signal and the real-time ones, but not the two the C library keeps for its threads.
     * Some of them cannot be handled in a JVM (see the class comment).
     *
     * @return the signals, in number order
     */
    public static Set<Signal> validSignals() {
        Set<Signal> out = new TreeSet<>();
        for (int n = 1; n < SignalNumbers.nsig(); n++) {
            if (SignalNumbers.isOffered(n)) {
                out.add(Signal.of(n));
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * The C library's description of a signal (Python's {@code strsignal}).
     *
     * @param signal the signal
     * @return {@code "Interrupt"} for SIGINT; null when the platform has no description (or
     *         without the native library)
     */
    public static String strsignal(Signal signal) {
        if (!NativeLibrary.isAvailable()) {
            return null;
        }
        return SignalControl.strsignal(signal.number());
    }

    // ---- handlers ----

    /**
     * Sets {@code signal}'s handler (Python's {@code signal.signal}).
     *
     * @param signal the signal
     * @param handler a handler, {@link #SIG_DFL}, {@link #SIG_IGN} or {@link #DEFAULT_INT_HANDLER}
     * @return the previous handler, as {@link #getsignal} would have said
     * @throws IllegalArgumentException for a signal no handler may take here: KILL, STOP, one the
     *         JVM, the JDK or the C library reserves, or one the JVM refuses where no fallback can
     *         serve; the message says which
     * @throws IllegalStateException if the signal was ignored when the JVM started: the JVM keeps
     *         it ignored, so a handler would never run (it stays ignored)
     */
    public static Handler signal(Signal signal, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        int signum = signal.number();
        SignalNumbers.checkHandleable(signum);
        recordCurrentThread();
        synchronized (LOCK) {
            Handler previous = getsignal(signal);
            if (handler == SIG_DFL) {
                if (REGISTERED[signum]) {
                    SignalDispatcher.remove(signum, TARGET);
                    REGISTERED[signum] = false;
                }
                HANDLERS.set(signum, null); // from now on getsignal says what is in place
                return previous;
            }
            if (!REGISTERED[signum]) {
                if (handler == SIG_IGN && previous == SIG_IGN) {
                    HANDLERS.set(signum, SIG_IGN); // already ignored (inherited): nothing to take
                    return previous;
                }
                startHandlerThread();
                SignalDispatcher.add(signum, TARGET);
                REGISTERED[signum] = true;
            }
            HANDLERS.set(signum, handler);
            return previous;
        }
    }

    /**
     * {@code signal}'s handler (Python's {@code signal.getsignal}).
     *
     * @param signal the signal
     * @return the handler set with {@link #signal}; where none was set, {@link #SIG_IGN} for an
     *         ignored signal, {@link #SIG_DFL} for the default action or (HUP, INT, TERM) the
     *         JVM's own handling, and null for a handler set outside this class (an event loop's,
     *         or one set through {@code sun.misc.Signal})
     */
    public static Handler getsignal(Signal signal) {
        int signum = signal.number();
        Handler set = HANDLERS.get(signum);
        if (set != null) {
            return set;
        }
        if (SignalDispatcher.mechanism(signum) != null) {
            return null;
        }
        if (NativeLibrary.isAvailable()) {
            int disposition;
            try {
                disposition = SignalControl.disposition(signum);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (disposition == SignalControl.DISPOSITION_IGNORE) {
                return SIG_IGN;
            }
            if (disposition == SignalControl.DISPOSITION_DEFAULT) {
                return SIG_DFL;
            }
        }
        SignalHandler jdk = SignalDispatcher.peekJdkHandler(signum);
        if (jdk == null) {
            return null;
        }
        if (jdk == SignalHandler.SIG_IGN) {
            return SIG_IGN;
        }
        if (jdk == SignalHandler.SIG_DFL || isJvmShutdownHandler(jdk)) {
            return SIG_DFL;
        }
        return null;
    }

    /** The JVM's own handler for HUP, INT and TERM is its Terminator's, which starts the shutdown. */
    private static boolean isJvmShutdownHandler(SignalHandler handler) {
        return String.valueOf(handler).startsWith("java.lang.Terminator");
    }

    /** On a signal thread (the JVM's, or the native fallback's watcher): queue, never block. */
    private static void enqueue(int signum) {
        QUEUE.add(signum);
    }

    private static void startHandlerThread() {
        if (handlerThread == null) {
            handlerThread = Thread.ofPlatform().daemon().name(HANDLER_THREAD_NAME).start(Signals::runHandlers);
        }
    }

    /** The {@value #HANDLER_THREAD_NAME} thread: runs each delivery's current handler, in order. */
    private static void runHandlers() {
        recordCurrentThread();
        while (true) {
            int signum;
            try {
                signum = QUEUE.take();
            } catch (InterruptedException e) {
                continue; // a daemon for the JVM's life: nobody may stop it
            }
            Handler handler = HANDLERS.get(signum);
            if (handler == null || handler == SIG_IGN || handler == SIG_DFL) {
                continue; // set back meanwhile: the delivery was for a handler no longer there
            }
            Signal signal = Signal.of(signum);
            try {
                if (handler == DEFAULT_INT_HANDLER) {
                    defaultIntHandler(signal);
                } else {
                    handler.handle(signal);
                }
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "the handler of " + signal + " threw", t);
            }
        }
    }

    private static void defaultIntHandler(Signal signal) {
        BaseEventLoop loop = Running.mainThreadLoop();
        if (loop != null && !loop.isClosed()) {
            try {
                loop.callSoonThreadsafe(() -> {
                    throw new KeyboardInterruptError();
                });
                return;
            } catch (IllegalStateException closedMeanwhile) {
                // No loop after all: the JVM's handling below.
            }
        }
        Runtime.getRuntime().exit(128 + signal.number());
    }

    /**
     * Python's {@code set_wakeup_fd}: from now on each delivery of a signal that has a handler
     * (set here or by an event loop) first writes one byte, the signal's number, to {@code fd}.
     * The write is made on the delivering thread, not in a real signal handler; a full
     * descriptor loses the byte. A loop watches such a descriptor like any other: make a
     * non-blocking socket pair, pass one end here and give the other to
     * {@link EventLoop#addReader}; or let {@link #setWakeupLoop} do all that for a loop. The two
     * are independent: with both set, each delivery writes to both.
     *
     * @param fd a non-blocking descriptor, or -1 to stop writing
     * @return the previous descriptor, or -1
     * @throws IllegalArgumentException if {@code fd} is not open, or not non-blocking
     */
    public static int setWakeupFd(int fd) {
        if (fd != -1) {
            requireNative("setWakeupFd");
            boolean nonBlocking;
            try {
                nonBlocking = SignalControl.isNonBlocking(fd);
            } catch (IOException e) {
                throw new IllegalArgumentException("invalid fd " + fd + ": " + e.getMessage(), e);
            }
            if (!nonBlocking) {
                throw new IllegalArgumentException("the fd " + fd + " must be in non-blocking mode");
            }
        }
        return SignalDispatcher.setWakeupFd(fd);
    }

    /**
     * The loop form of {@link #setWakeupFd}: from now on each delivery of a signal that has a
     * handler (set here or by any loop) writes one byte, the signal's number, to a pipe that
     * {@code loop} watches, as Python's asyncio hands its self-pipe to {@code set_wakeup_fd}. The
     * loop then wakes from its poll, reads and discards the bytes, and goes on with its iteration:
     * it runs what is ready or due, and nothing else happens because of the signal (handlers run
     * as they always do: a loop's own on the loop, those set here on
     * {@value #HANDLER_THREAD_NAME}). Works on every loop: the NIO loop's selector watches a
     * {@link java.nio.channels.Pipe} (no native code needed), the epoll loop a native pipe.
     *
     * <p>One loop at a time, independent of {@link #setWakeupFd}: setting another loop, or null,
     * returns the one set before, which stops watching its pipe and closes it. Closing the loop
     * unsets it. Any thread may call this: the watch starts (or stops) at once on the loop's
     * thread or while the loop is not running, and is posted to the loop otherwise; bytes written
     * before it starts wait in the pipe. A pipe full of bytes the loop has not read loses the
     * next ones, as Python's wakeup fd does.
     *
     * @param loop the loop to wake, or null to stop
     * @return the loop set before, or null; a loop closed since is no longer set
     * @throws IllegalStateException if {@code loop} is closed
     * @throws IllegalArgumentException if {@code loop} is not a jasyncio loop
     *         ({@link BaseEventLoop})
     * @throws UncheckedIOException if the pipe cannot be made (no descriptors left)
     */
    public static EventLoop setWakeupLoop(EventLoop loop) {
        if (loop != null && !(loop instanceof BaseEventLoop)) {
            throw new IllegalArgumentException("Signals.setWakeupLoop: " + loop.getClass().getName()
                    + " is not a jasyncio loop (BaseEventLoop); give it a descriptor with setWakeupFd(int)");
        }
        return LoopWakeups.set((BaseEventLoop) loop);
    }

    // ---- sending ----

    /**
     * Sends {@code signal} to this process (Python's {@code raise_signal}); the kernel gives it
     * to any thread that does not block it, as if it came from outside.
     *
     * @param signal the signal
     * @throws IllegalArgumentException for ILL, FPE, SEGV and BUS (HotSpot would take them for a
     *         crash), USR2 (HotSpot's suspension protocol) and the C library's own signals
     */
    public static void raiseSignal(Signal signal) {
        requireNative("raiseSignal");
        checkSendableToSelf(signal.number());
        recordCurrentThread();
        try {
            SignalControl.killSelf(signal.number());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code signal} to one platform thread of this JVM (Python's {@code pthread_kill}).
     * The thread is found by the kernel id it had when it last called into this class (any call
     * records it, {@link #currentNativeThreadId} for instance); failing that, by its name, when
     * that name is unique and no longer than the 15 characters the kernel keeps.
     *
     * @param thread a live platform thread
     * @param signal the signal
     * @throws IllegalArgumentException for a virtual thread (it has no kernel thread of its own),
     *         and for the signals {@link #raiseSignal} refuses
     * @throws IllegalStateException if the thread is not alive, or cannot be found: it never
     *         called into this class and its name does not identify it
     */
    public static void pthreadKill(Thread thread, Signal signal) {
        Objects.requireNonNull(thread, "thread");
        requireNative("pthreadKill");
        checkSendableToSelf(signal.number());
        int tid = nativeThreadId(thread);
        try {
            SignalControl.tgkill(tid, signal.number());
        } catch (IOException e) {
            throw new IllegalStateException("pthreadKill(" + thread + "): " + e.getMessage(), e);
        }
    }

    /**
     * Sends {@code signal} to the process a pidfd refers to (Python's {@code pidfd_send_signal};
     * the pidfd comes from {@code pidfd_open(2)}). Race-free where a PID is not: a pidfd never
     * refers to a reused PID.
     *
     * @param pidfd the pidfd
     * @param signal the signal
     * @throws IOException ESRCH once the process has ended, ENOSYS on a kernel before 5.1, EBADF
     *         for a descriptor that is no pidfd
     */
    public static void pidfdSendSignal(int pidfd, Signal signal) throws IOException {
        requireNative("pidfdSendSignal");
        SignalControl.pidfdSend(pidfd, signal.number(), 0);
    }

    /**
     * The kernel's id of the calling thread (Python's {@code threading.get_native_id}); it also
     * makes this thread a target {@link #pthreadKill} can find.
     *
     * @return the thread id ({@code gettid})
     * @throws IllegalStateException on a virtual thread, whose carrier changes
     */
    public static int currentNativeThreadId() {
        requireNative("currentNativeThreadId");
        Thread current = Thread.currentThread();
        if (current.isVirtual()) {
            throw new IllegalStateException(current + " is a virtual thread: it has no kernel thread of its own "
                    + "(it runs on a carrier that changes)");
        }
        return recordCurrentThread();
    }

    /** Records the calling platform thread's kernel id; returns it, or -1 where none can be had. */
    private static int recordCurrentThread() {
        Thread current = Thread.currentThread();
        if (current.isVirtual() || !NativeLibrary.isAvailable()) {
            return -1;
        }
        return NATIVE_IDS.computeIfAbsent(current, t -> SignalControl.gettid());
    }

    private static int nativeThreadId(Thread thread) {
        if (thread.isVirtual()) {
            throw new IllegalArgumentException(thread + " is a virtual thread: it has no kernel thread of its own "
                    + "(it runs on a carrier that changes), so no signal can be sent to it");
        }
        if (!thread.isAlive()) {
            throw new IllegalStateException(thread + " is not alive: no thread to send a signal to");
        }
        if (thread == Thread.currentThread()) {
            return recordCurrentThread();
        }
        Integer known = NATIVE_IDS.get(thread);
        if (known != null) {
            return known;
        }
        int byName = threadIdByName(thread);
        if (byName > 0) {
            return byName;
        }
        throw new IllegalStateException("cannot tell which kernel thread " + thread + " is: it never called into "
                + "Signals (let it call Signals.currentNativeThreadId() once) and its name does not identify it");
    }

    /**
     * HotSpot names each thread it starts after its Java name, cut to the kernel's 15 characters:
     * the one task of /proc/self/task with that name, when the name is that short and no other
     * live thread has it.
     */
    private static int threadIdByName(Thread thread) {
        String name = thread.getName();
        if (name.isEmpty() || name.length() > 15 || name.equals("java")) {
            return -1;
        }
        long sameName = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).count();
        if (sameName != 1) {
            return -1;
        }
        int found = -1;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                } catch (IOException ended) {
                    continue;
                }
                if (comm.equals(name)) {
                    if (found > 0) {
                        return -1;
                    }
                    found = Integer.parseInt(task.getFileName().toString());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return found;
    }

    private static void checkSendableToSelf(int signum) {
        SignalNumbers.checkValid(signum);
        String name = SignalNumbers.shortName(signum);
        if (name == null) {
            if (!SignalNumbers.isRealTime(signum)) {
                throw new IllegalArgumentException(SignalNumbers.describe(signum)
                        + " is reserved by the C library (its threads use it): not sent to this JVM");
            }
            return;
        }
        switch (name) {
            case "ILL", "FPE", "SEGV", "BUS" -> throw new IllegalArgumentException(SignalNumbers.describe(signum)
                    + " is reserved by the JVM: HotSpot takes it for a fault of its own and would report a crash");
            case "USR2" -> throw new IllegalArgumentException(SignalNumbers.describe(signum)
                    + " is reserved by the JVM: HotSpot suspends and resumes threads with it");
            default -> {
            }
        }
    }

    // ---- masks ----

    /**
     * Changes the calling thread's signal mask (Python's {@code pthread_sigmask}).
     *
     * @param how how the set changes the mask
     * @param signals the set
     * @return the previous mask
     * @throws IllegalArgumentException when the mask would block ILL, FPE, SEGV, BUS (a fault
     *         would then kill the process instead of reaching HotSpot) or USR2 (HotSpot's)
     * @throws IllegalStateException on a virtual thread, whose mask would be its carrier's
     */
    public static Set<Signal> pthreadSigmask(MaskHow how, Set<Signal> signals) {
        Objects.requireNonNull(how, "how");
        requireNative("pthreadSigmask");
        Thread current = Thread.currentThread();
        if (current.isVirtual()) {
            throw new IllegalStateException(current + " is a virtual thread: its signal mask would be its carrier's");
        }
        long mask = 0;
        for (Signal signal : signals) {
            int signum = signal.number();
            if (how != MaskHow.UNBLOCK) {
                checkBlockable(signum);
            }
            mask |= 1L << (signum - 1);
        }
        recordCurrentThread();
        try {
            return toSet(SignalControl.sigmask(how.how, mask));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkBlockable(int signum) {
        String name = SignalNumbers.shortName(signum);
        if (name == null) {
            return;
        }
        switch (name) {
            case "ILL", "FPE", "SEGV", "BUS" -> throw new IllegalArgumentException(SignalNumbers.describe(signum)
                    + " is reserved by the JVM: blocked, a fault would end the process instead of reaching HotSpot");
            case "USR2" -> throw new IllegalArgumentException(SignalNumbers.describe(signum)
                    + " is reserved by the JVM: HotSpot suspends and resumes threads with it");
            default -> {
            }
        }
    }

    /**
     * The signals pending for the calling thread or the process: sent while blocked (Python's
     * {@code sigpending}).
     *
     * @return the signals
     * @throws IllegalStateException on a virtual thread
     */
    public static Set<Signal> sigpending() {
        requireNative("sigpending");
        Thread current = Thread.currentThread();
        if (current.isVirtual()) {
            throw new IllegalStateException(current + " is a virtual thread: what is pending would be its carrier's");
        }
        recordCurrentThread();
        try {
            return toSet(SignalControl.sigpending());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<Signal> toSet(long mask) {
        Set<Signal> out = new TreeSet<>();
        for (int n = 1; n < SignalNumbers.nsig() && n <= 64; n++) {
            if ((mask & (1L << (n - 1))) != 0) {
                out.add(Signal.of(n));
            }
        }
        return Collections.unmodifiableSet(out);
    }

    // ---- timers ----

    /**
     * Arranges for SIGALRM in {@code seconds} (Python's {@code signal.alarm}); 0 cancels. SIGALRM's
     * default action ends the process: set a handler first.
     *
     * @param seconds the delay
     * @return the seconds left of the previous alarm, 0 if there was none
     * @throws IllegalArgumentException if {@code seconds} is negative
     */
    public static int alarm(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("alarm: seconds must not be negative, got " + seconds);
        }
        requireNative("alarm");
        return Itimers.alarm(seconds);
    }

    /**
     * Arms an interval timer (Python's {@code signal.setitimer}): first expiry after
     * {@code delay}, then every {@code interval} (zero: once); a zero {@code delay} disarms it. The
     * timers have microsecond resolution; a delay shorter than that is rounded up, never to zero.
     *
     * @param which {@link #ITIMER_REAL} (SIGALRM) or {@link #ITIMER_VIRTUAL} (SIGVTALRM)
     * @param delay the first expiry
     * @param interval the period after it
     * @return the previous setting
     * @throws ItimerException when the kernel refuses (an unknown timer, a negative time)
     * @throws IllegalArgumentException for {@link #ITIMER_PROF}: SIGPROF belongs to profilers in a
     *         JVM (JFR's CPU-time sampler, async-profiler)
     */
    public static Itimer setitimer(int which, Duration delay, Duration interval) throws ItimerException {
        checkTimer(which);
        long[] old = new long[2];
        int rc = Itimers.set(which, micros(delay), micros(interval), old);
        if (rc < 0) {
            throw new ItimerException(Errors.message("setitimer(" + timerName(which) + ")", rc));
        }
        return new Itimer(Duration.ofNanos(old[0] * 1000), Duration.ofNanos(old[1] * 1000));
    }

    /**
     * Reads an interval timer (Python's {@code signal.getitimer}).
     *
     * @param which {@link #ITIMER_REAL} or {@link #ITIMER_VIRTUAL}
     * @return its setting: zero delay when disarmed
     * @throws ItimerException when the kernel refuses (an unknown timer)
     * @throws IllegalArgumentException for {@link #ITIMER_PROF}, as {@link #setitimer} says
     */
    public static Itimer getitimer(int which) throws ItimerException {
        checkTimer(which);
        long[] current = new long[2];
        int rc = Itimers.get(which, current);
        if (rc < 0) {
            throw new ItimerException(Errors.message("getitimer(" + timerName(which) + ")", rc));
        }
        return new Itimer(Duration.ofNanos(current[0] * 1000), Duration.ofNanos(current[1] * 1000));
    }

    private static void checkTimer(int which) {
        if (which == ITIMER_PROF) {
            throw new IllegalArgumentException("ITIMER_PROF is refused: SIGPROF belongs to profilers in a JVM "
                    + "(JFR's CPU-time sampler, async-profiler), which a timer of ours would disturb");
        }
        requireNative("setitimer/getitimer");
    }

    private static String timerName(int which) {
        return switch (which) {
            case ITIMER_REAL -> "ITIMER_REAL";
            case ITIMER_VIRTUAL -> "ITIMER_VIRTUAL";
            default -> "which=" + which;
        };
    }

    /** Microseconds, rounded up; a negative duration stays negative for the kernel to refuse. */
    private static long micros(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative()) {
            return -1;
        }
        long seconds = d.getSeconds();
        long micros = (d.getNano() + 999) / 1000;
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), micros);
    }

    private static void requireNative(String call) {
        if (!NativeLibrary.isAvailable()) {
            throw new UnsupportedOperationException(call + " needs jasyncio's native library, which is unavailable: "
                    + NativeLibrary.unavailableReason());
        }
    }
}

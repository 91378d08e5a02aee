package io.jasyncio;

import io.jasyncio.internal.signal.SignalNumbers;
import io.jasyncio.internal.strand.StrandFactory;
import io.jasyncio.internal.strand.Strands;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The loop proper, independent of how I/O is multiplexed: the ready queue, the timer heap, the
 * run loop, the exception handler, debug mode and tasks. Subclasses supply the I/O part
 * ({@link #pollIo}, {@link #wakeupIo}, {@link #closeIo}).
 *
 * <p>Callbacks run in exactly one place, {@link #runOnce()}: each iteration polls for I/O, moves
 * due timers to the ready queue, then runs the callbacks that were ready when the iteration
 * started. Callbacks scheduled meanwhile wait for the next iteration.
 */
public abstract class BaseEventLoop implements EventLoop {
    static final System.Logger LOG = System.getLogger("io.jasyncio");

    /** System property that turns debug mode on for new loops ({@code true}/{@code 1}). */
    public static final String DEBUG_PROP_NAME = "jasyncio.debug";
    /** Environment variable that turns debug mode on for new loops ({@code 1}). */
    public static final String DEBUG_ENV_NAME = "JASYNCIO_DEBUG";
    /** Default slow-callback threshold in debug mode: 100 ms, as asyncio. */
    public static final Duration SLOW_CALLBACK_DURATION_DEFAULT = Duration.ofMillis(100);

    private final ArrayDeque<Handle> ready = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Handle> threadsafeQueue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final TimerHeap timers = new TimerHeap();
    private long timerSequence;
    private final Set<Task<?>> tasks = Collections.newSetFromMap(new WeakHashMap<>());
    /** Failed futures whose exception nobody retrieved yet, reported by {@link #close()}. */
    final Diagnostics.Unretrieved unretrievedFutures = new Diagnostics.Unretrieved();

    private volatile Thread thread;
    /** Held while the loop starts, and by {@link #runOrPost} while it acts on a loop not running. */
    private final Object startLock = new Object();
    private volatile boolean closed;
    /** The same as {@link #closed}, shared with the unclosed-loop report (which must not hold the loop). */
    private final AtomicBoolean closedFlag = new AtomicBoolean();
    private boolean stopping;

    boolean debug;
    private long slowCallbackNanos = SLOW_CALLBACK_DURATION_DEFAULT.toNanos();
    private ExceptionHandler exceptionHandler;
    private TaskFactory taskFactory;
    private final LoopExecutor executors = new LoopExecutor(this);
    private StrandFactory strandFactory;
    private final ShutdownHooks shutdownHooks = new ShutdownHooks(this);
    /** This loop's signal callbacks. */
    private final LoopSignalHandlers signalHandlers = new LoopSignalHandlers(this);

    private long iterations;
    private static final long LINGER_NANOS = Long.getLong("jasyncio.pipe.lingerMicros", 20) * 1000;
    private IdleStrategy idleStrategy = IdleStrategy.block();
    /** Until when the loop polls instead of blocking (0: it may block); {@link #lingerAfterData}. */
    private long lingerUntilNanos;
    /**
     * The thread of the task whose step runs now, so that {@link #checkThread()} knows it without
     * a thread-local lookup (a tenth of a streams server's Java time, measured). Loop thread only.
     */
    Thread stepThread;
    /** Zero-timeout polls left before a SPIN loop blocks. */
    private int spinsLeft;
    private Context callbackScratch;
    private volatile ClockMode clockMode = ClockMode.REAL;
    private final java.util.concurrent.atomic.AtomicLong virtualNanos = new java.util.concurrent.atomic.AtomicLong();
    private boolean timing;
    private long pollNanos;
    private long callbackNanos;

    /**
     * The machinery every loop shares; a subclass supplies the I/O part. Debug mode starts as
     * {@code -Djasyncio.debug} or {@code JASYNCIO_DEBUG} says.
     */
    protected BaseEventLoop() {
        this.debug = debugFromEnvironment();
        Diagnostics.watchLoop(this, closedFlag);
    }

    static boolean debugFromEnvironment() {
        String prop = System.getProperty(DEBUG_PROP_NAME);
        if (prop != null) {
            return prop.equals("1") || prop.equalsIgnoreCase("true");
        }
        String env = System.getenv(DEBUG_ENV_NAME);
        return env != null && !env.isEmpty() && !env.equals("0");
    }

    // ---- the I/O part, supplied by subclasses ----

    /**
     * Waits for I/O for at most {@code timeoutNanos} ({@code < 0}: no limit, {@code 0}: no wait)
     * and hands the handles of ready sources to {@link #addReady}.
     *
     * @param timeoutNanos the most to wait, in nanoseconds
     */
    protected abstract void pollIo(long timeoutNanos);

    /** Makes a current or the next {@link #pollIo} return promptly. Called from any thread. */
    protected abstract void wakeupIo();

    /**
     * Whether any file descriptor or channel is watched; when not, busy iterations skip the poll.
     *
     * @return true if some file descriptor or channel is watched (the default, for safety)
     */
    protected boolean watchesIo() {
        return true;
    }

    /** Releases the I/O resources; called once, by {@link #close()}. */
    protected abstract void closeIo();

    /**
     * Queues a handle whose source is ready; it runs in this iteration. Loop thread only.
     *
     * @param handle the handle to run
     */
    protected final void addReady(Handle handle) {
        ready.add(handle);
    }

    /** Queues a handle to run before everything already ready. Loop thread only. */
    final void addReadyFirst(Handle handle) {
        ready.addFirst(handle);
    }

    // ---- running ----

    /** Refuses to run a loop that runs already, or on a thread that runs another one. */
    private void checkRunning() {
        if (isRunning()) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (Running.loop() != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running");
        }
    }

    @Override
    public void runForever() {
        checkClosed();
        checkRunning();
        Object previous = Running.enterLoop(this);
        synchronized (startLock) {
            thread = Thread.currentThread();
        }
        // While the loop runs, its thread's current context is the callbacks' scratch context
        // (see callbackContext), so a callback's copy of its values costs a field write.
        Context previousContext = Context.swap(callbackContext(Context.snapshot()));
        try {
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            Context.swap(previousContext);
            stopping = false;
            thread = null;
            Running.leaveLoop(previous);
        }
    }

    @Override
    public <T> T runUntilComplete(Future<T> future) {
        checkClosed();
        checkRunning();
        if (future.loop != this) {
            throw new IllegalArgumentException("The future belongs to a different loop than the one given");
        }
        java.util.function.Consumer<Future<T>> stopper = f -> {
            // A KeyboardInterruptError or SystemExitError has already thrown runForever out; a
            // stop now would cut the next run short (asyncio bpo-22429).
            if (!f.cancelled() && (f.exception() instanceof KeyboardInterruptError
                    || f.exception() instanceof SystemExitError)) {
                return;
            }
            stop();
        };
        future.addDoneCallback(stopper);
        try {
            runForever();
        } catch (Throwable t) {
            if (future.done() && !future.cancelled()) {
                future.retrieved();
            }
            throw t;
        } finally {
            future.removeDoneCallback(stopper);
        }
        if (!future.done()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return future.result();
    }

    @Override
    public <T> T runUntilComplete(Coroutine<T> coroutine) {
        checkClosed();
        // Checked before the task exists: a refused run must not leave the coroutine scheduled.
        checkRunning();
        return runUntilComplete(createTask(coroutine));
    }

    @Override
    public void stop() {
        checkThread();
        stopping = true;
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (isRunning()) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (closed) {
            return;
        }
        if (debug) {
            LOG.log(System.Logger.Level.DEBUG, "Close " + this);
        }
        abandonTasks();
        unretrievedFutures.reportAll(this);
        closed = true;
        closedFlag.set(true);
        signalHandlers.removeAll();
        ready.clear();
        threadsafeQueue.clear();
        timers.clear();
        executors.close();
        closeIo();
    }

    /**
     * One iteration: poll for I/O (not waiting if callbacks are ready or the loop is stopping;
     * otherwise until the earliest timer), queue due timers behind everything already ready,
     * then run the callbacks that are ready now. This is the only place callbacks run.
     */
    final void runOnce() {
        long timeout;
        boolean jumpClock = false;
        ClockMode mode = clockMode;
        if (!ready.isEmpty() || stopping) {
            timeout = 0;
        } else if (timers.isEmpty()) {
            timeout = -1;
        } else if (mode == ClockMode.REAL) {
            timeout = Math.max(0, timers.peek().whenNanos - timeNanos());
        } else if (timers.peek().whenNanos <= timeNanos()) {
            timeout = 0;
        } else if (mode == ClockMode.AUTO) {
            timeout = 0;
            jumpClock = true;
        } else {
            timeout = -1;
        }
        if (timeout != 0 && idleStrategy.kind() != IdleStrategy.Kind.BLOCK) {
            // Idle under a spinning strategy: poll without waiting instead, for a while or for
            // ever. Posts from other threads need no wake-up then (wakeupPending stays set).
            if (idleStrategy.kind() == IdleStrategy.Kind.BUSY_SPIN) {
                timeout = 0;
            } else if (spinsLeft > 0) {
                spinsLeft--;
                timeout = 0;
            } else {
                spinsLeft = idleStrategy.spins();
            }
        }
        if (timeout != 0 && lingerUntilNanos != 0) {
            if (System.nanoTime() - lingerUntilNanos < 0) {
                timeout = 0;
            } else {
                lingerUntilNanos = 0;
            }
        }
        if (timeout != 0) {
            // About to block: from here on a cross-thread post must wake the poller. A post that
            // found the flag still set did not, so look at the queue once more after clearing it.
            // While the loop is busy the flag stays set and posts skip the wake-up system call.
            wakeupPending.set(false);
            if (!threadsafeQueue.isEmpty()) {
                timeout = 0;
            }
        }
        long t0 = timing ? System.nanoTime() : 0;
        if ((timeout != 0 || watchesIo()) && !skipBusyPoll(timeout)) {
            // A zero-timeout poll with nothing watched could only report a wake-up, and the
            // cross-thread queue is read below anyway: skip the system call.
            pollIo(timeout);
            if (BUSY_POLL_SKIP_NANOS > 0) {
                lastPollNanos = System.nanoTime();
            }
            if (timeout == 0 && !ready.isEmpty()) {
                // Work arrived: a spinning loop starts its count afresh.
                spinsLeft = idleStrategy.spins();
            }
        } else if (timeout == 0 && idleStrategy.kind() != IdleStrategy.Kind.BLOCK) {
            Thread.onSpinWait();
        }
        long t1 = timing ? System.nanoTime() : 0;
        for (Handle h; (h = threadsafeQueue.poll()) != null; ) {
            ready.add(h);
        }
        if (jumpClock && ready.isEmpty()) {
            long next = timers.peek().whenNanos;
            virtualNanos.accumulateAndGet(next, Math::max);
        }
        if (!timers.isEmpty()) {
            long now = timeNanos();
            while (!timers.isEmpty() && timers.peek().whenNanos <= now) {
                ready.add(timers.poll());
            }
        }
        iterations++;
        int ntodo = ready.size();
        if (debug) {
            for (int i = 0; i < ntodo; i++) {
                runTimed(ready.poll());
            }
        } else {
            for (int i = 0; i < ntodo; i++) {
                ready.poll().invoke();
            }
        }
        if (timing) {
            pollNanos += t1 - t0;
            callbackNanos += System.nanoTime() - t1;
        }
    }

    /**
     * A pipe read brought data: for the next 20 µs the loop polls without waiting instead of
     * blocking. A child streaming small writes refills its pipe within microseconds, and a loop
     * that sleeps at once is woken for every write (bench/RESULTS.md, "Child processes").
     * Sockets do not ask.
     */
    final void lingerAfterData() {
        if (LINGER_NANOS > 0) {
            lingerUntilNanos = (System.nanoTime() + LINGER_NANOS) | 1;
        }
    }

    /**
     * An iteration with callbacks ready polls for I/O without waiting, as asyncio's does, unless
     * the last poll was less than this long ago ({@code -Djasyncio.busyPollSkipMicros}, 50 µs by
     * default; 0 polls on every iteration). Measured with the echo harness (bench/RESULTS.md, "the
     * busy-poll experiment"): a streams server spends 6–8% less CPU per request, at the same
     * latency; I/O still waits at most that long behind a queue of callbacks that keeps refilling.
     */
    private static final long BUSY_POLL_SKIP_NANOS = Long.getLong("jasyncio.busyPollSkipMicros", 50) * 1000;
    private long lastPollNanos;

    private boolean skipBusyPoll(long timeout) {
        if (BUSY_POLL_SKIP_NANOS <= 0 || timeout != 0 || stopping || ready.isEmpty()) {
            return false;
        }
        return System.nanoTime() - lastPollNanos < BUSY_POLL_SKIP_NANOS;
    }

    @Override
    public void setIdleStrategy(IdleStrategy strategy) {
        checkThread();
        idleStrategy = java.util.Objects.requireNonNull(strategy, "strategy");
        spinsLeft = strategy.spins();
    }

    @Override
    public IdleStrategy getIdleStrategy() {
        return idleStrategy;
    }

    private void runTimed(Handle h) {
        long t0 = System.nanoTime();
        h.invoke();
        long dt = System.nanoTime() - t0;
        if (dt >= slowCallbackNanos) {
            LOG.log(System.Logger.Level.WARNING,
                    String.format("Executing %s took %.3f seconds", h, dt / 1e9));
        }
    }

    // ---- callbacks and timers ----

    @Override
    public Handle callSoon(Runnable callback) {
        return callSoon(callback, null);
    }

    @Override
    public Handle callSoon(Runnable callback, Context context) {
        checkClosed();
        checkThread();
        Handle h = new Handle(this, requireCallback(callback), Handle.contextOrSnapshot(context));
        enqueue(h);
        return h;
    }

    /**
     * The copy of scheduled values a callback runs in: one scratch context per loop, refilled for
     * each callback (callbacks never run nested on the loop's thread) and current on the loop's
     * thread while it runs, so running a callback in a copy allocates nothing and sets no
     * thread-local. A callback that needs its context afterwards takes a copy of it.
     */
    @SuppressWarnings("unchecked")
    final Context callbackContext(Object snapshot) {
        Context scratch = callbackScratch;
        if (scratch == null) {
            scratch = Context.of((java.util.Map<ContextVar<?>, Object>) snapshot);
            callbackScratch = scratch;
        } else {
            scratch.vars = (java.util.Map<ContextVar<?>, Object>) snapshot;
        }
        return scratch;
    }

    /** Queues a ready-made handle, as {@link #callSoon} does. */
    final void schedule(Handle handle) {
        checkClosed();
        checkThread();
        enqueue(handle);
    }

    /**
     * Appends {@code h} to the ready queue, behind what other threads posted before: asyncio has
     * one ready queue for both, so a post that happened before this call runs before it.
     */
    private void enqueue(Handle h) {
        if (!threadsafeQueue.isEmpty()) {
            for (Handle posted; (posted = threadsafeQueue.poll()) != null; ) {
                ready.add(posted);
            }
        }
        ready.add(h);
    }

    @Override
    public Handle callSoonThreadsafe(Runnable callback) {
        return callSoonThreadsafe(callback, null);
    }

    @Override
    public Handle callSoonThreadsafe(Runnable callback, Context context) {
        checkClosed();
        Handle h = new Handle.Threadsafe(this, requireCallback(callback),
                Handle.contextOrSnapshot(context));
        if (isInLoopThread()) {
            enqueue(h);
        } else {
            threadsafeQueue.add(h);
            wakeup();
        }
        return h;
    }

    private void wakeup() {
        if (!wakeupPending.get() && wakeupPending.compareAndSet(false, true)) {
            wakeupIo();
        }
    }

    @Override
    public TimerHandle callLater(double delaySeconds, Runnable callback) {
        return callLater(delaySeconds, callback, null);
    }

    @Override
    public TimerHandle callLater(Duration delay, Runnable callback) {
        return callLater(delay, callback, null);
    }

    @Override
    public TimerHandle callLater(double delaySeconds, Runnable callback, Context context) {
        return callAtNanos(Delays.deadline(timeNanos(), Delays.nanos(delaySeconds, "delay")), callback, context);
    }

    @Override
    public TimerHandle callLater(Duration delay, Runnable callback, Context context) {
        return callAtNanos(Delays.deadline(timeNanos(), Delays.nanos(delay, "delay")), callback, context);
    }

    @Override
    public TimerHandle callAt(double when, Runnable callback) {
        return callAt(when, callback, null);
    }

    @Override
    public TimerHandle callAt(double when, Runnable callback, Context context) {
        TimerHandle h = callAtNanos(Delays.nanos(when, "when"), callback, context);
        h.whenSeconds = when;
        return h;
    }

    /**
     * Schedules {@code callback} at {@code whenNanos} on the {@link #timeNanos()} clock;
     * {@code Long.MAX_VALUE} is never (the handle exists, but no timer is kept for it).
     *
     * @param whenNanos the deadline in nanoseconds
     * @param callback what to run
     * @return the handle, to cancel it
     */
    public TimerHandle callAtNanos(long whenNanos, Runnable callback) {
        return callAtNanos(whenNanos, callback, null);
    }

    /**
     * {@link #callAtNanos(long, Runnable)} in {@code context} (null: the current one).
     *
     * @param whenNanos the time to run it at, in nanoseconds on the {@link #timeNanos()} clock
     * @param callback what to run, on the loop's thread
     * @param context the context it runs in, or null for the current one
     * @return a handle that can cancel the timer
     */
    public TimerHandle callAtNanos(long whenNanos, Runnable callback, Context context) {
        checkClosed();
        checkThread();
        TimerHandle h = new TimerHandle(this, whenNanos, timerSequence++, requireCallback(callback),
                Handle.contextOrSnapshot(context));
        if (whenNanos != Delays.NEVER) {
            // A timer that never falls due takes no place in the heap: an auto-advancing virtual
            // clock would otherwise jump to it.
            timers.add(h);
        }
        return h;
    }

    /** Seconds to nanoseconds, rounded up so a timer never falls due early. */
    static long secondsToNanos(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("delay or time is NaN");
        }
        double nanos = Math.ceil(seconds * 1e9);
        if (nanos >= Long.MAX_VALUE / 2) {
            return Long.MAX_VALUE / 2;
        }
        if (nanos <= Long.MIN_VALUE / 2) {
            return Long.MIN_VALUE / 2;
        }
        return (long) nanos;
    }

    void timerCancelled(TimerHandle h) {
        timers.remove(h);
    }

    @Override
    public double time() {
        return timeNanos() / 1e9;
    }

    @Override
    public long timeNanos() {
        return clockMode == ClockMode.REAL ? System.nanoTime() : virtualNanos.get();
    }

    /**
     * Switches the clock timers follow. Switching to a virtual mode starts the virtual clock at
     * the current real time, so timers already scheduled keep their place. Loop thread, or before
     * the loop runs.
     *
     * @param mode the clock timers follow from now on
     */
    public final void setClockMode(ClockMode mode) {
        if (mode == null) {
            throw new NullPointerException("mode");
        }
        if (mode != ClockMode.REAL && clockMode == ClockMode.REAL) {
            virtualNanos.set(System.nanoTime());
        }
        clockMode = mode;
        wakeup();
    }

    /**
     * The clock mode in force.
     *
     * @return the current clock mode
     */
    public final ClockMode getClockMode() {
        return clockMode;
    }

    /**
     * Moves the virtual clock forward by {@code seconds}; timers that fall due run on the next
     * iteration. Thread safe.
     *
     * @param seconds how far, in seconds
     * @throws IllegalStateException on the real clock
     * @throws IllegalArgumentException for a negative, infinite or NaN amount
     */
    public final void advanceTime(double seconds) {
        if (!(seconds >= 0) || seconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("cannot move the clock back, by infinity or by NaN: " + seconds);
        }
        advanceTimeNanos(secondsToNanos(seconds));
    }

    /**
     * {@link #advanceTime(double)} by a {@link Duration}.
     *
     * @param amount how far
     * @throws IllegalStateException on the real clock
     * @throws IllegalArgumentException for a negative amount
     * @throws NullPointerException if {@code amount} is null
     */
    public final void advanceTime(Duration amount) {
        if (Delays.nanos(amount, "amount") < 0) {
            throw new IllegalArgumentException("cannot move the clock back: " + amount);
        }
        advanceTimeNanos(Delays.nanos(amount, "amount"));
    }

    private void advanceTimeNanos(long nanos) {
        if (clockMode == ClockMode.REAL) {
            throw new IllegalStateException("advanceTime needs a virtual clock (setClockMode(MANUAL or AUTO))");
        }
        virtualNanos.addAndGet(nanos);
        wakeup();
    }

    private static Runnable requireCallback(Runnable callback) {
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        return callback;
    }

    // ---- futures and tasks ----

    @Override
    public <T> Future<T> createFuture() {
        return new Future<>(this);
    }

    @Override
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null);
    }

    @Override
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return createTask(coroutine, name, null);
    }

    /** With a task factory set, the factory receives {@code context} (see {@link TaskFactory}). */
    @Override
    @SuppressWarnings("unchecked")
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context) {
        checkClosed();
        if (coroutine == null) {
            throw new NullPointerException("coroutine");
        }
        checkThread();
        if (taskFactory == null) {
            return new Task<>(this, coroutine, name, false, context);
        }
        Task<T> task = (Task<T>) taskFactory.createTask(this, coroutine, name, context);
        if (name != null) {
            task.setName(name);
        }
        return task;
    }

    @Override
    public void setTaskFactory(TaskFactory factory) {
        this.taskFactory = factory;
    }

    @Override
    public TaskFactory getTaskFactory() {
        return taskFactory;
    }

    void registerTask(Task<?> task) {
        tasks.add(task);
    }

    /** The tasks of this loop that are not done yet. */
    Set<Task<?>> pendingTasks() {
        Set<Task<?>> result = new java.util.LinkedHashSet<>();
        for (Task<?> t : tasks.toArray(new Task<?>[0])) {
            if (t != null && !t.done()) {
                result.add(t);
            }
        }
        return result;
    }

    private void abandonTasks() {
        for (Task<?> t : tasks.toArray(new Task<?>[0])) {
            if (t != null) {
                t.abandon();
            }
        }
        tasks.clear();
    }

    /**
     * The strands this loop's tasks start on, made for the thread running the loop now (a loop on
     * a virtual thread gets hand-off strands). Loop thread, at a task's first step.
     */
    StrandFactory strands() {
        StrandFactory f = strandFactory;
        if (f == null || (f.kind() == Strands.Kind.LOOP_SCHEDULED) == Thread.currentThread().isVirtual()) {
            f = Strands.newFactory();
            strandFactory = f;
        }
        return f;
    }

    // ---- signals ----

    @Override
    public void addSignalHandler(int signum, Runnable callback) {
        // The signal is checked before the loop's state, as asyncio does.
        SignalNumbers.checkHandleable(signum);
        requireCallback(callback);
        checkClosed();
        checkThread();
        signalHandlers.add(signum, callback);
    }

    @Override
    public void addSignalHandler(String signal, Runnable callback) {
        addSignalHandler(SignalNumbers.number(signal), callback);
    }

    @Override
    public boolean removeSignalHandler(int signum) {
        SignalNumbers.checkValid(signum);
        checkThread();
        return signalHandlers.remove(signum);
    }

    @Override
    public boolean removeSignalHandler(String signal) {
        return removeSignalHandler(SignalNumbers.number(signal));
    }

    // ---- executors and shutdown ----

    @Override
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> function) {
        checkClosed();
        checkThread();
        return executors.run(executor, function);
    }

    @Override
    public void setDefaultExecutor(ExecutorService executor) {
        executors.setDefault(executor);
    }

    @Override
    public Future<Void> shutdownDefaultExecutor() {
        return executors.shutdown(Delays.NEVER);
    }

    @Override
    public Future<Void> shutdownDefaultExecutor(double timeoutSeconds) {
        return executors.shutdown(Delays.nanos(timeoutSeconds, "timeout"));
    }

    @Override
    public Future<Void> shutdownDefaultExecutor(Duration timeout) {
        return executors.shutdown(Delays.nanos(timeout, "timeout"));
    }

    @Override
    public AutoCloseable addShutdownHook(Coroutine<?> hook) {
        checkClosed();
        return shutdownHooks.add(hook);
    }

    @Override
    public Future<Void> shutdownAsyncgens() {
        return shutdownHooks.runAll();
    }

    // ---- errors and debugging ----

    @Override
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    @Override
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    @Override
    public void defaultExceptionHandler(Map<String, Object> context) {
        Object message = context.getOrDefault("message", "Unhandled exception in event loop");
        Throwable exception = context.get("exception") instanceof Throwable t ? t : null;
        StringBuilder sb = new StringBuilder(String.valueOf(message));
        for (Map.Entry<String, Object> e : context.entrySet()) {
            if (!e.getKey().equals("message") && !e.getKey().equals("exception")) {
                sb.append("\n").append(e.getKey()).append(": ").append(e.getValue());
            }
        }
        LOG.log(System.Logger.Level.ERROR, sb.toString(), exception);
    }

    @Override
    public void callExceptionHandler(Map<String, Object> context) {
        ExceptionHandler handler = exceptionHandler;
        if (handler == null) {
            try {
                defaultExceptionHandler(context);
            } catch (KeyboardInterruptError | SystemExitError fatal) {
                throw fatal;
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "Exception in default exception handler", t);
            }
            return;
        }
        try {
            handler.handle(this, context);
        } catch (KeyboardInterruptError | SystemExitError fatal) {
            throw fatal;
        } catch (Throwable t) {
            try {
                defaultExceptionHandler(Contexts.of(
                        "message", "Unhandled error in exception handler",
                        "exception", t,
                        "context", context));
            } catch (Throwable again) {
                LOG.log(System.Logger.Level.ERROR,
                        "Exception in default exception handler while handling an unexpected error in custom exception handler",
                        again);
            }
        }
    }

    @Override
    public boolean getDebug() {
        return debug;
    }

    @Override
    public void setDebug(boolean enabled) {
        this.debug = enabled;
    }

    @Override
    public Duration getSlowCallbackDuration() {
        return Duration.ofNanos(slowCallbackNanos);
    }

    @Override
    public void setSlowCallbackDuration(Duration duration) {
        if (duration == null) {
            throw new NullPointerException("slow callback duration is null");
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("slow callback duration must not be negative: " + duration);
        }
        this.slowCallbackNanos = Delays.nanos(duration, "slow callback duration");
    }

    @Override
    public void setSlowCallbackDuration(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("slow callback duration must be 0 or more seconds: " + seconds);
        }
        this.slowCallbackNanos = Delays.nanos(seconds, "slow callback duration");
    }

    /**
     * Whether the calling thread is this loop's thread, or the thread of one of its tasks.
     *
     * @return true on the loop's thread or in one of its tasks
     */
    public final boolean isInLoopThread() {
        return Thread.currentThread() == thread || Running.loop() == this;
    }

    /**
     * Refuses a loop-thread-only call from another thread while the loop runs, in every mode (an
     * identity check, as Netty's {@code inEventLoop()}). Before the loop runs and after it stops,
     * any one thread may set it up.
     */
    final void checkThread() {
        Thread t = thread;
        Thread current;
        if (t != null && t != (current = Thread.currentThread()) && stepThread != current && Running.loop() != this) {
            throw new IllegalStateException("Non-thread-safe operation invoked on an event loop other than the"
                    + " current one: while a loop runs, only its own thread (and its tasks) may call this;"
                    + " from another thread use loop.callSoonThreadsafe(...) or"
                    + " Asyncio.runCoroutineThreadsafe(...)");
        }
    }

    /**
     * Runs {@code action} now if the calling thread may touch the loop's state (the loop's thread,
     * or any thread while the loop is not running, which cannot start meanwhile), else posts it
     * with {@link #callSoonThreadsafe}. How the thread-safe bridges reach a future.
     */
    final void runOrPost(Runnable action) {
        if (isInLoopThread()) {
            action.run();
            return;
        }
        synchronized (startLock) {
            if (thread == null) {
                action.run();
                return;
            }
        }
        callSoonThreadsafe(action);
    }

    final void checkClosed() {
        if (closed) {
            throw new IllegalStateException("Event loop is closed");
        }
    }

    // ---- figures, for metrics and tests ----

    /**
     * Timers scheduled and not yet run or cancelled.
     *
     * @return the number of pending timers
     */
    public final int scheduledTimerCount() {
        return timers.size();
    }

    /**
     * Callbacks ready to run on the next iteration.
     *
     * @return the number of ready callbacks
     */
    public final int readyCount() {
        return ready.size();
    }

    /**
     * Iterations of the run loop so far.
     *
     * @return the number of iterations run
     */
    public final long iterationCount() {
        return iterations;
    }

    /**
     * Measures time spent polling and running callbacks (two clock reads per iteration).
     *
     * @param enabled whether {@link #stats()} measures polling and callback time from now on
     */
    public final void setTimingEnabled(boolean enabled) {
        this.timing = enabled;
    }

    /**
     * The loop's own figures now. Loop thread (or a stopped loop).
     *
     * @return a snapshot of the loop's figures
     */
    public final LoopStats stats() {
        return new LoopStats(iterations, ready.size(), timers.size(), pendingTasks().size(), pollNanos, callbackNanos);
    }

    /** Capacity of the timer heap's array, for tests that check memory is given back. */
    final int timerHeapCapacity() {
        return timers.capacity();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[running=" + isRunning() + ", closed=" + closed
                + ", debug=" + debug + "]";
    }
}

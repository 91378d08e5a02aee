package io.jasyncio.internal.strand;

import java.util.concurrent.locks.LockSupport;

/**
 * A task body on its own virtual thread (the JDK's default scheduler) in strict hand-off with the
 * loop: {@link #resume()} lets the body run and makes the loop's thread wait until the body
 * suspends or ends; {@link #suspend()} does the reverse. One side runs at a time, as in asyncio.
 * Slower than {@link VirtualStrand}, but needs no JVM flags and works for a loop whose own thread
 * is virtual.
 *
 * <p>The cost of a hand-off is the waiting side's wake-up latency (a parked thread takes tens of
 * µs to run again), so a waiting side first spins ({@link Thread#onSpinWait()}) for at most a
 * bound before it parks, when the machine has a second core for it. An await round trip then
 * costs about 0.5 µs instead of 40–60 µs (two cores; bench/RESULTS.md, AwaitHandoffBench):
 * <ul>
 * <li>the loop's thread spins while the body it resumed runs;</li>
 * <li>a suspended body spins while it is the strand its loop's thread resumed last (it stops as
 *     soon as that thread resumes another strand), and after a spin that ended in a park it parks
 *     at once for its next 1, 2, 4, … 64 suspensions (doubling while spins keep failing, reset by
 *     one that succeeds), so a task that waits long between steps spins once in 65 suspensions
 *     at most.</li>
 * </ul>
 * Neither side spins when the loop's thread is itself a virtual thread: a spin would hold a
 * carrier thread the other side may need (with one carrier, the other side cannot run until the
 * spin runs out), and parking is a cheap switch between virtual threads there.
 * Each side unparks the other only when it parked. Spins and parks are counted per loop thread
 * ({@link HandOffStats}).
 *
 * <p>Internal switches, read once per JVM, for measurements ({@code AwaitHandoffBench}):
 * {@code -Djasyncio.handoff=spin} (the default: both sides spin), {@code loopspin} (only the loop's
 * thread spins), {@code park} (both park at once); {@code -Djasyncio.handoff.spinMicros=N} bounds
 * one spin (default {@value #DEFAULT_SPIN_MICROS}). With a single available processor both sides
 * park at once.
 */
final class HandOffStrand extends ThreadStrand {
    static final String MODE_PROP = "jasyncio.handoff";
    static final String SPIN_PROP = "jasyncio.handoff.spinMicros";
    static final long DEFAULT_SPIN_MICROS = 20;
    private static final int MAX_SKIP = 64;

    /** How long one side spins before it parks; 0 when it parks at once. */
    static final long LOOP_SPIN_NANOS;
    static final long BODY_SPIN_NANOS;
    /** The configuration, as the bench prints it. */
    static final String CONFIG;

    static {
        String mode = System.getProperty(MODE_PROP, "spin");
        long spin = Long.getLong(SPIN_PROP, DEFAULT_SPIN_MICROS) * 1000;
        boolean cores = Runtime.getRuntime().availableProcessors() > 1;
        switch (mode) {
            case "spin" -> {
                LOOP_SPIN_NANOS = cores ? spin : 0;
                BODY_SPIN_NANOS = cores ? spin : 0;
            }
            case "loopspin" -> {
                LOOP_SPIN_NANOS = cores ? spin : 0;
                BODY_SPIN_NANOS = 0;
            }
            case "park" -> {
                LOOP_SPIN_NANOS = 0;
                BODY_SPIN_NANOS = 0;
            }
            default -> throw new IllegalArgumentException(MODE_PROP + "=" + mode + ": expected spin, loopspin or park");
        }
        CONFIG = mode + " (loop spins " + LOOP_SPIN_NANOS / 1000 + " µs, body " + BODY_SPIN_NANOS / 1000 + " µs)";
    }

    /** Per loop thread: its hand-off counters, the count of resumes telling which strand it resumed last. */
    private static final ThreadLocal<Lane> LANES = ThreadLocal.withInitial(Lane::new);

    /** The calling thread's lane. */
    static Lane lane() {
        return LANES.get();
    }

    /**
     * One loop thread's hand-offs. Each counter has one writer at a time, so plain fields are race
     * free: the loop's thread writes its own, and the body it resumed writes the body-side ones
     * while it has the turn.
     */
    static final class Lane {
        /** Also read by spinning bodies: a body spins only while no other one was resumed since. */
        volatile long resumes;
        long loopSpinNanos;
        long loopParks;
        long bodySpins;
        long bodySpinNanos;
        long bodyParks;
    }

    /** True while the body has the turn. */
    private volatile boolean bodyTurn;
    /** True while the loop's thread is parked (or about to be) waiting for the turn. */
    private volatile boolean loopParked;
    /** True while the body is parked (or about to be) waiting for the turn. */
    private volatile boolean bodyParked;
    private volatile Thread loopThread;
    /** The lane of the thread that resumed the body last: written by it before the turn passes. */
    private Lane lane;
    /** The lane's resume count when it resumed this body (a strand holds no strand alive). */
    private long resumeCount;
    /**
     * Whether the sides may spin: not when the loop's thread is itself virtual, where a spin
     * would hold a carrier thread the other side may need. Written with {@link #lane}.
     */
    private boolean maySpin;
    /** Body side only: suspensions left to park at once, and the next such run's length. */
    private int skip;
    private int nextSkip = 1;

    HandOffStrand(Runnable body) {
        super(Thread.ofVirtual().name("jasyncio-task"), body);
    }

    @Override
    void bodyEnded() {
        giveTurn(false);
    }

    @Override
    public void resume() {
        Thread self = Thread.currentThread();
        Lane l = LANES.get();
        long n = l.resumes + 1;
        resumeCount = n;
        lane = l;
        loopThread = self;
        boolean platformLoop = !self.isVirtual();
        maySpin = platformLoop;
        giveTurn(true);
        // After the turn, so that this body never sees the new count without it; the body
        // resumed before stops spinning.
        l.resumes = n;
        if (!started) {
            started = true;
            thread.start();
        }
        // Wait for the body to give the turn back.
        if (bodyTurn && platformLoop && LOOP_SPIN_NANOS > 0) {
            long start = System.nanoTime();
            long now = start;
            for (int i = 1; bodyTurn && now - start < LOOP_SPIN_NANOS; i++) {
                Thread.onSpinWait();
                if ((i & 31) == 0) {
                    now = System.nanoTime();
                }
            }
            l.loopSpinNanos += System.nanoTime() - start;
        }
        if (bodyTurn) {
            l.loopParks++;
            loopParked = true;
            while (bodyTurn) {
                LockSupport.park(this);
            }
            loopParked = false;
        }
    }

    @Override
    public void suspend() {
        // Read what the loop wrote for this turn before the turn passes back to it.
        Lane l = lane;
        long n = resumeCount;
        boolean spin = maySpin && BODY_SPIN_NANOS > 0;
        giveTurn(false);
        // Wait for the loop to give the turn back.
        long spun = -1;
        if (spin) {
            if (skip > 0) {
                skip--;
            } else {
                long start = System.nanoTime();
                long now = start;
                for (int i = 1; !bodyTurn && l.resumes <= n && now - start < BODY_SPIN_NANOS; i++) {
                    Thread.onSpinWait();
                    if ((i & 31) == 0) {
                        now = System.nanoTime();
                    }
                }
                spun = System.nanoTime() - start;
            }
        }
        boolean parked = !bodyTurn;
        if (parked) {
            bodyParked = true;
            while (!bodyTurn) {
                LockSupport.park(this);
            }
            bodyParked = false;
        }
        // The body has the turn again: count on the lane of the thread that resumed it.
        if (spun >= 0) {
            l = lane;
            l.bodySpins++;
            l.bodySpinNanos += spun;
            if (parked) {
                skip = nextSkip;
                nextSkip = Math.min(nextSkip * 2, MAX_SKIP);
            } else {
                nextSkip = 1;
            }
        }
        if (parked) {
            lane.bodyParks++;
        }
        checkAbandoned();
    }

    /** Passes the turn, and wakes the side that gets it if that side parked. */
    private void giveTurn(boolean toBody) {
        bodyTurn = toBody;
        if (toBody) {
            if (bodyParked) {
                LockSupport.unpark(thread);
            }
        } else if (loopParked) {
            LockSupport.unpark(loopThread);
        }
    }
}

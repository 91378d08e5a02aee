package io.jasyncio.internal.strand;

/**
 * A task body on a virtual thread whose scheduler is the loop ({@link LoopCarrier}): resuming it
 * runs its continuation on the loop's own thread, in place, until the body awaits again.
 *
 * <p>An await is a {@link Thread#yield()} whose continuation the carrier keeps instead of
 * rescheduling; {@link #resume()} runs it. A yield that does not happen means the JVM has pinned
 * the thread to its carrier (a class initializer or a native frame is on the stack): parking
 * there would park the loop's own thread forever, so the await fails instead.
 */
final class VirtualStrand extends ThreadStrand {
    private final LoopCarrier carrier;
    /** The JDK's task that runs this thread's continuation, known once started. */
    Runnable continuation;
    /** Set by the body just before it yields at an await. */
    boolean awaiting;
    /** Set by the carrier when it holds the continuation of an await. */
    boolean captured;
    /** Set by the carrier when the continuation must run again at once (start, yield, early unpark). */
    boolean again;

    VirtualStrand(Thread.Builder.OfVirtual builder, LoopCarrier carrier, Runnable body) {
        super(builder, body);
        this.carrier = carrier;
    }

    @Override
    public void resume() {
        if (!started) {
            started = true;
            carrier.run(this, null);
        } else {
            if (!captured) {
                throw new IllegalStateException("resumed a task that is not suspended at an await");
            }
            captured = false;
            awaiting = false;
            carrier.run(this, continuation);
        }
    }

    @Override
    public void suspend() {
        awaiting = true;
        Thread.yield();
        if (awaiting) {
            awaiting = false;
            throw new IllegalStateException("await() cannot suspend this task: the JVM pins its thread to the"
                    + " loop's thread here (inside a class initializer or under a native frame); await outside"
                    + " the static initializer, or run the blocking part with Asyncio.toThread");
        }
        checkAbandoned();
    }
}

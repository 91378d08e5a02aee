package io.jasyncio.internal.strand;

import java.util.concurrent.locks.LockSupport;

/**
 * A task body on a virtual thread whose scheduler is the loop: resuming it runs its continuation
 * on the loop's own thread, in place, until the body parks again.
 */
final class VirtualStrand extends ThreadStrand {
    private volatile boolean resumed;

    VirtualStrand(Thread.Builder.OfVirtual builder, Runnable body) {
        super(builder, body);
    }

    @Override
    public void resume() {
        if (!started) {
            started = true;
            thread.start();
        } else {
            resumed = true;
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void suspend() {
        while (!resumed) {
            LockSupport.park(this);
        }
        resumed = false;
        checkAbandoned();
    }
}

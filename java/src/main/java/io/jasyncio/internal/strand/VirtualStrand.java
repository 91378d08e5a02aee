package io.jasyncio.internal.strand;

import java.util.concurrent.locks.LockSupport;

/**
 * A task body on a virtual thread whose scheduler is the loop: resuming it runs its continuation
 * on the loop's own thread, in place, until the body parks again.
 */
final class VirtualStrand implements Strand {
    private final Thread thread;
    private boolean started;
    private volatile boolean resumed;
    private volatile boolean abandoned;
    private volatile boolean ended;

    VirtualStrand(Thread.Builder.OfVirtual builder, Runnable body) {
        this.thread = builder.unstarted(() -> {
            try {
                body.run();
            } finally {
                ended = true;
            }
        });
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
        if (abandoned) {
            throw new StrandAbandonedError();
        }
    }

    @Override
    public void abandon() {
        if (started && !ended) {
            abandoned = true;
            resume();
        }
    }

    @Override
    public boolean isAlive() {
        return started && !ended;
    }

    @Override
    public StackTraceElement[] stackTrace() {
        return isAlive() ? thread.getStackTrace() : new StackTraceElement[0];
    }
}

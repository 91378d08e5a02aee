package io.jasyncio.internal.strand;

import java.util.concurrent.locks.LockSupport;

/**
 * A task body on its own virtual thread (the JDK's default scheduler) in strict hand-off with the
 * loop: {@link #resume()} lets the body run and parks the loop's thread until the body suspends or
 * ends. Slower than {@link VirtualStrand} (two thread switches per resume) but needs no JVM flags.
 */
final class HandOffStrand implements Strand {
    private final Thread thread;
    private volatile Thread loopThread;
    /** True while the body has the turn; the loop waits for it to become false. */
    private volatile boolean bodyTurn;
    private volatile boolean started;
    private volatile boolean abandoned;
    private volatile boolean ended;

    HandOffStrand(Runnable body) {
        this.thread = Thread.ofVirtual().name("jasyncio-task").unstarted(() -> {
            try {
                body.run();
            } finally {
                ended = true;
                bodyTurn = false;
                LockSupport.unpark(loopThread);
            }
        });
    }

    @Override
    public void resume() {
        loopThread = Thread.currentThread();
        bodyTurn = true;
        if (!started) {
            started = true;
            thread.start();
        } else {
            LockSupport.unpark(thread);
        }
        while (bodyTurn) {
            LockSupport.park(this);
        }
    }

    @Override
    public void suspend() {
        bodyTurn = false;
        LockSupport.unpark(loopThread);
        while (!bodyTurn) {
            LockSupport.park(this);
        }
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

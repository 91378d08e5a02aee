package io.jasyncio.internal.strand;

import java.util.concurrent.locks.LockSupport;

/**
 * A task body on its own virtual thread (the JDK's default scheduler) in strict hand-off with the
 * loop: {@link #resume()} lets the body run and parks the loop's thread until the body suspends or
 * ends. Slower than {@link VirtualStrand} (two thread switches per resume) but needs no JVM flags.
 */
final class HandOffStrand extends ThreadStrand {
    private volatile Thread loopThread;
    /** True while the body has the turn; the loop waits for it to become false. */
    private volatile boolean bodyTurn;

    HandOffStrand(Runnable body) {
        super(Thread.ofVirtual().name("jasyncio-task"), body);
    }

    @Override
    void bodyEnded() {
        bodyTurn = false;
        LockSupport.unpark(loopThread);
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
        checkAbandoned();
    }
}

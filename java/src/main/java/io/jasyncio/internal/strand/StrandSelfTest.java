package io.jasyncio.internal.strand;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * Proves that the loop-scheduled virtual thread builder works before jasyncio relies on it. Its
 * own class: the test runs on a thread of its own while {@link Strands} is still initializing,
 * and that thread must not wait for {@code Strands}.
 */
final class StrandSelfTest {
    private StrandSelfTest() {
    }

    /**
     * Runs the self-test on a platform thread of its own: the class may first be used on a virtual
     * thread, where no continuation can run.
     */
    static void run(Constructor<?> ctor) throws ReflectiveOperationException {
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofPlatform().name("jasyncio-strand-self-test").daemon().start(() -> {
            try {
                onThisThread(ctor);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("self-test interrupted", e);
        }
        if (failure[0] instanceof ReflectiveOperationException e) {
            throw e;
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
    }

    /** Runs a virtual thread on an inline scheduler through one park and unpark. */
    private static void onThisThread(Constructor<?> ctor) throws ReflectiveOperationException {
        int[] steps = new int[1];
        Executor inline = Runnable::run;
        Thread.Builder.OfVirtual builder = (Thread.Builder.OfVirtual) ctor.newInstance(inline);
        Thread t = builder.unstarted(() -> {
            steps[0] = 1;
            LockSupport.park();
            steps[0] = 2;
        });
        t.start();
        if (steps[0] != 1) {
            throw new IllegalStateException("self-test: the virtual thread did not run on start");
        }
        LockSupport.unpark(t);
        if (steps[0] != 2 || t.isAlive() && t.getState() != Thread.State.TERMINATED) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (steps[0] != 2) {
            throw new IllegalStateException("self-test: the virtual thread did not resume on unpark");
        }
    }
}

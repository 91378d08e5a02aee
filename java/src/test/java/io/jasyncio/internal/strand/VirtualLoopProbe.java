package io.jasyncio.internal.strand;

import io.jasyncio.Asyncio;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs jasyncio for the first time on a virtual thread, in a JVM started by
 * {@link VirtualLoopFirstTest}: the mechanism chosen must not depend on that thread.
 */
public final class VirtualLoopProbe {
    private VirtualLoopProbe() {
    }

    /**
     * Prints what a loop on a virtual thread computed, then the JVM's mechanism.
     *
     * @param args unused
     * @throws InterruptedException if interrupted while joining
     */
    public static void main(String[] args) throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.set(Asyncio.run(() -> {
                    var child = Asyncio.createTask(() -> Asyncio.sleep(0.001, 40).await());
                    return child.await() + 2;
                }));
            } catch (Throwable t) {
                result.set(t);
            }
        }).join();
        System.out.println(result.get() + " " + Strands.kind());
    }
}

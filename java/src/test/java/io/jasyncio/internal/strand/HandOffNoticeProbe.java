package io.jasyncio.internal.strand;

import io.jasyncio.Asyncio;

/** Runs one task in a JVM started by {@link HandOffNoticeTest}, so that the strand mechanism is chosen. */
public final class HandOffNoticeProbe {
    private HandOffNoticeProbe() {
    }

    /**
     * Prints the outcome of one task and the mechanism it ran on.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        System.out.println(Asyncio.run(() -> "ran on " + Strands.kind()));
    }
}

package io.jasyncio.internal.net;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Native addresses of direct buffers, remembered for the last two buffers seen. Asking the JDK
 * ({@code MemorySegment.ofBuffer(b).address()}) costs more than the system call it feeds (a third
 * of an echo server's Java time, measured with bench/profile-echo.sh), while a transport reads
 * into and writes from the same two buffers (the loop's read buffer and its view) over and over.
 * A direct buffer's memory never moves, so its base address is known for good.
 *
 * <p>Not thread safe: one per socket, used by its loop.
 */
final class DirectAddresses {
    private ByteBuffer first;
    private ByteBuffer second;
    private long firstBase;
    private long secondBase;
    private boolean replaceFirst = true;

    /**
     * The address of {@code buffer}'s position.
     *
     * @param buffer a direct buffer
     * @return its native address at its position
     */
    long at(ByteBuffer buffer) {
        if (buffer == first) {
            return firstBase + buffer.position();
        }
        if (buffer == second) {
            return secondBase + buffer.position();
        }
        // ofBuffer starts at the position: the base is that less the position.
        long base = MemorySegment.ofBuffer(buffer).address() - buffer.position();
        if (replaceFirst) {
            first = buffer;
            firstBase = base;
        } else {
            second = buffer;
            secondBase = base;
        }
        replaceFirst = !replaceFirst;
        return base + buffer.position();
    }
}

package io.jasyncio;

import java.util.ArrayDeque;
import java.util.Collections;

/**
 * A {@link Queue} that hands out the most recently added item first (asyncio's {@code LifoQueue}):
 * a stack. Everything else, including waiting, cancellation and shutdown, is as in {@link Queue}.
 *
 * <p>Not thread safe: use it on its loop's thread only.
 *
 * @param <T> the item type
 */
public final class LifoQueue<T> extends Queue<T> {
    /** An unbounded stack. */
    public LifoQueue() {
        this(0);
    }

    /**
     * A stack of at most {@code maxsize} items.
     *
     * @param maxsize the most items the stack holds; {@code <= 0}: unbounded
     */
    public LifoQueue(int maxsize) {
        super(maxsize, Collections.asLifoQueue(new ArrayDeque<>()));
    }
}

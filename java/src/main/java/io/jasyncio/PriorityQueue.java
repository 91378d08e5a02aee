package io.jasyncio;

import java.util.Comparator;

/**
 * A {@link Queue} that hands out its smallest item first (asyncio's {@code PriorityQueue}), by
 * natural order or by a {@link Comparator}. Items that compare equal come out in no particular
 * order; make the key unique (a sequence number as tie-breaker) if the order matters. Everything
 * else, including waiting, cancellation and shutdown, is as in {@link Queue}.
 *
 * <p>Not the same class as {@link java.util.PriorityQueue}. Not thread safe: use it on its loop's
 * thread only.
 *
 * @param <T> the item type
 */
public final class PriorityQueue<T> extends Queue<T> {
    /**
     * An unbounded queue in natural order: items must be {@link Comparable}, or adding one throws
     * {@link ClassCastException}.
     */
    public PriorityQueue() {
        this(0, null);
    }

    /**
     * A queue of at most {@code maxsize} items ({@code <= 0}: unbounded) in natural order: items
     * must be {@link Comparable}, or adding one throws {@link ClassCastException}.
     *
     * @param maxsize the most items the queue holds; {@code <= 0}: unbounded
     */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /**
     * A queue of at most {@code maxsize} items ({@code <= 0}: unbounded) ordered by
     * {@code comparator}, smallest first; null means natural order.
     *
     * @param maxsize    the most items the queue holds; {@code <= 0}: unbounded
     * @param comparator the order, or null for the items' natural order
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize, new java.util.PriorityQueue<>(comparator));
    }
}

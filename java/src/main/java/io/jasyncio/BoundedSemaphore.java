package io.jasyncio;

/**
 * A {@link Semaphore} that refuses to be released above its initial value (asyncio's
 * {@code BoundedSemaphore}), which catches a release without a matching acquire.
 *
 * <p>Not thread safe: use it on its loop's thread only.
 */
public final class BoundedSemaphore extends Semaphore {
    private final int bound;

    /** A bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * A bounded semaphore with {@code value} permits, which is also the most it can ever hold.
     *
     * @param value the number of permits, at least 0
     * @throws IllegalArgumentException if {@code value < 0}
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /**
     * Gives a permit back, as {@link Semaphore#release()}.
     *
     * @throws IllegalStateException if that would raise the count above the initial value
     *                               ("BoundedSemaphore released too many times")
     */
    @Override
    public void release() {
        if (value >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times");
        }
        super.release();
    }
}

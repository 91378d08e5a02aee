package io.jasyncio;

/**
 * A {@link Lock}, {@link Condition} or {@link Semaphore} acquired by its {@code hold()} method, for
 * try-with-resources (asyncio's {@code async with lock:}):
 *
 * <pre>{@code
 * try (Held held = lock.hold()) {
 *     ...   // the lock is held here
 * }         // and released here, however the block ends
 * }</pre>
 *
 * Not thread safe: close it on the loop's thread, as the primitive it came from.
 */
public interface Held extends AutoCloseable {
    /**
     * Releases what was acquired. Only the first call releases; later calls do nothing, so a
     * {@code Held} never releases a hold that someone else has since taken.
     *
     * @throws IllegalStateException if the primitive was already released by other means and
     *                               refuses a second release (a {@link Lock} that is not locked, a
     *                               {@link BoundedSemaphore} at its initial value)
     */
    @Override
    void close();
}

package io.jasyncio;

/** The reading side of a transport (asyncio's {@code ReadTransport}). */
public interface ReadTransport extends BaseTransport {

    /** Stops calling the protocol with data until {@link #resumeReading()}. Idempotent. */
    void pauseReading();

    /** Calls the protocol with data again. Idempotent. */
    void resumeReading();

    /**
     * Whether data is being delivered.
     *
     * @return false while paused or closing
     */
    boolean isReading();
}

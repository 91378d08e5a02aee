package io.jasyncio;

/**
 * What every protocol receives from its transport (asyncio's {@code BaseProtocol}): the end of
 * the connection and the write flow-control signals. Every method runs on the loop's thread and
 * does nothing by default.
 *
 * <p>The protocol kinds add the start of the connection and the data: {@link Protocol},
 * {@link BufferedProtocol}, {@link DatagramProtocol}.
 */
public interface BaseProtocol {

    /**
     * The connection is gone: closed, aborted, or lost. Called once, as the last call.
     *
     * @param exc null for a regular end (end of stream, or {@code close()}); else what ended it
     *        (a reset is a {@link java.net.SocketException})
     */
    default void connectionLost(Throwable exc) {
    }

    /** The transport's write buffer went over its high-water mark: stop writing for now. */
    default void pauseWriting() {
    }

    /** The transport's write buffer drained to its low-water mark: writing may go on. */
    default void resumeWriting() {
    }
}

package io.jasyncio;

import java.nio.ByteBuffer;

/**
 * The protocol of a child process (asyncio's {@code SubprocessProtocol}), made by
 * {@link EventLoop#subprocessExec} and {@link EventLoop#subprocessShell}. Every method has an
 * empty default. The order: {@link #connectionMade}, then any number of
 * {@link #pipeDataReceived} and {@link #pipeConnectionLost}, {@link #processExited} once, and
 * {@link #connectionLost} once the child has exited and every pipe is closed.
 *
 * <p>Not thread safe: called on the loop's thread.
 */
public interface SubprocessProtocol extends BaseProtocol {

    /**
     * The child was started and its pipes are connected.
     *
     * @param transport the child's transport
     */
    default void connectionMade(SubprocessTransport transport) {
    }

    /**
     * The child wrote to its stdout (fd 1) or stderr (fd 2).
     *
     * @param fd 1 or 2
     * @param data the bytes, valid only during the call (copy what you keep)
     */
    default void pipeDataReceived(int fd, ByteBuffer data) {
    }

    /**
     * One of the child's pipes closed.
     *
     * @param fd 0, 1 or 2
     * @param exc the error that closed it, or null at end of stream or after a close
     */
    default void pipeConnectionLost(int fd, Throwable exc) {
    }

    /** The child exited; {@link SubprocessTransport#getReturncode()} has its code. */
    default void processExited() {
    }
}

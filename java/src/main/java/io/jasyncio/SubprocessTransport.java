package io.jasyncio;

/**
 * A child process as a transport (asyncio's {@code SubprocessTransport}). Closing it closes the
 * pipes and kills a child that still runs (then reaps it: no zombie is left behind).
 *
 * <p>Not thread safe: use it on its loop's thread.
 */
public interface SubprocessTransport extends BaseTransport {

    /** {@return the child's process id} */
    long getPid();

    /**
     * The transport of one of the child's pipes.
     *
     * @param fd 0 (stdin, a write transport), 1 (stdout) or 2 (stderr, read transports)
     * @return the pipe's transport, or null if that stream is not a {@link Stdio#PIPE}
     */
    Transport getPipeTransport(int fd);

    /** {@return the child's return code: its exit status, -N if signal N killed it, null while it runs} */
    Integer getReturncode();

    /**
     * Sends a signal to the child (through its pidfd where the kernel has one, so a reused pid is
     * never hit).
     *
     * @param signum the signal number
     * @throws ProcessLookupException if the child has exited
     */
    void sendSignal(int signum) throws ProcessLookupException;

    /**
     * Sends SIGTERM.
     *
     * @throws ProcessLookupException if the child has exited
     */
    void terminate() throws ProcessLookupException;

    /**
     * Sends SIGKILL.
     *
     * @throws ProcessLookupException if the child has exited
     */
    void kill() throws ProcessLookupException;
}

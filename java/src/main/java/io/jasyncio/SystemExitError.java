package io.jasyncio;

/**
 * A request to leave the program (Python's {@code SystemExit}). An {@link Error}, so
 * {@code catch (Exception e)} does not swallow it; tasks and the loop let it through unwrapped.
 */
public class SystemExitError extends Error {
    private static final long serialVersionUID = 1L;
    /**
     * The exit status asked for.
     */
    private final int status;

    /**
     * A request to exit with {@code status}.
     *
     * @param status the exit status asked for
     */
    public SystemExitError(int status) {
        super("exit status " + status);
        this.status = status;
    }

    /**
     * The exit status asked for.
     *
     * @return the status
     */
    public int status() {
        return status;
    }
}

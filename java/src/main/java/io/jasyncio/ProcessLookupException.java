package io.jasyncio;

import java.io.IOException;

/**
 * No such process (asyncio's {@code ProcessLookupError}, errno ESRCH): a signal sent to a child
 * that has exited already.
 */
public class ProcessLookupException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message.
     *
     * @param message what was looked up
     */
    public ProcessLookupException(String message) {
        super(message);
    }
}

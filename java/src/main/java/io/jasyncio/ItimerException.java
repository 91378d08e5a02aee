package io.jasyncio;

import java.io.IOException;

/**
 * Python's {@code signal.ItimerError}: {@link Signals#setitimer} or {@link Signals#getitimer}
 * failed (an unknown timer, a negative time). The message names the call and the errno.
 */
public final class ItimerException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An interval timer failure.
     *
     * @param message the call and the errno
     */
    public ItimerException(String message) {
        super(message);
    }
}

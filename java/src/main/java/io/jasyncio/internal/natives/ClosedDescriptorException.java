package io.jasyncio.internal.natives;

import java.io.Serial;
import java.nio.channels.ClosedChannelException;

/**
 * A system call was given a descriptor that is not open (EBADF): the usual sign of a use after
 * close. It is a {@link ClosedChannelException}, so code that handles closed channels handles it,
 * and unlike that class it has a message naming the call and the errno, for example
 * {@code "read(fd=7): EBADF (Bad file descriptor)"}.
 */
public final class ClosedDescriptorException extends ClosedChannelException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String message;

    /**
     * Creates the exception.
     *
     * @param message names the call and the errno
     */
    public ClosedDescriptorException(String message) {
        this.message = message;
    }

    @Override
    public String getMessage() {
        return message;
    }
}

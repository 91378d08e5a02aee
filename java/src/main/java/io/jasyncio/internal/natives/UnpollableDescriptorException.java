package io.jasyncio.internal.natives;

import java.io.IOException;

/**
 * {@code epoll_ctl} refused a descriptor with EPERM: its file cannot be polled (a regular file,
 * {@code /dev/zero}), which {@code poll(2)} would report as always ready instead.
 */
public final class UnpollableDescriptorException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message names the call and the errno
     */
    public UnpollableDescriptorException(String message) {
        super(message);
    }
}

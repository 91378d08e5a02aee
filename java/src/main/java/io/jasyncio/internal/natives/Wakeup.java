package io.jasyncio.internal.natives;

import java.io.IOException;

/**
 * The loop's wake-up eventfd (native/wakeup.c): any thread signals it, the loop's poller watches
 * it and drains it after waking. Both calls are non-blocking.
 *
 * <p>Thread safe (the kernel serializes the eventfd counter).
 */
public final class Wakeup {

    static {
        NativeLibrary.ensureLoaded();
    }

    private Wakeup() {
    }

    /**
     * Creates a non-blocking, close-on-exec eventfd with a zero counter. Close it with
     * {@link Sockets#close(int)}.
     *
     * @return the descriptor
     * @throws IOException if the kernel refuses (EMFILE, for example)
     */
    public static int create() throws IOException {
        int fd = create0();
        if (fd < 0) {
            throw Errors.newIOException("eventfd()", fd);
        }
        return fd;
    }

    /**
     * Makes the eventfd readable. A counter already at its maximum (EAGAIN) means it is readable
     * already, which is success.
     *
     * @param fd the eventfd
     * @throws IOException if {@code fd} is not an open eventfd (EBADF is a
     *         {@link ClosedDescriptorException})
     */
    public static void signal(int fd) throws IOException {
        int result = signal0(fd);
        if (result < 0) {
            throw Errors.newIOException("eventfd_write(fd=" + fd + ")", result);
        }
    }

    /**
     * Resets the counter.
     *
     * @param fd the eventfd
     * @return how many signals were pending (at most {@link Integer#MAX_VALUE}); 0 when none
     * @throws IOException if {@code fd} is not an open eventfd
     */
    public static int drain(int fd) throws IOException {
        int result = drain0(fd);
        if (result < 0) {
            throw Errors.newIOException("eventfd_read(fd=" + fd + ")", result);
        }
        return result;
    }

    static native int create0();

    static native int signal0(int fd);

    static native int drain0(int fd);
}

package io.jasyncio.internal.natives;

import java.io.IOException;

/**
 * epoll (native/epoll.c). The layout of {@code struct epoll_event} and the kernel's constants
 * come from the C library, read once; nothing is hard-coded here. Callers keep an array of
 * events in native memory ({@link #EVENT_SIZE} bytes each, the 32-bit event mask at
 * {@link #EVENTS_OFFSET} and the 64-bit data word at {@link #DATA_OFFSET}, both possibly
 * unaligned) and pass its address to {@link #wait(int, long, int, long)}.
 *
 * <p>Thread safe (each call is one system call).
 */
public final class Epoll {

    /** {@code sizeof(struct epoll_event)}: 12 on x86_64 (packed), 16 elsewhere. */
    public static final int EVENT_SIZE;
    /** {@code offsetof(struct epoll_event, events)}. */
    public static final int EVENTS_OFFSET;
    /** {@code offsetof(struct epoll_event, data)}. */
    public static final int DATA_OFFSET;
    /** Readable (or end of stream). */
    public static final int EPOLLIN;
    /** Writable. */
    public static final int EPOLLOUT;
    /** The peer shut down its writing side (stream sockets). */
    public static final int EPOLLRDHUP;
    /** An error is pending; always reported, never needs to be asked for. */
    public static final int EPOLLERR;
    /** Hung up; always reported, never needs to be asked for. */
    public static final int EPOLLHUP;
    /** Edge-triggered registration. */
    public static final int EPOLLET;
    /** One event, then the registration is disabled until modified. */
    public static final int EPOLLONESHOT;
    /** {@link #ctl}: add a registration. */
    public static final int EPOLL_CTL_ADD;
    /** {@link #ctl}: change a registration. */
    public static final int EPOLL_CTL_MOD;
    /** {@link #ctl}: remove a registration. */
    public static final int EPOLL_CTL_DEL;

    static {
        NativeLibrary.ensureLoaded();
        EVENT_SIZE = eventSize0();
        EVENTS_OFFSET = eventsOffset0();
        DATA_OFFSET = dataOffset0();
        EPOLLIN = epollin0();
        EPOLLOUT = epollout0();
        EPOLLRDHUP = epollrdhup0();
        EPOLLERR = epollerr0();
        EPOLLHUP = epollhup0();
        EPOLLET = epollet0();
        EPOLLONESHOT = epolloneshot0();
        EPOLL_CTL_ADD = ctlAdd0();
        EPOLL_CTL_MOD = ctlMod0();
        EPOLL_CTL_DEL = ctlDel0();
    }

    private Epoll() {
    }

    /**
     * Creates an epoll instance (close-on-exec). Close it with {@link Sockets#close(int)}.
     *
     * @return its descriptor
     * @throws IOException if the kernel refuses (EMFILE, for example)
     */
    public static int create() throws IOException {
        int epfd = create0();
        if (epfd < 0) {
            throw Errors.newIOException("epoll_create1(EPOLL_CLOEXEC)", epfd);
        }
        return epfd;
    }

    /**
     * Adds, changes or removes the registration of {@code fd}.
     *
     * @param epfd the epoll instance
     * @param op {@link #EPOLL_CTL_ADD}, {@link #EPOLL_CTL_MOD} or {@link #EPOLL_CTL_DEL}
     * @param fd the watched descriptor
     * @param events the event mask ({@link #EPOLLIN} | ...; ignored by DEL)
     * @param data the token epoll hands back with each event (ignored by DEL)
     * @throws IOException if the kernel refuses: EBADF (a {@link ClosedDescriptorException}),
     *         EEXIST (ADD of a registered fd), ENOENT (MOD or DEL of an unregistered one, a
     *         {@link java.nio.file.NoSuchFileException}), EPERM (a file that cannot be polled, an
     *         {@link UnpollableDescriptorException}), EINVAL
     */
    public static void ctl(int epfd, int op, int fd, int events, long data) throws IOException {
        int result = ctl0(epfd, op, fd, events, data);
        if (result < 0) {
            String call = "epoll_ctl(epfd=" + epfd + ", op=" + opName(op) + ", fd=" + fd + ")";
            throw result == -Errors.EPERM
                    ? new UnpollableDescriptorException(Errors.message(call, result))
                    : Errors.newIOException(call, result);
        }
    }

    /**
     * Removes the registration of {@code fd}, tolerating one that is already gone: the kernel
     * drops a registration by itself when the last descriptor of its file is closed, so a
     * descriptor closed by its owner first is not an error here.
     *
     * @param epfd an open epoll instance (an invalid one also reads as EBADF, so callers must
     *        know theirs is open)
     * @param fd the watched descriptor
     * @return true if a registration was removed; false if there was none (ENOENT) or
     *         {@code fd} is no longer open (EBADF)
     * @throws IOException for any other failure
     */
    public static boolean ctlDel(int epfd, int fd) throws IOException {
        int result = ctl0(epfd, EPOLL_CTL_DEL, fd, 0, 0);
        if (result >= 0) {
            return true;
        }
        if (epfd >= 0 && (result == -Errors.ENOENT || result == -Errors.EBADF)) {
            return false;
        }
        throw Errors.newIOException("epoll_ctl(epfd=" + epfd + ", op=EPOLL_CTL_DEL, fd=" + fd + ")", result);
    }

    /**
     * Waits for events, retrying interrupted waits with what is left of the timeout. A timed
     * wait never returns 0 before {@code timeoutNanos} have passed: with epoll_pwait2 (Linux
     * 5.11) the timeout is exact, otherwise it is rounded up to whole milliseconds, so a
     * sub-millisecond wait sleeps a millisecond rather than spinning. Waits longer than about
     * 24 days may end with 0 early; wait again.
     *
     * @param epfd the epoll instance
     * @param eventsAddress native memory for {@code maxEvents} events of {@link #EVENT_SIZE}
     * @param maxEvents the capacity there, {@code > 0}
     * @param timeoutNanos {@code < 0}: no limit; {@code 0}: do not wait
     * @return the number of events written, 0 on timeout
     * @throws IllegalArgumentException for {@code maxEvents <= 0} or a zero address
     * @throws IOException if the kernel refuses (EBADF: a {@link ClosedDescriptorException};
     *         EFAULT for memory it cannot write; EINVAL when {@code epfd} is not an epoll
     *         instance)
     */
    public static int wait(int epfd, long eventsAddress, int maxEvents, long timeoutNanos) throws IOException {
        if (maxEvents <= 0) {
            throw new IllegalArgumentException("epoll_wait(epfd=" + epfd + ", maxEvents=" + maxEvents
                    + "): EINVAL (maxEvents must be positive)");
        }
        if (eventsAddress == 0) {
            throw new IllegalArgumentException("epoll_wait(epfd=" + epfd + ", events=0, maxEvents=" + maxEvents
                    + "): EFAULT (zero address)");
        }
        int result = wait0(epfd, eventsAddress, maxEvents, timeoutNanos);
        if (result < 0) {
            throw Errors.newIOException("epoll_wait(epfd=" + epfd + ")", result);
        }
        return result;
    }

    /**
     * Which wait {@link #wait} uses on this kernel.
     *
     * @return true for epoll_pwait2 (nanosecond timeouts), false for the epoll_wait fallback
     */
    public static boolean pwait2Available() {
        return pwait2Available0();
    }

    private static String opName(int op) {
        if (op == EPOLL_CTL_ADD) {
            return "EPOLL_CTL_ADD";
        }
        if (op == EPOLL_CTL_MOD) {
            return "EPOLL_CTL_MOD";
        }
        if (op == EPOLL_CTL_DEL) {
            return "EPOLL_CTL_DEL";
        }
        return Integer.toString(op);
    }

    static native int create0();

    static native int ctl0(int epfd, int op, int fd, int events, long data);

    static native int wait0(int epfd, long eventsAddress, int maxEvents, long timeoutNanos);

    static native boolean pwait2Available0();

    static native int eventSize0();

    static native int eventsOffset0();

    static native int dataOffset0();

    static native int epollin0();

    static native int epollout0();

    static native int epollrdhup0();

    static native int epollerr0();

    static native int epollhup0();

    static native int epollet0();

    static native int epolloneshot0();

    static native int ctlAdd0();

    static native int ctlMod0();

    static native int ctlDel0();
}

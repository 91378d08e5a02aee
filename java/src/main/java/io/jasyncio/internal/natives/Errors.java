package io.jasyncio.internal.natives;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.file.NoSuchFileException;

/**
 * Turns the {@code -errno} results of the C core into exceptions (SPEC section 13), and holds
 * the errno values Java compares results against, read from the C library once.
 *
 * <p>Every message names the call, its arguments and the errno:
 * {@code "read(fd=7): EBADF (Bad file descriptor)"}. The mapping onto the JDK's types:
 * ECONNREFUSED is a {@link ConnectException}, EADDRINUSE a {@link BindException}, ECONNRESET and
 * EPIPE a {@link SocketException}, EHOSTUNREACH and ENETUNREACH a
 * {@link NoRouteToHostException}, ENOENT a {@link NoSuchFileException}, EBADF a
 * {@link ClosedDescriptorException}; anything else a plain {@link IOException}. EAGAIN is never
 * an exception: the wrappers of the other classes turn it into a documented return value.
 *
 * <p>Bad arguments are refused in Java before the native call, with an
 * {@link IllegalArgumentException} whose message has the same shape (EINVAL for a negative
 * length, EFAULT for a zero address), and the C core checks them again.
 *
 * <p>Thread safe.
 */
public final class Errors {

    // Keep in sync with JASYNCIO__JAVA_ERRNOS in native/errors.c: same names, same order.
    /** Resource temporarily unavailable (the same value as EWOULDBLOCK on Linux). */
    public static final int EAGAIN;
    /** Interrupted system call (the C core retries it; Java never sees it). */
    public static final int EINTR;
    /** Bad file descriptor. */
    public static final int EBADF;
    /** Invalid argument. */
    public static final int EINVAL;
    /** Bad address. */
    public static final int EFAULT;
    /** No such file or directory (or, from epoll_ctl, no such registration). */
    public static final int ENOENT;
    /** File exists (or, from epoll_ctl, already registered). */
    public static final int EEXIST;
    /** Operation not permitted. */
    public static final int EPERM;
    /** Permission denied. */
    public static final int EACCES;
    /** Cannot allocate memory. */
    public static final int ENOMEM;
    /** Too many open files (this process). */
    public static final int EMFILE;
    /** Too many open files in system. */
    public static final int ENFILE;
    /** Function not implemented. */
    public static final int ENOSYS;
    /** Broken pipe. */
    public static final int EPIPE;
    /** Connection reset by peer. */
    public static final int ECONNRESET;
    /** Connection refused. */
    public static final int ECONNREFUSED;
    /** Software caused connection abort. */
    public static final int ECONNABORTED;
    /** Address already in use. */
    public static final int EADDRINUSE;
    /** Cannot assign requested address. */
    public static final int EADDRNOTAVAIL;
    /** Operation now in progress (a non-blocking connect). */
    public static final int EINPROGRESS;
    /** Operation already in progress. */
    public static final int EALREADY;
    /** Transport endpoint is already connected. */
    public static final int EISCONN;
    /** Transport endpoint is not connected. */
    public static final int ENOTCONN;
    /** Socket operation on non-socket. */
    public static final int ENOTSOCK;
    /** Operation not supported. */
    public static final int EOPNOTSUPP;
    /** Connection timed out. */
    public static final int ETIMEDOUT;
    /** No route to host. */
    public static final int EHOSTUNREACH;
    /** Network is unreachable. */
    public static final int ENETUNREACH;

    private static final int ERRNO_COUNT = 28;

    /** "EBADF (Bad file descriptor)" per errno, built on first use; errno values are small. */
    private static final String[] DESCRIPTIONS = new String[512];

    static {
        NativeLibrary.ensureLoaded();
        int[] values = new int[ERRNO_COUNT];
        int count = errnoConstants0(values);
        if (count != ERRNO_COUNT) {
            throw new UnsatisfiedLinkError("native/errors.c exports " + count + " errno values, Errors.java expects "
                    + ERRNO_COUNT + ": the two lists are out of sync");
        }
        int i = 0;
        EAGAIN = values[i++];
        EINTR = values[i++];
        EBADF = values[i++];
        EINVAL = values[i++];
        EFAULT = values[i++];
        ENOENT = values[i++];
        EEXIST = values[i++];
        EPERM = values[i++];
        EACCES = values[i++];
        ENOMEM = values[i++];
        EMFILE = values[i++];
        ENFILE = values[i++];
        ENOSYS = values[i++];
        EPIPE = values[i++];
        ECONNRESET = values[i++];
        ECONNREFUSED = values[i++];
        ECONNABORTED = values[i++];
        EADDRINUSE = values[i++];
        EADDRNOTAVAIL = values[i++];
        EINPROGRESS = values[i++];
        EALREADY = values[i++];
        EISCONN = values[i++];
        ENOTCONN = values[i++];
        ENOTSOCK = values[i++];
        EOPNOTSUPP = values[i++];
        ETIMEDOUT = values[i++];
        EHOSTUNREACH = values[i++];
        ENETUNREACH = values[i];
    }

    private Errors() {
    }

    /**
     * The symbolic name of an errno.
     *
     * @param errno a positive errno value
     * @return {@code "ECONNRESET"}, for example, or {@code "errno 4095"} for a value the C table
     *         does not know
     */
    public static String errnoName(int errno) {
        String name = errnoName0(errno);
        return name != null ? name : "errno " + errno;
    }

    /**
     * The message of an errno, as {@code strerror} words it.
     *
     * @param errno a positive errno value
     * @return {@code "Connection reset by peer"}, for example
     */
    public static String strerror(int errno) {
        return strerror0(errno);
    }

    /**
     * An errno's name and message together.
     *
     * @param errno a positive errno value
     * @return {@code "EBADF (Bad file descriptor)"}, for example
     */
    public static String describe(int errno) {
        if (errno > 0 && errno < DESCRIPTIONS.length) {
            String cached = DESCRIPTIONS[errno];
            if (cached == null) {
                // Racing threads build equal strings; either may win.
                cached = errnoName(errno) + " (" + strerror(errno) + ")";
                DESCRIPTIONS[errno] = cached;
            }
            return cached;
        }
        return errnoName(errno) + " (" + strerror(errno) + ")";
    }

    /**
     * The message for a failed call.
     *
     * @param operation the call and its arguments, {@code "read(fd=7)"}
     * @param result the call's negative result, {@code -errno}
     * @return {@code "read(fd=7): EBADF (Bad file descriptor)"}
     */
    public static String message(String operation, int result) {
        return operation + ": " + describe(-result);
    }

    /**
     * The exception for a failed call, of the JDK type that fits the errno.
     *
     * @param operation the call and its arguments, {@code "read(fd=7)"}
     * @param result the call's negative result, {@code -errno}
     * @return the exception, to be thrown by the caller
     * @throws IllegalArgumentException if {@code result} is not negative
     */
    public static IOException newIOException(String operation, int result) {
        if (result >= 0) {
            throw new IllegalArgumentException(operation + " succeeded with " + result + ": not an error");
        }
        int errno = -result;
        String message = message(operation, result);
        if (errno == EBADF) {
            return new ClosedDescriptorException(message);
        }
        if (errno == ECONNREFUSED) {
            return new ConnectException(message);
        }
        if (errno == EADDRINUSE) {
            return new BindException(message);
        }
        if (errno == ECONNRESET || errno == EPIPE) {
            return new SocketException(message);
        }
        if (errno == EHOSTUNREACH || errno == ENETUNREACH) {
            return new NoRouteToHostException(message);
        }
        if (errno == ENOENT) {
            // getMessage() of a FileSystemException is "file: reason": the same text as above.
            return new NoSuchFileException(operation, null, describe(errno));
        }
        return new IOException(message);
    }

    /**
     * Refuses a buffer the C core would refuse: a negative length (EINVAL) or a zero address with
     * a non-zero length (EFAULT). Builds no string unless it throws.
     *
     * @param call the system call's name, {@code "read"}
     * @param fd the descriptor, for the message
     */
    static void checkBuffer(String call, int fd, long address, int length) {
        if (length < 0) {
            throw new IllegalArgumentException(call + "(fd=" + fd + ", length=" + length
                    + "): EINVAL (negative length)");
        }
        if (address == 0 && length != 0) {
            throw new IllegalArgumentException(call + "(fd=" + fd + ", address=0, length=" + length
                    + "): EFAULT (zero address with a non-zero length)");
        }
    }

    static native String errnoName0(int errno);

    static native String strerror0(int errno);

    static native int errnoConstants0(int[] out);
}

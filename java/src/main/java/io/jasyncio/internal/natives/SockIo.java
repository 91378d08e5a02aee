package io.jasyncio.internal.natives;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Moving bytes on sockets (native/sock_io.c): recv, send, readv, writev, recvfrom, sendto and
 * sendfile. The
 * sockets are non-blocking, so nothing here waits: an empty receive queue or a full send buffer
 * (EAGAIN) is {@link #WOULD_BLOCK}, never an exception. 0 keeps its kernel meaning: end of
 * stream from a stream receive, an empty datagram from a datagram one. Sends never raise SIGPIPE:
 * a closed peer is EPIPE, a {@link java.net.SocketException}.
 *
 * <p>Buffers are native addresses and lengths. readv/writev take an array of {@code struct iovec}
 * in native memory, {@link #IOV_SIZE} bytes each, filled with {@link #setIov}.
 *
 * <p>Thread safe (each call is one system call).
 */
public final class SockIo {

    /** The result of a call that would have had to wait (EAGAIN). */
    public static final int WOULD_BLOCK = -1;
    /** {@code sizeof(struct iovec)}. */
    public static final int IOV_SIZE;
    /** The most iovecs one {@link #readv}/{@link #writev} takes ({@code IOV_MAX}). */
    public static final int IOV_MAX;
    /** Receive flag: look at the data without taking it. */
    public static final int MSG_PEEK;
    /** Receive flag: return a datagram's real length even when it was cut to fit. */
    public static final int MSG_TRUNC;

    private static final int IOV_BASE_OFFSET;
    private static final int IOV_LEN_OFFSET;
    private static final int IOV_LEN_SIZE;

    static {
        NativeLibrary.ensureLoaded();
        IOV_SIZE = iovSize0();
        IOV_BASE_OFFSET = iovBaseOffset0();
        IOV_LEN_OFFSET = iovLenOffset0();
        IOV_LEN_SIZE = iovLenSize0();
        IOV_MAX = iovMax0();
        MSG_PEEK = msgPeek0();
        MSG_TRUNC = msgTrunc0();
        if (IOV_LEN_SIZE != Long.BYTES && IOV_LEN_SIZE != Integer.BYTES) {
            throw new UnsatisfiedLinkError("sizeof(iov_len) is " + IOV_LEN_SIZE + ": SockIo writes 4 or 8 bytes");
        }
    }

    private SockIo() {
    }

    /**
     * Fills one {@code struct iovec} of an array.
     *
     * @param iovs the array, {@link #IOV_SIZE} bytes per entry
     * @param index which entry
     * @param base the buffer's native address
     * @param length its length in bytes
     * @throws IndexOutOfBoundsException if the entry is outside {@code iovs}
     */
    public static void setIov(MemorySegment iovs, int index, long base, long length) {
        long at = (long) index * IOV_SIZE;
        iovs.set(ValueLayout.ADDRESS_UNALIGNED, at + IOV_BASE_OFFSET, MemorySegment.ofAddress(base));
        if (IOV_LEN_SIZE == Long.BYTES) {
            iovs.set(ValueLayout.JAVA_LONG_UNALIGNED, at + IOV_LEN_OFFSET, length);
        } else {
            iovs.set(ValueLayout.JAVA_INT_UNALIGNED, at + IOV_LEN_OFFSET, (int) length);
        }
    }

    /**
     * Receives what is there.
     *
     * @param fd the socket
     * @param address where the bytes go
     * @param length at most this many
     * @param flags 0, or {@link #MSG_PEEK}, ...
     * @return the number of bytes (0: end of stream, or an empty datagram), or
     *         {@link #WOULD_BLOCK}
     * @throws IllegalArgumentException for a negative length or a zero address with a non-zero
     *         length
     * @throws IOException if the kernel refuses: ECONNRESET is a {@link java.net.SocketException},
     *         EBADF a {@link ClosedDescriptorException}
     */
    public static int recv(int fd, long address, int length, int flags) throws IOException {
        Errors.checkBuffer("recv", fd, address, length);
        return result("recv", fd, recv0(fd, address, length, flags));
    }

    /**
     * Sends what the socket takes now.
     *
     * @param fd the socket
     * @param address where the bytes are
     * @param length at most this many
     * @param flags 0 or other MSG_ flags (MSG_NOSIGNAL is always added)
     * @return the number of bytes sent, or {@link #WOULD_BLOCK}
     * @throws IllegalArgumentException for a negative length or a zero address with a non-zero
     *         length
     * @throws IOException if the kernel refuses: EPIPE and ECONNRESET are a
     *         {@link java.net.SocketException}, EBADF a {@link ClosedDescriptorException}
     */
    public static int send(int fd, long address, int length, int flags) throws IOException {
        Errors.checkBuffer("send", fd, address, length);
        return result("send", fd, send0(fd, address, length, flags));
    }

    /**
     * Receives into several buffers in turn.
     *
     * @param fd the socket
     * @param iovs the address of {@code count} iovecs
     * @param count how many, at most {@link #IOV_MAX}
     * @return the number of bytes (0: end of stream), or {@link #WOULD_BLOCK}
     * @throws IllegalArgumentException for a count outside [0, IOV_MAX] or a zero address with a
     *         non-zero count
     * @throws IOException if the kernel refuses, as {@link #recv}
     */
    public static int readv(int fd, long iovs, int count) throws IOException {
        checkIov("readv", fd, iovs, count);
        return result("readv", fd, readv0(fd, iovs, count));
    }

    /**
     * Sends several buffers in one call, in order; the socket may take only part of them.
     *
     * @param fd the socket
     * @param iovs the address of {@code count} iovecs
     * @param count how many, at most {@link #IOV_MAX}
     * @return the number of bytes sent, or {@link #WOULD_BLOCK}
     * @throws IllegalArgumentException for a count outside [0, IOV_MAX] or a zero address with a
     *         non-zero count
     * @throws IOException if the kernel refuses, as {@link #send}
     */
    public static int writev(int fd, long iovs, int count) throws IOException {
        checkIov("writev", fd, iovs, count);
        return result("writev", fd, writev0(fd, iovs, count));
    }

    /**
     * Receives one datagram and its sender's address.
     *
     * @param fd the socket
     * @param address where the bytes go (a longer datagram is cut to fit)
     * @param length at most this many
     * @param flags 0, {@link #MSG_PEEK}, {@link #MSG_TRUNC}
     * @param from where the sender's raw sockaddr goes, or 0 (with {@code fromLengthAddress} 0)
     * @param fromLengthAddress the address of a 32-bit int: the capacity at {@code from} before
     *        the call, the sender address's length after
     * @return the number of bytes (0: an empty datagram), or {@link #WOULD_BLOCK}
     * @throws IllegalArgumentException for a negative length, a zero address with a non-zero
     *         length, or a sender address without a length
     * @throws IOException if the kernel refuses (EBADF: a {@link ClosedDescriptorException})
     */
    public static int recvfrom(int fd, long address, int length, int flags, long from, long fromLengthAddress)
            throws IOException {
        Errors.checkBuffer("recvfrom", fd, address, length);
        if (from != 0 && fromLengthAddress == 0) {
            throw new IllegalArgumentException("recvfrom(fd=" + fd
                    + ", addrlen=0): EFAULT (an address without a length)");
        }
        return result("recvfrom", fd, recvfrom0(fd, address, length, flags, from, fromLengthAddress));
    }

    /**
     * Sends one datagram.
     *
     * @param fd the socket
     * @param address where the bytes are
     * @param length how many
     * @param flags 0 or other MSG_ flags (MSG_NOSIGNAL is always added)
     * @param to the destination's raw sockaddr (0 with {@code toLength} 0 on a connected socket)
     * @param toLength its length
     * @return the number of bytes sent, or {@link #WOULD_BLOCK}
     * @throws IllegalArgumentException for a negative length or a zero address with a non-zero
     *         length, for the data or the destination
     * @throws IOException if the kernel refuses (EMSGSIZE for a datagram too large; ECONNREFUSED,
     *         a {@link java.net.ConnectException}, on a connected socket whose peer had no
     *         listener; EBADF: a {@link ClosedDescriptorException})
     */
    public static int sendto(int fd, long address, int length, int flags, long to, int toLength) throws IOException {
        Errors.checkBuffer("sendto", fd, address, length);
        if (toLength < 0 || (to == 0 && toLength != 0)) {
            throw new IllegalArgumentException("sendto(fd=" + fd + ", addrlen=" + toLength + "): "
                    + (toLength < 0 ? "EINVAL (negative address length)" : "EFAULT (zero address with a non-zero length)"));
        }
        return result("sendto", fd, sendto0(fd, address, length, flags, to, toLength));
    }

    /**
     * Sends part of a file to a socket without copying it through user space. The file's own
     * position is neither used nor moved.
     *
     * @param socketFd the socket
     * @param fileFd a file open for reading
     * @param offset where in the file to start
     * @param count at most this many bytes
     * @return the number of bytes sent (0 at the file's end), or {@link #WOULD_BLOCK}
     * @throws IllegalArgumentException for a negative offset or count
     * @throws IOException if the kernel refuses: EPIPE and ECONNRESET are a
     *         {@link java.net.SocketException}, EBADF a {@link ClosedDescriptorException}
     */
    public static int sendfile(int socketFd, int fileFd, long offset, int count) throws IOException {
        if (offset < 0 || count < 0) {
            throw new IllegalArgumentException("sendfile(fd=" + socketFd + ", file=" + fileFd + ", offset=" + offset
                    + ", count=" + count + "): EINVAL (negative " + (offset < 0 ? "offset" : "count") + ")");
        }
        int result = sendfile0(socketFd, fileFd, offset, count);
        if (result >= 0) {
            return result;
        }
        if (result == -Errors.EAGAIN) {
            return WOULD_BLOCK;
        }
        throw Errors.newIOException("sendfile(fd=" + socketFd + ", file=" + fileFd + ", offset=" + offset + ")", result);
    }

    private static void checkIov(String call, int fd, long iovs, int count) {
        if (count < 0 || count > IOV_MAX) {
            throw new IllegalArgumentException(call + "(fd=" + fd + ", count=" + count + "): EINVAL (count outside [0, "
                    + IOV_MAX + "])");
        }
        if (iovs == 0 && count != 0) {
            throw new IllegalArgumentException(call + "(fd=" + fd + ", iov=0, count=" + count
                    + "): EFAULT (zero address with a non-zero count)");
        }
    }

    private static int result(String call, int fd, int result) throws IOException {
        if (result >= 0) {
            return result;
        }
        if (result == -Errors.EAGAIN) {
            return WOULD_BLOCK;
        }
        throw Errors.newIOException(call + "(fd=" + fd + ")", result);
    }

    static native int recv0(int fd, long address, int length, int flags);

    static native int send0(int fd, long address, int length, int flags);

    static native int readv0(int fd, long iovs, int count);

    static native int writev0(int fd, long iovs, int count);

    static native int recvfrom0(int fd, long address, int length, int flags, long from, long fromLengthAddress);

    static native int sendto0(int fd, long address, int length, int flags, long to, int toLength);

    static native int sendfile0(int socketFd, int fileFd, long offset, int count);

    static native int iovSize0();

    static native int iovBaseOffset0();

    static native int iovLenOffset0();

    static native int iovLenSize0();

    static native int iovMax0();

    static native int msgPeek0();

    static native int msgTrunc0();
}

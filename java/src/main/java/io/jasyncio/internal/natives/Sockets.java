package io.jasyncio.internal.natives;

import java.io.IOException;

/**
 * Socket calls of the C core (native/socket.c). Every descriptor it creates is non-blocking and
 * close-on-exec, so no call here ever blocks. Buffers are passed as native addresses (a direct
 * buffer's {@code MemorySegment.ofBuffer(buf).address()}, taken once, or an {@code Arena}
 * allocation) and lengths.
 *
 * <p>Thread safe (each call is one system call).
 */
public final class Sockets {

    /** Socket type: a byte stream. */
    public static final int SOCK_STREAM;
    /** Socket type: datagrams. */
    public static final int SOCK_DGRAM;
    /** Socket type: ordered datagrams over a connection. */
    public static final int SOCK_SEQPACKET;
    /** {@link #shutdown(int, int)}: no more receptions. */
    public static final int SHUT_RD;
    /** {@link #shutdown(int, int)}: no more transmissions (the peer reads end of stream). */
    public static final int SHUT_WR;
    /** {@link #shutdown(int, int)}: neither. */
    public static final int SHUT_RDWR;

    static {
        NativeLibrary.ensureLoaded();
        SOCK_STREAM = sockStream0();
        SOCK_DGRAM = sockDgram0();
        SOCK_SEQPACKET = sockSeqpacket0();
        SHUT_RD = shutRd0();
        SHUT_WR = shutWr0();
        SHUT_RDWR = shutRdwr0();
    }

    private Sockets() {
    }

    /**
     * Creates a connected pair of AF_UNIX sockets.
     *
     * @param type {@link #SOCK_STREAM}, {@link #SOCK_DGRAM} or {@link #SOCK_SEQPACKET}
     * @return both descriptors in one value: take them apart with {@link #firstFd(long)} and
     *         {@link #secondFd(long)}
     * @throws IOException if the kernel refuses (EMFILE; EINVAL for an unknown type)
     */
    public static long socketpair(int type) throws IOException {
        long pair = socketpair0(type);
        if (pair < 0) {
            throw Errors.newIOException("socketpair(AF_UNIX, type=" + type + ")", (int) pair);
        }
        return pair;
    }

    /**
     * The first descriptor of a {@link #socketpair(int)} result.
     *
     * @param pair the result
     * @return the descriptor in the high 32 bits (keep in sync with native/socket.c)
     */
    public static int firstFd(long pair) {
        return (int) (pair >>> 32);
    }

    /**
     * The second descriptor of a {@link #socketpair(int)} result.
     *
     * @param pair the result
     * @return the descriptor in the low 32 bits (keep in sync with native/socket.c)
     */
    public static int secondFd(long pair) {
        return (int) pair;
    }

    /**
     * Reads what is there, without waiting.
     *
     * @param fd the descriptor
     * @param address where the bytes go
     * @param length at most this many bytes
     * @return the number of bytes read; 0 when nothing is there yet (EAGAIN) or {@code length}
     *         is 0; -1 at end of stream
     * @throws IllegalArgumentException for a negative length or a zero address with a non-zero
     *         length
     * @throws IOException if the kernel refuses: EBADF is a {@link ClosedDescriptorException},
     *         ECONNRESET a {@link java.net.SocketException}
     */
    public static int read(int fd, long address, int length) throws IOException {
        Errors.checkBuffer("read", fd, address, length);
        int result = read0(fd, address, length);
        if (result > 0) {
            return result;
        }
        if (result == 0) {
            return length == 0 ? 0 : -1;
        }
        if (result == -Errors.EAGAIN) {
            return 0;
        }
        throw Errors.newIOException("read(fd=" + fd + ", length=" + length + ")", result);
    }

    /**
     * Writes what the socket takes now, without waiting. A closed peer gives EPIPE, never a
     * SIGPIPE.
     *
     * @param fd the descriptor
     * @param address where the bytes are
     * @param length at most this many bytes
     * @return the number of bytes written; 0 when the socket buffer is full (EAGAIN)
     * @throws IllegalArgumentException for a negative length or a zero address with a non-zero
     *         length
     * @throws IOException if the kernel refuses: EBADF is a {@link ClosedDescriptorException},
     *         EPIPE and ECONNRESET a {@link java.net.SocketException}
     */
    public static int write(int fd, long address, int length) throws IOException {
        Errors.checkBuffer("write", fd, address, length);
        int result = write0(fd, address, length);
        if (result >= 0) {
            return result;
        }
        if (result == -Errors.EAGAIN) {
            return 0;
        }
        throw Errors.newIOException("write(fd=" + fd + ", length=" + length + ")", result);
    }

    /**
     * Closes a descriptor of any kind (socket, eventfd, epoll). An interrupted close is not
     * retried: Linux has released the descriptor by then.
     *
     * @param fd the descriptor
     * @throws IOException if it was not open ({@link ClosedDescriptorException})
     */
    public static void close(int fd) throws IOException {
        int result = close0(fd);
        if (result < 0) {
            throw Errors.newIOException("close(fd=" + fd + ")", result);
        }
    }

    /**
     * Shuts down one or both directions of a connected socket.
     *
     * @param fd the socket
     * @param how {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}
     * @throws IOException if the kernel refuses (ENOTCONN, ENOTSOCK, EINVAL for a bad {@code how})
     */
    public static void shutdown(int fd, int how) throws IOException {
        int result = shutdown0(fd, how);
        if (result < 0) {
            throw Errors.newIOException("shutdown(fd=" + fd + ", how=" + how + ")", result);
        }
    }

    static native long socketpair0(int type);

    static native int read0(int fd, long address, int length);

    static native int write0(int fd, long address, int length);

    static native int close0(int fd);

    static native int shutdown0(int fd, int how);

    static native int sockStream0();

    static native int sockDgram0();

    static native int sockSeqpacket0();

    static native int shutRd0();

    static native int shutWr0();

    static native int shutRdwr0();
}

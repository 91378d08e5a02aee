package io.jasyncio.internal.natives;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;

/**
 * Creating and connecting sockets (native/sock_create.c): socket, bind, listen, accept4,
 * connect, getsockname, getpeername. Every descriptor made here is non-blocking and
 * close-on-exec, so no call ever blocks: {@link #accept} returns {@link #WOULD_BLOCK} when no
 * connection waits, and {@link #connect} returns false while a TCP handshake is under way.
 * Close descriptors with {@link Sockets#close(int)}.
 *
 * <p>Addresses are raw sockaddrs in native memory ({@link SockAddr} builds and parses them):
 * an address and a length in; for the calls that report one, an address and a capacity, or the
 * address of a 32-bit int holding the capacity before the call and the kernel's length after.
 *
 * <p>Thread safe (each call is one system call).
 */
public final class SockCreate {

    /** {@link #accept}'s result when no connection is waiting (EAGAIN). */
    public static final int WOULD_BLOCK = -1;
    /** The kernel's cap on a listen backlog, a good default for one. */
    public static final int SOMAXCONN;

    static {
        NativeLibrary.ensureLoaded();
        SOMAXCONN = somaxconn0();
    }

    private SockCreate() {
    }

    /**
     * Creates a non-blocking, close-on-exec socket.
     *
     * @param domain {@link SockAddr#AF_INET}, {@link SockAddr#AF_INET6} or {@link SockAddr#AF_UNIX}
     * @param type {@link Sockets#SOCK_STREAM}, {@link Sockets#SOCK_DGRAM} or
     *        {@link Sockets#SOCK_SEQPACKET}
     * @param protocol 0 for the family's default
     * @return the descriptor
     * @throws IOException if the kernel refuses (EAFNOSUPPORT, EMFILE, EINVAL for a bad type)
     */
    public static int socket(int domain, int type, int protocol) throws IOException {
        int fd = socket0(domain, type, protocol);
        if (fd < 0) {
            throw Errors.newIOException("socket(domain=" + domain + ", type=" + type + ", protocol=" + protocol + ")",
                    fd);
        }
        return fd;
    }

    /**
     * Binds a socket to a local address.
     *
     * @param fd the socket
     * @param address a raw sockaddr
     * @param length its length
     * @throws IllegalArgumentException for a negative length or a zero address with a non-zero
     *         length
     * @throws IOException if the kernel refuses: EADDRINUSE is a {@link java.net.BindException},
     *         ENOENT (a Unix path's directory is missing) a
     *         {@link java.nio.file.NoSuchFileException}, EBADF a {@link ClosedDescriptorException}
     */
    public static void bind(int fd, long address, int length) throws IOException {
        Errors.checkBuffer("bind", fd, address, length);
        int result = bind0(fd, address, length);
        if (result < 0) {
            throw Errors.newIOException("bind(fd=" + fd + ", addrlen=" + length + ")", result);
        }
    }

    /**
     * Marks a bound stream socket as accepting connections.
     *
     * @param fd the socket
     * @param backlog how many connections may wait to be accepted (the kernel caps it at
     *        {@link #SOMAXCONN})
     * @throws IOException if the kernel refuses (EADDRINUSE when an unbound socket's automatic
     *         port is taken, EOPNOTSUPP for a datagram socket)
     */
    public static void listen(int fd, int backlog) throws IOException {
        int result = listen0(fd, backlog);
        if (result < 0) {
            throw Errors.newIOException("listen(fd=" + fd + ", backlog=" + backlog + ")", result);
        }
    }

    /**
     * Accepts a waiting connection, without waiting for one.
     *
     * @param fd the listening socket
     * @param address where the peer's raw sockaddr goes, or 0 (with {@code lengthAddress} 0) for
     *        no address
     * @param lengthAddress the address of a 32-bit int: the capacity at {@code address} before
     *        the call, the peer address's length after
     * @return the new connection's descriptor (non-blocking, close-on-exec), or
     *         {@link #WOULD_BLOCK} when none is waiting
     * @throws IllegalArgumentException for an address without a length
     * @throws IOException if the kernel refuses (EBADF is a {@link ClosedDescriptorException};
     *         ECONNABORTED when the peer gave up first: accept again; EMFILE; EINVAL for a
     *         socket not listening)
     */
    public static int accept(int fd, long address, long lengthAddress) throws IOException {
        if (address != 0 && lengthAddress == 0) {
            throw new IllegalArgumentException("accept4(fd=" + fd + ", addrlen=0): EFAULT (an address without a length)");
        }
        int result = accept0(fd, address, lengthAddress);
        if (result >= 0) {
            return result;
        }
        if (result == -Errors.EAGAIN) {
            return WOULD_BLOCK;
        }
        throw Errors.newIOException("accept4(fd=" + fd + ")", result);
    }

    /**
     * Starts connecting, without waiting. When this returns false, wait until the socket is
     * writable (epoll's EPOLLOUT) and call {@link #finishConnect(int)}.
     *
     * @param fd the socket
     * @param address the peer's raw sockaddr
     * @param length its length
     * @return true if connected already (Unix sockets, usually), false if the handshake is under
     *         way (EINPROGRESS)
     * @throws IllegalArgumentException for a negative length or a zero address with a non-zero
     *         length
     * @throws IOException if the kernel refuses: ECONNREFUSED is a
     *         {@link java.net.ConnectException}, ENOENT (a Unix path nobody bound) a
     *         {@link java.nio.file.NoSuchFileException}; EAGAIN (a Unix listener's backlog is
     *         full) is an {@link IOException} too, since no readiness event follows it
     */
    public static boolean connect(int fd, long address, int length) throws IOException {
        Errors.checkBuffer("connect", fd, address, length);
        int result = connect0(fd, address, length);
        if (result == 0) {
            return true;
        }
        if (result == -Errors.EINPROGRESS) {
            return false;
        }
        throw Errors.newIOException("connect(fd=" + fd + ", addrlen=" + length + ")", result);
    }

    /**
     * Ends a connect that {@link #connect} left in progress, once the socket is writable: reads
     * (and so clears) SO_ERROR.
     *
     * @param fd the socket
     * @throws IOException the connect's failure, as {@link #connect} would have thrown it:
     *         ECONNREFUSED is a {@link java.net.ConnectException}, ETIMEDOUT, EHOSTUNREACH and
     *         the others likewise named
     */
    public static void finishConnect(int fd) throws IOException {
        int error = SockOpt.getInt0(fd, SockOpt.SOL_SOCKET, SockOpt.SO_ERROR);
        if (error < 0) {
            throw Errors.newIOException("getsockopt(fd=" + fd + ", SO_ERROR)", error);
        }
        if (error > 0) {
            throw Errors.newIOException("connect(fd=" + fd + ")", -error);
        }
    }

    /**
     * The socket's local address, raw.
     *
     * @param fd the socket
     * @param address where it goes
     * @param capacity the bytes there ({@link SockAddr#STORAGE_SIZE} always suffice)
     * @return its length; more than {@code capacity} means it was cut short
     * @throws IllegalArgumentException for a negative capacity or a zero address with a non-zero
     *         capacity
     * @throws IOException if the kernel refuses (EBADF: a {@link ClosedDescriptorException};
     *         ENOTSOCK)
     */
    public static int getsockname(int fd, long address, int capacity) throws IOException {
        Errors.checkBuffer("getsockname", fd, address, capacity);
        int result = getsockname0(fd, address, capacity);
        if (result < 0) {
            throw Errors.newIOException("getsockname(fd=" + fd + ")", result);
        }
        return result;
    }

    /**
     * The connected peer's address, raw.
     *
     * @param fd the socket
     * @param address where it goes
     * @param capacity the bytes there ({@link SockAddr#STORAGE_SIZE} always suffice)
     * @return its length; more than {@code capacity} means it was cut short
     * @throws IllegalArgumentException for a negative capacity or a zero address with a non-zero
     *         capacity
     * @throws IOException if the kernel refuses (ENOTCONN when not connected; EBADF: a
     *         {@link ClosedDescriptorException})
     */
    public static int getpeername(int fd, long address, int capacity) throws IOException {
        Errors.checkBuffer("getpeername", fd, address, capacity);
        int result = getpeername0(fd, address, capacity);
        if (result < 0) {
            throw Errors.newIOException("getpeername(fd=" + fd + ")", result);
        }
        return result;
    }

    /**
     * The socket's local address, decoded (allocates: not for a hot path).
     *
     * @param fd the socket
     * @return as {@link SockAddr#decode} gives it
     * @throws IOException as {@link #getsockname(int, long, int)}
     */
    public static SocketAddress localAddress(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment storage = arena.allocate(SockAddr.STORAGE_SIZE, 8);
            return SockAddr.decode(storage, getsockname(fd, storage.address(), SockAddr.STORAGE_SIZE));
        }
    }

    /**
     * The connected peer's address, decoded (allocates: not for a hot path).
     *
     * @param fd the socket
     * @return as {@link SockAddr#decode} gives it
     * @throws IOException as {@link #getpeername(int, long, int)}
     */
    public static SocketAddress remoteAddress(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment storage = arena.allocate(SockAddr.STORAGE_SIZE, 8);
            return SockAddr.decode(storage, getpeername(fd, storage.address(), SockAddr.STORAGE_SIZE));
        }
    }

    static native int socket0(int domain, int type, int protocol);

    static native int bind0(int fd, long address, int length);

    static native int listen0(int fd, int backlog);

    static native int accept0(int fd, long address, long lengthAddress);

    static native int connect0(int fd, long address, int length);

    static native int getsockname0(int fd, long address, int capacity);

    static native int getpeername0(int fd, long address, int capacity);

    static native int somaxconn0();
}

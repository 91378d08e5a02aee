package io.jasyncio.internal.natives;

import java.io.IOException;

/**
 * Socket options (native/sock_opt.c): the integer ones asyncio users set, SO_ERROR, SO_TYPE and
 * SO_LINGER. Levels and option numbers are the C library's, read once.
 *
 * <p>Thread safe (each call is one system call).
 */
public final class SockOpt {

    /** Level: the socket itself. */
    public static final int SOL_SOCKET;
    /** Level: TCP. */
    public static final int IPPROTO_TCP;
    /** Level: IPv6. */
    public static final int IPPROTO_IPV6;
    /** Boolean: bind to a port still in TIME_WAIT. */
    public static final int SO_REUSEADDR;
    /** Boolean: let several sockets bind the same port, the kernel spreading connections. */
    public static final int SO_REUSEPORT;
    /** Boolean: send keep-alive probes on an idle connection. */
    public static final int SO_KEEPALIVE;
    /** Receive buffer size in bytes (Linux doubles what it is given). */
    public static final int SO_RCVBUF;
    /** Send buffer size in bytes (Linux doubles what it is given). */
    public static final int SO_SNDBUF;
    /** Boolean: allow datagrams to broadcast addresses. */
    public static final int SO_BROADCAST;
    /** Read only: the pending error (a non-blocking connect's outcome), cleared by reading it. */
    public static final int SO_ERROR;
    /** Read only: the socket's type ({@link Sockets#SOCK_STREAM}, ...). */
    public static final int SO_TYPE;
    /** Boolean, level {@link #IPPROTO_TCP}: send small segments at once (no Nagle). */
    public static final int TCP_NODELAY;
    /** Boolean, level {@link #IPPROTO_IPV6}: IPv6 only, no IPv4-mapped addresses. */
    public static final int IPV6_V6ONLY;

    static {
        NativeLibrary.ensureLoaded();
        SOL_SOCKET = solSocket0();
        IPPROTO_TCP = ipprotoTcp0();
        IPPROTO_IPV6 = ipprotoIpv60();
        SO_REUSEADDR = soReuseaddr0();
        SO_REUSEPORT = soReuseport0();
        SO_KEEPALIVE = soKeepalive0();
        SO_RCVBUF = soRcvbuf0();
        SO_SNDBUF = soSndbuf0();
        SO_BROADCAST = soBroadcast0();
        SO_ERROR = soError0();
        SO_TYPE = soType0();
        TCP_NODELAY = tcpNodelay0();
        IPV6_V6ONLY = ipv6V6only0();
    }

    private SockOpt() {
    }

    /**
     * Sets an integer (or boolean: 0 or 1) option.
     *
     * @param fd the socket
     * @param level {@link #SOL_SOCKET}, {@link #IPPROTO_TCP} or {@link #IPPROTO_IPV6}
     * @param name the option, {@link #SO_REUSEADDR} for example
     * @param value its value
     * @throws IOException if the kernel refuses (ENOPROTOOPT for an option the level lacks;
     *         EBADF: a {@link ClosedDescriptorException})
     */
    public static void setInt(int fd, int level, int name, int value) throws IOException {
        int result = setInt0(fd, level, name, value);
        if (result < 0) {
            throw Errors.newIOException("setsockopt(fd=" + fd + ", " + optionName(level, name) + ", " + value + ")",
                    result);
        }
    }

    /**
     * Reads an integer (or boolean) option.
     *
     * @param fd the socket
     * @param level {@link #SOL_SOCKET}, {@link #IPPROTO_TCP} or {@link #IPPROTO_IPV6}
     * @param name the option
     * @return its value, never negative for the options here
     * @throws IOException if the kernel refuses (ENOPROTOOPT; EBADF: a
     *         {@link ClosedDescriptorException}); ERANGE for a negative value
     */
    public static int getInt(int fd, int level, int name) throws IOException {
        int result = getInt0(fd, level, name);
        if (result < 0) {
            throw Errors.newIOException("getsockopt(fd=" + fd + ", " + optionName(level, name) + ")", result);
        }
        return result;
    }

    /**
     * Sets SO_LINGER: what {@code close} does with data not yet sent.
     *
     * @param fd the socket
     * @param seconds negative: off (close returns at once, the kernel sends in the background);
     *        0: close resets the connection, dropping unsent data; positive: on, for that long
     * @throws IOException if the kernel refuses (EBADF: a {@link ClosedDescriptorException})
     */
    public static void setLinger(int fd, int seconds) throws IOException {
        int result = setLinger0(fd, seconds);
        if (result < 0) {
            throw Errors.newIOException("setsockopt(fd=" + fd + ", SO_LINGER, " + seconds + ")", result);
        }
    }

    /**
     * Reads SO_LINGER.
     *
     * @param fd the socket
     * @return -1 when off, else the linger time in seconds (0: close resets)
     * @throws IOException if the kernel refuses (EBADF: a {@link ClosedDescriptorException})
     */
    public static int getLinger(int fd) throws IOException {
        int result = getLinger0(fd);
        if (result < 0) {
            throw Errors.newIOException("getsockopt(fd=" + fd + ", SO_LINGER)", result);
        }
        // Keep in sync with jasyncio__sock_get_linger: 0 is off, 1 + seconds is on.
        return result - 1;
    }

    /** "SO_REUSEADDR", or "level=L, name=N" for an option this class does not name. */
    static String optionName(int level, int name) {
        if (level == SOL_SOCKET) {
            if (name == SO_REUSEADDR) {
                return "SO_REUSEADDR";
            }
            if (name == SO_REUSEPORT) {
                return "SO_REUSEPORT";
            }
            if (name == SO_KEEPALIVE) {
                return "SO_KEEPALIVE";
            }
            if (name == SO_RCVBUF) {
                return "SO_RCVBUF";
            }
            if (name == SO_SNDBUF) {
                return "SO_SNDBUF";
            }
            if (name == SO_BROADCAST) {
                return "SO_BROADCAST";
            }
            if (name == SO_ERROR) {
                return "SO_ERROR";
            }
            if (name == SO_TYPE) {
                return "SO_TYPE";
            }
        } else if (level == IPPROTO_TCP && name == TCP_NODELAY) {
            return "TCP_NODELAY";
        } else if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY) {
            return "IPV6_V6ONLY";
        }
        return "level=" + level + ", name=" + name;
    }

    static native int setInt0(int fd, int level, int name, int value);

    static native int getInt0(int fd, int level, int name);

    static native int setLinger0(int fd, int seconds);

    static native int getLinger0(int fd);

    static native int solSocket0();

    static native int ipprotoTcp0();

    static native int ipprotoIpv60();

    static native int soReuseaddr0();

    static native int soReuseport0();

    static native int soKeepalive0();

    static native int soRcvbuf0();

    static native int soSndbuf0();

    static native int soBroadcast0();

    static native int soError0();

    static native int soType0();

    static native int tcpNodelay0();

    static native int ipv6V6only0();
}

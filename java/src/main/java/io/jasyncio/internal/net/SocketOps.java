package io.jasyncio.internal.net;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectableChannel;

/**
 * Non-blocking operations on one socket, the same whether a native descriptor
 * ({@link FdSocketOps}) or a JDK channel ({@link ChannelSocketOps}) is underneath. Nothing here
 * waits: a call that would have to returns {@link #WOULD_BLOCK} (reads, accepts, datagram
 * receives) or {@code 0} (writes).
 *
 * <p>Buffers follow the channel convention: a read fills {@code dst} from its position and
 * advances it, a write drains {@code src} from its position. Direct buffers cost no copy.
 *
 * <p>Not thread safe: one loop owns a socket's operations.
 */
public abstract class SocketOps {

    /** A read or accept that would have to wait. */
    public static final int WOULD_BLOCK = -1;

    /** Address family: IPv4. */
    public static final int INET = 1;
    /** Address family: IPv6. */
    public static final int INET6 = 2;
    /** Address family: Unix domain. */
    public static final int UNIX = 3;

    /** Socket type: a byte stream. */
    public static final int STREAM = 1;
    /** Socket type: datagrams. */
    public static final int DGRAM = 2;

    private final int family;
    private final int type;

    protected SocketOps(int family, int type) {
        this.family = family;
        this.type = type;
    }

    /** {@return the address family: {@link #INET}, {@link #INET6} or {@link #UNIX}} */
    public final int family() {
        return family;
    }

    /** {@return the socket type: {@link #STREAM} or {@link #DGRAM}} */
    public final int type() {
        return type;
    }

    /** {@return the native descriptor, or -1 when a channel without a known one is underneath} */
    public abstract int fd();

    /** {@return the channel underneath, or null for a native descriptor} */
    public abstract SelectableChannel channel();

    /**
     * Reads what is there now.
     *
     * @return the bytes read, 0 at end of stream (with room in {@code dst}), or {@link #WOULD_BLOCK}
     */
    public abstract int read(ByteBuffer dst) throws IOException;

    /**
     * Writes what the socket takes now.
     *
     * @return the bytes written, 0 when the send buffer is full
     */
    public abstract int write(ByteBuffer src) throws IOException;

    /**
     * Writes several buffers in one call, in order ({@code writev}).
     *
     * @return the bytes written, 0 when the send buffer is full
     */
    public abstract long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /**
     * Accepts one waiting connection.
     *
     * @return the new socket's operations (non-blocking), or null when none waits
     */
    public abstract SocketOps accept() throws IOException;

    /**
     * Starts connecting.
     *
     * @return true when connected at once; false when under way: wait for writability, then call
     *         {@link #finishConnect()}
     */
    public abstract boolean connect(SocketAddress remote) throws IOException;

    /** Ends a connect that was under way; throws its failure. */
    public abstract void finishConnect() throws IOException;

    /** Binds to a local address. */
    public abstract void bind(SocketAddress local) throws IOException;

    /** Starts listening. */
    public abstract void listen(int backlog) throws IOException;

    /**
     * Receives one datagram.
     *
     * @return the sender, or null when none waits (then {@code dst} is untouched)
     */
    public abstract SocketAddress receive(ByteBuffer dst) throws IOException;

    /**
     * Sends one datagram to {@code target} (null: the connected peer).
     *
     * @return the bytes sent, 0 when the send buffer is full
     */
    public abstract int send(ByteBuffer src, SocketAddress target) throws IOException;

    /**
     * Sends part of a file without copying it through the Java heap where the platform allows.
     *
     * @return the bytes sent (0 when the socket is full or the file ended)
     */
    public abstract long sendfile(FileChannel file, long position, long count) throws IOException;

    /** Shuts down the sending side (the peer reads end of stream). */
    public abstract void shutdownOutput() throws IOException;

    /** Shuts down the receiving side. */
    public abstract void shutdownInput() throws IOException;

    /** {@return the local address, or null if unbound} */
    public abstract SocketAddress localAddress() throws IOException;

    /** {@return the peer's address, or null if not connected} */
    public abstract SocketAddress remoteAddress() throws IOException;

    /** Sets an option. */
    public abstract <T> void setOption(SocketOption<T> name, T value) throws IOException;

    /** {@return an option's value} */
    public abstract <T> T getOption(SocketOption<T> name) throws IOException;

    /** {@return whether {@link #close()} ran} */
    public abstract boolean isClosed();

    /** Closes the socket. Idempotent. */
    public abstract void close() throws IOException;

    /** {@return the family's name} */
    public static String familyName(int family) {
        return switch (family) {
            case INET -> "INET";
            case INET6 -> "INET6";
            case UNIX -> "UNIX";
            default -> "family " + family;
        };
    }
}

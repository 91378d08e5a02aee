package io.jasyncio;

import io.jasyncio.internal.natives.NativeLibrary;
import io.jasyncio.internal.net.ChannelFds;
import io.jasyncio.internal.net.ChannelSocketOps;
import io.jasyncio.internal.net.FdSocketOps;
import io.jasyncio.internal.net.Ipv6Only;
import io.jasyncio.internal.net.SocketOps;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * jasyncio's socket, what asyncio's {@code sock_*} calls and {@code sock=} parameters take
 * (Python's {@code socket.socket}). It is always non-blocking and close-on-exec.
 *
 * <p>Underneath is whatever the loop that uses it watches: a native descriptor for the epoll
 * loop, a JDK channel for the NIO loop. {@link #open(Family, Type)} picks the one of the loop
 * running on the calling thread, or else of the loop the default policy would make
 * ({@code -Djasyncio.loop}); {@link #open(EventLoop, Family, Type)} picks the given loop's.
 * Channel-backed sockets work on both loops: the epoll loop watches the channel's descriptor,
 * found once per socket (see {@link #wrap}). Descriptor-backed sockets work on the epoll loop
 * only; the NIO loop refuses them with an {@link IllegalArgumentException}.
 *
 * <p>Not thread safe: use a socket from one thread at a time (its loop's, once a loop watches it).
 */
public final class Socket implements AutoCloseable {

    /** Address families. */
    public enum Family {
        /** IPv4 ({@code AF_INET}). */
        INET,
        /** IPv6 ({@code AF_INET6}). */
        INET6,
        /** Unix domain ({@code AF_UNIX}): a path, or on Linux an abstract name. */
        UNIX
    }

    /** Socket types. */
    public enum Type {
        /** A byte stream ({@code SOCK_STREAM}): TCP, or a Unix stream socket. */
        STREAM,
        /** Datagrams ({@code SOCK_DGRAM}): UDP, or a Unix datagram socket. */
        DGRAM
    }

    /** {@code IPV6_V6ONLY}: an IPv6 socket that does not also take IPv4 (ignored on NIO sockets). */
    public static final SocketOption<Boolean> IPV6_V6ONLY = Ipv6Only.IPV6_V6ONLY;

    private SocketOps ops;
    /** For a channel-backed socket used by the epoll loop: its descriptor, wrapped. */
    private FdSocketOps fdView;
    private SelectableChannel fdViewOf;

    Socket(SocketOps ops) {
        this.ops = ops;
    }

    /**
     * Creates a socket for the loop running on this thread, or else for the kind of loop the
     * default policy makes.
     *
     * @param family the address family
     * @param type the socket type
     * @return the socket, unbound
     * @throws IOException if the OS refuses (no IPv6, out of descriptors)
     */
    public static Socket open(Family family, Type type) throws IOException {
        BaseEventLoop running = Running.loop();
        return open(running != null ? running : null, family, type);
    }

    /**
     * Creates a socket for {@code loop}'s kind of loop.
     *
     * @param loop the loop that will use it; null for the kind the default policy makes
     * @param family the address family
     * @param type the socket type
     * @return the socket, unbound
     * @throws IOException if the OS refuses
     * @throws UnsupportedOperationException for a Unix datagram socket on the NIO loop (the JDK
     *         has none)
     */
    public static Socket open(EventLoop loop, Family family, Type type) throws IOException {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        if (nativeFor(loop)) {
            return new Socket(FdSocketOps.open(code(family), code(type)));
        }
        return new Socket(ChannelSocketOps.open(code(family), code(type)));
    }

    /**
     * A connected pair of Unix stream sockets (on the NIO loop: a Unix socket connected through a
     * temporary path, removed at once).
     *
     * @return the two ends
     * @throws IOException if the OS refuses
     */
    public static Socket[] socketpair() throws IOException {
        return socketpair(Running.loop());
    }

    /**
     * A connected pair of Unix stream sockets for {@code loop}'s kind of loop.
     *
     * @param loop the loop that will use them; null for the kind the default policy makes
     * @return the two ends
     * @throws IOException if the OS refuses
     */
    public static Socket[] socketpair(EventLoop loop) throws IOException {
        if (nativeFor(loop)) {
            FdSocketOps[] pair = FdSocketOps.socketpair(SocketOps.STREAM);
            return new Socket[] {new Socket(pair[0]), new Socket(pair[1])};
        }
        Path dir = Files.createTempDirectory("jasyncio-pair");
        Path path = dir.resolve("s");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            SocketChannel a = SocketChannel.open(UnixDomainSocketAddress.of(path));
            SocketChannel b = server.accept();
            return new Socket[] {wrap(a), wrap(b)};
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Wraps a channel the caller made: a {@link SocketChannel}, {@link ServerSocketChannel} or
     * {@link DatagramChannel}. It is switched to non-blocking mode; closing the socket closes it.
     *
     * <p>On the NIO loop the channel is watched as it is. The epoll loop needs its descriptor,
     * which the JDK does not hand out: jasyncio asks the JDK's internal {@code SelChImpl} when the
     * JVM runs with {@code --add-exports java.base/sun.nio.ch=io.jasyncio} (or
     * {@code ALL-UNNAMED}), about 1 µs; otherwise it scans {@code /proc/self/fd} once for the
     * socket with the channel's local and peer addresses, about 6 µs per socket the process has
     * open (measured: 1.2–1.9 ms with 200 open, against 1 µs with the export). A channel
     * neither way can find (not bound yet, or sharing its addresses with another socket) is
     * refused by the epoll loop with an {@link IllegalArgumentException}. After that the loop
     * reads and writes the descriptor directly, at the same cost as its own sockets.
     *
     * @param channel the channel
     * @return the socket
     * @throws IOException if the channel cannot be made non-blocking (closed, for instance)
     */
    public static Socket wrap(NetworkChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel");
        if (!(channel instanceof SocketChannel || channel instanceof ServerSocketChannel
                || channel instanceof DatagramChannel)) {
            throw new IllegalArgumentException("not a socket channel: " + channel);
        }
        return new Socket(ChannelSocketOps.wrap(channel, ChannelSocketOps.familyOf(channel)));
    }

    private static boolean nativeFor(EventLoop loop) {
        if (loop instanceof SelectorEventLoop sel) {
            return sel.backend() == SelectorEventLoop.Backend.EPOLL;
        }
        return NativeLibrary.isAvailable() && new DefaultEventLoopPolicy().loopBackend() == SelectorEventLoop.Backend.EPOLL;
    }

    static int code(Family family) {
        return switch (family) {
            case INET -> SocketOps.INET;
            case INET6 -> SocketOps.INET6;
            case UNIX -> SocketOps.UNIX;
        };
    }

    static int code(Type type) {
        return type == Type.STREAM ? SocketOps.STREAM : SocketOps.DGRAM;
    }

    /** The operations for the socket's own backing. */
    SocketOps ops() {
        return ops;
    }

    /**
     * The operations a loop of {@code backend} uses.
     *
     * @throws IllegalArgumentException if that loop cannot watch this socket
     */
    SocketOps opsFor(SelectorEventLoop.Backend backend) {
        if (backend == SelectorEventLoop.Backend.NIO) {
            if (ops.channel() == null) {
                throw new IllegalArgumentException("the NIO loop watches channels, and " + this + " is a native"
                        + " descriptor: create it with Socket.open(loop, ...) for the NIO loop");
            }
            return ops;
        }
        SelectableChannel ch = ops.channel();
        if (ch == null) {
            return ops;
        }
        if (fdView == null || fdViewOf != ch) {
            int fd = ChannelFds.fdOf(ch);
            if (fd < 0) {
                throw new IllegalArgumentException("the epoll loop cannot find the descriptor of " + ch
                        + ": bind it first, or run with --add-exports java.base/sun.nio.ch=io.jasyncio"
                        + " (ALL-UNNAMED on the class path)");
            }
            fdView = FdSocketOps.adopt(fd, ops.family(), ops.type(), ops::close);
            fdViewOf = ch;
        }
        return fdView;
    }

    /**
     * The address family.
     *
     * @return the family
     */
    public Family family() {
        return Family.values()[ops.family() - 1];
    }

    /**
     * The socket type.
     *
     * @return the type
     */
    public Type type() {
        return ops.type() == SocketOps.STREAM ? Type.STREAM : Type.DGRAM;
    }

    /**
     * The native descriptor (Python's {@code fileno()}).
     *
     * @return the descriptor; -1 once closed, or for a channel-backed socket whose descriptor
     *         is not known
     */
    public int fileno() {
        if (ops.isClosed()) {
            return -1;
        }
        int fd = ops.fd();
        return fd >= 0 ? fd : ChannelFds.fdOf(ops.channel());
    }

    /**
     * The JDK channel underneath, for a channel-backed socket.
     *
     * @return the channel, or null for a descriptor-backed socket
     */
    public SelectableChannel channel() {
        return ops.channel();
    }

    /**
     * Binds to a local address.
     *
     * @param local an {@link java.net.InetSocketAddress} (resolved), a
     *        {@link UnixDomainSocketAddress}, or an abstract name
     *        ({@link #abstractAddress(String)})
     * @throws IOException if the OS refuses ({@link java.net.BindException} when in use)
     */
    public void bind(SocketAddress local) throws IOException {
        ops.bind(Objects.requireNonNull(local, "local"));
    }

    /**
     * Starts listening, with the OS's largest backlog.
     *
     * @throws IOException if the OS refuses
     */
    public void listen() throws IOException {
        listen(4096);
    }

    /**
     * Starts listening.
     *
     * @param backlog how many connections may wait to be accepted
     * @throws IOException if the OS refuses
     * @throws IllegalArgumentException for a negative backlog
     */
    public void listen(int backlog) throws IOException {
        if (backlog < 0) {
            throw new IllegalArgumentException("negative backlog: " + backlog);
        }
        ops.listen(backlog);
    }

    /**
     * The local address (Python's {@code getsockname()}).
     *
     * @return the address, or null if unbound (NIO)
     * @throws IOException if the socket is closed
     */
    public SocketAddress localAddress() throws IOException {
        return ops.localAddress();
    }

    /**
     * The peer's address (Python's {@code getpeername()}).
     *
     * @return the address, or null if not connected
     * @throws IOException if the socket is closed
     */
    public SocketAddress remoteAddress() throws IOException {
        return ops.remoteAddress();
    }

    /**
     * Sets an option: {@link java.net.StandardSocketOptions}' {@code SO_REUSEADDR},
     * {@code SO_REUSEPORT}, {@code SO_KEEPALIVE}, {@code SO_RCVBUF}, {@code SO_SNDBUF},
     * {@code SO_BROADCAST}, {@code SO_LINGER}, {@code TCP_NODELAY}, or {@link #IPV6_V6ONLY}.
     *
     * @param <T> the option's value type
     * @param name the option
     * @param value its value
     * @throws IOException if the OS refuses
     * @throws UnsupportedOperationException for another option
     */
    public <T> void setOption(SocketOption<T> name, T value) throws IOException {
        ops.setOption(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    }

    /**
     * Reads an option.
     *
     * @param <T> the option's value type
     * @param name as {@link #setOption}
     * @return its value
     * @throws IOException if the OS refuses
     */
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return ops.getOption(Objects.requireNonNull(name, "name"));
    }

    /**
     * Shuts down the sending side: the peer reads end of stream.
     *
     * @throws IOException if not connected, or closed
     */
    public void shutdownOutput() throws IOException {
        ops.shutdownOutput();
    }

    /**
     * Shuts down the receiving side.
     *
     * @throws IOException if not connected, or closed
     */
    public void shutdownInput() throws IOException {
        ops.shutdownInput();
    }

    // ---- Python's non-blocking socket calls: each returns at once ----

    /** What {@link #recv(ByteBuffer)} returns when nothing has arrived yet. */
    public static final int WOULD_BLOCK = -1;

    /**
     * Reads what has arrived, without waiting (Python's {@code recv_into} on a non-blocking
     * socket). Fills {@code dst} from its position and advances it. Loop thread only once a loop
     * watches the socket: call it when the loop says the socket is readable
     * ({@link EventLoop#addReader(Socket, Runnable)}).
     *
     * @param dst where the bytes go
     * @return the bytes read; 0 at end of stream (the peer closed or shut down its side), as in
     *         Python; {@link #WOULD_BLOCK} when nothing has arrived yet (where Python raises
     *         {@code BlockingIOError}). A datagram socket reads one datagram.
     * @throws IOException if the OS refuses: a reset connection is a
     *         {@link java.net.SocketException}, a closed socket a
     *         {@link java.nio.channels.ClosedChannelException} or its native equivalent
     */
    public int recv(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (!dst.hasRemaining()) {
            return 0;
        }
        return ops.read(dst);
    }

    /**
     * Reads up to {@code bufsize} bytes of what has arrived, without waiting (Python's
     * {@code recv(bufsize)} on a non-blocking socket).
     *
     * @param bufsize the most bytes to read, at least 0
     * @return the bytes; empty at end of stream, as in Python; null when nothing has arrived yet
     *         (where Python raises {@code BlockingIOError})
     * @throws IOException as {@link #recv(ByteBuffer)}
     * @throws IllegalArgumentException for a negative size
     */
    public byte[] recv(int bufsize) throws IOException {
        if (bufsize < 0) {
            throw new IllegalArgumentException("negative buffer size: " + bufsize);
        }
        if (bufsize == 0) {
            return new byte[0];
        }
        ByteBuffer dst = ByteBuffer.allocate(bufsize);
        int n = ops.read(dst);
        if (n == WOULD_BLOCK) {
            return null;
        }
        return java.util.Arrays.copyOf(dst.array(), n);
    }

    /**
     * Writes what the socket takes now, without waiting (Python's {@code send} on a non-blocking
     * socket). Drains {@code src} from its position and advances it by the count.
     *
     * @param src the bytes to send
     * @return the bytes sent; 0 when the send buffer is full (where Python raises
     *         {@code BlockingIOError}; asyncore turned that into 0 too)
     * @throws IOException if the OS refuses: a reset connection or broken pipe is a
     *         {@link java.net.SocketException}
     */
    public int send(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        if (!src.hasRemaining()) {
            return 0;
        }
        return ops.write(src);
    }

    /**
     * Accepts one waiting connection, without waiting (Python's {@code accept} on a non-blocking
     * listening socket). The new socket is non-blocking and close-on-exec, for the same kind of
     * loop as this one; its {@link #remoteAddress()} is the address Python's call returns with it.
     *
     * @return the connected socket, or null when no connection waits (where Python raises
     *         {@code BlockingIOError})
     * @throws IOException if the OS refuses (not listening, closed)
     */
    public Socket accept() throws IOException {
        SocketOps client = ops.accept();
        return client == null ? null : new Socket(client);
    }

    /**
     * Starts connecting, without waiting (Python's {@code connect_ex} on a non-blocking socket,
     * with the error as an exception). When it returns false, wait until the loop says the socket
     * is writable ({@link EventLoop#addWriter(Socket, Runnable)}), then call
     * {@link #finishConnect()} for the outcome.
     *
     * @param address the peer: an {@link java.net.InetSocketAddress} (an unresolved one is
     *        resolved here, blocking, as Python's {@code connect} does), a
     *        {@link UnixDomainSocketAddress} or an abstract name
     * @return true when connected at once (Python: 0); false when under way (Python:
     *         {@code EINPROGRESS})
     * @throws IOException if the OS refuses at once ({@link java.net.ConnectException} when refused,
     *         {@link java.net.UnknownHostException} for a name that does not resolve)
     */
    public boolean connect(SocketAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        if (address instanceof java.net.InetSocketAddress inet && inet.isUnresolved()) {
            address = new java.net.InetSocketAddress(java.net.InetAddress.getByName(inet.getHostString()),
                    inet.getPort());
        }
        return ops.connect(address);
    }

    /**
     * Ends a connect that {@link #connect(SocketAddress)} left under way, once the socket is
     * writable (Python reads {@code SO_ERROR} for this). Does nothing on a socket connected at once.
     *
     * @throws IOException the connect's failure: {@link java.net.ConnectException} when refused; a
     *         {@link java.net.SocketException} when it is still under way
     */
    public void finishConnect() throws IOException {
        ops.finishConnect();
    }

    /**
     * Whether {@link #close()} ran.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return ops.isClosed();
    }

    /**
     * Closes the socket. Idempotent. Remove it from any loop watching it first
     * ({@link EventLoop#removeReader(Socket)}).
     *
     * @throws IOException if the OS reports an error while closing
     */
    @Override
    public void close() throws IOException {
        ops.close();
    }

    /**
     * A Linux abstract Unix socket name (it lives in the kernel, not the file system).
     *
     * @param name the name, without the leading NUL byte
     * @return an address for {@link #bind} and the Unix connection calls
     */
    public static SocketAddress abstractAddress(String name) {
        return io.jasyncio.internal.natives.SockAddr.AbstractName.of(name);
    }

    @Override
    public String toString() {
        return "Socket[" + family() + ", " + type() + ", " + ops + "]";
    }
}

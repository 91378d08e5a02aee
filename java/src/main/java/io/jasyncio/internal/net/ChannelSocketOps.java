package io.jasyncio.internal.net;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Socket operations on a JDK channel in non-blocking mode: a {@link SocketChannel}, a
 * {@link ServerSocketChannel} (once {@link #listen} ran, or given one) or a
 * {@link DatagramChannel}. A stream socket starts as a {@link SocketChannel} and becomes a
 * {@link ServerSocketChannel} at {@link #listen}, bound to the same address (the JDK cannot turn
 * one into the other).
 */
public final class ChannelSocketOps extends SocketOps {

    private NetworkChannel channel;
    /** Options set before a {@link #listen} that will replace the channel. */
    private final java.util.Map<SocketOption<?>, Object> options = new java.util.LinkedHashMap<>();
    private SocketAddress boundTo;
    /** The backlog a server channel binds with (the JDK listens as it binds). */
    private int serverBacklog;

    private ChannelSocketOps(NetworkChannel channel, int family, int type) {
        super(family, type);
        this.channel = channel;
    }

    /** A new non-blocking channel of this family and type. */
    public static ChannelSocketOps open(int family, int type) throws IOException {
        ProtocolFamily pf = switch (family) {
            case INET -> StandardProtocolFamily.INET;
            case INET6 -> StandardProtocolFamily.INET6;
            case UNIX -> StandardProtocolFamily.UNIX;
            default -> throw new IllegalArgumentException("unknown family " + family);
        };
        NetworkChannel ch;
        if (type == STREAM) {
            ch = SocketChannel.open(pf);
        } else if (type == DGRAM) {
            if (family == UNIX) {
                throw new UnsupportedOperationException("Unix datagram sockets need the native library");
            }
            ch = DatagramChannel.open(pf);
        } else {
            throw new IllegalArgumentException("unknown socket type " + type);
        }
        ((SelectableChannel) ch).configureBlocking(false);
        return new ChannelSocketOps(ch, family, type);
    }

    /** A new non-blocking listening channel of this family (bind it, then {@link #listen}). */
    public static ChannelSocketOps openServer(int family, int backlog) throws IOException {
        ProtocolFamily pf = switch (family) {
            case INET -> StandardProtocolFamily.INET;
            case INET6 -> StandardProtocolFamily.INET6;
            case UNIX -> StandardProtocolFamily.UNIX;
            default -> throw new IllegalArgumentException("unknown family " + family);
        };
        ServerSocketChannel ch = ServerSocketChannel.open(pf);
        ch.configureBlocking(false);
        ChannelSocketOps ops = new ChannelSocketOps(ch, family, STREAM);
        ops.serverBacklog = backlog;
        return ops;
    }

    /** Wraps a user's channel, switching it to non-blocking mode. */
    public static ChannelSocketOps wrap(NetworkChannel channel, int family) throws IOException {
        ((SelectableChannel) channel).configureBlocking(false);
        int type = channel instanceof DatagramChannel ? DGRAM : STREAM;
        return new ChannelSocketOps(channel, family, type);
    }

    /** The family of a JDK channel, from its local address or its class. */
    public static int familyOf(NetworkChannel channel) throws IOException {
        SocketAddress local = channel.getLocalAddress();
        if (local instanceof java.net.UnixDomainSocketAddress) {
            return UNIX;
        }
        if (local instanceof java.net.InetSocketAddress inet) {
            return inet.getAddress() instanceof java.net.Inet6Address ? INET6 : INET;
        }
        String name = channel.getClass().getName();
        return name.contains("Unix") ? UNIX : INET6;
    }

    @Override
    public int fd() {
        return -1;
    }

    @Override
    public SelectableChannel channel() {
        return (SelectableChannel) channel;
    }

    private SocketChannel stream(String call) throws IOException {
        if (channel instanceof SocketChannel sc) {
            return sc;
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        throw new java.net.SocketException(call + ": not a connected stream socket");
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (channel instanceof DatagramChannel dc) {
            int before = dst.position();
            SocketAddress from = dc.receive(dst);
            return from == null ? WOULD_BLOCK : dst.position() - before;
        }
        int n = stream("recv").read(dst);
        return n < 0 ? 0 : n == 0 ? WOULD_BLOCK : n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (channel instanceof DatagramChannel dc) {
            return dc.write(src);
        }
        try {
            return stream("send").write(src);
        } catch (IOException e) {
            throw socketError("send", e);
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        try {
            return stream("writev").write(srcs, offset, length);
        } catch (IOException e) {
            throw socketError("writev", e);
        }
    }

    /**
     * The JDK reports EPIPE on a stream socket as a bare {@link IOException} ("Broken pipe"); the
     * native path and SPEC 13 make a reset or broken pipe a {@link java.net.SocketException}, which
     * the transports treat as the peer going away rather than as a bug to report.
     */
    private static IOException socketError(String call, IOException e) {
        if (e instanceof java.net.SocketException || e instanceof ClosedChannelException) {
            return e;
        }
        java.net.SocketException se = new java.net.SocketException(call + ": " + e.getMessage());
        se.initCause(e);
        return se;
    }

    @Override
    public SocketOps accept() throws IOException {
        if (!(channel instanceof ServerSocketChannel server)) {
            if (!channel.isOpen()) {
                throw new ClosedChannelException();
            }
            throw new java.net.SocketException("accept: the socket is not listening");
        }
        SocketChannel client = server.accept();
        if (client == null) {
            return null;
        }
        client.configureBlocking(false);
        return new ChannelSocketOps(client, family(), STREAM);
    }

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        if (channel instanceof DatagramChannel dc) {
            dc.connect(remote);
            return true;
        }
        return stream("connect").connect(remote);
    }

    @Override
    public void finishConnect() throws IOException {
        if (channel instanceof SocketChannel sc && sc.isConnectionPending()) {
            if (!sc.finishConnect()) {
                throw new java.net.SocketException("connect: still in progress");
            }
        }
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        if (channel instanceof ServerSocketChannel server) {
            // The JDK listens as it binds, so the backlog is given now.
            server.bind(local, serverBacklog);
        } else {
            channel.bind(local);
        }
        boundTo = local;
    }

    @Override
    public void listen(int backlog) throws IOException {
        if (channel instanceof ServerSocketChannel server) {
            if (server.getLocalAddress() == null) {
                server.bind(boundTo, backlog <= 0 ? 0 : backlog);
            }
            return;
        }
        if (!(channel instanceof SocketChannel old)) {
            throw new java.net.SocketException("listen: a datagram socket cannot listen");
        }
        ProtocolFamily pf = family() == UNIX ? StandardProtocolFamily.UNIX
                : family() == INET ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        ServerSocketChannel server = ServerSocketChannel.open(pf);
        try {
            server.configureBlocking(false);
            for (var e : options.entrySet()) {
                setServerOption(server, e.getKey(), e.getValue());
            }
            SocketAddress local = old.getLocalAddress();
            // The stream socket holds the address; free it first.
            old.close();
            SocketAddress target = local != null ? local : boundTo;
            if (target == null && family() == UNIX) {
                throw new java.net.SocketException("listen: bind a Unix socket to a path first");
            }
            server.bind(target, backlog <= 0 ? 0 : backlog);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        channel = server;
    }

    @SuppressWarnings("unchecked")
    private static <T> void setServerOption(ServerSocketChannel server, SocketOption<T> name, Object value)
            throws IOException {
        if (server.supportedOptions().contains(name)) {
            server.setOption(name, (T) value);
        }
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        if (!(channel instanceof DatagramChannel dc)) {
            throw new java.net.SocketException("recvfrom: not a datagram socket");
        }
        return dc.receive(dst);
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        if (!(channel instanceof DatagramChannel dc)) {
            throw new java.net.SocketException("sendto: not a datagram socket");
        }
        return target == null ? dc.write(src) : dc.send(src, target);
    }

    @Override
    public long sendfile(FileChannel file, long position, long count) throws IOException {
        return file.transferTo(position, count, stream("sendfile"));
    }

    @Override
    public void shutdownOutput() throws IOException {
        stream("shutdown").shutdownOutput();
    }

    @Override
    public void shutdownInput() throws IOException {
        stream("shutdown").shutdownInput();
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        return channel.getLocalAddress();
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        if (channel instanceof SocketChannel sc) {
            return sc.getRemoteAddress();
        }
        if (channel instanceof DatagramChannel dc) {
            return dc.getRemoteAddress();
        }
        return null;
    }

    @Override
    public <T> void setOption(SocketOption<T> name, T value) throws IOException {
        if (name == Ipv6Only.IPV6_V6ONLY) {
            // The JDK binds IPv6 sockets dual-stack and offers no switch.
            return;
        }
        if (!channel.supportedOptions().contains(name)) {
            throw new UnsupportedOperationException("socket option " + name.name() + " is not supported by "
                    + channel.getClass().getSimpleName());
        }
        channel.setOption(name, value);
        options.put(name, value);
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        if (name == Ipv6Only.IPV6_V6ONLY) {
            return name.type().cast(Boolean.FALSE);
        }
        return channel.getOption(name);
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return channel.toString();
    }
}

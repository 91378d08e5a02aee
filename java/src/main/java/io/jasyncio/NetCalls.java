package io.jasyncio;

import io.jasyncio.internal.net.ChannelSocketOps;
import io.jasyncio.internal.net.FdSocketOps;
import io.jasyncio.internal.net.SocketOps;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Name resolution, connections and servers on a readiness loop: asyncio's
 * {@code create_connection}, {@code create_server} and their Unix kin, written as tasks (they
 * run once per connection or server, so clarity wins over the last nanosecond).
 */
final class NetCalls {
    private final SelectorEventLoop loop;

    NetCalls(SelectorEventLoop loop) {
        this.loop = loop;
    }

    // ---- resolution ----

    Future<List<AddressInfo>> getaddrinfo(String host, int port, Socket.Family family, Socket.Type type,
            boolean passive) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Socket.Type t = type == null ? Socket.Type.STREAM : type;
        InetAddress literal = literal(host);
        if (host == null || host.isEmpty() || literal != null) {
            Future<List<AddressInfo>> done = loop.createFuture();
            List<InetAddress> addresses = new ArrayList<>();
            if (literal != null) {
                addresses.add(literal);
            } else if (passive) {
                addresses.add(anyLocal(true));
                addresses.add(anyLocal(false));
            } else {
                addresses.add(InetAddress.getLoopbackAddress());
            }
            try {
                done.setResult(infos(host, addresses, port, family, t));
            } catch (UnknownHostException e) {
                done.setException(e);
            }
            return done;
        }
        return loop.runInExecutor(null, () -> infos(host, List.of(InetAddress.getAllByName(host)), port, family, t));
    }

    private static InetAddress anyLocal(boolean v6) {
        try {
            return v6 ? InetAddress.getByName("::") : InetAddress.getByName("0.0.0.0");
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress literal(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(host.startsWith("[") && host.endsWith("]")
                    ? host.substring(1, host.length() - 1) : host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<AddressInfo> infos(String host, List<InetAddress> addresses, int port, Socket.Family family,
            Socket.Type type) throws UnknownHostException {
        List<AddressInfo> out = new ArrayList<>();
        int protocol = type == Socket.Type.STREAM ? 6 : 17;
        for (InetAddress a : addresses) {
            Socket.Family f = a instanceof Inet6Address ? Socket.Family.INET6 : Socket.Family.INET;
            if (family != null && family != f) {
                continue;
            }
            out.add(new AddressInfo(f, type, protocol, "", new InetSocketAddress(a, port)));
        }
        if (out.isEmpty()) {
            throw new UnknownHostException("getaddrinfo(" + host + "): no address"
                    + (family != null ? " of family " + family : ""));
        }
        return out;
    }

    Future<NameInfo> getnameinfo(InetSocketAddress address, boolean numeric) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("getnameinfo needs a resolved address: " + address);
        }
        String port = Integer.toString(address.getPort());
        if (numeric) {
            Future<NameInfo> done = loop.createFuture();
            done.setResult(new NameInfo(address.getAddress().getHostAddress(), port));
            return done;
        }
        return loop.runInExecutor(null, () -> new NameInfo(address.getAddress().getCanonicalHostName(), port));
    }

    // ---- connections ----

    <P extends BaseProtocol> Future<Connection<P>> createConnection(Supplier<P> factory, ConnectOptions o) {
        java.util.Objects.requireNonNull(factory, "protocolFactory");
        java.util.Objects.requireNonNull(o, "options");
        if (o.serverHostname() != null && o.ssl() == null) {
            throw new IllegalArgumentException("serverHostname is only meaningful with ssl");
        }
        if (o.sock() != null && (o.host() != null || o.port() != 0 || o.unixAddress() != null)) {
            throw new IllegalArgumentException("host/port and sock can not be specified at the same time");
        }
        if (o.sock() == null && o.host() == null && o.unixAddress() == null) {
            throw new IllegalArgumentException("host and port was not specified and no sock specified");
        }
        if (o.sock() != null && o.sock().type() != Socket.Type.STREAM) {
            throw new IllegalArgumentException("A Stream Socket was expected, got " + o.sock());
        }
        return loop.createTask(() -> {
            Socket sock = o.sock();
            if (sock == null && o.unixAddress() != null) {
                sock = connectUnix(o.unixAddress());
            } else if (sock == null) {
                sock = connectTcp(o);
            }
            String serverHostname = o.serverHostname() != null ? o.serverHostname() : o.host();
            return makeConnection(factory, sock, o.ssl(), false, serverHostname, o.sslHandshakeTimeout(),
                    o.sslShutdownTimeout());
        }, "createConnection");
    }

    <P extends BaseProtocol> Future<Connection<P>> connectAccepted(Supplier<P> factory, Socket sock,
            javax.net.ssl.SSLContext ssl) {
        java.util.Objects.requireNonNull(sock, "sock");
        if (sock.type() != Socket.Type.STREAM) {
            throw new IllegalArgumentException("A Stream Socket was expected, got " + sock);
        }
        return loop.createTask(() -> makeConnection(factory, sock, ssl, true, null, null, null),
                "connectAcceptedSocket");
    }

    private <P extends BaseProtocol> Connection<P> makeConnection(Supplier<P> factory, Socket sock,
            javax.net.ssl.SSLContext ssl, boolean serverSide, String serverHostname, Duration handshakeTimeout,
            Duration shutdownTimeout) throws Exception {
        P protocol;
        try {
            protocol = factory.get();
        } catch (RuntimeException e) {
            closeQuietly(sock);
            throw e;
        }
        Future<Void> waiter = loop.createFuture();
        Transport transport;
        try {
            transport = loop.newStreamTransport(sock, protocol, ssl, serverSide, serverHostname, handshakeTimeout,
                    shutdownTimeout, waiter, null);
        } catch (RuntimeException e) {
            closeQuietly(sock);
            throw e;
        }
        try {
            waiter.await();
        } catch (Throwable e) {
            transport.close();
            throw e;
        }
        return new Connection<>(transport, protocol);
    }

    private Socket connectUnix(SocketAddress address) throws Exception {
        Socket sock = Socket.open(loop, Socket.Family.UNIX, Socket.Type.STREAM);
        boolean ok = false;
        try {
            loop.sockConnect(sock, address).await();
            ok = true;
            return sock;
        } finally {
            if (!ok) {
                closeQuietly(sock);
            }
        }
    }

    private Socket connectTcp(ConnectOptions o) throws Exception {
        List<AddressInfo> infos = getaddrinfo(o.host(), o.port(), o.family(), Socket.Type.STREAM, false).await();
        List<AddressInfo> locals = null;
        if (o.localAddr() != null) {
            locals = localInfos(o.localAddr(), o.family());
        }
        if (o.interleave() > 0) {
            infos = interleave(infos, o.interleave());
        }
        List<Throwable> errors = new ArrayList<>();
        if (o.happyEyeballsDelay() == null || infos.size() == 1) {
            for (AddressInfo info : infos) {
                try {
                    return connectOne(info, locals);
                } catch (IOException e) {
                    errors.add(e);
                }
            }
        } else {
            Socket winner = staggered(infos, locals, o.happyEyeballsDelay(), errors);
            if (winner != null) {
                return winner;
            }
        }
        throw combined(errors);
    }

    private List<AddressInfo> localInfos(SocketAddress local, Socket.Family family) throws Exception {
        if (local instanceof InetSocketAddress inet) {
            String host = inet.isUnresolved() ? inet.getHostString() : inet.getAddress().getHostAddress();
            return getaddrinfo(host, inet.getPort(), family, Socket.Type.STREAM, false).await();
        }
        throw new IllegalArgumentException("localAddr must be an InetSocketAddress: " + local);
    }

    private Socket connectOne(AddressInfo info, List<AddressInfo> locals) throws Exception {
        Socket sock = Socket.open(loop, info.family(), Socket.Type.STREAM);
        boolean ok = false;
        try {
            if (locals != null) {
                IOException bindError = null;
                boolean bound = false;
                for (AddressInfo local : locals) {
                    if (local.family() != info.family()) {
                        continue;
                    }
                    try {
                        sock.bind(local.address());
                        bound = true;
                        break;
                    } catch (IOException e) {
                        bindError = new IOException("error while attempting to bind on address " + local.address()
                                + ": " + e.getMessage(), e);
                    }
                }
                if (!bound) {
                    throw bindError != null ? bindError
                            : new IOException("no matching local address with family=" + info.family() + " found");
                }
            }
            loop.sockConnect(sock, info.address()).await();
            ok = true;
            return sock;
        } finally {
            if (!ok) {
                closeQuietly(sock);
            }
        }
    }

    /** RFC 8305: start the next attempt after {@code delay} or when one fails; the first to connect wins. */
    private Socket staggered(List<AddressInfo> infos, List<AddressInfo> locals, Duration delay,
            List<Throwable> errors) throws Exception {
        List<Task<Socket>> running = new ArrayList<>();
        int next = 0;
        try {
            while (true) {
                if (next < infos.size()) {
                    AddressInfo info = infos.get(next++);
                    running.add(loop.createTask(() -> connectOne(info, locals)));
                }
                Set<Future<Socket>> pending = new LinkedHashSet<>();
                for (Task<Socket> t : running) {
                    if (!t.done()) {
                        pending.add(t);
                    }
                }
                for (Task<Socket> t : running) {
                    if (t.done() && !t.cancelled() && t.exception() == null) {
                        return takeWinner(t, running);
                    }
                }
                if (pending.isEmpty()) {
                    if (next >= infos.size()) {
                        break;
                    }
                    continue;
                }
                if (next < infos.size()) {
                    Asyncio.wait(pending, delay, ReturnWhen.FIRST_COMPLETED).await();
                } else {
                    Asyncio.wait(pending, ReturnWhen.FIRST_COMPLETED).await();
                }
                for (Task<Socket> t : running) {
                    if (t.done() && !t.cancelled() && t.exception() == null) {
                        return takeWinner(t, running);
                    }
                }
            }
        } finally {
            for (Task<Socket> t : running) {
                if (!t.done()) {
                    t.cancel();
                }
            }
        }
        for (Task<Socket> t : running) {
            if (!t.cancelled() && t.exception() != null) {
                errors.add(t.exception());
            }
        }
        return null;
    }

    private static Socket takeWinner(Task<Socket> winner, List<Task<Socket>> running) {
        for (Task<Socket> t : running) {
            if (t != winner) {
                if (!t.done()) {
                    t.cancel();
                } else if (!t.cancelled() && t.exception() == null) {
                    closeQuietly(t.result());
                }
            }
        }
        return winner.result();
    }

    private static List<AddressInfo> interleave(List<AddressInfo> infos, int firstFamilyCount) {
        List<AddressInfo> first = new ArrayList<>();
        List<AddressInfo> other = new ArrayList<>();
        Socket.Family leading = infos.getFirst().family();
        for (AddressInfo i : infos) {
            (i.family() == leading ? first : other).add(i);
        }
        List<AddressInfo> out = new ArrayList<>();
        int a = 0;
        int b = 0;
        for (int k = 0; k < firstFamilyCount - 1 && a < first.size(); k++) {
            out.add(first.get(a++));
        }
        while (a < first.size() || b < other.size()) {
            if (a < first.size()) {
                out.add(first.get(a++));
            }
            if (b < other.size()) {
                out.add(other.get(b++));
            }
        }
        return out;
    }

    static IOException combined(List<Throwable> errors) {
        if (errors.isEmpty()) {
            return new ConnectException("no address to connect to");
        }
        Throwable first = errors.getFirst();
        boolean same = true;
        for (Throwable t : errors) {
            same &= t.getClass() == first.getClass();
        }
        if (same && first instanceof IOException io) {
            for (Throwable t : errors.subList(1, errors.size())) {
                io.addSuppressed(t);
            }
            return io;
        }
        StringBuilder sb = new StringBuilder("Multiple exceptions: ");
        for (int i = 0; i < errors.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(errors.get(i));
        }
        IOException e = new IOException(sb.toString(), first);
        for (Throwable t : errors.subList(1, errors.size())) {
            e.addSuppressed(t);
        }
        return e;
    }

    // ---- servers ----

    Future<Server> createServer(Supplier<? extends BaseProtocol> factory, ServerOptions o) {
        java.util.Objects.requireNonNull(factory, "protocolFactory");
        java.util.Objects.requireNonNull(o, "options");
        if (o.sock() != null && (!o.hosts().isEmpty() || o.port() != 0 || o.unixAddress() != null)) {
            throw new IllegalArgumentException("host/port and sock can not be specified at the same time");
        }
        if (o.sock() != null && o.sock().type() != Socket.Type.STREAM) {
            throw new IllegalArgumentException("A Stream Socket was expected, got " + o.sock());
        }
        return loop.createTask(() -> {
            List<Socket> sockets = new ArrayList<>();
            try {
                if (o.sock() != null) {
                    sockets.add(o.sock());
                } else if (o.unixAddress() != null) {
                    sockets.add(unixListener(o.unixAddress(), o.backlog()));
                } else {
                    bindAll(o, sockets);
                }
            } catch (Throwable e) {
                for (Socket s : sockets) {
                    closeQuietly(s);
                }
                throw e;
            }
            Server server = new Server(loop, sockets, factory, o);
            if (o.startServing()) {
                server.startAccepting();
            }
            return server;
        }, "createServer");
    }

    private void bindAll(ServerOptions o, List<Socket> sockets) throws Exception {
        Set<InetSocketAddress> seen = new LinkedHashSet<>();
        List<AddressInfo> infos = new ArrayList<>();
        if (o.hosts().isEmpty()) {
            infos.addAll(getaddrinfo(null, o.port(), o.family(), Socket.Type.STREAM, true).await());
        } else {
            for (String host : o.hosts()) {
                infos.addAll(getaddrinfo(host, o.port(), o.family(), Socket.Type.STREAM, true).await());
            }
        }
        boolean dualStackOnly = loop.backend() == SelectorEventLoop.Backend.NIO && o.hosts().isEmpty();
        for (AddressInfo info : infos) {
            if (!seen.add(info.address())) {
                continue;
            }
            if (dualStackOnly && info.family() == Socket.Family.INET && infos.stream()
                    .anyMatch(i -> i.family() == Socket.Family.INET6)) {
                // The JDK binds "::" dual-stack and cannot turn that off: one socket serves both.
                continue;
            }
            Socket sock = listener(info.family(), o.backlog());
            sockets.add(sock);
            Boolean reuse = o.reuseAddress();
            if (reuse == null || reuse) {
                sock.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            if (o.reusePort()) {
                sock.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            if (info.family() == Socket.Family.INET6 && loop.backend() == SelectorEventLoop.Backend.EPOLL) {
                sock.setOption(Socket.IPV6_V6ONLY, true);
            }
            try {
                sock.bind(info.address());
            } catch (IOException e) {
                java.net.BindException be = new java.net.BindException("error while attempting to bind on address "
                        + info.address() + ": " + e.getMessage());
                be.initCause(e);
                throw be;
            }
        }
    }

    private Socket listener(Socket.Family family, int backlog) throws IOException {
        if (loop.backend() == SelectorEventLoop.Backend.EPOLL) {
            return new Socket(FdSocketOps.open(Socket.code(family), SocketOps.STREAM));
        }
        return new Socket(ChannelSocketOps.openServer(Socket.code(family), backlog));
    }

    private Socket unixListener(SocketAddress address, int backlog) throws IOException {
        if (address instanceof UnixDomainSocketAddress unix && !unix.getPath().toString().isEmpty()) {
            Path path = unix.getPath();
            try {
                BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (attrs.isOther()) {
                    // A stale socket file from an earlier server: asyncio removes it too.
                    Files.deleteIfExists(path);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // nothing to remove
            }
        }
        Socket sock = listener(Socket.Family.UNIX, backlog);
        try {
            sock.bind(address);
        } catch (IOException e) {
            closeQuietly(sock);
            throw e;
        }
        return sock;
    }

    static SocketAddress unixAddress(String path) {
        java.util.Objects.requireNonNull(path, "path");
        if (path.startsWith("\0")) {
            return Socket.abstractAddress(path.substring(1));
        }
        return UnixDomainSocketAddress.of(path);
    }

    static void closeQuietly(Socket sock) {
        try {
            sock.close();
        } catch (IOException e) {
            // already failing
        }
    }

    static boolean isV4(InetAddress a) {
        return a instanceof Inet4Address;
    }
}

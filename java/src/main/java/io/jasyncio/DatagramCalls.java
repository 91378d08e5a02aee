package io.jasyncio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * asyncio's {@code create_datagram_endpoint} on a readiness loop, written as a task (it runs once
 * per endpoint). Argument errors are thrown at the call, as {@link NetCalls} does; failures of
 * resolution, socket creation, bind and connect complete the returned future.
 */
final class DatagramCalls {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    /** {@code S_IFMT} and {@code S_IFSOCK} of {@code st_mode}: the file types asyncio checks. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final SelectorEventLoop loop;

    DatagramCalls(SelectorEventLoop loop) {
        this.loop = loop;
    }

    <P extends DatagramProtocol> Future<DatagramEndpoint<P>> create(Supplier<P> factory, DatagramOptions o) {
        Objects.requireNonNull(factory, "protocolFactory");
        Objects.requireNonNull(o, "options");
        loop.checkClosed();
        if (o.sock() != null) {
            if (o.sock().type() != Socket.Type.DGRAM) {
                throw new IllegalArgumentException("A datagram socket was expected, got " + o.sock());
            }
            List<String> problems = new ArrayList<>();
            if (o.localAddr() != null) {
                problems.add("localAddr=" + o.localAddr());
            }
            if (o.remoteAddr() != null) {
                problems.add("remoteAddr=" + o.remoteAddr());
            }
            if (o.family() != null) {
                problems.add("family=" + o.family());
            }
            if (o.reusePort()) {
                problems.add("reusePort=true");
            }
            if (o.allowBroadcast()) {
                problems.add("allowBroadcast=true");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("socket modifier options can not be used when sock is specified. ("
                        + String.join(", ", problems) + ")");
            }
            Socket sock = o.sock();
            sock.opsFor(loop.backend()); // refuses a socket this loop cannot watch, now
            return loop.createTask(() -> endpoint(factory, sock, null), "createDatagramEndpoint");
        }
        boolean unix = o.family() == Socket.Family.UNIX || isUnix(o.localAddr()) || isUnix(o.remoteAddr());
        if (unix) {
            for (SocketAddress a : new SocketAddress[] {o.localAddr(), o.remoteAddr()}) {
                if (a != null && !isUnix(a)) {
                    throw new IllegalArgumentException("a Unix datagram endpoint needs Unix addresses, not " + a);
                }
            }
            if (o.family() != null && o.family() != Socket.Family.UNIX) {
                throw new IllegalArgumentException("family " + o.family() + " with Unix addresses");
            }
            if (loop.backend() != SelectorEventLoop.Backend.EPOLL) {
                throw new UnsupportedOperationException("Unix datagram endpoints need the epoll loop: the JDK has"
                        + " no Unix DatagramChannel for the " + loop.backend() + " loop");
            }
            return loop.createTask(() -> endpoint(factory, unixSocket(o), o.remoteAddr()), "createDatagramEndpoint");
        }
        for (SocketAddress a : new SocketAddress[] {o.localAddr(), o.remoteAddr()}) {
            if (a != null && !(a instanceof InetSocketAddress)) {
                throw new IllegalArgumentException("an InetSocketAddress was expected, got " + a);
            }
        }
        if (o.localAddr() == null && o.remoteAddr() == null && o.family() == null) {
            throw new IllegalArgumentException("unexpected address family: give an address or a family");
        }
        return loop.createTask(() -> {
            SocketAddress[] chosen = new SocketAddress[1];
            Socket sock = inetSocket(o, chosen);
            return endpoint(factory, sock, chosen[0]);
        }, "createDatagramEndpoint");
    }

    private static boolean isUnix(SocketAddress a) {
        return a != null && !(a instanceof InetSocketAddress);
    }

    private <P extends DatagramProtocol> DatagramEndpoint<P> endpoint(Supplier<P> factory, Socket sock,
            SocketAddress remote) throws Exception {
        P protocol;
        try {
            protocol = factory.get();
        } catch (RuntimeException e) {
            NetCalls.closeQuietly(sock);
            throw e;
        }
        Future<Void> waiter = loop.createFuture();
        io.jasyncio.internal.net.DatagramSocketTransport transport;
        try {
            transport = loop.newDatagramTransport(sock, protocol, remote, waiter);
        } catch (RuntimeException e) {
            NetCalls.closeQuietly(sock);
            throw e;
        }
        try {
            waiter.await();
        } catch (Throwable e) {
            transport.close();
            throw e;
        }
        return new DatagramEndpoint<>(transport, protocol);
    }

    private Socket unixSocket(DatagramOptions o) throws Exception {
        if (o.localAddr() instanceof UnixDomainSocketAddress unix && !unix.getPath().toString().isEmpty()) {
            removeStaleSocket(unix.getPath());
        }
        Socket sock = Socket.open(loop, Socket.Family.UNIX, Socket.Type.DGRAM);
        boolean ok = false;
        try {
            configure(sock, o);
            if (o.localAddr() != null) {
                sock.bind(o.localAddr());
            }
            if (o.remoteAddr() != null && !o.allowBroadcast()) {
                loop.sockConnect(sock, o.remoteAddr()).await();
            }
            ok = true;
            return sock;
        } finally {
            if (!ok) {
                NetCalls.closeQuietly(sock);
            }
        }
    }

    /** asyncio removes a socket file left at the path by an earlier endpoint, and only a socket. */
    private static void removeStaleSocket(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) == S_IFSOCK) {
                Files.delete(path);
            }
        } catch (NoSuchFileException e) {
            // nothing to remove
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // The directory may only allow creating the socket: bind will say what is wrong.
            LOG.log(System.Logger.Level.ERROR, "Unable to check or remove stale UNIX socket " + path + ": " + e);
        }
    }

    private static void configure(Socket sock, DatagramOptions o) throws IOException {
        if (o.reusePort()) {
            sock.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        if (o.allowBroadcast()) {
            sock.setOption(StandardSocketOptions.SO_BROADCAST, true);
        }
    }

    /**
     * Resolves both addresses, pairs them by family (a pair must have each address that was
     * asked for), and makes the socket of the first pair that binds and connects; the remote
     * address it used goes to {@code chosen[0]}.
     */
    private Socket inetSocket(DatagramOptions o, SocketAddress[] chosen) throws Exception {
        Map<Socket.Family, InetSocketAddress[]> pairs = new LinkedHashMap<>();
        if (o.localAddr() == null && o.remoteAddr() == null) {
            pairs.put(o.family(), new InetSocketAddress[2]);
        }
        SocketAddress[] asked = {o.localAddr(), o.remoteAddr()};
        for (int i = 0; i < 2; i++) {
            if (asked[i] == null) {
                continue;
            }
            for (AddressInfo info : resolve((InetSocketAddress) asked[i], o.family())) {
                pairs.computeIfAbsent(info.family(), f -> new InetSocketAddress[2]);
                if (pairs.get(info.family())[i] == null) {
                    pairs.get(info.family())[i] = info.address();
                }
            }
        }
        pairs.values().removeIf(p -> o.localAddr() != null && p[0] == null || o.remoteAddr() != null && p[1] == null);
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("can not get address information: no family has both "
                    + o.localAddr() + " and " + o.remoteAddr());
        }
        List<Throwable> errors = new ArrayList<>();
        for (Map.Entry<Socket.Family, InetSocketAddress[]> pair : pairs.entrySet()) {
            Socket sock = null;
            try {
                sock = Socket.open(loop, pair.getKey(), Socket.Type.DGRAM);
                configure(sock, o);
                if (pair.getValue()[0] != null) {
                    sock.bind(pair.getValue()[0]);
                }
                if (pair.getValue()[1] != null && !o.allowBroadcast()) {
                    loop.sockConnect(sock, pair.getValue()[1]).await();
                }
                chosen[0] = pair.getValue()[1];
                return sock;
            } catch (IOException e) {
                if (sock != null) {
                    NetCalls.closeQuietly(sock);
                }
                errors.add(e);
            } catch (Throwable e) {
                if (sock != null) {
                    NetCalls.closeQuietly(sock);
                }
                throw e;
            }
        }
        Throwable first = errors.getFirst();
        for (Throwable other : errors.subList(1, errors.size())) {
            first.addSuppressed(other);
        }
        throw (IOException) first;
    }

    private List<AddressInfo> resolve(InetSocketAddress address, Socket.Family family) throws Exception {
        if (!address.isUnresolved()) {
            Socket.Family f = address.getAddress() instanceof java.net.Inet6Address ? Socket.Family.INET6
                    : Socket.Family.INET;
            if (family != null && family != f) {
                throw new IllegalArgumentException("address " + address + " is not of family " + family);
            }
            return List.of(new AddressInfo(f, Socket.Type.DGRAM, 17, "", address));
        }
        List<AddressInfo> infos = loop.getaddrinfo(address.getHostString(), address.getPort(), family,
                Socket.Type.DGRAM).await();
        if (infos.isEmpty()) {
            throw new IOException("getaddrinfo() returned empty list for " + address);
        }
        return infos;
    }
}

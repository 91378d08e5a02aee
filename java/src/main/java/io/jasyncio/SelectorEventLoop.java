package io.jasyncio;

import io.jasyncio.internal.backend.EpollPoller;
import io.jasyncio.internal.backend.NioPoller;
import io.jasyncio.internal.backend.Poller;
import io.jasyncio.internal.backend.Watch;
import io.jasyncio.internal.natives.NativeLibrary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The readiness-model loop (asyncio's {@code SelectorEventLoop}) over a poller: native epoll on
 * Linux, or the JDK's {@link java.nio.channels.Selector} anywhere.
 *
 * <p>The epoll loop watches raw file descriptors ({@link #addReader(int, Runnable)}); the NIO loop
 * watches {@link SelectableChannel}s, and raw descriptors too where the native library loads
 * (through a helper thread waiting on a native epoll set: pipes, FIFOs, character devices and
 * child processes' pidfds). The epoll loop refuses channels with IllegalArgumentException, and
 * the NIO loop refuses descriptors when the native library is not there.
 */
public class SelectorEventLoop extends BaseEventLoop {

    /** The multiplexer under the loop. */
    public enum Backend {
        /** Native epoll through jasyncio's C core (Linux). */
        EPOLL,
        /** {@link java.nio.channels.Selector}, pure Java. */
        NIO;

        /**
         * Whether this backend can run on this JVM and platform.
         *
         * @return true if usable
         */
        public boolean isAvailable() {
            return this == NIO || NativeLibrary.isAvailable();
        }
    }

    private final Backend backend;
    private final Poller poller;
    private final Map<Integer, Watch> fdWatches = new HashMap<>();
    private final Map<SelectableChannel, Watch> channelWatches = new IdentityHashMap<>();
    private final Poller.ReadySink sink = this::onReady;
    private final SockCalls sockCalls = new SockCalls(this);
    private final NetCalls netCalls = new NetCalls(this);
    private final DatagramCalls datagramCalls = new DatagramCalls(this);
    private final TransportSendfile transportSendfile = new TransportSendfile(this, sockCalls);
    private final SubprocessCalls subprocessCalls = new SubprocessCalls(this);
    /** Child processes of this loop not finished yet (exited and pipes closed): released at close. */
    private final java.util.Set<ChildProcessTransport> children = new java.util.LinkedHashSet<>();
    /** The read buffer every stream transport of this loop reads into; allocated on first use. */
    private java.nio.ByteBuffer readBuffer;
    private java.nio.ByteBuffer readView;
    /** asyncio's {@code max_size} for one read. */
    static final int READ_BUFFER_SIZE = 256 * 1024;

    /** A loop on the best backend here: epoll if the native library loads, else NIO. */
    public SelectorEventLoop() {
        this(NativeLibrary.isAvailable() ? Backend.EPOLL : Backend.NIO);
    }

    /**
     * A loop on {@code backend}; IllegalStateException if it cannot run here.
     *
     * @param backend the multiplexer to run on
     */
    public SelectorEventLoop(Backend backend) {
        this.backend = backend;
        try {
            this.poller = switch (backend) {
                case EPOLL -> {
                    if (!NativeLibrary.isAvailable()) {
                        throw new IllegalStateException("the epoll loop needs jasyncio's native library: "
                                + NativeLibrary.unavailableReason());
                    }
                    yield new EpollPoller();
                }
                case NIO -> new NioPoller();
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the " + backend + " poller", e);
        }
    }

    /**
     * The backend this loop runs on.
     *
     * @return the backend given at creation
     */
    public Backend backend() {
        return backend;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A poller failure ends {@link #runForever()} with an {@link UncheckedIOException} whose
     * cause is the poller's exception: no failure of a wait is transient (the native wait and
     * the JDK's Selector retry EINTR themselves; EBADF, EINVAL or EFAULT mean the poller's
     * descriptor is gone), so polling again would fail again at once, forever. The loop is left
     * stopped and can be closed.
     */
    @Override
    protected void pollIo(long timeoutNanos) {
        try {
            poller.poll(timeoutNanos, sink);
        } catch (IOException e) {
            throw new UncheckedIOException("the " + poller.name() + " poller failed, so the loop cannot go on: "
                    + e.getMessage(), e);
        }
    }

    private void onReady(Watch watch, int readyOps) {
        if ((readyOps & Poller.READ) != 0 && watch.reader instanceof Handle h && !h.cancelled) {
            addReady(h);
        }
        if ((readyOps & Poller.WRITE) != 0 && watch.writer instanceof Handle h && !h.cancelled) {
            addReady(h);
        }
    }

    @Override
    protected boolean watchesIo() {
        return !fdWatches.isEmpty() || !channelWatches.isEmpty();
    }

    @Override
    protected void wakeupIo() {
        poller.wakeup();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Child processes still running, or whose pipes are still open, are released first (see
     * {@link ChildProcessTransport}): their pidfds and pipes are closed, and a child that still
     * runs is left running and reaped later by {@link OrphanChildren}.
     */
    @Override
    protected void closeIo() {
        for (ChildProcessTransport child : new java.util.ArrayList<>(children)) {
            child.releaseOnLoopClose();
        }
        children.clear();
        OrphanChildren.reapExited();
        fdWatches.clear();
        channelWatches.clear();
        poller.close();
    }

    // ---- readers and writers ----

    @Override
    public void addReader(int fd, Runnable callback) {
        watch(watchFor(fd), true, callback);
    }

    @Override
    public boolean removeReader(int fd) {
        return unwatch(fdWatches.get(fd), true);
    }

    @Override
    public void addWriter(int fd, Runnable callback) {
        watch(watchFor(fd), false, callback);
    }

    @Override
    public boolean removeWriter(int fd) {
        return unwatch(fdWatches.get(fd), false);
    }

    @Override
    public void addReader(SelectableChannel channel, Runnable callback) {
        watch(watchFor(channel), true, callback);
    }

    @Override
    public boolean removeReader(SelectableChannel channel) {
        return unwatch(channelWatches.get(channel), true);
    }

    @Override
    public void addWriter(SelectableChannel channel, Runnable callback) {
        watch(watchFor(channel), false, callback);
    }

    @Override
    public boolean removeWriter(SelectableChannel channel) {
        return unwatch(channelWatches.get(channel), false);
    }

    private Watch watchFor(int fd) {
        checkClosed();
        if (fd < 0) {
            throw new IllegalArgumentException("invalid file descriptor: " + fd);
        }
        if (backend != Backend.EPOLL && !NativeLibrary.isAvailable()) {
            throw new IllegalArgumentException("the " + backend + " loop watches SelectableChannels; raw file"
                    + " descriptors (" + fd + ") need jasyncio's native library: "
                    + NativeLibrary.unavailableReason());
        }
        Watch w = fdWatches.get(fd);
        return w != null ? w : Watch.ofFd(fd);
    }

    private Watch watchFor(SelectableChannel channel) {
        checkClosed();
        if (channel == null) {
            throw new NullPointerException("channel");
        }
        if (backend != Backend.NIO) {
            throw new IllegalArgumentException("the " + backend + " loop watches file descriptors; a "
                    + "SelectableChannel needs the NIO loop (-Djasyncio.loop=nio)");
        }
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode: " + channel);
        }
        Watch w = channelWatches.get(channel);
        return w != null ? w : Watch.ofChannel(channel);
    }

    private void watch(Watch w, boolean read, Runnable callback) {
        checkThread();
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        Handle h = new Handle(this, callback, Context.snapshot());
        int ops = w.registeredOps | (read ? Poller.READ : Poller.WRITE);
        try {
            poller.update(w, ops);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Handle old = (Handle) (read ? w.reader : w.writer);
        if (read) {
            w.reader = h;
        } else {
            w.writer = h;
        }
        if (old != null) {
            old.cancel();
        }
        if (w.channel != null) {
            channelWatches.put(w.channel, w);
        } else {
            fdWatches.put(w.fd, w);
        }
    }

    private boolean unwatch(Watch w, boolean read) {
        if (isClosed() || w == null) {
            return false;
        }
        checkThread();
        Handle h = (Handle) (read ? w.reader : w.writer);
        if (h == null) {
            return false;
        }
        if (read) {
            w.reader = null;
        } else {
            w.writer = null;
        }
        h.cancel();
        int ops = w.registeredOps & ~(read ? Poller.READ : Poller.WRITE);
        try {
            poller.update(w, ops);
        } catch (IOException e) {
            // The descriptor was closed under us: the kernel has already forgotten it.
        }
        if (ops == 0) {
            if (w.channel != null) {
                channelWatches.remove(w.channel);
            } else {
                fdWatches.remove(w.fd);
            }
        }
        return true;
    }

    // ---- sockets ----

    @Override
    public void addReader(Socket sock, Runnable callback) {
        watch(watchFor(sock), true, callback);
    }

    @Override
    public boolean removeReader(Socket sock) {
        return unwatch(watched(sock), true);
    }

    @Override
    public void addWriter(Socket sock, Runnable callback) {
        watch(watchFor(sock), false, callback);
    }

    @Override
    public boolean removeWriter(Socket sock) {
        return unwatch(watched(sock), false);
    }

    private Watch watchFor(Socket sock) {
        checkClosed();
        io.jasyncio.internal.net.SocketOps ops = java.util.Objects.requireNonNull(sock, "sock").opsFor(backend);
        return backend == Backend.EPOLL ? watchFor(ops.fd()) : watchFor(ops.channel());
    }

    private Watch watched(Socket sock) {
        if (sock == null || isClosed()) {
            return null;
        }
        io.jasyncio.internal.net.SocketOps ops;
        try {
            ops = sock.opsFor(backend);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return backend == Backend.EPOLL ? fdWatches.get(ops.fd()) : channelWatches.get(ops.channel());
    }

    @Override
    public Future<byte[]> sockRecv(Socket sock, int nbytes) {
        return sockCalls.recv(sock, nbytes);
    }

    @Override
    public Future<Integer> sockRecvInto(Socket sock, java.nio.ByteBuffer buffer) {
        return sockCalls.recvInto(sock, buffer);
    }

    @Override
    public Future<Void> sockSendall(Socket sock, byte[] data) {
        return sockCalls.sendall(sock, java.nio.ByteBuffer.wrap(java.util.Objects.requireNonNull(data, "data")));
    }

    @Override
    public Future<Void> sockSendall(Socket sock, java.nio.ByteBuffer data) {
        return sockCalls.sendall(sock, data);
    }

    @Override
    public Future<Void> sockConnect(Socket sock, java.net.SocketAddress address) {
        return sockCalls.connect(sock, address);
    }

    @Override
    public Future<Socket> sockAccept(Socket sock) {
        return sockCalls.accept(sock);
    }

    @Override
    public Future<Integer> sockSendto(Socket sock, java.nio.ByteBuffer data, java.net.SocketAddress address) {
        return sockCalls.sendto(sock, data, address);
    }

    @Override
    public Future<Datagram> sockRecvfrom(Socket sock, int bufsize) {
        return sockCalls.recvfrom(sock, bufsize);
    }

    @Override
    public Future<java.net.SocketAddress> sockRecvfromInto(Socket sock, java.nio.ByteBuffer buffer) {
        return sockCalls.recvfromInto(sock, buffer);
    }

    @Override
    public Future<Long> sockSendfile(Socket sock, java.nio.channels.FileChannel file, long offset, long count) {
        return sockCalls.sendfile(sock, file, offset, count);
    }

    @Override
    public Future<Long> sockSendfile(Socket sock, java.nio.file.Path file, long offset, long count) {
        checkThread();
        return sockCalls.sendfile(sock, file, offset, count);
    }

    // ---- resolution, connections, servers ----

    @Override
    public Future<java.util.List<AddressInfo>> getaddrinfo(String host, int port, Socket.Family family,
            Socket.Type type) {
        checkThread();
        return netCalls.getaddrinfo(host, port, family, type, false);
    }

    @Override
    public Future<NameInfo> getnameinfo(java.net.InetSocketAddress address, boolean numeric) {
        checkThread();
        return netCalls.getnameinfo(address, numeric);
    }

    @Override
    public <P extends BaseProtocol> Future<Connection<P>> createConnection(java.util.function.Supplier<P> protocolFactory,
            String host, int port) {
        return createConnection(protocolFactory, ConnectOptions.to(host, port));
    }

    @Override
    public <P extends BaseProtocol> Future<Connection<P>> createConnection(java.util.function.Supplier<P> protocolFactory,
            ConnectOptions options) {
        return netCalls.createConnection(protocolFactory, options);
    }

    @Override
    public <P extends BaseProtocol> Future<Connection<P>> createUnixConnection(
            java.util.function.Supplier<P> protocolFactory, String path) {
        return createConnection(protocolFactory, new ConnectOptions().unixAddress(NetCalls.unixAddress(path)));
    }

    @Override
    public <P extends BaseProtocol> Future<Connection<P>> connectAcceptedSocket(
            java.util.function.Supplier<P> protocolFactory, Socket sock, javax.net.ssl.SSLContext ssl) {
        return netCalls.connectAccepted(protocolFactory, sock, ssl);
    }

    @Override
    public Future<Server> createServer(java.util.function.Supplier<? extends BaseProtocol> protocolFactory, String host,
            int port) {
        return createServer(protocolFactory, ServerOptions.on(host, port));
    }

    @Override
    public Future<Server> createServer(java.util.function.Supplier<? extends BaseProtocol> protocolFactory,
            ServerOptions options) {
        return netCalls.createServer(protocolFactory, options);
    }

    @Override
    public Future<Server> createUnixServer(java.util.function.Supplier<? extends BaseProtocol> protocolFactory,
            String path) {
        return createServer(protocolFactory, new ServerOptions().unixAddress(NetCalls.unixAddress(path)));
    }

    @Override
    public <P extends DatagramProtocol> Future<DatagramEndpoint<P>> createDatagramEndpoint(
            java.util.function.Supplier<P> protocolFactory, DatagramOptions options) {
        return datagramCalls.create(protocolFactory, options);
    }

    @Override
    public Future<Transport> startTls(Transport transport, BaseProtocol protocol, javax.net.ssl.SSLContext ssl,
            boolean serverSide, String serverHostname) {
        checkClosed();
        java.util.Objects.requireNonNull(ssl, "ssl");
        if (!(transport instanceof io.jasyncio.internal.net.StreamTransport plain)) {
            throw new IllegalArgumentException("transport " + transport + " is not supported by startTls()");
        }
        if (plain.isClosing()) {
            throw new IllegalStateException("startTls on a closing transport: " + plain);
        }
        Future<Void> waiter = createFuture();
        io.jasyncio.internal.net.TlsProtocol tls = new io.jasyncio.internal.net.TlsProtocol(this, ssl, serverSide,
                serverHostname, protocol, waiter, null, null, false);
        // asyncio's order: no more plain reads, the TLS protocol takes over, then reading resumes
        plain.pauseReading();
        plain.setProtocol(tls);
        Handle made = callSoon(() -> tls.connectionMade(plain));
        Handle resume = callSoon(plain::resumeReading);
        return createTask(() -> {
            try {
                waiter.await();
            } catch (Throwable e) {
                made.cancel();
                resume.cancel();
                plain.close();
                throw e;
            }
            return tls.appTransport();
        }, "startTls");
    }

    @Override
    public Future<Long> sendfile(Transport transport, java.nio.channels.FileChannel file, long offset, long count) {
        checkThread();
        return transportSendfile.sendfile(transport, file, null, offset, count);
    }

    @Override
    public Future<Long> sendfile(Transport transport, java.nio.file.Path file, long offset, long count) {
        checkThread();
        return transportSendfile.sendfile(transport, null, file, offset, count);
    }

    /** Makes the transport of a datagram socket and starts it. */
    io.jasyncio.internal.net.DatagramSocketTransport newDatagramTransport(Socket sock, DatagramProtocol protocol,
            java.net.SocketAddress remote, Future<Void> waiter) {
        checkClosed();
        io.jasyncio.internal.net.DatagramSocketTransport t = new io.jasyncio.internal.net.DatagramSocketTransport(
                this, sock, sock.opsFor(backend), protocol, readBuffer(), readView(), remote);
        t.start(waiter);
        return t;
    }

    /**
     * Makes the transport of a connected stream socket and starts it: plain, or TLS over a plain
     * one when {@code ssl} is given.
     */
    Transport newStreamTransport(Socket sock, BaseProtocol protocol, javax.net.ssl.SSLContext ssl, boolean serverSide,
            String serverHostname, java.time.Duration handshakeTimeout, java.time.Duration shutdownTimeout,
            Future<Void> waiter, Runnable onLost) {
        checkClosed();
        if (ssl != null) {
            io.jasyncio.internal.net.TlsProtocol tls = new io.jasyncio.internal.net.TlsProtocol(this, ssl, serverSide,
                    serverHostname, protocol, waiter, handshakeTimeout, shutdownTimeout, true);
            io.jasyncio.internal.net.StreamTransport t = new io.jasyncio.internal.net.StreamTransport(this, sock,
                    sock.opsFor(backend), tls, readBuffer(), readView, onLost);
            // the waiter is the TLS protocol's: done after the handshake, not when the socket is up
            t.start(null);
            return tls.appTransport();
        }
        io.jasyncio.internal.net.StreamTransport t = new io.jasyncio.internal.net.StreamTransport(this, sock,
                sock.opsFor(backend), protocol, readBuffer(), readView(), onLost);
        t.start(waiter);
        return t;
    }

    /** Makes a pipe transport over a descriptor or a JDK pipe channel and starts it. */
    io.jasyncio.internal.net.PipeTransport newPipeTransport(boolean read, int fd, SelectableChannel channel,
            BaseProtocol protocol, Future<Void> waiter) {
        checkClosed();
        io.jasyncio.internal.net.PipeTransport t = new io.jasyncio.internal.net.PipeTransport(this, read, fd, channel,
                protocol, readBuffer(), readView(), channel != null ? channel : (Object) fd, this::lingerAfterData);
        t.start(waiter);
        return t;
    }

    // ---- pipes and child processes ----

    @Override
    public <P extends BaseProtocol> Future<Connection<P>> connectReadPipe(java.util.function.Supplier<P> protocolFactory,
            int fd) {
        return subprocessCalls.connectPipe(protocolFactory, true, fd, null);
    }

    @Override
    public <P extends BaseProtocol> Future<Connection<P>> connectReadPipe(java.util.function.Supplier<P> protocolFactory,
            SelectableChannel channel) {
        return subprocessCalls.connectPipe(protocolFactory, true, -1, java.util.Objects.requireNonNull(channel, "channel"));
    }

    @Override
    public <P extends BaseProtocol> Future<Connection<P>> connectWritePipe(java.util.function.Supplier<P> protocolFactory,
            int fd) {
        return subprocessCalls.connectPipe(protocolFactory, false, fd, null);
    }

    @Override
    public <P extends BaseProtocol> Future<Connection<P>> connectWritePipe(java.util.function.Supplier<P> protocolFactory,
            SelectableChannel channel) {
        return subprocessCalls.connectPipe(protocolFactory, false, -1, java.util.Objects.requireNonNull(channel, "channel"));
    }

    @Override
    public <P extends SubprocessProtocol> Future<SubprocessConnection<P>> subprocessExec(
            java.util.function.Supplier<P> protocolFactory, java.util.List<String> args, SubprocessOptions options) {
        OrphanChildren.reapExited();
        return subprocessCalls.exec(protocolFactory, java.util.List.copyOf(args), options);
    }

    @Override
    public <P extends SubprocessProtocol> Future<SubprocessConnection<P>> subprocessShell(
            java.util.function.Supplier<P> protocolFactory, String cmd, SubprocessOptions options) {
        OrphanChildren.reapExited();
        return subprocessCalls.exec(protocolFactory, SubprocessCalls.shellArgs(cmd), options);
    }

    /** A child process of this loop started: it is released if the loop closes before it finishes. */
    void childStarted(ChildProcessTransport child) {
        children.add(child);
    }

    /** A child process of this loop exited and its pipes closed: nothing left to release. */
    void childFinished(ChildProcessTransport child) {
        children.remove(child);
    }

    /**
     * The direct buffer every transport and {@code sock*} receive of this loop reads into, and
     * copies out of before anything else runs; allocated on first use.
     */
    java.nio.ByteBuffer readBuffer() {
        if (readBuffer == null) {
            readBuffer = java.nio.ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
            readView = readBuffer.asReadOnlyBuffer();
        }
        return readBuffer;
    }

    /** The read-only view of {@link #readBuffer()} that protocols are handed. */
    private java.nio.ByteBuffer readView() {
        readBuffer();
        return readView;
    }

    @Override
    public String toString() {
        return "SelectorEventLoop[" + backend.name().toLowerCase() + ", running=" + isRunning()
                + ", closed=" + isClosed() + ", debug=" + debug + "]";
    }
}

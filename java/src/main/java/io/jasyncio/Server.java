package io.jasyncio;

import io.jasyncio.internal.net.SocketOps;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A listening server (asyncio's {@code Server}), made by {@link EventLoop#createServer} and its
 * kin. It accepts on each of its sockets and gives every connection a protocol from its factory
 * and a transport.
 *
 * <p>{@link #close()} stops accepting and closes the listening sockets; connections already made
 * go on until they end ({@link #closeClients()} and {@link #abortClients()} end them).
 * {@link #waitClosed()} is done once the server is closed and its last connection is gone.
 *
 * <p>Loop thread only, like the loop's own calls.
 */
public final class Server implements AutoCloseable {

    /** asyncio's {@code ACCEPT_RETRY_DELAY}: how long to stop accepting when out of descriptors. */
    static final double ACCEPT_RETRY_DELAY = 1.0;

    private final SelectorEventLoop loop;
    private final Supplier<? extends BaseProtocol> protocolFactory;
    private final ServerOptions options;
    private final int backlog;
    private List<Socket> sockets;
    private final List<Runnable> acceptors = new ArrayList<>();
    private boolean serving;
    private int activeCount;
    private List<Future<Void>> waiters = new ArrayList<>();
    private Future<Void> servingForever;
    private final Set<Transport> clients = Collections.newSetFromMap(new IdentityHashMap<>());

    Server(SelectorEventLoop loop, List<Socket> sockets, Supplier<? extends BaseProtocol> protocolFactory,
            ServerOptions options) {
        this.loop = loop;
        this.sockets = new ArrayList<>(sockets);
        this.protocolFactory = protocolFactory;
        this.options = options;
        this.backlog = options.backlog();
        for (Socket sock : sockets) {
            acceptors.add(new Acceptor(sock));
        }
    }

    /**
     * The loop the server runs on.
     *
     * @return the loop
     */
    public EventLoop getLoop() {
        return loop;
    }

    /**
     * The listening sockets.
     *
     * @return a copy of the list; empty once closed
     */
    public List<Socket> sockets() {
        return sockets == null ? List.of() : List.copyOf(sockets);
    }

    /**
     * Whether the server is accepting connections.
     *
     * @return true between {@link #startServing()} (or creation with {@code startServing}) and
     *         {@link #close()}
     */
    public boolean isServing() {
        return serving;
    }

    /**
     * Starts accepting, if not already. Idempotent.
     *
     * @return a future that is already done
     * @throws IllegalStateException if the server is closed
     */
    public Future<Void> startServing() {
        loop.checkThread();
        if (sockets == null) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        startAccepting();
        Future<Void> done = loop.createFuture();
        done.setResult(null);
        return done;
    }

    void startAccepting() {
        if (serving || sockets == null) {
            return;
        }
        serving = true;
        for (int i = 0; i < sockets.size(); i++) {
            Socket sock = sockets.get(i);
            try {
                sock.listen(backlog);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("listen on " + sock + " failed", e);
            }
            loop.addReader(sock, acceptors.get(i));
        }
    }

    /**
     * Accepts until the server is closed (asyncio's {@code serve_forever}).
     *
     * @return a future that never completes normally: it is cancelled when the server is closed;
     *         cancelling it closes the server
     * @throws IllegalStateException if the server is closed, or {@code serveForever} is already
     *         running
     */
    public Future<Void> serveForever() {
        loop.checkThread();
        if (servingForever != null) {
            throw new IllegalStateException("server " + this + " is already being awaited on serveForever()");
        }
        if (sockets == null) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        startAccepting();
        Future<Void> forever = loop.createFuture();
        servingForever = forever;
        forever.addDoneCallback(f -> {
            if (servingForever == f) {
                servingForever = null;
            }
            close();
        });
        return forever;
    }

    /**
     * Stops accepting and closes the listening sockets. Connections already made stay open.
     * Idempotent.
     */
    @Override
    public void close() {
        if (sockets == null) {
            return;
        }
        List<Socket> closing = sockets;
        sockets = null;
        for (Socket sock : closing) {
            if (serving && !loop.isClosed()) {
                loop.removeReader(sock);
            }
            try {
                sock.close();
            } catch (IOException e) {
                // a listening socket: nothing was pending on it
            }
        }
        serving = false;
        Future<Void> forever = servingForever;
        servingForever = null;
        if (forever != null && !forever.done()) {
            forever.cancel();
        }
        if (activeCount == 0) {
            wakeup();
        }
    }

    /** Closes every connection of this server (they flush what is buffered first). */
    public void closeClients() {
        for (Transport t : new ArrayList<>(clients)) {
            t.close();
        }
    }

    /** Aborts every connection of this server at once. */
    public void abortClients() {
        for (Transport t : new ArrayList<>(clients)) {
            t.abort();
        }
    }

    /**
     * Waits until the server is closed and its last connection is gone (asyncio 3.12+).
     *
     * @return a future done then; already done if that has happened
     */
    public Future<Void> waitClosed() {
        Future<Void> waiter = loop.createFuture();
        if (waiters == null) {
            waiter.setResult(null);
        } else {
            waiters.add(waiter);
        }
        return waiter;
    }

    private void wakeup() {
        List<Future<Void>> waiting = waiters;
        waiters = null;
        if (waiting != null) {
            for (Future<Void> w : waiting) {
                if (!w.done()) {
                    w.setResult(null);
                }
            }
        }
    }

    void attach(Transport transport) {
        activeCount++;
        clients.add(transport);
    }

    void detach(Transport transport) {
        activeCount--;
        clients.remove(transport);
        if (activeCount == 0 && sockets == null) {
            wakeup();
        }
    }

    /** Accepts on one listening socket: up to a backlog's worth per readiness, as asyncio. */
    private final class Acceptor implements Runnable {
        private final Socket sock;

        Acceptor(Socket sock) {
            this.sock = sock;
        }

        @Override
        public void run() {
            SocketOps ops = sock.opsFor(loop.backend());
            for (int i = 0; i < Math.max(backlog, 1) && serving; i++) {
                SocketOps client;
                try {
                    client = ops.accept();
                } catch (IOException e) {
                    if (outOfResources(e)) {
                        Map<String, Object> context = new java.util.HashMap<>();
                        context.put("message", "socket.accept() out of system resource");
                        context.put("exception", e);
                        context.put("socket", sock);
                        loop.callExceptionHandler(context);
                        loop.removeReader(sock);
                        loop.callLater(ACCEPT_RETRY_DELAY, () -> {
                            if (serving && sockets != null && sockets.contains(sock)) {
                                loop.addReader(sock, this);
                            }
                        });
                        return;
                    }
                    if (String.valueOf(e.getMessage()).contains("ECONNABORTED")) {
                        continue;
                    }
                    Map<String, Object> context = new java.util.HashMap<>();
                    context.put("message", "accept failed on " + sock);
                    context.put("exception", e);
                    context.put("socket", sock);
                    loop.callExceptionHandler(context);
                    return;
                }
                if (client == null) {
                    return;
                }
                accepted(new Socket(client));
            }
        }
    }

    static boolean outOfResources(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("EMFILE") || m.contains("ENFILE") || m.contains("ENOBUFS") || m.contains("ENOMEM")
                || m.contains("Too many open files");
    }

    private void accepted(Socket conn) {
        if (options.keepAlive()) {
            try {
                conn.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            } catch (IOException e) {
                // keep the connection without it
            }
        }
        BaseProtocol protocol;
        try {
            protocol = protocolFactory.get();
        } catch (RuntimeException e) {
            Map<String, Object> context = new java.util.HashMap<>();
            context.put("message", "the protocol factory failed for an accepted connection");
            context.put("exception", e);
            context.put("socket", conn);
            loop.callExceptionHandler(context);
            closeQuietly(conn);
            return;
        }
        Future<Void> waiter = loop.createFuture();
        Transport[] made = new Transport[1];
        try {
            made[0] = loop.newStreamTransport(conn, protocol, options.ssl(), true, null,
                    options.sslHandshakeTimeout(), options.sslShutdownTimeout(), waiter, () -> detach(made[0]));
        } catch (RuntimeException e) {
            Map<String, Object> context = new java.util.HashMap<>();
            context.put("message", "could not make a transport for an accepted connection");
            context.put("exception", e);
            context.put("socket", conn);
            loop.callExceptionHandler(context);
            closeQuietly(conn);
            return;
        }
        attach(made[0]);
        waiter.addDoneCallback(f -> {
            if (!f.cancelled() && f.exception() != null && loop.getDebug()) {
                BaseEventLoop.LOG.log(System.Logger.Level.DEBUG, "accepted connection failed: " + f.exception());
            }
        });
    }

    private static void closeQuietly(Socket sock) {
        try {
            sock.close();
        } catch (IOException e) {
            // already failing
        }
    }

    @Override
    public String toString() {
        return "Server[" + (sockets == null ? "closed" : sockets) + (serving ? ", serving" : "") + "]";
    }
}

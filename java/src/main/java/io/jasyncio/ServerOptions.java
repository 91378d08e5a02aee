package io.jasyncio;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The options of {@link EventLoop#createServer(java.util.function.Supplier, ServerOptions)} and
 * {@code Asyncio.startServer}: asyncio's keyword arguments. Each setter returns this object; the
 * getter of the same name reads the value back. Mutable, not thread safe.
 */
public final class ServerOptions {
    private List<String> hosts = List.of();
    private int port;
    private SocketAddress unixAddress;
    private Socket.Family family;
    private int backlog = 100;
    private Boolean reuseAddress;
    private boolean reusePort;
    private boolean keepAlive;
    private SSLContext ssl;
    private Socket sock;
    private boolean startServing = true;
    private Duration sslHandshakeTimeout;
    private Duration sslShutdownTimeout;
    private int limit = ConnectOptions.DEFAULT_LIMIT;

    /** Options with every value at asyncio's default. */
    public ServerOptions() {
    }

    /**
     * Options for a TCP server on {@code host:port}.
     *
     * @param host a name or numeric address; null or "" for every interface
     * @param port the port; 0 for one the OS picks
     * @return new options
     */
    public static ServerOptions on(String host, int port) {
        return new ServerOptions().host(host).port(port);
    }

    /**
     * Listens on one host's addresses (every one it resolves to).
     *
     * @param host a name or numeric address; null or "" for every interface
     * @return this
     */
    public ServerOptions host(String host) {
        this.hosts = host == null || host.isEmpty() ? List.of() : List.of(host);
        return this;
    }

    /**
     * Listens on several hosts' addresses.
     *
     * @param hosts names or numeric addresses; empty for every interface
     * @return this
     */
    public ServerOptions hosts(List<String> hosts) {
        this.hosts = List.copyOf(hosts);
        return this;
    }

    /** {@return the hosts; empty for every interface} */
    public List<String> hosts() {
        return hosts;
    }

    /**
     * Sets the port.
     *
     * @param port 0 to 65535; 0 for one the OS picks (each socket gets its own unless
     *        {@link #reusePort} lets them share)
     * @return this
     */
    public ServerOptions port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        return this;
    }

    /** {@return the port} */
    public int port() {
        return port;
    }

    /**
     * Sets the Unix address to listen on (the Unix server calls set it).
     *
     * @param address a {@link java.net.UnixDomainSocketAddress} or an abstract name
     * @return this
     */
    public ServerOptions unixAddress(SocketAddress address) {
        this.unixAddress = address;
        return this;
    }

    /** {@return the Unix address, or null} */
    public SocketAddress unixAddress() {
        return unixAddress;
    }

    /**
     * Restricts the listening sockets to one family.
     *
     * @param family the family; null for both
     * @return this
     */
    public ServerOptions family(Socket.Family family) {
        this.family = family;
        return this;
    }

    /** {@return the family, or null} */
    public Socket.Family family() {
        return family;
    }

    /**
     * Sets the listen backlog (asyncio's default: 100).
     *
     * @param backlog connections that may wait to be accepted
     * @return this
     */
    public ServerOptions backlog(int backlog) {
        if (backlog < 0) {
            throw new IllegalArgumentException("negative backlog: " + backlog);
        }
        this.backlog = backlog;
        return this;
    }

    /** {@return the backlog} */
    public int backlog() {
        return backlog;
    }

    /**
     * Sets SO_REUSEADDR on the listening sockets (on by default, as in asyncio on Unix).
     *
     * @param reuseAddress the value
     * @return this
     */
    public ServerOptions reuseAddress(boolean reuseAddress) {
        this.reuseAddress = reuseAddress;
        return this;
    }

    /** {@return SO_REUSEADDR, or null for the default (on)} */
    public Boolean reuseAddress() {
        return reuseAddress;
    }

    /**
     * Sets SO_REUSEPORT, so servers on several loops (one per thread) share the port and the
     * kernel spreads connections among them.
     *
     * @param reusePort the value
     * @return this
     */
    public ServerOptions reusePort(boolean reusePort) {
        this.reusePort = reusePort;
        return this;
    }

    /** {@return SO_REUSEPORT} */
    public boolean reusePort() {
        return reusePort;
    }

    /**
     * Sets SO_KEEPALIVE on accepted connections.
     *
     * @param keepAlive the value
     * @return this
     */
    public ServerOptions keepAlive(boolean keepAlive) {
        this.keepAlive = keepAlive;
        return this;
    }

    /** {@return SO_KEEPALIVE for accepted connections} */
    public boolean keepAlive() {
        return keepAlive;
    }

    /**
     * Serves TLS.
     *
     * @param ssl the context to make the server engines with
     * @return this
     */
    public ServerOptions ssl(SSLContext ssl) {
        this.ssl = ssl;
        return this;
    }

    /** {@return the TLS context, or null} */
    public SSLContext ssl() {
        return ssl;
    }

    /**
     * Serves on a listening socket the caller made; hosts and port must then be unset.
     *
     * @param sock the socket; the server owns it from then on
     * @return this
     */
    public ServerOptions sock(Socket sock) {
        this.sock = sock;
        return this;
    }

    /** {@return the socket, or null} */
    public Socket sock() {
        return sock;
    }

    /**
     * Whether the server accepts at once (the default) or only after
     * {@link Server#startServing()} or {@link Server#serveForever()}.
     *
     * @param startServing the value
     * @return this
     */
    public ServerOptions startServing(boolean startServing) {
        this.startServing = startServing;
        return this;
    }

    /** {@return whether the server accepts at once} */
    public boolean startServing() {
        return startServing;
    }

    /**
     * How long a TLS handshake may take (60 s by default, asyncio's). Past it the connection is
     * aborted and the handshake fails with a {@link java.net.SocketTimeoutException} "SSL
     * handshake is taking longer than N seconds: aborting the connection" (asyncio's
     * {@code ConnectionAbortedError}, an {@code OSError}: here the IOException family's timeout).
     *
     * @param timeout the limit, positive
     * @return this
     */
    public ServerOptions sslHandshakeTimeout(Duration timeout) {
        this.sslHandshakeTimeout = timeout;
        return this;
    }

    /** {@return the TLS handshake limit, or null for the default} */
    public Duration sslHandshakeTimeout() {
        return sslHandshakeTimeout;
    }

    /**
     * How long closing a TLS connection may take (30 s by default, asyncio's): sending what is
     * buffered, then close_notify, then waiting for the peer's. Past it the connection is aborted
     * and the protocol's {@code connectionLost} gets a {@link java.util.concurrent.TimeoutException},
     * as asyncio passes its {@code TimeoutError}.
     *
     * @param timeout the limit, positive
     * @return this
     */
    public ServerOptions sslShutdownTimeout(Duration timeout) {
        this.sslShutdownTimeout = timeout;
        return this;
    }

    /** {@return the TLS shutdown limit, or null for the default} */
    public Duration sslShutdownTimeout() {
        return sslShutdownTimeout;
    }

    /**
     * The {@code StreamReader}'s buffer limit for {@code Asyncio.startServer}.
     *
     * @param limit bytes, positive; 64 KiB by default
     * @return this
     */
    public ServerOptions limit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
        return this;
    }

    /** {@return the stream limit} */
    public int limit() {
        return limit;
    }
}

package io.jasyncio;

import java.net.SocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The options of {@link EventLoop#createConnection(java.util.function.Supplier, ConnectOptions)}
 * and {@code Asyncio.openConnection}: asyncio's keyword arguments. Each setter returns this
 * object; the getter of the same name reads the value back. Mutable, not thread safe.
 */
public final class ConnectOptions {
    /** The default {@code StreamReader} limit, 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private String host;
    private int port;
    private SocketAddress unixAddress;
    private SSLContext ssl;
    private String serverHostname;
    private Socket.Family family;
    private SocketAddress localAddr;
    private Socket sock;
    private Duration happyEyeballsDelay;
    private int interleave;
    private Duration sslHandshakeTimeout;
    private Duration sslShutdownTimeout;
    private int limit = DEFAULT_LIMIT;

    /** Options with every value unset. */
    public ConnectOptions() {
    }

    /**
     * Options for a TCP connection to {@code host:port}.
     *
     * @param host a name or a numeric address
     * @param port the port
     * @return new options
     */
    public static ConnectOptions to(String host, int port) {
        return new ConnectOptions().host(host).port(port);
    }

    /**
     * Sets the host to connect to.
     *
     * @param host a name or a numeric address; every address it resolves to is tried in turn
     * @return this
     */
    public ConnectOptions host(String host) {
        this.host = host;
        return this;
    }

    /** {@return the host, or null} */
    public String host() {
        return host;
    }

    /**
     * Sets the port.
     *
     * @param port 0 to 65535
     * @return this
     */
    public ConnectOptions port(int port) {
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
     * Sets the Unix address to connect to (the Unix connection calls set it).
     *
     * @param address a {@link java.net.UnixDomainSocketAddress} or an abstract name
     * @return this
     */
    public ConnectOptions unixAddress(SocketAddress address) {
        this.unixAddress = address;
        return this;
    }

    /** {@return the Unix address, or null} */
    public SocketAddress unixAddress() {
        return unixAddress;
    }

    /**
     * Connects with TLS.
     *
     * @param ssl the context to make the client engine with
     * @return this
     */
    public ConnectOptions ssl(SSLContext ssl) {
        this.ssl = ssl;
        return this;
    }

    /** {@return the TLS context, or null for plain TCP} */
    public SSLContext ssl() {
        return ssl;
    }

    /**
     * Sets the name TLS checks the server's certificate against (endpoint identification
     * {@code "HTTPS"}: a DNS name or IP address of the certificate's subject alternative names)
     * and sends as SNI (not for an IP address).
     *
     * @param serverHostname the name; by default the host; {@code ""} to check no name and send
     *        no SNI (asyncio's {@code server_hostname=''})
     * @return this
     */
    public ConnectOptions serverHostname(String serverHostname) {
        this.serverHostname = serverHostname;
        return this;
    }

    /** {@return the TLS server name, or null} */
    public String serverHostname() {
        return serverHostname;
    }

    /**
     * Restricts resolution to one family.
     *
     * @param family {@link Socket.Family#INET} or {@link Socket.Family#INET6}; null for both
     * @return this
     */
    public ConnectOptions family(Socket.Family family) {
        this.family = family;
        return this;
    }

    /** {@return the family, or null for any} */
    public Socket.Family family() {
        return family;
    }

    /**
     * Binds the socket to a local address before connecting.
     *
     * @param localAddr the address
     * @return this
     */
    public ConnectOptions localAddr(SocketAddress localAddr) {
        this.localAddr = localAddr;
        return this;
    }

    /** {@return the local address, or null} */
    public SocketAddress localAddr() {
        return localAddr;
    }

    /**
     * Uses a socket the caller made (connected, or to be connected to nothing else); host and
     * port must then be unset.
     *
     * @param sock the socket; the transport owns it from then on
     * @return this
     */
    public ConnectOptions sock(Socket sock) {
        this.sock = sock;
        return this;
    }

    /** {@return the socket, or null} */
    public Socket sock() {
        return sock;
    }

    /**
     * Turns on Happy Eyeballs (RFC 8305): the next address is tried after this delay while
     * earlier attempts go on; the first to connect wins. asyncio's recommended value is 0.25 s.
     *
     * @param delay the delay; null turns it off (addresses are tried one after another)
     * @return this
     */
    public ConnectOptions happyEyeballsDelay(Duration delay) {
        this.happyEyeballsDelay = delay;
        if (delay != null && interleave == 0) {
            interleave = 1;
        }
        return this;
    }

    /** {@return the Happy Eyeballs delay, or null} */
    public Duration happyEyeballsDelay() {
        return happyEyeballsDelay;
    }

    /**
     * Reorders resolved addresses so families alternate (RFC 8305's "First Address Family
     * Count"); 1 by default with Happy Eyeballs, else 0 (resolver order).
     *
     * @param interleave the count
     * @return this
     */
    public ConnectOptions interleave(int interleave) {
        this.interleave = interleave;
        return this;
    }

    /** {@return the interleave count} */
    public int interleave() {
        return interleave;
    }

    /**
     * How long the TLS handshake may take (60 s by default, asyncio's). Past it the connection is
     * aborted and the handshake fails with a {@link java.net.SocketTimeoutException} "SSL
     * handshake is taking longer than N seconds: aborting the connection" (asyncio's
     * {@code ConnectionAbortedError}, an {@code OSError}: here the IOException family's timeout).
     *
     * @param timeout the limit, positive
     * @return this
     */
    public ConnectOptions sslHandshakeTimeout(Duration timeout) {
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
    public ConnectOptions sslShutdownTimeout(Duration timeout) {
        this.sslShutdownTimeout = timeout;
        return this;
    }

    /** {@return the TLS shutdown limit, or null for the default} */
    public Duration sslShutdownTimeout() {
        return sslShutdownTimeout;
    }

    /**
     * The {@code StreamReader}'s buffer limit for the stream calls.
     *
     * @param limit bytes, positive; 64 KiB by default
     * @return this
     */
    public ConnectOptions limit(int limit) {
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

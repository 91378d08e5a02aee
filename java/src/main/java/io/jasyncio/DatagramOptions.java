package io.jasyncio;

import java.net.SocketAddress;

/**
 * The options of {@link EventLoop#createDatagramEndpoint}: asyncio's keyword arguments. Each
 * setter returns this object; the getter of the same name reads the value back.
 */
public final class DatagramOptions {
    private SocketAddress localAddr;
    private SocketAddress remoteAddr;
    private Socket.Family family;
    private boolean reusePort;
    private boolean allowBroadcast;
    private Socket sock;

    /** Options with every value unset. */
    public DatagramOptions() {
    }

    /**
     * Binds the endpoint to a local address.
     *
     * @param localAddr an {@link java.net.InetSocketAddress} (an unresolved one is resolved), a
     *        {@link java.net.UnixDomainSocketAddress} or an abstract name
     * @return this
     */
    public DatagramOptions localAddr(SocketAddress localAddr) {
        this.localAddr = localAddr;
        return this;
    }

    /** {@return the local address, or null} */
    public SocketAddress localAddr() {
        return localAddr;
    }

    /**
     * Connects the endpoint to one peer: {@code sendto} then takes a null address and only
     * that peer's datagrams arrive.
     *
     * @param remoteAddr the peer
     * @return this
     */
    public DatagramOptions remoteAddr(SocketAddress remoteAddr) {
        this.remoteAddr = remoteAddr;
        return this;
    }

    /** {@return the remote address, or null} */
    public SocketAddress remoteAddr() {
        return remoteAddr;
    }

    /**
     * Sets the family, when neither address says it.
     *
     * @param family the family
     * @return this
     */
    public DatagramOptions family(Socket.Family family) {
        this.family = family;
        return this;
    }

    /** {@return the family, or null} */
    public Socket.Family family() {
        return family;
    }

    /**
     * Sets SO_REUSEPORT.
     *
     * @param reusePort the value
     * @return this
     */
    public DatagramOptions reusePort(boolean reusePort) {
        this.reusePort = reusePort;
        return this;
    }

    /** {@return SO_REUSEPORT} */
    public boolean reusePort() {
        return reusePort;
    }

    /**
     * Sets SO_BROADCAST.
     *
     * @param allowBroadcast the value
     * @return this
     */
    public DatagramOptions allowBroadcast(boolean allowBroadcast) {
        this.allowBroadcast = allowBroadcast;
        return this;
    }

    /** {@return SO_BROADCAST} */
    public boolean allowBroadcast() {
        return allowBroadcast;
    }

    /**
     * Uses a datagram socket the caller made; the addresses must then be unset.
     *
     * @param sock the socket; the transport owns it from then on
     * @return this
     */
    public DatagramOptions sock(Socket sock) {
        this.sock = sock;
        return this;
    }

    /** {@return the socket, or null} */
    public Socket sock() {
        return sock;
    }
}

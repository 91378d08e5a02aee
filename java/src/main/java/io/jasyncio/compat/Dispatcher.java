package io.jasyncio.compat;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Socket;
import io.jasyncio.internal.natives.ClosedDescriptorException;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Python's {@code asyncore.dispatcher}: a thin wrapper around a non-blocking socket whose handler
 * methods {@link Asyncore#loop} calls when the socket is ready. Subclass it and override the
 * {@code handle*} methods and the {@link #readable()}/{@link #writable()} questions, which the
 * loop asks every iteration.
 *
 * <p>When each handler fires, as in asyncore: {@link #handleAccept()} when a listening socket is
 * readable (then {@link #handleAccepted} with the connection); {@link #handleConnect()} on the
 * first readable or writable event of a connecting socket, once the connect succeeded (a failed
 * one goes to {@link #handleError}); {@link #handleRead()} and {@link #handleWrite()} when
 * readable or writable; {@link #handleClose()} when {@link #recv} reads end of stream or a send or
 * receive finds the connection gone; {@link #handleError} when a handler throws an
 * {@link Exception} (an {@link Error} stops the loop instead).
 *
 * <p>A dispatcher's socket is made for the loop that will drive it: the running loop, else the
 * thread's current one ({@link Asyncio#getEventLoop()}), which is the loop {@link Asyncore#loop}
 * uses by default.
 *
 * <p>Not thread safe: use a dispatcher from its loop's thread.
 */
public class Dispatcher {

    /** Synthetic map keys for sockets without a native descriptor (channels on the NIO loop). */
    private static final AtomicInteger SYNTHETIC_KEYS = new AtomicInteger(-2);

    /** Whether {@link #send}/{@link #recv} log what they move (Python's {@code debug}). */
    protected boolean debug;
    /** Whether the socket is connected (Python's {@code connected}). */
    protected boolean connected;
    /** Whether the socket listens (Python's {@code accepting}). */
    protected boolean accepting;
    /** Whether a connect is under way (Python's {@code connecting}). */
    protected boolean connecting;
    /** Set by subclasses that are closing down (Python's {@code closing}); unused here. */
    protected boolean closing;
    /** The address given to {@link #bind} or {@link #connect}, or the peer's (Python's {@code addr}). */
    protected SocketAddress addr;
    /** The socket, or null before {@link #createSocket} or {@link #setSocket} (Python's {@code socket}). */
    protected Socket socket;
    /** Log types {@link #logInfo(String, String)} does not print (Python's {@code ignore_log_types}). */
    protected Set<String> ignoreLogTypes = Set.of("warning");

    private Map<Integer, Dispatcher> map;
    private Integer fileno;
    Endpoint endpoint;

    // Readiness, set by the loop's callbacks between two dispatch rounds (see MapDriver).
    boolean readyRead;
    boolean readyWrite;
    EventLoop watchLoop;
    boolean watchingRead;
    boolean watchingWrite;

    /** A dispatcher without a socket yet, in the global map ({@link Asyncore#socketMap()}). */
    public Dispatcher() {
        this(null, null);
    }

    /**
     * A dispatcher without a socket yet.
     *
     * @param map the socket map it joins once it has a socket; null for the global one
     */
    public Dispatcher(Map<Integer, Dispatcher> map) {
        this(null, map);
    }

    /**
     * A dispatcher for a socket the caller has (an accepted connection, usually), in the global map.
     *
     * @param sock the socket
     */
    public Dispatcher(Socket sock) {
        this(sock, null);
    }

    /**
     * A dispatcher for a socket the caller has, joining {@code map}. As asyncore did, it counts as
     * connected when the socket has a peer, and as not connected when it has none yet.
     *
     * @param sock the socket, or null for none yet
     * @param map the socket map; null for the global one
     */
    public Dispatcher(Socket sock, Map<Integer, Dispatcher> map) {
        this.map = map != null ? map : Asyncore.socketMap();
        if (sock != null) {
            setSocket(sock);
            connected = true;
            try {
                addr = sock.remoteAddress();
                if (addr == null) {
                    connected = false;
                }
            } catch (IOException e) {
                // Python tolerates ENOTCONN and EINVAL here; a closed socket is the one other case.
                connected = false;
            }
        }
    }

    // ---- the socket and the map ----

    /**
     * The socket.
     *
     * @return the socket, or null before one is set (and for a {@link FileDispatcher})
     */
    public final Socket socket() {
        return socket;
    }

    /**
     * The key of this dispatcher in its map: the socket's descriptor, or for a socket the JDK
     * holds as a channel (the NIO loop's) a negative number unique in the process, which saves
     * looking the descriptor up.
     *
     * @return the key, or -1 without a socket (Python: {@code None})
     */
    public final int fileno() {
        return fileno == null ? -1 : fileno;
    }

    /**
     * The socket map this dispatcher joins.
     *
     * @return the map
     */
    public final Map<Integer, Dispatcher> map() {
        return map;
    }

    /**
     * Whether the socket is connected.
     *
     * @return Python's {@code connected}
     */
    public boolean isConnected() {
        return connected;
    }

    /**
     * Whether the socket listens.
     *
     * @return Python's {@code accepting}
     */
    public boolean isAccepting() {
        return accepting;
    }

    /**
     * Whether a connect is under way.
     *
     * @return Python's {@code connecting}
     */
    public boolean isConnecting() {
        return connecting;
    }

    /**
     * The address bound or connected to, or the peer's.
     *
     * @return Python's {@code addr}, or null
     */
    public SocketAddress addr() {
        return addr;
    }

    /** Adds this dispatcher to its map under {@link #fileno()}. */
    public void addChannel() {
        addChannel(null);
    }

    /**
     * Adds this dispatcher to {@code map} under {@link #fileno()}.
     *
     * @param map the map; null for its own
     */
    public void addChannel(Map<Integer, Dispatcher> map) {
        (map != null ? map : this.map).put(fileno, this);
    }

    /** Removes this dispatcher from its map; {@link #fileno()} becomes -1. */
    public void delChannel() {
        delChannel(null);
    }

    /**
     * Removes this dispatcher from {@code map}; {@link #fileno()} becomes -1.
     *
     * @param map the map; null for its own
     */
    public void delChannel(Map<Integer, Dispatcher> map) {
        Map<Integer, Dispatcher> m = map != null ? map : this.map;
        if (fileno != null && m.get(fileno) == this) {
            m.remove(fileno);
        }
        fileno = null;
    }

    /**
     * Creates an IPv4 stream socket (Python's default) and adds the dispatcher to its map.
     *
     * @throws IOException if the OS refuses
     */
    public void createSocket() throws IOException {
        createSocket(Socket.Family.INET, Socket.Type.STREAM);
    }

    /**
     * Creates a non-blocking socket for the loop that will drive this dispatcher (the running
     * loop, else the thread's current one) and adds the dispatcher to its map.
     *
     * @param family the address family
     * @param type the socket type
     * @throws IOException if the OS refuses
     */
    public void createSocket(Socket.Family family, Socket.Type type) throws IOException {
        setSocket(Socket.open(Asyncio.getEventLoop(), family, type));
    }

    /**
     * Sets the socket and adds the dispatcher to its map.
     *
     * @param sock the socket (non-blocking, as every jasyncio socket is)
     */
    public void setSocket(Socket sock) {
        setSocket(sock, null);
    }

    /**
     * Sets the socket and adds the dispatcher to {@code map}.
     *
     * @param sock the socket
     * @param map the map; null for its own
     */
    public void setSocket(Socket sock, Map<Integer, Dispatcher> map) {
        Objects.requireNonNull(sock, "sock");
        socket = sock;
        setEndpoint(new Endpoint.OfSocket(sock), sock.channel() == null ? sock.fileno() : syntheticKey(),
                map);
    }

    /** A key below -1 no other dispatcher of the process has. */
    static int syntheticKey() {
        return SYNTHETIC_KEYS.getAndDecrement();
    }

    final void setEndpoint(Endpoint endpoint, int key, Map<Integer, Dispatcher> map) {
        this.endpoint = endpoint;
        this.fileno = key;
        addChannel(map);
    }

    /**
     * Turns {@code SO_REUSEADDR} on, so a server can bind again while old connections linger.
     * A refusal is ignored, as in asyncore.
     */
    public void setReuseAddr() {
        try {
            socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        } catch (IOException | RuntimeException e) {
            // asyncore ignores an OSError here.
        }
    }

    // ---- the questions asked every iteration ----

    /**
     * Whether the loop should watch the socket for reading this iteration. Asked every iteration.
     *
     * @return true by default
     */
    public boolean readable() {
        return true;
    }

    /**
     * Whether the loop should watch the socket for writing this iteration (never asked of a
     * listening socket's answer: accepting sockets are not watched for writing). Asked every
     * iteration.
     *
     * @return true by default
     */
    public boolean writable() {
        return true;
    }

    // ---- socket methods ----

    /**
     * Starts listening; the dispatcher becomes accepting.
     *
     * @param num the backlog
     * @throws IOException if the OS refuses
     */
    public void listen(int num) throws IOException {
        accepting = true;
        socket.listen(num);
    }

    /**
     * Binds the socket.
     *
     * @param address the local address
     * @throws IOException if the OS refuses ({@link java.net.BindException} when in use)
     */
    public void bind(SocketAddress address) throws IOException {
        addr = address;
        socket.bind(address);
    }

    /**
     * Starts connecting. If the connection is made at once, {@link #handleConnect()} runs now;
     * otherwise it runs on the first readable or writable event.
     *
     * @param address the peer
     * @throws Exception if the OS refuses at once ({@link java.net.ConnectException} when refused),
     *         or what {@code handleConnect} throws
     */
    public void connect(SocketAddress address) throws Exception {
        connected = false;
        connecting = true;
        boolean now = socket.connect(address);
        addr = address;
        if (now) {
            handleConnectEvent();
        }
    }

    /**
     * Accepts one waiting connection.
     *
     * @return the connected socket (its {@code remoteAddress()} is the peer's), or null when none
     *         waits
     * @throws IOException if the OS refuses
     */
    public Socket accept() throws IOException {
        return socket.accept();
    }

    /**
     * Sends what the socket takes now.
     *
     * @param data the bytes
     * @return the bytes sent; 0 when the socket is full, or when the connection is gone (then
     *         {@link #handleClose()} has run)
     * @throws Exception if the OS refuses otherwise, or what {@code handleClose} throws
     */
    public int send(byte[] data) throws Exception {
        return send(ByteBuffer.wrap(data));
    }

    /**
     * Sends what the socket takes now from {@code data}, advancing its position.
     *
     * @param data the bytes
     * @return as {@link #send(byte[])}
     * @throws Exception as {@link #send(byte[])}
     */
    public int send(ByteBuffer data) throws Exception {
        try {
            int n = endpoint.write(data);
            if (debug) {
                log("sent " + n + " bytes");
            }
            return n;
        } catch (IOException e) {
            if (disconnected(e)) {
                handleClose();
                return 0;
            }
            throw e;
        }
    }

    /**
     * Reads up to {@code bufferSize} bytes of what has arrived. At end of stream, or when the
     * connection is gone, {@link #handleClose()} runs and the result is empty.
     *
     * @param bufferSize the most bytes to read
     * @return the bytes; empty at end of stream, or also (without {@code handleClose}) when nothing
     *         had arrived after all (Python raises {@code BlockingIOError} there)
     * @throws Exception if the OS refuses otherwise, or what {@code handleClose} throws
     */
    public byte[] recv(int bufferSize) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(bufferSize);
        int n;
        try {
            n = endpoint.read(dst);
        } catch (IOException e) {
            if (disconnected(e)) {
                handleClose();
                return new byte[0];
            }
            throw e;
        }
        if (n == Socket.WOULD_BLOCK) {
            return new byte[0];
        }
        if (n == 0) {
            handleClose();
            return new byte[0];
        }
        if (debug) {
            log("received " + n + " bytes");
        }
        return Arrays.copyOf(dst.array(), n);
    }

    /** asyncore's {@code _DISCONNECTED}: reset, broken pipe, not connected, closed. */
    static boolean disconnected(IOException e) {
        return e instanceof SocketException || e instanceof ClosedChannelException
                || e instanceof ClosedDescriptorException;
    }

    /**
     * Closes the socket and leaves the map. The loop stops watching it first. Idempotent.
     *
     * @throws IOException if the OS reports an error while closing
     */
    public void close() throws IOException {
        connected = false;
        accepting = false;
        connecting = false;
        delChannel();
        unwatch();
        if (endpoint != null) {
            try {
                endpoint.close();
            } catch (ClosedDescriptorException e) {
                // EBADF: already closed, as asyncore ignores.
            }
        }
    }

    /** Stops the loop watching this dispatcher, before its socket closes. */
    final void unwatch() {
        EventLoop loop = watchLoop;
        if (loop != null && endpoint != null && !loop.isClosed() && !endpoint.isClosed()) {
            if (watchingRead) {
                endpoint.removeReader(loop);
            }
            if (watchingWrite) {
                endpoint.removeWriter(loop);
            }
        }
        watchingRead = false;
        watchingWrite = false;
        readyRead = false;
        readyWrite = false;
        watchLoop = null;
    }

    // ---- logging, as asyncore prints ----

    /**
     * Writes {@code log: message} to standard error (Python's {@code log}).
     *
     * @param message the message
     */
    public void log(String message) {
        System.err.println("log: " + message);
    }

    /**
     * Prints {@code info: message} to standard output.
     *
     * @param message the message
     */
    public void logInfo(String message) {
        logInfo(message, "info");
    }

    /**
     * Prints {@code type: message} to standard output unless {@link #ignoreLogTypes} holds the
     * type (by default {@code warning}, so the "unhandled event" notices stay quiet, as in asyncore).
     *
     * @param message the message
     * @param type {@code info}, {@code warning} or {@code error}
     */
    public void logInfo(String message, String type) {
        if (!ignoreLogTypes.contains(type)) {
            System.out.println(type + ": " + message);
        }
    }

    // ---- events: what the loop calls ----

    /**
     * The socket is readable: accepts on a listening socket, finishes a connect under way, then
     * reads.
     *
     * @throws Exception what a handler throws
     */
    public void handleReadEvent() throws Exception {
        if (accepting) {
            handleAccept();
        } else if (!connected) {
            if (connecting) {
                handleConnectEvent();
            }
            handleRead();
        } else {
            handleRead();
        }
    }

    /**
     * A connect ended: throws its failure, or calls {@link #handleConnect()} and marks the
     * dispatcher connected.
     *
     * @throws Exception the connect's failure, or what {@code handleConnect} throws
     */
    public void handleConnectEvent() throws Exception {
        endpoint.finishConnect();
        handleConnect();
        connected = true;
        connecting = false;
    }

    /**
     * The socket is writable: nothing for a listening socket; finishes a connect under way; then
     * writes.
     *
     * @throws Exception what a handler throws
     */
    public void handleWriteEvent() throws Exception {
        if (accepting) {
            return;
        }
        if (!connected && connecting) {
            handleConnectEvent();
        }
        handleWrite();
    }

    /**
     * An exceptional condition: a pending socket error closes the dispatcher, otherwise
     * {@link #handleExpt()} runs. jasyncio's loops do not watch for urgent data, so nothing calls
     * this unless the program does.
     *
     * @throws Exception what a handler throws
     */
    public void handleExptEvent() throws Exception {
        try {
            endpoint.finishConnect();
        } catch (IOException e) {
            handleClose();
            return;
        }
        handleExpt();
    }

    // ---- handlers: what subclasses override ----

    /**
     * A handler threw: logs the exception ({@code error:} on standard output) and closes the
     * dispatcher through {@link #handleClose()}. Python reads the exception from
     * {@code sys.exc_info()}; here it is the argument.
     *
     * @param error what was thrown
     * @throws Exception what {@code handleClose} throws
     */
    public void handleError(Throwable error) throws Exception {
        StackTraceElement[] trace = error.getStackTrace();
        String where = trace.length > 0 ? trace[0].toString() : "?";
        logInfo("uncaptured java exception, closing channel " + this + " (" + error.getClass().getName() + ":"
                + error.getMessage() + " [" + where + "])", "error");
        handleClose();
    }

    /**
     * Urgent data arrived. Logs a warning by default.
     *
     * @throws Exception what an override throws
     */
    public void handleExpt() throws Exception {
        logInfo("unhandled incoming priority event", "warning");
    }

    /**
     * The socket is readable. Logs a warning by default.
     *
     * @throws Exception what an override throws
     */
    public void handleRead() throws Exception {
        logInfo("unhandled read event", "warning");
    }

    /**
     * The socket is writable. Logs a warning by default.
     *
     * @throws Exception what an override throws
     */
    public void handleWrite() throws Exception {
        logInfo("unhandled write event", "warning");
    }

    /**
     * The connect succeeded. Logs a warning by default.
     *
     * @throws Exception what an override throws
     */
    public void handleConnect() throws Exception {
        logInfo("unhandled connect event", "warning");
    }

    /**
     * A connection waits on the listening socket: accepts it and passes it to
     * {@link #handleAccepted}.
     *
     * @throws Exception what {@code accept} or {@code handleAccepted} throws
     */
    public void handleAccept() throws Exception {
        Socket sock = accept();
        if (sock != null) {
            SocketAddress peer;
            try {
                peer = sock.remoteAddress();
            } catch (IOException e) {
                peer = null;
            }
            handleAccepted(sock, peer);
        }
    }

    /**
     * A connection was accepted. Closes it and logs a warning by default; override to wrap it in
     * a dispatcher of its own.
     *
     * @param sock the connected socket
     * @param addr the peer's address
     * @throws Exception what an override throws
     */
    public void handleAccepted(Socket sock, SocketAddress addr) throws Exception {
        sock.close();
        logInfo("unhandled accepted event", "warning");
    }

    /**
     * The peer closed, or the connection is gone. Logs a warning and closes by default.
     *
     * @throws Exception what an override throws
     */
    public void handleClose() throws Exception {
        logInfo("unhandled close event", "warning");
        close();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("<").append(getClass().getName());
        if (accepting && addr != null) {
            s.append(" listening");
        } else if (connected) {
            s.append(" connected");
        }
        if (addr != null) {
            s.append(' ').append(addr);
        }
        return s.append(" at 0x").append(Integer.toHexString(System.identityHashCode(this))).append('>').toString();
    }
}

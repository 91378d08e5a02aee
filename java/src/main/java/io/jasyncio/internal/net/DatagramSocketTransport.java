package io.jasyncio.internal.net;

import io.jasyncio.BaseProtocol;
import io.jasyncio.DatagramProtocol;
import io.jasyncio.DatagramTransport;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The readiness datagram transport (asyncio's {@code _SelectorDatagramTransport}), written once
 * over {@link SocketOps} like {@link StreamTransport}: the same code runs on a native descriptor
 * and on a JDK {@link java.nio.channels.DatagramChannel}.
 *
 * <p>Each readiness receives one datagram into the loop's shared direct buffer and hands the
 * protocol a read-only view of it, valid during {@code datagramReceived}. A send goes to the
 * socket at once; only when the socket is full is the datagram copied into the queue, which
 * drains on writability and drives the protocol's write flow control (each queued datagram
 * counts its length plus {@value #HEADER_SIZE} bytes, as asyncio counts it).
 *
 * <p>Failures of one send or receive ({@code ECONNREFUSED} after an ICMP port-unreachable on a
 * connected socket, {@code EMSGSIZE}, ...) go to {@link DatagramProtocol#errorReceived} and the
 * endpoint stays open, as in asyncio; only a failure of the protocol itself is fatal.
 *
 * <p>Not thread safe: the loop's thread only.
 */
public final class DatagramSocketTransport implements DatagramTransport, Runnable {

    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    /** What asyncio adds to a queued datagram's length when it counts the write buffer. */
    public static final int HEADER_SIZE = 8;
    private static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

    /** One queued datagram: a private copy of its bytes and its destination. */
    private record Queued(ByteBuffer data, SocketAddress address) {
    }

    private final EventLoop loop;
    private final Socket sock;
    private final SocketOps ops;
    private final ByteBuffer readBuffer;
    private final ByteBuffer readView;
    /** The remote address the endpoint was made with (asyncio's {@code _address}), or null. */
    private final SocketAddress address;
    /** Whether the socket itself is connected: sends then name no address. */
    private final boolean connected;
    private final Runnable writeReady = this::onWritable;
    private final Map<String, Object> extra = new HashMap<>();

    private DatagramProtocol protocol;
    private final ArrayDeque<Queued> pending = new ArrayDeque<>();
    private long pendingBytes;
    private final FlowControl flow = new FlowControl(this::report);

    private boolean closing;
    private boolean readerOn;
    private boolean writerOn;
    private boolean protocolConnected;
    private int connLost;

    /**
     * A transport for a datagram socket. Call {@link #start} to begin.
     *
     * @param loop the loop that owns it
     * @param sock the socket, for watching and {@code getExtraInfo("socket")}
     * @param ops the socket's operations on this loop
     * @param protocol the protocol
     * @param readBuffer the loop's shared direct read buffer
     * @param readView a read-only view of {@code readBuffer}
     * @param address the remote address the endpoint was made with, or null
     */
    public DatagramSocketTransport(EventLoop loop, Socket sock, SocketOps ops, DatagramProtocol protocol,
            ByteBuffer readBuffer, ByteBuffer readView, SocketAddress address) {
        this.loop = loop;
        this.sock = sock;
        this.ops = ops;
        this.readBuffer = readBuffer;
        this.readView = readView;
        this.address = address;
        setProtocol(protocol);
        extra.put("socket", sock);
        try {
            extra.put("sockname", ops.localAddress());
        } catch (IOException e) {
            // not bound: no sockname
        }
        SocketAddress peer = null;
        try {
            peer = ops.remoteAddress();
        } catch (IOException e) {
            // not connected: no peername
        }
        if (peer != null) {
            extra.put("peername", peer);
        }
        this.connected = peer != null;
    }

    /**
     * Begins: the protocol's {@code connectionMade}, then reading, then {@code waiter}'s result,
     * each as a callback, in that order (as asyncio does).
     *
     * @param waiter completed with null once the protocol knows of the endpoint, or null
     */
    public void start(Future<Void> waiter) {
        loop.callSoon(this::connectionMade);
        loop.callSoon(this::startReading);
        if (waiter != null) {
            loop.callSoon(() -> {
                if (!waiter.done()) {
                    waiter.setResult(null);
                }
            });
        }
    }

    private void connectionMade() {
        if (protocol == null) {
            return;
        }
        protocolConnected = true;
        protocol.connectionMade(this);
    }

    private void startReading() {
        if (!closing && !readerOn && connLost == 0) {
            readerOn = true;
            loop.addReader(sock, this);
        }
    }

    private void stopReading() {
        if (readerOn) {
            readerOn = false;
            loop.removeReader(sock);
        }
    }

    // ---- receiving ----

    /** Readable: one datagram, or one error. */
    @Override
    public void run() {
        if (connLost > 0) {
            return;
        }
        SocketAddress from;
        try {
            from = ops.receive(readBuffer.clear());
        } catch (IOException e) {
            errorReceived(e);
            return;
        } catch (RuntimeException e) {
            fatalError(e, "Fatal read error on datagram transport");
            return;
        }
        if (from == null) {
            return;
        }
        readView.clear().limit(readBuffer.position());
        try {
            protocol.datagramReceived(readView, from);
        } catch (RuntimeException e) {
            fatalError(e, "Fatal error: protocol.datagramReceived() call failed.");
        }
    }

    private void errorReceived(IOException e) {
        try {
            protocol.errorReceived(e);
        } catch (RuntimeException inner) {
            fatalError(inner, "Fatal error: protocol.errorReceived() call failed.");
        }
    }

    // ---- sending ----

    @Override
    public void sendto(byte[] data, SocketAddress address) {
        sendto(ByteBuffer.wrap(Objects.requireNonNull(data, "data")), address);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The datagram is sent at once when the socket takes it; otherwise a copy is queued, and
     * {@code data}'s position moves to its limit either way. An empty buffer sends an empty
     * datagram.
     *
     * @throws IllegalArgumentException also for an unresolved {@link InetSocketAddress}, or no
     *         address on an endpoint made without a remote one
     */
    @Override
    public void sendto(ByteBuffer data, SocketAddress address) {
        Objects.requireNonNull(data, "data");
        SocketAddress target = target(address);
        if (connLost > 0) {
            // asyncio counts sends after the loss and warns past a threshold; nothing is sent.
            if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
                LOG.log(System.Logger.Level.WARNING, "socket.send() raised exception.");
            }
            connLost++;
            data.position(data.limit());
            return;
        }
        if (pending.isEmpty()) {
            int length = data.remaining();
            int sent;
            try {
                sent = ops.send(data, target);
            } catch (IOException e) {
                data.position(data.limit());
                errorReceived(e);
                return;
            } catch (RuntimeException e) {
                fatalError(e, "Fatal write error on datagram transport");
                return;
            }
            if (!wouldHaveBlocked(length, sent)) {
                data.position(data.limit());
                return;
            }
            startWriting();
        }
        enqueue(data, target);
        flow.grew(pendingBytes, protocol);
    }

    /**
     * Whether a send of {@code length} bytes that returned {@code sent} was refused for a full
     * socket. {@link SocketOps#send} returns 0 both for a full socket and for an empty datagram
     * sent, so an empty datagram counts as sent: it is never queued.
     */
    private static boolean wouldHaveBlocked(int length, int sent) {
        return length > 0 && sent == 0;
    }

    private SocketAddress target(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw new IllegalArgumentException("sendto needs a resolved address: " + address);
        }
        if (this.address != null) {
            if (address != null && !address.equals(this.address)) {
                throw new IllegalArgumentException("Invalid address: must be null or " + this.address);
            }
            return connected ? null : this.address;
        }
        if (address == null && !connected) {
            throw new IllegalArgumentException("sendto needs an address: the endpoint has no remote address");
        }
        return connected ? null : address;
    }

    private void enqueue(ByteBuffer data, SocketAddress target) {
        int n = data.remaining();
        ByteBuffer copy = ByteBuffer.allocate(n);
        copy.put(data).flip();
        pending.addLast(new Queued(copy, target));
        pendingBytes += n + HEADER_SIZE;
    }

    private void startWriting() {
        if (!writerOn) {
            writerOn = true;
            loop.addWriter(sock, writeReady);
        }
    }

    private void stopWriting() {
        if (writerOn) {
            writerOn = false;
            loop.removeWriter(sock);
        }
    }

    private void onWritable() {
        if (connLost > 0) {
            return;
        }
        while (!pending.isEmpty()) {
            Queued q = pending.peekFirst();
            int length = q.data().remaining();
            int sent;
            try {
                sent = ops.send(q.data(), q.address());
            } catch (IOException e) {
                // asyncio drops the datagram that failed and keeps the rest queued.
                pending.pollFirst();
                pendingBytes -= length + HEADER_SIZE;
                errorReceived(e);
                return;
            } catch (RuntimeException e) {
                fatalError(e, "Fatal write error on datagram transport");
                return;
            }
            if (wouldHaveBlocked(length, sent)) {
                break;
            }
            pending.pollFirst();
            pendingBytes -= length + HEADER_SIZE;
        }
        flow.drained(pendingBytes, protocol);
        if (pending.isEmpty()) {
            stopWriting();
            if (closing) {
                callConnectionLost(null);
            }
        }
    }

    @Override
    public long getWriteBufferSize() {
        return pendingBytes;
    }

    /**
     * The low-water mark.
     *
     * @return bytes
     */
    public long getWriteBufferLowLimit() {
        return flow.low();
    }

    /**
     * The high-water mark.
     *
     * @return bytes
     */
    public long getWriteBufferHighLimit() {
        return flow.high();
    }

    /**
     * Sets the write flow-control marks, with asyncio's defaults (see
     * {@link io.jasyncio.WriteTransport#setWriteBufferLimits(long, long)}).
     *
     * @param high the high-water mark, or -1
     * @param low the low-water mark, or -1
     */
    public void setWriteBufferLimits(long high, long low) {
        flow.setLimits(high, low, pendingBytes, protocol);
    }

    // ---- closing ----

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        stopReading();
        if (pending.isEmpty()) {
            connLost++;
            stopWriting();
            loop.callSoon(() -> callConnectionLost(null));
        }
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void abort() {
        forceClose(null);
    }

    private void fatalError(Throwable exc, String message) {
        if (!(exc instanceof IOException)) {
            report(message, exc);
        } else if (loop.getDebug()) {
            LOG.log(System.Logger.Level.DEBUG, this + ": " + message, exc);
        }
        forceClose(exc);
    }

    private void report(String message, Throwable exc) {
        TransportReports.report(loop, message, exc, this, protocol);
    }

    private void forceClose(Throwable exc) {
        if (connLost > 0) {
            return;
        }
        if (!pending.isEmpty()) {
            pending.clear();
            pendingBytes = 0;
            stopWriting();
        }
        if (!closing) {
            closing = true;
            stopReading();
        }
        connLost++;
        loop.callSoon(() -> callConnectionLost(exc));
    }

    private void callConnectionLost(Throwable exc) {
        if (protocol == null) {
            return;
        }
        try {
            stopReading();
            stopWriting();
            if (protocolConnected) {
                protocol.connectionLost(exc);
            }
        } finally {
            try {
                ops.close();
            } catch (IOException e) {
                // closing: nothing left to tell
            }
            protocol = null;
        }
    }

    // ---- the rest ----

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return extra.getOrDefault(name, defaultValue);
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        if (!(protocol instanceof DatagramProtocol p)) {
            throw new IllegalArgumentException("a datagram transport needs a DatagramProtocol, not "
                    + (protocol == null ? "null" : protocol.getClass().getName()));
        }
        this.protocol = p;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "DatagramSocketTransport[" + ops + (closing ? ", closing" : "") + ", buffered=" + pendingBytes + "]";
    }
}

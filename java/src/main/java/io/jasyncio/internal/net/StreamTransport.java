package io.jasyncio.internal.net;

import io.jasyncio.BaseProtocol;
import io.jasyncio.BufferedProtocol;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Protocol;
import io.jasyncio.Socket;
import io.jasyncio.Transport;

import java.io.IOException;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The readiness stream transport (asyncio's {@code _SelectorSocketTransport}), written once over
 * {@link SocketOps}: the same code runs on a native descriptor and on a JDK channel.
 *
 * <p>Reads go into the loop's shared direct buffer and reach a {@link Protocol} as a read-only
 * view of it (no copy, no allocation), or straight into a {@link BufferedProtocol}'s buffer.
 * Writes go to the socket at once; only what the kernel did not take is copied into the write
 * queue, which drains on writability and drives the protocol's flow control.
 */
public final class StreamTransport implements Transport, Runnable {

    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

    private final EventLoop loop;
    private final Socket sock;
    private final SocketOps ops;
    private final ByteBuffer readBuffer;
    private final ByteBuffer readView;
    private final Runnable onLost;
    private final Runnable writeReady = this::onWritable;
    private final Map<String, Object> extra = new HashMap<>();

    private BaseProtocol protocol;
    private Protocol plain;
    private BufferedProtocol buffered;

    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long pendingBytes;
    private final FlowControl flow = new FlowControl(this::report);

    private boolean closing;
    private boolean eof;
    private boolean paused;
    private boolean readerOn;
    private boolean writerOn;
    private boolean protocolConnected;
    private int connLost;
    /** Set while a sendfile owns the socket: done once the write buffer is empty. */
    private Future<Void> emptyWaiter;

    /**
     * A transport for a connected socket. Call {@link #start} to begin.
     *
     * @param loop the loop that owns it
     * @param sock the socket, for watching and {@code getExtraInfo("socket")}
     * @param ops the socket's operations on this loop
     * @param protocol a {@link Protocol} or {@link BufferedProtocol}
     * @param readBuffer the loop's shared direct read buffer
     * @param readView a read-only view of {@code readBuffer}
     * @param onLost run once after {@code connectionLost} (a server's bookkeeping), or null
     */
    public StreamTransport(EventLoop loop, Socket sock, SocketOps ops, BaseProtocol protocol, ByteBuffer readBuffer,
            ByteBuffer readView, Runnable onLost) {
        this.loop = loop;
        this.sock = sock;
        this.ops = ops;
        this.readBuffer = readBuffer;
        this.readView = readView;
        this.onLost = onLost;
        setProtocol(protocol);
        extra.put("socket", sock);
        try {
            extra.put("sockname", ops.localAddress());
        } catch (IOException e) {
            // not bound: no sockname
        }
        try {
            extra.put("peername", ops.remoteAddress());
        } catch (IOException e) {
            // not connected: no peername
        }
        if (ops.family() != SocketOps.UNIX && ops.type() == SocketOps.STREAM) {
            try {
                ops.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException | UnsupportedOperationException e) {
                // a socket that refuses it keeps Nagle
            }
        }
    }

    /**
     * Begins: the protocol's {@code connectionMade}, then reading, then {@code waiter}'s result,
     * each as a callback, in that order (as asyncio does).
     *
     * @param waiter completed with null once the protocol knows of the connection, or null
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
        protocolConnected = true;
        if (plain != null) {
            plain.connectionMade(this);
        } else {
            buffered.connectionMade(this);
        }
    }

    private void startReading() {
        if (!closing && !paused && !readerOn) {
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

    // ---- reading ----

    /** Readable. */
    @Override
    public void run() {
        if (connLost > 0) {
            return;
        }
        if (buffered != null) {
            readIntoProtocol();
            return;
        }
        int n;
        try {
            n = ops.read(readBuffer.clear());
        } catch (IOException e) {
            fatalError(e, "Fatal read error on socket transport");
            return;
        }
        if (n == SocketOps.WOULD_BLOCK) {
            return;
        }
        if (n == 0) {
            readEof();
            return;
        }
        readView.clear().limit(n);
        try {
            plain.dataReceived(readView);
        } catch (RuntimeException e) {
            fatalError(e, "Fatal error: protocol.dataReceived() call failed.");
        }
    }

    private void readIntoProtocol() {
        ByteBuffer buf;
        try {
            buf = buffered.getBuffer(-1);
            if (buf == null || !buf.hasRemaining()) {
                throw new IllegalStateException("getBuffer() returned an empty buffer");
            }
        } catch (RuntimeException e) {
            fatalError(e, "Fatal error: protocol.getBuffer() call failed.");
            return;
        }
        int position = buf.position();
        int n;
        try {
            n = ops.read(buf);
        } catch (IOException e) {
            fatalError(e, "Fatal read error on socket transport");
            return;
        }
        if (n == SocketOps.WOULD_BLOCK) {
            return;
        }
        if (n == 0) {
            readEof();
            return;
        }
        buf.position(position);
        try {
            buffered.bufferUpdated(n);
        } catch (RuntimeException e) {
            fatalError(e, "Fatal error: protocol.bufferUpdated() call failed.");
        }
    }

    private void readEof() {
        boolean keepOpen;
        try {
            keepOpen = plain != null ? plain.eofReceived() : buffered.eofReceived();
        } catch (RuntimeException e) {
            fatalError(e, "Fatal error: protocol.eofReceived() call failed.");
            return;
        }
        if (keepOpen) {
            stopReading();
        } else {
            close();
        }
    }

    @Override
    public void pauseReading() {
        if (closing || paused) {
            return;
        }
        paused = true;
        stopReading();
    }

    @Override
    public void resumeReading() {
        if (closing || !paused) {
            return;
        }
        paused = false;
        startReading();
    }

    @Override
    public boolean isReading() {
        return !paused && !closing;
    }

    // ---- writing ----

    @Override
    public void write(byte[] data) {
        write(ByteBuffer.wrap(data));
    }

    @Override
    public void write(ByteBuffer data) {
        if (eof) {
            throw new IllegalStateException("Cannot call write() after writeEof()");
        }
        if (emptyWaiter != null) {
            throw new IllegalStateException("unable to write; sendfile is in progress");
        }
        if (!data.hasRemaining()) {
            return;
        }
        if (connLost > 0) {
            if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
                LOG.log(System.Logger.Level.WARNING, "socket.send() raised exception.");
            }
            connLost++;
            data.position(data.limit());
            return;
        }
        if (pendingBytes == 0) {
            try {
                ops.write(data);
            } catch (IOException e) {
                fatalError(e, "Fatal write error on socket transport");
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            startWriting();
        }
        enqueue(data);
        flow.grew(pendingBytes, protocol);
    }

    private void enqueue(ByteBuffer data) {
        int n = data.remaining();
        ByteBuffer copy = ByteBuffer.allocate(n);
        copy.put(data).flip();
        pending.addLast(copy);
        pendingBytes += n;
    }

    @Override
    public void writelines(List<ByteBuffer> data) {
        if (eof) {
            throw new IllegalStateException("Cannot call writelines() after writeEof()");
        }
        if (emptyWaiter != null) {
            throw new IllegalStateException("unable to write; sendfile is in progress");
        }
        if (pendingBytes == 0 && connLost == 0 && data.size() > 1) {
            ByteBuffer[] all = data.toArray(new ByteBuffer[0]);
            try {
                ops.write(all, 0, all.length);
            } catch (IOException e) {
                fatalError(e, "Fatal write error on socket transport");
                return;
            }
            boolean rest = false;
            for (ByteBuffer b : all) {
                if (b.hasRemaining()) {
                    rest = true;
                    enqueue(b);
                }
            }
            if (rest) {
                startWriting();
                flow.grew(pendingBytes, protocol);
            }
            return;
        }
        for (ByteBuffer b : data) {
            write(b);
        }
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
        try {
            while (!pending.isEmpty()) {
                ByteBuffer head = pending.peekFirst();
                int n = ops.write(head);
                pendingBytes -= n;
                if (head.hasRemaining()) {
                    break;
                }
                pending.pollFirst();
            }
        } catch (IOException e) {
            stopWriting();
            pending.clear();
            pendingBytes = 0;
            if (emptyWaiter != null && !emptyWaiter.done()) {
                emptyWaiter.setException(e);
            }
            fatalError(e, "Fatal write error on socket transport");
            return;
        }
        flow.drained(pendingBytes, protocol);
        if (pendingBytes == 0) {
            stopWriting();
            if (emptyWaiter != null && !emptyWaiter.done()) {
                emptyWaiter.setResult(null);
            }
            if (closing) {
                callConnectionLost(null);
            } else if (eof) {
                shutdownOutput();
            }
        }
    }

    private void shutdownOutput() {
        try {
            ops.shutdownOutput();
        } catch (IOException e) {
            // the peer is gone already: the read side will report it
        }
    }

    @Override
    public void writeEof() {
        if (closing || eof) {
            return;
        }
        eof = true;
        if (pendingBytes == 0) {
            shutdownOutput();
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public long getWriteBufferSize() {
        return pendingBytes;
    }

    @Override
    public long getWriteBufferLowLimit() {
        return flow.low();
    }

    @Override
    public long getWriteBufferHighLimit() {
        return flow.high();
    }

    @Override
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
        if (pendingBytes == 0) {
            connLost++;
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
        if (!(exc instanceof SocketException || exc instanceof io.jasyncio.internal.natives.ClosedDescriptorException)) {
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
        if (pendingBytes > 0) {
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
            plain = null;
            buffered = null;
            if (emptyWaiter != null && !emptyWaiter.done()) {
                emptyWaiter.setException(new SocketException("Connection is closed by peer"));
            }
            if (onLost != null) {
                onLost.run();
            }
        }
    }

    // ---- the rest ----

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return extra.getOrDefault(name, defaultValue);
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        if (protocol instanceof Protocol p) {
            this.plain = p;
            this.buffered = null;
        } else if (protocol instanceof BufferedProtocol b) {
            this.buffered = b;
            this.plain = null;
        } else {
            throw new IllegalArgumentException("a stream transport needs a Protocol or a BufferedProtocol, not "
                    + (protocol == null ? "null" : protocol.getClass().getName()));
        }
        this.protocol = protocol;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    /**
     * Hands the socket to a sendfile (asyncio's {@code _make_empty_waiter}): from now on
     * {@link #write} and {@link #writelines} throw IllegalStateException, until
     * {@link #resetEmptyWaiter()}.
     *
     * @return a future done once the write buffer is empty (at once if it is), or failed with
     *         the write error or the loss of the connection
     * @throws IllegalStateException if a sendfile owns the socket already
     */
    public Future<Void> makeEmptyWaiter() {
        if (emptyWaiter != null) {
            throw new IllegalStateException("Empty waiter is already set");
        }
        emptyWaiter = loop.createFuture();
        if (pendingBytes == 0) {
            emptyWaiter.setResult(null);
        }
        return emptyWaiter;
    }

    /** Gives the socket back after a sendfile: writes are accepted again. */
    public void resetEmptyWaiter() {
        if (emptyWaiter != null && !emptyWaiter.done()) {
            emptyWaiter.cancel();
        }
        emptyWaiter = null;
    }

    /** {@return the socket's operations (for sendfile and TLS)} */
    public SocketOps ops() {
        return ops;
    }

    /** {@return the socket} */
    public Socket socket() {
        return sock;
    }

    @Override
    public String toString() {
        return "StreamTransport[" + ops + (closing ? ", closing" : "") + (paused ? ", paused" : "")
                + ", buffered=" + pendingBytes + "]";
    }
}

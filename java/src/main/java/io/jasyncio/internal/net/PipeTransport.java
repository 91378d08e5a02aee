package io.jasyncio.internal.net;

import io.jasyncio.BaseProtocol;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Protocol;
import io.jasyncio.Transport;
import io.jasyncio.internal.natives.Pipes;
import io.jasyncio.internal.natives.Sockets;
import io.jasyncio.internal.natives.UnpollableDescriptorException;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One end of a pipe as a transport (asyncio's {@code _UnixReadPipeTransport} and
 * {@code _UnixWritePipeTransport} in one class, written after {@link StreamTransport}): a read
 * end feeds its protocol's {@code dataReceived} until end of stream, then {@code eofReceived}
 * and {@code connectionLost}; a write end writes at once, queues the rest, drains it on
 * writability and drives flow control. Under it: a raw descriptor ({@code read(2)}/{@code write(2)}
 * on the epoll loop, and on the NIO loop through its descriptor bridge) or a
 * {@link java.nio.channels.Pipe} channel of the JDK (NIO loop).
 *
 * <p>It implements {@link Transport} so a plain {@link Protocol} (and a
 * {@link io.jasyncio.StreamWriter}) can take it, but one end only does its half: the write calls
 * of a read end throw IllegalStateException, and a write end never reads.
 *
 * <p>A write end also watches its descriptor for readability: a pipe's write end turns "readable"
 * (EPOLLERR) when the last reader is gone, so a reader that closes is noticed even while nothing
 * is written (asyncio does the same).
 *
 * <p>A read end on a character device that cannot be polled ({@code epoll_ctl} refuses it with
 * EPERM: {@code /dev/zero}, {@code /dev/urandom}) is read as {@code poll(2)} and {@code select(2)}
 * see such a file, always ready: one read per loop iteration, from a callback that schedules
 * itself again while reading is on, so other callbacks still run between reads and
 * {@code pauseReading} stops it.
 *
 * <p>Not thread safe: owned by its loop.
 */
public final class PipeTransport implements Transport {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final int SCRATCH_SIZE = 64 * 1024;
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(SCRATCH_SIZE));

    private final EventLoop loop;
    private final Runnable afterData;
    private final boolean readEnd;
    private final int fd;
    private final SelectableChannel channel;
    private final ByteBuffer readBuffer;
    private final ByteBuffer readView;
    private final Map<String, Object> extra = new HashMap<>();
    private final DirectAddresses addresses = new DirectAddresses();
    private final Runnable readReady = this::onReadable;
    private final Runnable writeReady = this::onWritable;
    private final Runnable alwaysReady = this::onAlwaysReady;

    private BaseProtocol protocol;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long pendingBytes;
    private final FlowControl flow = new FlowControl(this::report);
    private boolean closing;
    private boolean paused;
    private boolean readerOn;
    private boolean writerOn;
    private boolean closed;
    private int connLost;
    /** The poller refused the read end (EPERM): it is read from {@link #alwaysReady} instead. */
    private boolean unpollable;
    private boolean alwaysReadyScheduled;

    /**
     * A transport over one end of a pipe; call {@link #start} to begin.
     *
     * @param loop the loop that owns it
     * @param readEnd true for a read end, false for a write end
     * @param fd the descriptor (non-blocking), or -1 when {@code channel} is given
     * @param channel a non-blocking JDK pipe channel, or null when {@code fd} is given
     * @param protocol the protocol
     * @param readBuffer the loop's shared direct read buffer
     * @param readView a read-only view of it
     * @param pipe what {@code getExtraInfo("pipe")} returns
     * @param afterData run after each read that brought data: asks the loop to look for more
     *        before it sleeps
     */
    public PipeTransport(EventLoop loop, boolean readEnd, int fd, SelectableChannel channel, BaseProtocol protocol,
            ByteBuffer readBuffer, ByteBuffer readView, Object pipe, Runnable afterData) {
        this.loop = loop;
        this.afterData = afterData;
        this.readEnd = readEnd;
        this.fd = fd;
        this.channel = channel;
        this.readBuffer = readBuffer;
        this.readView = readView;
        this.protocol = protocol;
        extra.put("pipe", pipe);
    }

    /**
     * Begins as asyncio does: {@code connectionMade}, then watching, then {@code waiter}'s
     * result, each as a callback in that order.
     *
     * @param waiter completed with null once the protocol knows of the pipe, or null
     */
    public void start(Future<Void> waiter) {
        loop.callSoon(() -> {
            if (protocol instanceof Protocol p) {
                p.connectionMade(this);
            }
        });
        loop.callSoon(readEnd ? this::startReading : this::watchReaderGone);
        if (waiter != null) {
            loop.callSoon(() -> {
                if (!waiter.done()) {
                    waiter.setResult(null);
                }
            });
        }
    }

    /** {@return the descriptor, or -1 over a channel} */
    public int fd() {
        return fd;
    }

    // ---- watching ----

    private void addReader() {
        if (channel != null) {
            loop.addReader(channel, readReady);
        } else {
            loop.addReader(fd, readReady);
        }
    }

    private void removeReader() {
        if (channel != null) {
            loop.removeReader(channel);
        } else {
            loop.removeReader(fd);
        }
    }

    private void startReading() {
        if (!closing && !paused && !readerOn) {
            if (!unpollable) {
                try {
                    addReader();
                } catch (java.io.UncheckedIOException e) {
                    if (channel != null || !(e.getCause() instanceof UnpollableDescriptorException)) {
                        fatalError(e.getCause(), "Cannot watch the pipe");
                        return;
                    }
                    unpollable = true; // a character device epoll refuses: always ready
                }
            }
            readerOn = true;
            if (unpollable && !alwaysReadyScheduled) {
                alwaysReadyScheduled = true;
                loop.callSoon(alwaysReady);
            }
        }
    }

    /** One read of an unpollable read end, then the next one queued while reading is on. */
    private void onAlwaysReady() {
        alwaysReadyScheduled = false;
        if (!readerOn) {
            return;
        }
        onReadable();
        if (readerOn && !alwaysReadyScheduled) {
            alwaysReadyScheduled = true;
            loop.callSoon(alwaysReady);
        }
    }

    private void stopReading() {
        if (readerOn) {
            readerOn = false;
            if (!unpollable) {
                removeReader();
            }
        }
    }

    private void watchReaderGone() {
        // A JDK sink channel cannot be watched for reading; its reader's departure shows at a write.
        if (!closing && channel == null && !readerOn) {
            try {
                addReader();
            } catch (java.io.UncheckedIOException e) {
                return; // a character device that cannot be polled: the departure shows at a write
            }
            readerOn = true;
        }
    }

    private void startWriting() {
        if (!writerOn) {
            writerOn = true;
            if (channel != null) {
                loop.addWriter(channel, writeReady);
            } else {
                loop.addWriter(fd, writeReady);
            }
        }
    }

    private void stopWriting() {
        if (writerOn) {
            writerOn = false;
            if (channel != null) {
                loop.removeWriter(channel);
            } else {
                loop.removeWriter(fd);
            }
        }
    }

    // ---- reading ----

    private int readSome(ByteBuffer dst) throws IOException {
        if (channel != null) {
            int n = ((ReadableByteChannel) channel).read(dst);
            return n < 0 ? 0 : n == 0 ? -1 : n;
        }
        int pos = dst.position();
        int n = Pipes.read(fd, addresses.at(dst), dst.remaining());
        if (n > 0) {
            dst.position(pos + n);
        }
        return n;
    }

    private void onReadable() {
        if (!readEnd) {
            // The write end turned "readable": the reader is gone.
            if (pendingBytes > 0) {
                closeWith(new SocketException("Broken pipe: the reader of the pipe is gone"));
            } else {
                closeWith(null);
            }
            return;
        }
        if (connLost > 0) {
            return;
        }
        int n;
        try {
            n = readSome(readBuffer.clear());
        } catch (IOException e) {
            fatalError(e, "Fatal read error on pipe transport");
            return;
        }
        if (n < 0) {
            return;
        }
        if (n == 0) {
            if (loop.getDebug()) {
                LOG.log(System.Logger.Level.DEBUG, this + " was closed by peer");
            }
            closing = true;
            stopReading();
            loop.callSoon(() -> {
                if (protocol instanceof Protocol p) {
                    p.eofReceived();
                }
            });
            connLost++;
            loop.callSoon(() -> callConnectionLost(null));
            return;
        }
        afterData.run();
        readView.clear().limit(n);
        try {
            if (protocol instanceof Protocol p) {
                p.dataReceived(readView);
            }
        } catch (RuntimeException e) {
            fatalError(e, "Fatal error: protocol.dataReceived() call failed.");
        }
    }

    @Override
    public void pauseReading() {
        if (!readEnd || closing || paused) {
            return;
        }
        paused = true;
        stopReading();
    }

    @Override
    public void resumeReading() {
        if (!readEnd || closing || !paused) {
            return;
        }
        paused = false;
        startReading();
    }

    @Override
    public boolean isReading() {
        return readEnd && !paused && !closing;
    }

    // ---- writing ----

    private int writeSome(ByteBuffer src) throws IOException {
        if (channel != null) {
            return ((WritableByteChannel) channel).write(src);
        }
        int pos = src.position();
        int length = src.remaining();
        int n;
        if (src.isDirect()) {
            n = Pipes.write(fd, addresses.at(src), length);
        } else {
            ByteBuffer scratch = SCRATCH.get();
            int chunk = Math.min(length, SCRATCH_SIZE);
            scratch.clear().put(0, src, pos, chunk);
            n = Pipes.write(fd, addresses.at(scratch), chunk);
        }
        if (n > 0) {
            src.position(pos + n);
        }
        return n;
    }

    private void checkWriteEnd() {
        if (readEnd) {
            throw new IllegalStateException("this is the read end of a pipe: it cannot be written to");
        }
    }

    @Override
    public void write(byte[] data) {
        write(ByteBuffer.wrap(data));
    }

    @Override
    public void write(ByteBuffer data) {
        checkWriteEnd();
        if (!data.hasRemaining()) {
            return;
        }
        if (connLost > 0 || closing) {
            if (connLost >= 5) {
                LOG.log(System.Logger.Level.WARNING, "pipe closed by peer or os.write(pipe, data) raised exception.");
            }
            connLost++;
            data.position(data.limit());
            return;
        }
        if (pendingBytes == 0) {
            try {
                while (data.hasRemaining() && writeSome(data) > 0) {
                    // the pipe takes up to its capacity; loop for heap buffers written in chunks
                }
            } catch (IOException e) {
                connLost++;
                fatalError(e, "Fatal write error on pipe transport");
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            startWriting();
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        pendingBytes += copy.remaining();
        copy.put(data).flip();
        pending.addLast(copy);
        flow.grew(pendingBytes, protocol);
    }

    @Override
    public void writelines(List<ByteBuffer> data) {
        for (ByteBuffer b : data) {
            write(b);
        }
    }

    private void onWritable() {
        try {
            while (!pending.isEmpty()) {
                ByteBuffer head = pending.peekFirst();
                int n = writeSome(head);
                pendingBytes -= n;
                if (head.hasRemaining()) {
                    if (n == 0) {
                        break;
                    }
                    continue;
                }
                pending.pollFirst();
            }
        } catch (IOException e) {
            pending.clear();
            pendingBytes = 0;
            connLost++;
            stopWriting();
            fatalError(e, "Fatal write error on pipe transport");
            return;
        }
        flow.drained(pendingBytes, protocol);
        if (pendingBytes == 0) {
            stopWriting();
            if (closing) {
                stopReading();
                callConnectionLost(null);
            }
        }
    }

    @Override
    public boolean canWriteEof() {
        return !readEnd;
    }

    /** Closes the write end once the queue is written: on a pipe, end of stream is closing. */
    @Override
    public void writeEof() {
        checkWriteEnd();
        if (closing) {
            return;
        }
        closing = true;
        if (pendingBytes == 0) {
            stopReading();
            connLost++;
            loop.callSoon(() -> callConnectionLost(null));
        }
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
        if (readEnd) {
            if (!closing) {
                closeWith(null);
            }
        } else if (!closing) {
            writeEof();
        }
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void abort() {
        closeWith(null);
    }

    private void fatalError(Throwable exc, String message) {
        if (exc instanceof IOException) {
            if (loop.getDebug()) {
                LOG.log(System.Logger.Level.DEBUG, this + ": " + message, exc);
            }
        } else {
            report(message, exc);
        }
        closeWith(exc);
    }

    private void report(String message, Throwable exc) {
        TransportReports.report(loop, message, exc, this, protocol);
    }

    private void closeWith(Throwable exc) {
        if (closed) {
            return;
        }
        closing = true;
        if (pendingBytes > 0) {
            pending.clear();
            pendingBytes = 0;
        }
        stopWriting();
        stopReading();
        connLost++;
        closed = true;
        loop.callSoon(() -> callConnectionLost(exc));
    }

    /**
     * Closes the descriptor (or channel) at once, for a loop that closed under the transport (a
     * child process's pipes, released with the child): queued data is dropped and the protocol
     * is not called again. Does nothing once {@code connectionLost} has run (it closed them).
     */
    public void releaseOnLoopClose() {
        if (protocol == null) {
            return;
        }
        closing = true;
        closed = true;
        connLost++;
        pending.clear();
        pendingBytes = 0;
        readerOn = false;
        writerOn = false;
        protocol = null;
        closeDescriptor();
    }

    /** Closes the descriptor or channel; a failure there has nobody left to tell. */
    private void closeDescriptor() {
        try {
            if (channel != null) {
                channel.close();
            } else {
                Sockets.close(fd);
            }
        } catch (IOException e) {
            // closing: nothing left to tell
        }
    }

    private void callConnectionLost(Throwable exc) {
        if (protocol == null) {
            return;
        }
        closed = true;
        stopReading();
        stopWriting();
        try {
            protocol.connectionLost(exc);
        } finally {
            closeDescriptor();
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
        this.protocol = protocol;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "PipeTransport[" + (readEnd ? "read" : "write") + ", " + (channel != null ? channel : "fd=" + fd)
                + (closing ? ", closing" : "") + ", buffered=" + pendingBytes + "]";
    }
}

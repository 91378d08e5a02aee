package io.jasyncio;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The writing end of a stream (asyncio's {@code StreamWriter}): a thin layer over the
 * transport, plus {@link #drain()}, which waits while the transport's write buffer is over its
 * high-water mark, and {@link #waitClosed()}.
 *
 * <p>Writes never block: call {@code drain().await()} after writing to let the buffer empty,
 * as asyncio's {@code await writer.drain()}.
 *
 * <p>Not thread safe: use it on its loop's thread only.
 */
public class StreamWriter {
    private Transport transport;
    private final StreamReaderProtocol protocol;
    private final StreamReader reader;
    private final EventLoop loop;

    /**
     * A writer on {@code transport} (asyncio's constructor; {@link Asyncio#openConnection} and the
     * server side make it).
     *
     * @param transport the transport to write to
     * @param protocol the transport's protocol, whose flow control {@link #drain()} follows
     * @param reader the connection's reader, whose exception {@link #drain()} raises; or null
     * @param loop the loop
     */
    public StreamWriter(Transport transport, StreamReaderProtocol protocol, StreamReader reader, EventLoop loop) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.reader = reader;
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** {@return the transport (after {@link #startTls}, the TLS one)} */
    public Transport transport() {
        return transport;
    }

    /**
     * Writes bytes; see {@link WriteTransport#write(byte[])}.
     *
     * @param data the bytes (copied if kept)
     */
    public void write(byte[] data) {
        transport.write(data);
    }

    /**
     * Writes the bytes from {@code data}'s position to its limit; see
     * {@link WriteTransport#write(ByteBuffer)}.
     *
     * @param data the bytes
     */
    public void write(ByteBuffer data) {
        transport.write(data);
    }

    /**
     * Writes several buffers in order.
     *
     * @param data the buffers, each from its position to its limit
     */
    public void writelines(List<ByteBuffer> data) {
        transport.writelines(data);
    }

    /**
     * Writes several byte arrays in order.
     *
     * @param data the arrays
     */
    public void writelines(byte[]... data) {
        List<ByteBuffer> buffers = new ArrayList<>(data.length);
        for (byte[] d : data) {
            buffers.add(ByteBuffer.wrap(d));
        }
        transport.writelines(buffers);
    }

    /** Closes the sending side once the buffered data is sent: the peer reads end of stream. */
    public void writeEof() {
        transport.writeEof();
    }

    /** {@return whether {@link #writeEof()} is possible (not on TLS)} */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /** Closes the transport: what is buffered is still sent. See {@link #waitClosed()}. */
    public void close() {
        transport.close();
    }

    /** {@return whether the transport is closing or closed} */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Waits until the connection is closed (asyncio's {@code wait_closed}).
     *
     * @return a future done once the protocol's {@code connectionLost} was called; it fails with
     *         the error that ended the connection, if one did. Cancelling it does not disturb
     *         other waiters.
     */
    public Future<Void> waitClosed() {
        Future<Void> out = loop.createFuture();
        follow(protocol.closedFuture(), out);
        return out;
    }

    /**
     * Optional information about the transport; see {@link BaseTransport#getExtraInfo(String)}.
     *
     * @param name the name ({@code "peername"}, {@code "sockname"}, {@code "socket"}, ...)
     * @return the value, or null
     */
    public Object getExtraInfo(String name) {
        return transport.getExtraInfo(name, null);
    }

    /**
     * Optional information about the transport, with a default.
     *
     * @param name the name
     * @param defaultValue returned when the transport has no such information
     * @return the value, or {@code defaultValue}
     */
    public Object getExtraInfo(String name, Object defaultValue) {
        return transport.getExtraInfo(name, defaultValue);
    }

    /**
     * Waits until it is fine to write again (asyncio's {@code drain}): at once while the
     * transport's write buffer is under its high-water mark, else until it falls to the low one.
     * Any number of tasks may wait at the same time; all of them wake.
     *
     * @return a future done when writing may go on; it fails with the reader's exception if the
     *         connection failed, and with a {@link java.net.SocketException} ("Connection lost",
     *         asyncio's ConnectionResetError) once the connection is gone. On a closing transport
     *         it first lets the loop run once, so a write-then-drain loop sees the loss.
     */
    public Future<Void> drain() {
        if (reader != null) {
            Throwable exc = reader.exception();
            if (exc != null) {
                Future<Void> f = loop.createFuture();
                f.setException(exc);
                return f;
            }
        }
        if (!transport.isClosing()) {
            return protocol.drainHelper();
        }
        // Let connectionLost run first (asyncio's sleep(0)): without this, code that writes and
        // drains in a loop on a closing transport would never see the connection end.
        Future<Void> out = loop.createFuture();
        loop.callSoon(() -> {
            if (!out.done()) {
                Future<Void> helper = protocol.drainHelper();
                follow(helper, out);
                out.addDoneCallback(f -> {
                    if (f.cancelled()) {
                        helper.cancel();
                    }
                });
            }
        });
        return out;
    }

    /**
     * Upgrades the connection to TLS (asyncio's {@code StreamWriter.start_tls}): drains, then
     * {@link EventLoop#startTls}, as the server if this writer serves a server's connection; the
     * reader and writer then carry the decrypted stream.
     *
     * @param sslContext the TLS context
     * @param serverHostname the name to check and send as SNI (client side); null for none
     * @return a future done after the handshake
     */
    public Future<Void> startTls(SSLContext sslContext, String serverHostname) {
        Objects.requireNonNull(sslContext, "sslContext");
        boolean serverSide = protocol.isServerSide();
        return loop.createTask(() -> {
            drain().await();
            Transport tls = loop.startTls(transport, protocol, sslContext, serverSide, serverHostname).await();
            transport = tls;
            protocol.replaceTransport(tls);
            return null;
        }, "StreamWriter.startTls");
    }

    /** Makes {@code out} follow {@code source}'s outcome (unless {@code out} is done already). */
    static <T> void follow(Future<T> source, Future<T> out) {
        source.addDoneCallback(f -> {
            if (out.done()) {
                return;
            }
            if (f.cancelled()) {
                out.cancel();
                return;
            }
            Throwable exc = f.exception();
            if (exc != null) {
                out.setException(exc);
            } else {
                out.setResult(f.result());
            }
        });
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("StreamWriter[transport=").append(transport);
        if (reader != null) {
            s.append(", reader=").append(reader);
        }
        return s.append(']').toString();
    }
}

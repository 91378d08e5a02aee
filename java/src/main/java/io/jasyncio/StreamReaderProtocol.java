package io.jasyncio;

import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The protocol between a stream transport and a {@link StreamReader} / {@link StreamWriter}
 * (asyncio's {@code StreamReaderProtocol}, with its {@code FlowControlMixin}): it feeds the
 * transport's data, end of stream and errors to the reader, keeps the write flow-control state
 * that {@link StreamWriter#drain()} waits on, and on a server makes each connection's writer and
 * starts its handler.
 *
 * <p>A client gets one with {@link #StreamReaderProtocol(StreamReader)} ({@link Asyncio#openConnection}
 * does this); a server's factory makes one per connection with a {@link StreamHandler} (run as a
 * task) or, through {@link #withCallback}, a {@link StreamCallback} (called in
 * {@code connectionMade}).
 *
 * <p>Not thread safe: the transport calls it on the loop's thread.
 */
public class StreamReaderProtocol implements Protocol {
    private final EventLoop loop;
    private StreamReader reader;
    private final StreamHandler handler;
    private final StreamCallback callback;
    private final Future<Void> closed;

    private Transport transport;
    private StreamWriter writer;
    private Task<Void> task;
    private boolean overSsl;

    // FlowControlMixin
    private boolean paused;
    private boolean connectionLost;
    private final ArrayDeque<Future<Void>> drainWaiters = new ArrayDeque<>();

    /**
     * A client's protocol: it feeds {@code reader}.
     *
     * @param reader the reader to feed; its loop is the protocol's
     */
    public StreamReaderProtocol(StreamReader reader) {
        this(reader, null, null);
    }

    /**
     * A server connection's protocol: it feeds {@code reader}, and once connected runs
     * {@code handler} as a task with the reader and a new {@link StreamWriter}.
     *
     * @param reader the reader to feed; its loop is the protocol's
     * @param handler what to do with the connection
     */
    public StreamReaderProtocol(StreamReader reader, StreamHandler handler) {
        this(reader, Objects.requireNonNull(handler, "handler"), null);
    }

    private StreamReaderProtocol(StreamReader reader, StreamHandler handler, StreamCallback callback) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.loop = reader.getLoop();
        this.handler = handler;
        this.callback = callback;
        this.closed = loop.createFuture();
    }

    /**
     * A server connection's protocol that calls a plain callback in {@code connectionMade}
     * (asyncio's {@code client_connected_cb} when it is not a coroutine).
     *
     * @param reader the reader to feed
     * @param callback called once connected, with the reader and a new {@link StreamWriter}
     * @return the protocol
     */
    public static StreamReaderProtocol withCallback(StreamReader reader, StreamCallback callback) {
        return new StreamReaderProtocol(reader, null, Objects.requireNonNull(callback, "callback"));
    }

    /** {@return whether this protocol serves a server's connection (it has a handler or callback)} */
    public boolean isServerSide() {
        return handler != null || callback != null;
    }

    /** {@return the reader this protocol feeds, or null once the connection is lost} */
    public StreamReader reader() {
        return reader;
    }

    /** {@return the writer a server-side protocol made, or null (client side, or not yet connected)} */
    public StreamWriter writer() {
        return writer;
    }

    /** {@return the handler's task on a server connection, or null} */
    public Task<Void> task() {
        return task;
    }

    // ---- Protocol ----

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
        if (reader != null) {
            reader.setTransport(transport);
        }
        overSsl = transport.getExtraInfo("sslcontext") != null;
        if (handler == null && callback == null) {
            return;
        }
        StreamReader r = reader;
        StreamWriter w = new StreamWriter(transport, this, r, loop);
        writer = w;
        if (callback != null) {
            try {
                callback.connected(r, w);
            } catch (RuntimeException e) {
                unhandled(e, transport);
            }
            return;
        }
        Task<Void> t = loop.createTask(() -> {
            handler.handle(r, w);
            return null;
        });
        task = t;
        t.addDoneCallback(done -> {
            if (done.cancelled()) {
                transport.close();
                return;
            }
            Throwable exc = done.exception();
            if (exc != null) {
                unhandled(exc, transport);
            }
        });
    }

    private void unhandled(Throwable exc, Transport transport) {
        Map<String, Object> context = new HashMap<>();
        context.put("message", "Unhandled exception in client_connected_cb");
        context.put("exception", exc);
        context.put("transport", transport);
        context.put("protocol", this);
        loop.callExceptionHandler(context);
        transport.close();
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (reader != null) {
            reader.feedData(data);
        }
    }

    @Override
    public boolean eofReceived() {
        if (reader != null) {
            reader.feedEof();
        }
        // A TLS transport cannot stay half open; returning true would only earn a warning there.
        return !overSsl;
    }

    @Override
    public void connectionLost(Throwable exc) {
        if (reader != null) {
            if (exc == null) {
                reader.feedEof();
            } else {
                reader.setException(exc);
            }
        }
        if (!closed.done()) {
            if (exc == null) {
                closed.setResult(null);
            } else {
                closed.setException(exc);
                // Nobody has to wait for the close: do not report the error as never retrieved
                // (asyncio does the same in StreamReaderProtocol.__del__).
                closed.exception();
            }
        }
        connectionLost = true;
        if (paused) {
            wakeDrainWaiters(exc);
        }
        reader = null;
        writer = null;
        task = null;
        transport = null;
    }

    @Override
    public void pauseWriting() {
        paused = true;
    }

    @Override
    public void resumeWriting() {
        if (!paused) {
            return;
        }
        paused = false;
        wakeDrainWaiters(null);
    }

    private void wakeDrainWaiters(Throwable exc) {
        Future<Void> w;
        while ((w = drainWaiters.poll()) != null) {
            if (!w.done()) {
                if (exc == null) {
                    w.setResult(null);
                } else {
                    w.setException(exc);
                }
            }
        }
    }

    // ---- for StreamWriter ----

    /** asyncio's {@code _drain_helper}: done at once unless writing is paused. */
    Future<Void> drainHelper() {
        Future<Void> f = loop.createFuture();
        if (connectionLost) {
            f.setException(new SocketException("Connection lost"));
        } else if (!paused) {
            f.setResult(null);
        } else {
            drainWaiters.removeIf(Future::done);
            drainWaiters.add(f);
        }
        return f;
    }

    /** {@return whether the transport asked to stop writing (asyncio's {@code _paused})} */
    boolean writingPaused() {
        return paused;
    }

    /** {@return the future done when the connection is lost (asyncio's close waiter)} */
    Future<Void> closedFuture() {
        return closed;
    }

    /** The writer moved to a TLS transport (asyncio's {@code _replace_transport}). */
    void replaceTransport(Transport newTransport) {
        this.transport = newTransport;
        this.overSsl = newTransport.getExtraInfo("sslcontext") != null;
    }

    EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return "StreamReaderProtocol[" + (isServerSide() ? "server" : "client") + (paused ? ", paused" : "")
                + (connectionLost ? ", lost" : "") + "]";
    }
}

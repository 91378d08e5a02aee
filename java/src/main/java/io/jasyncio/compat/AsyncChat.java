package io.jasyncio.compat;

import io.jasyncio.Socket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code asynchat.async_chat}: a dispatcher that splits what it reads at a terminator
 * and queues what it sends. Incoming bytes go to {@link #collectIncomingData} until the
 * terminator, then {@link #foundTerminator()} runs; the terminator is a byte string (found even
 * when it arrives split across reads), a count of bytes, or none (everything is collected).
 * Outgoing bytes and producers wait in a queue ({@link #push}, {@link #pushWithProducer}) sent as
 * the socket takes them; {@link #closeWhenDone()} closes once the queue is sent.
 *
 * <p>As in Python, a count terminator counts down as bytes arrive and is 0 once reached, and a
 * terminator of 0 (or none) collects everything: set the next one in {@code foundTerminator}.
 *
 * <p>Java-form differences: {@code collectIncomingData} buffers by default (Python's
 * {@code _collect_incoming_data}, with {@link #getData()} as {@code _get_data}) where Python's
 * raises {@code NotImplementedError}; an empty bytes entry in the queue is skipped.
 *
 * <p>Not thread safe: use it from its loop's thread.
 */
public abstract class AsyncChat extends Dispatcher {

    /** The default read size: 65 536 bytes. */
    public static final int DEFAULT_IN_BUFFER_SIZE = 65536;
    /** The default send size: 65 536 bytes. */
    public static final int DEFAULT_OUT_BUFFER_SIZE = 65536;

    private static final Object CLOSE = new Object();

    /** How much {@link #handleRead()} reads at a time (Python's {@code ac_in_buffer_size}). */
    protected int acInBufferSize = DEFAULT_IN_BUFFER_SIZE;
    /** The most bytes one send takes from the queue (Python's {@code ac_out_buffer_size}). */
    protected int acOutBufferSize = DEFAULT_OUT_BUFFER_SIZE;

    private byte[] inBuffer = new byte[0];
    private final List<byte[]> incoming = new ArrayList<>();
    private final Deque<Object> producerFifo = new ArrayDeque<>();
    /** A byte[] (possibly empty), an Integer count, or null. */
    private Object terminator;

    /** Without a socket yet, in the global map. */
    protected AsyncChat() {
        super();
    }

    /**
     * For a socket the caller has (an accepted connection, usually).
     *
     * @param sock the socket, or null
     * @param map the socket map; null for the global one
     */
    protected AsyncChat(Socket sock, Map<Integer, Dispatcher> map) {
        super(sock, map);
    }

    // ---- settings ----

    /**
     * The read size.
     *
     * @return {@code ac_in_buffer_size}
     */
    public int acInBufferSize() {
        return acInBufferSize;
    }

    /**
     * Sets the read size.
     *
     * @param size at least 1
     */
    public void setAcInBufferSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("buffer size must be at least 1: " + size);
        }
        acInBufferSize = size;
    }

    /**
     * The most bytes one send takes.
     *
     * @return {@code ac_out_buffer_size}
     */
    public int acOutBufferSize() {
        return acOutBufferSize;
    }

    /**
     * Sets the most bytes one send takes (and the size {@link #push} cuts long data into).
     *
     * @param size at least 1
     */
    public void setAcOutBufferSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("buffer size must be at least 1: " + size);
        }
        acOutBufferSize = size;
    }

    /**
     * Sets a byte-string terminator.
     *
     * @param term the terminator; null or empty for none (collect everything)
     */
    public void setTerminator(byte[] term) {
        terminator = term == null ? null : term.clone();
    }

    /**
     * Sets a byte-string terminator given as text (ISO-8859-1, Python's {@code latin-1}).
     *
     * @param term the terminator; null or empty for none
     */
    public void setTerminator(String term) {
        terminator = term == null ? null : term.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Sets a count terminator: {@link #foundTerminator()} runs once that many more bytes arrived.
     *
     * @param count the number of bytes; 0 collects everything
     * @throws IllegalArgumentException for a negative count
     */
    public void setTerminator(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("the number of received bytes must be positive");
        }
        terminator = count;
    }

    /**
     * The terminator.
     *
     * @return a {@code byte[]} (a copy), an {@link Integer} (the bytes still to come), or null
     */
    public Object getTerminator() {
        return terminator instanceof byte[] b ? b.clone() : terminator;
    }

    // ---- what subclasses provide ----

    /**
     * Bytes before the terminator arrived. Buffers them by default, for {@link #getData()}.
     *
     * @param data the bytes
     * @throws Exception what an override throws
     */
    protected void collectIncomingData(byte[] data) throws Exception {
        incoming.add(data);
    }

    /**
     * The buffered bytes, joined, and clears the buffer (Python's {@code _get_data}).
     *
     * @return the bytes collected since the last call
     */
    protected byte[] getData() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] b : incoming) {
            out.writeBytes(b);
        }
        incoming.clear();
        return out.toByteArray();
    }

    /**
     * The terminator arrived (or the count was reached).
     *
     * @throws Exception what the implementation throws
     */
    protected abstract void foundTerminator() throws Exception;

    // ---- reading ----

    /**
     * Reads up to {@link #acInBufferSize()} bytes and splits them at the terminator.
     *
     * @throws Exception what {@code collectIncomingData}, {@code foundTerminator} or
     *         {@code handleClose} throws
     */
    @Override
    public void handleRead() throws Exception {
        byte[] data;
        try {
            data = recv(acInBufferSize);
        } catch (java.io.IOException e) {
            handleError(e);
            return;
        }
        if (data.length == 0) {
            return;
        }
        inBuffer = concat(inBuffer, data);
        while (inBuffer.length > 0) {
            int lb = inBuffer.length;
            Object term = terminator;
            if (term == null || (term instanceof Integer i && i == 0) || (term instanceof byte[] t && t.length == 0)) {
                byte[] all = inBuffer;
                inBuffer = new byte[0];
                collectIncomingData(all);
            } else if (term instanceof Integer i) {
                int n = i;
                if (lb < n) {
                    byte[] all = inBuffer;
                    inBuffer = new byte[0];
                    terminator = n - lb;
                    collectIncomingData(all);
                } else {
                    byte[] head = Arrays.copyOf(inBuffer, n);
                    inBuffer = Arrays.copyOfRange(inBuffer, n, lb);
                    terminator = 0;
                    collectIncomingData(head);
                    foundTerminator();
                }
            } else {
                byte[] t = (byte[]) term;
                int index = indexOf(inBuffer, t);
                if (index != -1) {
                    byte[] head = Arrays.copyOf(inBuffer, index);
                    inBuffer = Arrays.copyOfRange(inBuffer, index + t.length, lb);
                    if (index > 0) {
                        collectIncomingData(head);
                    }
                    foundTerminator();
                } else {
                    int keep = prefixAtEnd(inBuffer, t);
                    if (keep > 0) {
                        // The end may be the start of the terminator: keep it for the next read.
                        if (keep != lb) {
                            byte[] head = Arrays.copyOf(inBuffer, lb - keep);
                            inBuffer = Arrays.copyOfRange(inBuffer, lb - keep, lb);
                            collectIncomingData(head);
                        }
                        break;
                    }
                    byte[] all = inBuffer;
                    inBuffer = new byte[0];
                    collectIncomingData(all);
                }
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b;
        }
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** asynchat's {@code find_prefix_at_end}: the longest proper prefix of needle that ends haystack. */
    static int prefixAtEnd(byte[] haystack, byte[] needle) {
        for (int l = Math.min(needle.length - 1, haystack.length); l > 0; l--) {
            if (Arrays.equals(haystack, haystack.length - l, haystack.length, needle, 0, l)) {
                return l;
            }
        }
        return 0;
    }

    // ---- writing ----

    /**
     * Sends from the queue.
     *
     * @throws Exception as {@link #initiateSend()}
     */
    @Override
    public void handleWrite() throws Exception {
        initiateSend();
    }

    /**
     * Closes.
     *
     * @throws Exception as {@link #close()}
     */
    @Override
    public void handleClose() throws Exception {
        close();
    }

    /**
     * Queues {@code data} (cut into {@link #acOutBufferSize()} pieces) and sends what the socket
     * takes now.
     *
     * @param data the bytes (copied)
     * @throws Exception as {@link #initiateSend()}
     */
    public void push(byte[] data) throws Exception {
        int sabs = acOutBufferSize;
        if (data.length > sabs) {
            for (int i = 0; i < data.length; i += sabs) {
                producerFifo.add(ByteBuffer.wrap(Arrays.copyOfRange(data, i, Math.min(data.length, i + sabs))));
            }
        } else {
            producerFifo.add(ByteBuffer.wrap(data.clone()));
        }
        initiateSend();
    }

    /**
     * Queues a producer, whose chunks are sent in turn until it yields none.
     *
     * @param producer the producer
     * @throws Exception as {@link #initiateSend()}
     */
    public void pushWithProducer(Producer producer) throws Exception {
        producerFifo.add(java.util.Objects.requireNonNull(producer, "producer"));
        initiateSend();
    }

    /**
     * Whether to watch for reading: always.
     *
     * @return true
     */
    @Override
    public boolean readable() {
        return true;
    }

    /**
     * Whether to watch for writing: while the queue holds something, or not yet connected.
     *
     * @return as asynchat
     */
    @Override
    public boolean writable() {
        return !producerFifo.isEmpty() || !connected;
    }

    /** Closes the channel once everything queued before this call is sent. */
    public void closeWhenDone() {
        producerFifo.add(CLOSE);
    }

    /**
     * Sends one piece from the head of the queue, asking producers for chunks as needed.
     *
     * @throws Exception what a producer, {@code send} or {@code handleClose} throws
     */
    public void initiateSend() throws Exception {
        while (!producerFifo.isEmpty() && connected) {
            Object first = producerFifo.peekFirst();
            if (first == CLOSE) {
                producerFifo.removeFirst();
                handleClose();
                return;
            }
            if (first instanceof Producer p) {
                byte[] data = p.more();
                if (data != null && data.length > 0) {
                    producerFifo.addFirst(ByteBuffer.wrap(data));
                } else {
                    producerFifo.removeFirst();
                }
                continue;
            }
            ByteBuffer buf = (ByteBuffer) first;
            if (!buf.hasRemaining()) {
                producerFifo.removeFirst();
                continue;
            }
            ByteBuffer data = buf.slice(buf.position(), Math.min(buf.remaining(), acOutBufferSize));
            int numSent;
            try {
                numSent = send(data);
            } catch (java.io.IOException e) {
                handleError(e);
                return;
            }
            if (numSent > 0) {
                buf.position(buf.position() + numSent);
                if (!buf.hasRemaining()) {
                    producerFifo.removeFirst();
                }
            }
            return;
        }
    }

    /** Drops unread input, collected data and the whole send queue. */
    public void discardBuffers() {
        inBuffer = new byte[0];
        incoming.clear();
        producerFifo.clear();
    }
}

package io.jasyncio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The reading end of a stream (asyncio's {@code StreamReader}): a buffer that a protocol fills
 * ({@link #feedData}, {@link #feedEof}, {@link #setException}) and tasks read from ({@link #read},
 * {@link #readline}, {@link #readexactly}, {@link #readuntil}).
 *
 * <p>The reads return a {@link Future}, awaited in a task ({@code byte[] line =
 * reader.readline().await();}). A read the buffer can answer is done at once; otherwise it waits,
 * and is answered on the loop soon after data, end of stream or an exception arrives (as asyncio's
 * coroutine resumes after its waiter is woken), so bytes fed in one callback are all seen by it.
 * Only one read may wait at a time ({@link IllegalStateException} otherwise, asyncio's
 * RuntimeError). Cancelling a waiting read's future leaves the buffer as it was; a read whose
 * future is already done has taken its bytes off the buffer, even if the task that awaits it is
 * cancelled before it resumes.
 *
 * <p>Flow control, as asyncio: when the buffer passes twice the limit the transport's reading is
 * paused ({@link ReadTransport#pauseReading()}); it resumes when reads bring the buffer down to the
 * limit, or when a read must wait for more than the buffer holds.
 *
 * <p>Arguments that are wrong in themselves (a negative count, an empty separator) throw at the
 * call; what depends on the stream (its exception, end of stream, the limit) fails the returned
 * future, as it fails the {@code await} in asyncio.
 *
 * <p>Not thread safe: use it on its loop's thread only.
 */
public class StreamReader {
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] NEWLINE = {'\n'};

    private final EventLoop loop;
    private final int limit;

    /** The buffered bytes are {@code buf[head..tail)}. */
    private byte[] buf = EMPTY;
    private int head;
    private int tail;

    private boolean eof;
    private Throwable exception;
    private ReadTransport transport;
    private boolean paused;

    /** The read waiting for data, or null. */
    private Op<?> waiting;
    /** A callback to answer {@link #waiting} is scheduled (asyncio: its waiter was woken). */
    private boolean wakeScheduled;

    /**
     * A reader with the default limit (64 KiB) on the running loop, or if none runs on this
     * thread, on {@link Asyncio#getEventLoop()}'s loop.
     */
    public StreamReader() {
        this(ConnectOptions.DEFAULT_LIMIT);
    }

    /**
     * A reader with {@code limit} on the running loop, or if none runs on this thread, on
     * {@link Asyncio#getEventLoop()}'s loop.
     *
     * @param limit the buffer limit in bytes (asyncio's {@code limit}): the longest line or chunk
     *        {@link #readuntil} returns, and half the buffer size at which reading is paused
     * @throws IllegalArgumentException if {@code limit <= 0}
     */
    public StreamReader(int limit) {
        this(limit, Asyncio.getEventLoop());
    }

    /**
     * A reader with {@code limit} whose futures belong to {@code loop}.
     *
     * @param limit the buffer limit in bytes, positive
     * @param loop the loop the reader is used on
     * @throws IllegalArgumentException if {@code limit <= 0}
     */
    public StreamReader(int limit, EventLoop loop) {
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0");
        }
        this.limit = limit;
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** {@return the buffer limit in bytes} */
    public int limit() {
        return limit;
    }

    /** {@return the loop the reader's futures belong to} */
    public EventLoop getLoop() {
        return loop;
    }

    /** {@return the exception set with {@link #setException}, or null} */
    public Throwable exception() {
        return exception;
    }

    /**
     * Makes every later read fail with {@code exc}, and a waiting read too (the protocol calls it
     * when the connection is lost with an error).
     *
     * @param exc the exception
     */
    public void setException(Throwable exc) {
        Objects.requireNonNull(exc, "exc");
        exception = exc;
        Op<?> op = waiting;
        if (op != null && !wakeScheduled) {
            op.error = exc;
            wakeUp();
        }
    }

    /**
     * Tells the reader its transport, so it can pause and resume its reading.
     *
     * @param transport the transport the data comes from
     * @throws IllegalStateException if a transport is already set
     */
    public void setTransport(ReadTransport transport) {
        if (this.transport != null) {
            throw new IllegalStateException("Transport already set");
        }
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** {@return the transport set with {@link #setTransport}, or null} */
    public ReadTransport transport() {
        return transport;
    }

    /** Marks end of stream: a waiting read is answered with what there is. Idempotent. */
    public void feedEof() {
        eof = true;
        wakeUp();
    }

    /**
     * Whether the stream is over: end of stream was fed and the buffer is empty.
     *
     * @return true when every read would return what end of stream gives
     */
    public boolean atEof() {
        return eof && head == tail;
    }

    /**
     * Adds bytes to the buffer (a copy of them).
     *
     * @param data the bytes
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(byte[] data) {
        feedData(ByteBuffer.wrap(data));
    }

    /**
     * Adds the bytes from {@code data}'s position to its limit to the buffer (a copy of them;
     * {@code data}'s position does not move), so a protocol can pass the view it was given.
     *
     * @param data the bytes
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(ByteBuffer data) {
        if (eof) {
            throw new IllegalStateException("feedData after feedEof");
        }
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        int handed = handOff(data, n);
        if (handed == n) {
            return;
        }
        ensureRoom(n - handed);
        data.get(data.position() + handed, buf, tail, n - handed);
        tail += n - handed;
        wakeUp();
        if (transport != null && !paused && size() > 2L * limit) {
            try {
                transport.pauseReading();
                paused = true;
            } catch (UnsupportedOperationException e) {
                // A transport that cannot pause: stop asking (asyncio drops it on NotImplementedError).
                transport = null;
            }
        }
    }

    /**
     * A {@code read(n)} waiting on an empty buffer takes its bytes straight from {@code data}:
     * one copy instead of two (into the buffer, then out of it) and no wake-up callback.
     *
     * @return how many bytes of {@code data} the waiting read took (0 when there is none)
     */
    private int handOff(ByteBuffer data, int n) {
        if (tail != head || !(waiting instanceof ReadSome some) || some.result.done() || some.error != null) {
            return 0;
        }
        byte[] out = new byte[Math.min(some.n, n)];
        data.get(data.position(), out, 0, out.length);
        waiting = null;
        some.result.setResult(out);
        return out.length;
    }

    /** {@return how many bytes are buffered} */
    public int bufferedSize() {
        return tail - head;
    }

    // ---- reads ----

    /**
     * Reads up to {@code n} bytes (asyncio's {@code read}): what the buffer holds if it holds
     * anything, else waits for the next data and returns as soon as some arrives (up to
     * {@code n} bytes of the first feed; the rest stays buffered). With {@code n == -1} (any
     * negative) it reads until end of stream and returns it all.
     *
     * @param n the most bytes to return; negative for everything up to end of stream
     * @return a future of the bytes: empty at end of stream, and at once for {@code n == 0}; it
     *         fails with the reader's {@link #exception()}
     * @throws IllegalStateException if another read is waiting
     */
    public Future<byte[]> read(int n) {
        if (exception != null) {
            return failed(exception);
        }
        if (n == 0) {
            return completed(EMPTY);
        }
        return start(n < 0 ? new ReadAll() : new ReadSome(n), "read");
    }

    /**
     * Reads everything up to end of stream: {@code read(-1)}.
     *
     * @return a future of the bytes (empty at end of stream)
     * @throws IllegalStateException if another read is waiting
     */
    public Future<byte[]> read() {
        return read(-1);
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @param n how many bytes, 0 or more
     * @return a future of the bytes; it fails with {@link IncompleteReadException} if end of
     *         stream comes first (its {@code partial()} holds the bytes there were, taken off the
     *         buffer), or with the reader's {@link #exception()}
     * @throws IllegalArgumentException if {@code n < 0}
     * @throws IllegalStateException if another read is waiting
     */
    public Future<byte[]> readexactly(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("readexactly size can not be less than zero");
        }
        if (exception != null) {
            return failed(exception);
        }
        if (n == 0) {
            return completed(EMPTY);
        }
        return start(new ReadExactly(n), "readexactly");
    }

    /**
     * Reads one line, ending with {@code \n} (asyncio's {@code readline}). At end of stream it
     * returns what is left (an incomplete last line, or empty). A line longer than the limit is
     * discarded, as asyncio does: up to and with its {@code \n} if the buffer holds that, else the
     * whole buffer (the rest of the line is what later reads see).
     *
     * @return a future of the line with its {@code \n}; it fails with
     *         {@link LimitOverrunException} (asyncio's ValueError) for a line over the limit, or
     *         with the reader's {@link #exception()}
     * @throws IllegalStateException if another read is waiting
     */
    public Future<byte[]> readline() {
        if (exception != null) {
            return failed(exception);
        }
        return start(new ReadUntil(List.of(NEWLINE), true), "readline");
    }

    /**
     * Reads up to and with {@code separator} (asyncio's {@code readuntil}).
     *
     * @param separator the separator, at least one byte
     * @return a future of the bytes with the separator at their end; it fails with
     *         {@link IncompleteReadException} at end of stream (the rest of the buffer in its
     *         {@code partial()}, taken off), with {@link LimitOverrunException} when the
     *         separator is not within the limit (the bytes stay in the buffer), or with the
     *         reader's {@link #exception()}
     * @throws IllegalArgumentException if {@code separator} is empty
     * @throws IllegalStateException if another read is waiting
     */
    public Future<byte[]> readuntil(byte[] separator) {
        return readuntil(List.of(separator));
    }

    /**
     * Reads up to and with the first of several separators (asyncio 3.13's {@code readuntil}
     * with a tuple): the match that ends first wins; of matches ending at the same byte the
     * shortest separator counts for the limit.
     *
     * @param separators the separators, at least one, each at least one byte
     * @return a future of the bytes up to and with the separator found, failing as
     *         {@link #readuntil(byte[])}'s
     * @throws IllegalArgumentException if the list or one of the separators is empty
     * @throws IllegalStateException if another read is waiting
     */
    public Future<byte[]> readuntil(List<byte[]> separators) {
        if (separators.isEmpty()) {
            throw new IllegalArgumentException("Separator should contain at least one element");
        }
        List<byte[]> sorted = new ArrayList<>(separators.size());
        for (byte[] sep : separators) {
            sorted.add(sep.clone());
        }
        // Stable, so the shortest comes first and wins a tie, as asyncio's sorted(key=len).
        sorted.sort(Comparator.comparingInt(s -> s.length));
        if (sorted.get(0).length == 0) {
            throw new IllegalArgumentException("Separator should be at least one-byte string");
        }
        if (exception != null) {
            return failed(exception);
        }
        return start(new ReadUntil(sorted, false), "readuntil");
    }

    // ---- the waiting machinery ----

    /** What a read returns while it must wait for more. */
    private static final Object WAIT = new Object();

    /**
     * One read: {@link #attempt()} answers it from the buffer, or says to wait. Its state (the
     * offset of a separator search, the bytes of a read to end of stream) lives across attempts,
     * as a coroutine's locals do across awaits.
     */
    private abstract static class Op<T> {
        Future<T> result;
        /** The exception the reader got while this read waited. */
        Throwable error;

        /**
         * Answers the read from the buffer.
         *
         * @return the result, or {@link #WAIT}
         */
        abstract Object attempt();
    }

    @SuppressWarnings("unchecked")
    private <T> Future<T> start(Op<T> op, String name) {
        if (waiting != null && !waiting.result.done()) {
            throw new IllegalStateException(
                    name + "() called while another task is already waiting for incoming data");
        }
        waiting = null;
        Future<T> result = loop.createFuture();
        op.result = result;
        Object value;
        try {
            value = op.attempt();
        } catch (RuntimeException e) {
            result.setException(e);
            return result;
        }
        if (value != WAIT) {
            result.setResult((T) value);
            return result;
        }
        waiting = op;
        resumeIfPaused();
        return result;
    }

    private void wakeUp() {
        if (waiting != null && !wakeScheduled) {
            wakeScheduled = true;
            loop.callSoon(this::answer);
        }
    }

    /** The waiting read resumes (asyncio: the coroutine after its waiter). */
    @SuppressWarnings("unchecked")
    private void answer() {
        wakeScheduled = false;
        Op<Object> op = (Op<Object>) waiting;
        if (op == null) {
            return;
        }
        if (op.result.done()) {
            // Cancelled while waiting: nothing was taken from the buffer.
            waiting = null;
            return;
        }
        if (op.error != null) {
            waiting = null;
            op.result.setException(op.error);
            return;
        }
        Object value;
        try {
            value = op.attempt();
        } catch (RuntimeException e) {
            waiting = null;
            op.result.setException(e);
            return;
        }
        if (value != WAIT) {
            waiting = null;
            op.result.setResult(value);
        } else if (exception != null) {
            // The exception came after the data that woke this read (asyncio would wait on).
            waiting = null;
            op.result.setException(exception);
        } else {
            resumeIfPaused();
        }
    }

    /** A read must wait: if the buffer is paused full, read on (asyncio's {@code _wait_for_data}). */
    private void resumeIfPaused() {
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
    }

    private void maybeResumeTransport() {
        if (paused && size() <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    private final class ReadSome extends Op<byte[]> {
        private final int n;

        ReadSome(int n) {
            this.n = n;
        }

        @Override
        Object attempt() {
            if (size() == 0 && !eof) {
                return WAIT;
            }
            byte[] data = take(Math.min(n, size()));
            maybeResumeTransport();
            return data;
        }
    }

    /** {@code read(-1)}: asyncio reads limit-sized blocks until an empty one; so does this. */
    private final class ReadAll extends Op<byte[]> {
        private final ByteArrayOutputStream blocks = new ByteArrayOutputStream();

        @Override
        Object attempt() {
            while (size() > 0) {
                int n = Math.min(limit, size());
                blocks.write(buf, head, n);
                skip(n);
                maybeResumeTransport();
            }
            return eof ? blocks.toByteArray() : WAIT;
        }
    }

    private final class ReadExactly extends Op<byte[]> {
        private final int n;

        ReadExactly(int n) {
            this.n = n;
        }

        @Override
        Object attempt() {
            if (size() < n) {
                if (eof) {
                    throw new IncompleteReadException(take(size()), n);
                }
                return WAIT;
            }
            byte[] data = take(n);
            maybeResumeTransport();
            return data;
        }
    }

    /** asyncio 3.13's {@code readuntil}, and {@code readline} on top of it. */
    private final class ReadUntil extends Op<byte[]> {
        private final List<byte[]> separators;
        private final int minLength;
        private final int maxLength;
        private final boolean line;
        /** Where the next search starts: earlier bytes hold no separator. */
        private int offset;

        ReadUntil(List<byte[]> sortedSeparators, boolean line) {
            this.separators = sortedSeparators;
            this.minLength = sortedSeparators.get(0).length;
            this.maxLength = sortedSeparators.get(sortedSeparators.size() - 1).length;
            this.line = line;
        }

        @Override
        Object attempt() {
            if (!line) {
                return until();
            }
            try {
                return until();
            } catch (IncompleteReadException e) {
                return e.partial();
            } catch (LimitOverrunException e) {
                if (startsWith(NEWLINE, e.consumed())) {
                    skip(e.consumed() + NEWLINE.length);
                } else {
                    skip(size());
                }
                maybeResumeTransport();
                throw e;
            }
        }

        private Object until() {
            int size = size();
            if (size - offset >= minLength) {
                int matchStart = -1;
                int matchEnd = -1;
                for (byte[] sep : separators) {
                    int at = indexOf(sep, offset);
                    if (at >= 0) {
                        int end = at + sep.length;
                        if (matchEnd < 0 || end < matchEnd) {
                            matchEnd = end;
                            matchStart = at;
                        }
                    }
                }
                if (matchEnd >= 0) {
                    if (matchStart > limit) {
                        throw new LimitOverrunException("Separator is found, but chunk is longer than limit",
                                matchStart);
                    }
                    byte[] chunk = take(matchEnd);
                    maybeResumeTransport();
                    return chunk;
                }
                // A separator may start in the last maxLength - 1 bytes: search again from there.
                offset = Math.max(0, size + 1 - maxLength);
                if (offset > limit) {
                    throw new LimitOverrunException("Separator is not found, and chunk exceed the limit", offset);
                }
            }
            if (eof) {
                throw new IncompleteReadException(take(size), -1);
            }
            return WAIT;
        }
    }

    // ---- the buffer ----

    private int size() {
        return tail - head;
    }

    private void ensureRoom(int n) {
        if (buf.length - tail >= n) {
            return;
        }
        int size = size();
        long needed = (long) size + n;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new OutOfMemoryError("StreamReader buffer over 2 GiB");
        }
        if (needed <= buf.length && head >= size) {
            // Half or more of the array is already read: slide the rest down.
            System.arraycopy(buf, head, buf, 0, size);
        } else {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, Math.max(256, 2L * buf.length)));
            byte[] bigger = new byte[capacity];
            System.arraycopy(buf, head, bigger, 0, size);
            buf = bigger;
        }
        head = 0;
        tail = size;
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, head, head + n);
        skip(n);
        return out;
    }

    private void skip(int n) {
        head += n;
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    private int indexOf(byte[] sep, int from) {
        int last = tail - sep.length;
        byte first = sep[0];
        for (int i = head + from; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            int k = 1;
            while (k < sep.length && buf[i + k] == sep[k]) {
                k++;
            }
            if (k == sep.length) {
                return i - head;
            }
        }
        return -1;
    }

    private boolean startsWith(byte[] prefix, int at) {
        if (at < 0 || size() - at < prefix.length) {
            return false;
        }
        return Arrays.equals(buf, head + at, head + at + prefix.length, prefix, 0, prefix.length);
    }

    private <T> Future<T> completed(T value) {
        Future<T> f = loop.createFuture();
        f.setResult(value);
        return f;
    }

    private <T> Future<T> failed(Throwable exc) {
        Future<T> f = loop.createFuture();
        f.setException(exc);
        return f;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("StreamReader[");
        s.append(size()).append(" bytes");
        if (eof) {
            s.append(", eof");
        }
        if (limit != ConnectOptions.DEFAULT_LIMIT) {
            s.append(", limit=").append(limit);
        }
        if (waiting != null && !waiting.result.done()) {
            s.append(", waiter");
        }
        if (exception != null) {
            s.append(", exception=").append(exception);
        }
        if (transport != null) {
            s.append(", transport=").append(transport);
        }
        if (paused) {
            s.append(", paused");
        }
        return s.append(']').toString();
    }
}

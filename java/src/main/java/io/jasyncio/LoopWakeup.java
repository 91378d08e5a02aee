package io.jasyncio;

import io.jasyncio.internal.signal.SignalDispatcher;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pipe that one loop watches and that each signal delivery writes one byte to, the signal's
 * number ({@link Signals#setWakeupLoop}): the loop's form of Python's wakeup fd. When the loop
 * sees the pipe readable it wakes from its poll, reads and discards every byte (counting them),
 * and goes on with its iteration; nothing else runs because of it.
 *
 * <p>{@link #signalArrived} runs on a signal thread and may race {@link #close()} from any
 * thread: a subclass makes a write after (or during) the close harmless. {@link #watch()} and
 * {@link #unwatch()} run where the loop's state may be touched.
 */
abstract class LoopWakeup implements SignalDispatcher.Target {
    static final System.Logger LOG = System.getLogger("io.jasyncio");

    /** The loop woken. */
    final BaseEventLoop loop;
    /** Bytes read from the pipe so far; written by the loop's thread only. */
    private volatile long bytesRead;
    private final AtomicBoolean closed = new AtomicBoolean();

    LoopWakeup(BaseEventLoop loop) {
        this.loop = loop;
    }

    /**
     * A wakeup for {@code loop}: a {@link java.nio.channels.Pipe} on the NIO loop (its selector
     * watches it, no native code needed), a native pipe watched by descriptor on any other.
     */
    static LoopWakeup open(BaseEventLoop loop) throws IOException {
        if (loop instanceof SelectorEventLoop s && s.backend() == SelectorEventLoop.Backend.NIO) {
            return new ChannelLoopWakeup(loop);
        }
        return new FdLoopWakeup(loop);
    }

    /** On a signal thread: writes the signal's number; a full pipe loses it (logged). */
    @Override
    public final void signalArrived(int signum) {
        write(signum);
    }

    /** Writes one byte, {@code signum}, unless closed. Any thread. */
    abstract void write(int signum);

    /** Starts watching the read end: {@link #onReadable} on each readiness. */
    abstract void watch();

    /** Stops watching the read end. The loop is not closed. */
    abstract void unwatch();

    /**
     * One non-blocking read of the pipe into a scratch buffer. Loop thread.
     *
     * @return the bytes read, 0 or less when the pipe is empty
     * @throws IOException if the read fails
     */
    abstract int readSome() throws IOException;

    /** Closes both ends, with no write in progress on return. Called once. */
    abstract void closePipe();

    /** The loop's reader callback: reads and discards every byte there is now. */
    final void onReadable() {
        long total = 0;
        try {
            for (int n; (n = readSome()) > 0; ) {
                total += n;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the loop's signal wakeup pipe", e);
        }
        bytesRead += total;
    }

    /**
     * Bytes the loop has read from the pipe so far.
     *
     * @return the count
     */
    final long bytesRead() {
        return bytesRead;
    }

    /**
     * Whether {@link #close()} ran.
     *
     * @return true once closed
     */
    final boolean isClosed() {
        return closed.get();
    }

    /** Closes the pipe, once; later writes are dropped. Any thread, after unwatching (or the loop's close). */
    final void close() {
        if (closed.compareAndSet(false, true)) {
            closePipe();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + loop + ", bytesRead=" + bytesRead + (isClosed() ? ", closed" : "")
                + "]";
    }
}

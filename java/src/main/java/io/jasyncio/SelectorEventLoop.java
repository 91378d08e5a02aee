package io.jasyncio;

import io.jasyncio.internal.backend.EpollPoller;
import io.jasyncio.internal.backend.NioPoller;
import io.jasyncio.internal.backend.Poller;
import io.jasyncio.internal.backend.Watch;
import io.jasyncio.internal.natives.NativeLibrary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The readiness-model loop (asyncio's {@code SelectorEventLoop}) over a poller: native epoll on
 * Linux, or the JDK's {@link java.nio.channels.Selector} anywhere.
 *
 * <p>The epoll loop watches raw file descriptors ({@link #addReader(int, Runnable)}); the NIO loop
 * watches {@link SelectableChannel}s. Each refuses the other kind with IllegalArgumentException.
 */
public class SelectorEventLoop extends BaseEventLoop {

    /** The multiplexer under the loop. */
    public enum Backend {
        /** Native epoll through jasyncio's C core (Linux). */
        EPOLL,
        /** {@link java.nio.channels.Selector}, pure Java. */
        NIO;

        /**
         * Whether this backend can run on this JVM and platform.
         *
         * @return true if usable
         */
        public boolean isAvailable() {
            return this == NIO || NativeLibrary.isAvailable();
        }
    }

    private final Backend backend;
    private final Poller poller;
    private final Map<Integer, Watch> fdWatches = new HashMap<>();
    private final Map<SelectableChannel, Watch> channelWatches = new IdentityHashMap<>();
    private final Poller.ReadySink sink = this::onReady;

    /** A loop on the best backend here: epoll if the native library loads, else NIO. */
    public SelectorEventLoop() {
        this(NativeLibrary.isAvailable() ? Backend.EPOLL : Backend.NIO);
    }

    /**
     * A loop on {@code backend}; IllegalStateException if it cannot run here.
     *
     * @param backend the multiplexer to run on
     */
    public SelectorEventLoop(Backend backend) {
        this.backend = backend;
        try {
            this.poller = switch (backend) {
                case EPOLL -> {
                    if (!NativeLibrary.isAvailable()) {
                        throw new IllegalStateException("the epoll loop needs jasyncio's native library: "
                                + NativeLibrary.unavailableReason());
                    }
                    yield new EpollPoller();
                }
                case NIO -> new NioPoller();
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the " + backend + " poller", e);
        }
    }

    /**
     * The backend this loop runs on.
     *
     * @return the backend given at creation
     */
    public Backend backend() {
        return backend;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A poller failure ends {@link #runForever()} with an {@link UncheckedIOException} whose
     * cause is the poller's exception: no failure of a wait is transient (the native wait and
     * the JDK's Selector retry EINTR themselves; EBADF, EINVAL or EFAULT mean the poller's
     * descriptor is gone), so polling again would fail again at once, forever. The loop is left
     * stopped and can be closed.
     */
    @Override
    protected void pollIo(long timeoutNanos) {
        try {
            poller.poll(timeoutNanos, sink);
        } catch (IOException e) {
            throw new UncheckedIOException("the " + poller.name() + " poller failed, so the loop cannot go on: "
                    + e.getMessage(), e);
        }
    }

    private void onReady(Watch watch, int readyOps) {
        if ((readyOps & Poller.READ) != 0 && watch.reader instanceof Handle h && !h.cancelled) {
            addReady(h);
        }
        if ((readyOps & Poller.WRITE) != 0 && watch.writer instanceof Handle h && !h.cancelled) {
            addReady(h);
        }
    }

    @Override
    protected boolean watchesIo() {
        return !fdWatches.isEmpty() || !channelWatches.isEmpty();
    }

    @Override
    protected void wakeupIo() {
        poller.wakeup();
    }

    @Override
    protected void closeIo() {
        fdWatches.clear();
        channelWatches.clear();
        poller.close();
    }

    // ---- readers and writers ----

    @Override
    public void addReader(int fd, Runnable callback) {
        watch(watchFor(fd), true, callback);
    }

    @Override
    public boolean removeReader(int fd) {
        return unwatch(fdWatches.get(fd), true);
    }

    @Override
    public void addWriter(int fd, Runnable callback) {
        watch(watchFor(fd), false, callback);
    }

    @Override
    public boolean removeWriter(int fd) {
        return unwatch(fdWatches.get(fd), false);
    }

    @Override
    public void addReader(SelectableChannel channel, Runnable callback) {
        watch(watchFor(channel), true, callback);
    }

    @Override
    public boolean removeReader(SelectableChannel channel) {
        return unwatch(channelWatches.get(channel), true);
    }

    @Override
    public void addWriter(SelectableChannel channel, Runnable callback) {
        watch(watchFor(channel), false, callback);
    }

    @Override
    public boolean removeWriter(SelectableChannel channel) {
        return unwatch(channelWatches.get(channel), false);
    }

    private Watch watchFor(int fd) {
        checkClosed();
        if (fd < 0) {
            throw new IllegalArgumentException("invalid file descriptor: " + fd);
        }
        if (backend != Backend.EPOLL) {
            throw new IllegalArgumentException("the " + backend + " loop watches SelectableChannels; raw file"
                    + " descriptors (" + fd + ") need the epoll loop (-Djasyncio.loop=epoll)");
        }
        Watch w = fdWatches.get(fd);
        return w != null ? w : Watch.ofFd(fd);
    }

    private Watch watchFor(SelectableChannel channel) {
        checkClosed();
        if (channel == null) {
            throw new NullPointerException("channel");
        }
        if (backend != Backend.NIO) {
            throw new IllegalArgumentException("the " + backend + " loop watches file descriptors; a "
                    + "SelectableChannel needs the NIO loop (-Djasyncio.loop=nio)");
        }
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode: " + channel);
        }
        Watch w = channelWatches.get(channel);
        return w != null ? w : Watch.ofChannel(channel);
    }

    private void watch(Watch w, boolean read, Runnable callback) {
        checkThread();
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        Handle h = new Handle(this, callback, Context.snapshot());
        int ops = w.registeredOps | (read ? Poller.READ : Poller.WRITE);
        try {
            poller.update(w, ops);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Handle old = (Handle) (read ? w.reader : w.writer);
        if (read) {
            w.reader = h;
        } else {
            w.writer = h;
        }
        if (old != null) {
            old.cancel();
        }
        if (w.channel != null) {
            channelWatches.put(w.channel, w);
        } else {
            fdWatches.put(w.fd, w);
        }
    }

    private boolean unwatch(Watch w, boolean read) {
        if (isClosed() || w == null) {
            return false;
        }
        checkThread();
        Handle h = (Handle) (read ? w.reader : w.writer);
        if (h == null) {
            return false;
        }
        if (read) {
            w.reader = null;
        } else {
            w.writer = null;
        }
        h.cancel();
        int ops = w.registeredOps & ~(read ? Poller.READ : Poller.WRITE);
        try {
            poller.update(w, ops);
        } catch (IOException e) {
            // The descriptor was closed under us: the kernel has already forgotten it.
        }
        if (ops == 0) {
            if (w.channel != null) {
                channelWatches.remove(w.channel);
            } else {
                fdWatches.remove(w.fd);
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "SelectorEventLoop[" + backend.name().toLowerCase() + ", running=" + isRunning()
                + ", closed=" + isClosed() + ", debug=" + debug + "]";
    }
}

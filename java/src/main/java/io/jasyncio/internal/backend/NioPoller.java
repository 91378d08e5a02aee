package io.jasyncio.internal.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * The pure-Java poller: a {@link Selector}. It watches {@link SelectableChannel}s; the JDK gives
 * no way to select on a raw descriptor, so where jasyncio's native library loads, raw descriptors
 * (pipes, FIFOs, character devices, the pidfds of child processes) go to an {@link FdBridge}, a
 * native epoll set waited on by one helper thread that wakes the selector. Timeouts are rounded
 * up to whole milliseconds, so a sub-millisecond wait never turns into a busy zero.
 */
public final class NioPoller implements Poller {
    private final Selector selector;
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private ReadySink sink;
    private int dispatched;
    /** Raw descriptors, once the first one is watched. */
    private FdBridge bridge;
    private final java.util.Map<Integer, Watch> fdWatches = new java.util.HashMap<>();
    /** Descriptors reported by the bridge during the last poll, re-armed at the next one. */
    private final java.util.ArrayList<Watch> toRearm = new java.util.ArrayList<>();

    public NioPoller() throws IOException {
        this.selector = Selector.open();
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public void update(Watch watch, int ops) throws IOException {
        SelectableChannel ch = watch.channel;
        if (ch == null) {
            updateFd(watch, ops);
            return;
        }
        SelectionKey key = (SelectionKey) watch.pollerState;
        if (ops == 0) {
            if (key != null && key.isValid()) {
                key.interestOps(0);
            }
            watch.registeredOps = 0;
            return;
        }
        int interest = interestOps(ch, ops);
        try {
            if (key == null || !key.isValid()) {
                if (key != null) {
                    selector.selectNow();
                }
                watch.pollerState = ch.register(selector, interest, watch);
            } else {
                key.interestOps(interest);
            }
        } catch (IllegalBlockingModeException e) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode: " + ch, e);
        } catch (java.nio.channels.CancelledKeyException e) {
            throw new java.nio.channels.ClosedChannelException();
        }
        watch.registeredOps = ops;
    }

    private void updateFd(Watch watch, int ops) throws IOException {
        if (!io.jasyncio.internal.natives.NativeLibrary.isAvailable()) {
            throw new IllegalArgumentException("the NIO poller watches raw file descriptors (" + watch.fd
                    + ") only where jasyncio's native library loads: "
                    + io.jasyncio.internal.natives.NativeLibrary.unavailableReason());
        }
        if (bridge == null) {
            bridge = new FdBridge(selector);
        }
        Watch known = fdWatches.get(watch.fd);
        if (ops == 0) {
            if (known != null) {
                fdWatches.remove(watch.fd);
                bridge.forget(watch.fd);
            }
            watch.registeredOps = 0;
            return;
        }
        bridge.arm(watch.fd, ops, known == null);
        fdWatches.put(watch.fd, watch);
        watch.registeredOps = ops;
    }

    private void rearmReported() throws IOException {
        for (Watch w : toRearm) {
            if (fdWatches.get(w.fd) == w && w.registeredOps != 0) {
                try {
                    bridge.rearm(w.fd, w.registeredOps);
                } catch (io.jasyncio.internal.natives.ClosedDescriptorException e) {
                    // closed by its owner before unwatching: the kernel forgot it already
                }
            }
        }
        toRearm.clear();
    }

    private void dispatchFds() {
        long report;
        while ((report = bridge.poll()) != -1L) {
            int fd = (int) (report >>> 32);
            int ev = (int) report;
            Watch w = fdWatches.get(fd);
            if (w == null) {
                continue;
            }
            toRearm.add(w);
            int ready = 0;
            boolean error = (ev & (io.jasyncio.internal.natives.Epoll.EPOLLERR
                    | io.jasyncio.internal.natives.Epoll.EPOLLHUP)) != 0;
            if ((ev & io.jasyncio.internal.natives.Epoll.EPOLLIN) != 0 || error) {
                ready |= READ;
            }
            if ((ev & io.jasyncio.internal.natives.Epoll.EPOLLOUT) != 0 || error) {
                ready |= WRITE;
            }
            ready &= w.registeredOps;
            if (ready != 0) {
                dispatched++;
                sink.ready(w, ready);
            }
        }
    }

    private static int interestOps(SelectableChannel ch, int ops) {
        int valid = ch.validOps();
        int interest = 0;
        if ((ops & READ) != 0) {
            interest |= (valid & SelectionKey.OP_ACCEPT) != 0 ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
        }
        if ((ops & WRITE) != 0) {
            boolean connecting = ch instanceof SocketChannel sc && sc.isConnectionPending();
            interest |= connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
        }
        return interest & valid;
    }

    @Override
    public int poll(long timeoutNanos, ReadySink sink) throws IOException {
        this.sink = sink;
        this.dispatched = 0;
        try {
            if (bridge != null) {
                rearmReported();
                if (bridge.hasReady()) {
                    timeoutNanos = 0;
                }
            }
            if (timeoutNanos == 0) {
                selector.selectNow(dispatch);
            } else if (timeoutNanos < 0) {
                selector.select(dispatch);
            } else {
                long millis = Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
                selector.select(dispatch, millis);
            }
            if (bridge != null) {
                dispatchFds();
            }
        } finally {
            this.sink = null;
        }
        return dispatched;
    }

    private void dispatch(SelectionKey key) {
        int nio;
        try {
            nio = key.readyOps();
        } catch (java.nio.channels.CancelledKeyException e) {
            return;
        }
        int ready = 0;
        if ((nio & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            ready |= READ;
        }
        if ((nio & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            ready |= WRITE;
        }
        if (ready != 0) {
            dispatched++;
            sink.ready((Watch) key.attachment(), ready);
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        if (bridge != null) {
            bridge.close();
            bridge = null;
        }
        fdWatches.clear();
        try {
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

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
 * The pure-Java poller: a {@link Selector}. It watches {@link SelectableChannel}s only (the JDK
 * gives no way to select on a raw descriptor). Timeouts are rounded up to whole milliseconds, so
 * a sub-millisecond wait never turns into a busy zero.
 */
public final class NioPoller implements Poller {
    private final Selector selector;
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private ReadySink sink;
    private int dispatched;

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
            throw new IllegalArgumentException("the NIO poller watches SelectableChannels; raw file descriptors ("
                    + watch.fd + ") need a native loop (-Djasyncio.loop=epoll)");
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
            if (timeoutNanos == 0) {
                selector.selectNow(dispatch);
            } else if (timeoutNanos < 0) {
                selector.select(dispatch);
            } else {
                long millis = Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
                selector.select(dispatch, millis);
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
        try {
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

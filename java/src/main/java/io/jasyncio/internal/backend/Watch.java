package io.jasyncio.internal.backend;

import java.nio.channels.SelectableChannel;

/**
 * One watched I/O source, as the loop sees it: a raw file descriptor (native pollers) or a
 * {@link SelectableChannel} (the NIO poller), with the loop's reader and writer callbacks.
 * A poller may keep its own per-watch state in {@link #pollerState}.
 *
 * <p>Not thread safe: owned by the loop thread.
 */
public final class Watch {
    /** The descriptor, or -1 when this watch is for a channel. */
    public final int fd;
    /** The channel, or null when this watch is for a raw descriptor. */
    public final SelectableChannel channel;
    /** The ops currently registered with the poller. */
    public int registeredOps;
    /** Loop-side callback state for readability (a handle), or null. */
    public Object reader;
    /** Loop-side callback state for writability (a handle), or null. */
    public Object writer;
    /** Whatever the poller keeps for this watch (a SelectionKey, for instance). */
    public Object pollerState;

    private Watch(int fd, SelectableChannel channel) {
        this.fd = fd;
        this.channel = channel;
    }

    public static Watch ofFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("invalid file descriptor: " + fd);
        }
        return new Watch(fd, null);
    }

    public static Watch ofChannel(SelectableChannel channel) {
        if (channel == null) {
            throw new NullPointerException("channel");
        }
        return new Watch(-1, channel);
    }

    @Override
    public String toString() {
        return channel != null ? "Watch[" + channel + "]" : "Watch[fd=" + fd + "]";
    }
}

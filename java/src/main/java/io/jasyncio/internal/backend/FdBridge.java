package io.jasyncio.internal.backend;

import io.jasyncio.internal.natives.Epoll;
import io.jasyncio.internal.natives.Sockets;
import io.jasyncio.internal.natives.Wakeup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Raw descriptors (pipes, FIFOs, character devices, pidfds) for the NIO loop, where the native
 * library loads: a {@link Selector} cannot watch them, so a native epoll set does, and one daemon
 * thread per NIO poller waits on it and wakes the selector when one is ready. Each descriptor is
 * registered {@code EPOLLONESHOT}: after reporting it the thread leaves it alone until the loop
 * has run its callbacks and {@link #rearm re-arms} it, so the thread never spins on a level that
 * the loop has not consumed yet.
 *
 * <p>The cost over the epoll loop is a thread hand-off per readiness (microseconds): the NIO loop
 * stays a pure-Java loop for sockets and channels, and this only serves what it could not watch
 * at all before.
 *
 * <p>Thread safe where it says so; otherwise owned by the loop thread.
 */
final class FdBridge implements AutoCloseable {
    private static final long WAKE_TOKEN = -1L;
    private static final int MAX_EVENTS = 64;

    private final Selector selector;
    private final int epfd;
    private final int wakefd;
    private final MemorySegment events;
    /** (fd << 32) | epoll events, from the thread to the loop. */
    private final ConcurrentLinkedQueue<Long> ready = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    FdBridge(Selector selector) throws IOException {
        this.selector = selector;
        this.epfd = Epoll.create();
        int w;
        try {
            w = Wakeup.create();
        } catch (IOException e) {
            Sockets.close(epfd);
            throw e;
        }
        this.wakefd = w;
        try {
            Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, wakefd, Epoll.EPOLLIN, WAKE_TOKEN);
        } catch (IOException e) {
            Sockets.close(wakefd);
            Sockets.close(epfd);
            throw e;
        }
        this.events = Arena.ofAuto().allocate((long) Epoll.EVENT_SIZE * MAX_EVENTS, Long.BYTES);
        this.thread = Thread.ofPlatform().daemon().name("jasyncio-nio-fd-bridge").unstarted(this::run);
        thread.start();
    }

    private void run() {
        while (!closed) {
            int n;
            try {
                n = Epoll.wait(epfd, events.address(), MAX_EVENTS, -1);
            } catch (IOException e) {
                return; // the set is gone: close() ran
            }
            boolean any = false;
            for (int i = 0; i < n; i++) {
                long base = (long) i * Epoll.EVENT_SIZE;
                int ev = events.get(ValueLayout.JAVA_INT_UNALIGNED, base + Epoll.EVENTS_OFFSET);
                long token = events.get(ValueLayout.JAVA_LONG_UNALIGNED, base + Epoll.DATA_OFFSET);
                if (token == WAKE_TOKEN) {
                    continue;
                }
                ready.add((token << 32) | (ev & 0xffffffffL));
                any = true;
            }
            if (any) {
                selector.wakeup();
            }
        }
    }

    /** {@return whether a report waits for the loop} Any thread. */
    boolean hasReady() {
        return !ready.isEmpty();
    }

    /** {@return the next report, (fd << 32) | epoll events, or -1} Loop thread. */
    long poll() {
        Long v = ready.poll();
        return v == null ? -1L : v;
    }

    /** Watches {@code fd} for {@code ops} (Poller bits), once; {@code add} for a new descriptor. */
    void arm(int fd, int ops, boolean add) throws IOException {
        int ev = Epoll.EPOLLONESHOT;
        if ((ops & Poller.READ) != 0) {
            ev |= Epoll.EPOLLIN;
        }
        if ((ops & Poller.WRITE) != 0) {
            ev |= Epoll.EPOLLOUT;
        }
        Epoll.ctl(epfd, add ? Epoll.EPOLL_CTL_ADD : Epoll.EPOLL_CTL_MOD, fd, ev, fd);
    }

    /** Re-arms {@code fd} after its report was handled. */
    void rearm(int fd, int ops) throws IOException {
        arm(fd, ops, false);
    }

    /** Stops watching {@code fd}; false if it was closed already (the kernel forgot it). */
    void forget(int fd) {
        try {
            Epoll.ctlDel(epfd, fd);
        } catch (IOException e) {
            // closed under us: nothing to remove
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            Wakeup.signal(wakefd);
            thread.join(5_000);
        } catch (IOException e) {
            // the thread will see `closed` on its next wake-up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Sockets.close(epfd);
        } catch (IOException e) {
            // nothing to do
        }
        try {
            Sockets.close(wakefd);
        } catch (IOException e) {
            // nothing to do
        }
    }
}

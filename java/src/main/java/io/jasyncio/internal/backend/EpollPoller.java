package io.jasyncio.internal.backend;

import io.jasyncio.internal.natives.ClosedDescriptorException;
import io.jasyncio.internal.natives.Epoll;
import io.jasyncio.internal.natives.NativeLibrary;
import io.jasyncio.internal.natives.Sockets;
import io.jasyncio.internal.natives.Wakeup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Linux readiness poller: level-triggered epoll over raw file descriptors, woken by an
 * eventfd.
 *
 * <p>epoll's data word carries a token, not an object: the descriptor in the low 32 bits and, in
 * the high 32, a per-descriptor generation bumped on every registration, so an event still
 * queued for a descriptor that was removed (and perhaps reopened under the same number) during
 * the same batch is dropped instead of reaching the new watch. Tokens map back to watches
 * through an array indexed by descriptor that grows on demand; a poll allocates nothing. Events
 * land in one native buffer of {@value #MAX_EVENTS} events, reused by every poll; when more
 * descriptors are ready than that, epoll reports the rest (rotated fairly) on the next poll.
 *
 * <p>Remove a watch ({@code update(watch, 0)}) before closing its descriptor. epoll registers
 * the open file, not the number: a descriptor closed while a duplicate of it lives on (in a
 * child process, say) stays registered, can no longer be removed, and keeps reporting.
 *
 * <p>Not thread safe, except {@link #wakeup()}, which any thread may call, even during or after
 * {@link #close()}.
 */
public final class EpollPoller implements Poller {

    /** Events fetched per poll. Level-triggered, so a fuller batch is picked up next time. */
    static final int MAX_EVENTS = 1024;

    /** The wake-up eventfd's token: no watch's token, whose low half is a descriptor >= 0. */
    private static final long WAKEUP_TOKEN = -1L;

    /** {@link #wakeupGuard}: set once closed; the bits below count wakeups in flight. */
    private static final int CLOSED = 1 << 30;

    private static final int INITIAL_WATCHES = 256;

    private final int epfd;
    private final int wakeupFd;
    private final MemorySegment events;
    private final long eventsAddress;
    private final int readEvents;
    private final int writeEvents;

    /** The watch of each registered descriptor, indexed by descriptor, null where none. */
    private Watch[] watches = new Watch[INITIAL_WATCHES];
    /** The generation of each descriptor's current registration (the token's high half). */
    private int[] generations = new int[INITIAL_WATCHES];
    private int registered;
    private boolean closed;

    /**
     * Lets {@link #wakeup()} race {@link #close()} safely: the eventfd is closed only once no
     * wakeup is between its check and its write, so a wakeup never writes to a descriptor
     * number that was closed and then reused by something else.
     */
    private final AtomicInteger wakeupGuard = new AtomicInteger();

    /**
     * Creates the epoll instance and its wake-up eventfd.
     *
     * @throws IOException if the native library is not available (the message says why) or
     *         the kernel refuses to create either descriptor
     */
    public EpollPoller() throws IOException {
        if (!NativeLibrary.isAvailable()) {
            throw new IOException("the epoll poller needs jasyncio's native library, which is unavailable: "
                    + NativeLibrary.unavailableReason());
        }
        // An auto arena: the buffer lives as long as this poller is reachable, so even a
        // misuse (poll racing close) cannot make the kernel write into freed memory.
        this.events = Arena.ofAuto().allocate((long) Epoll.EVENT_SIZE * MAX_EVENTS, Long.BYTES);
        this.eventsAddress = events.address();
        this.readEvents = Epoll.EPOLLIN | Epoll.EPOLLHUP | Epoll.EPOLLERR | Epoll.EPOLLRDHUP;
        this.writeEvents = Epoll.EPOLLOUT | Epoll.EPOLLHUP | Epoll.EPOLLERR;
        int ep = Epoll.create();
        int wake = -1;
        try {
            wake = Wakeup.create();
            Epoll.ctl(ep, Epoll.EPOLL_CTL_ADD, wake, Epoll.EPOLLIN, WAKEUP_TOKEN);
        } catch (IOException | RuntimeException e) {
            if (wake >= 0) {
                closeQuietly(wake);
            }
            closeQuietly(ep);
            throw e;
        }
        this.epfd = ep;
        this.wakeupFd = wake;
    }

    @Override
    public String name() {
        return "epoll";
    }

    /**
     * {@inheritDoc}
     *
     * <p>Removing ({@code ops == 0}) a descriptor the user already closed is not an error: the
     * kernel dropped its registration with the last descriptor of the file.
     *
     * @throws IllegalArgumentException for a channel watch, unknown bits in {@code ops}, one of
     *         the poller's own descriptors, or a descriptor already watched by another watch
     * @throws ClosedDescriptorException if this poller is closed, or {@code watch.fd} is not open
     */
    @Override
    public void update(Watch watch, int ops) throws IOException {
        Objects.requireNonNull(watch, "watch");
        if (watch.channel != null) {
            throw new IllegalArgumentException("the epoll poller watches file descriptors; " + watch
                    + " is a channel watch (use the NIO poller for channels)");
        }
        if ((ops & ~(READ | WRITE)) != 0) {
            throw new IllegalArgumentException("ops must combine Poller.READ and Poller.WRITE: " + ops);
        }
        int fd = watch.fd;
        if (closed) {
            throw new ClosedDescriptorException("epoll_ctl(epfd=" + epfd + ", fd=" + fd
                    + "): EBADF (the epoll poller is closed)");
        }
        if (fd == epfd || fd == wakeupFd) {
            throw new IllegalArgumentException("fd " + fd + " belongs to the epoll poller itself");
        }
        Watch current = fd < watches.length ? watches[fd] : null;
        if (current != null && current != watch) {
            throw new IllegalArgumentException("fd " + fd + " is already watched by another Watch; remove it first");
        }
        if (ops == 0) {
            watch.registeredOps = 0;
            if (current != null) {
                forget(fd);
                Epoll.ctlDel(epfd, fd);
            }
            return;
        }
        int mask = epollEvents(ops);
        if (current == null) {
            // The kernel vets the descriptor before the table grows to hold it.
            int generation = (fd < generations.length ? generations[fd] : 0) + 1;
            Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, mask, token(fd, generation));
            ensureCapacity(fd);
            generations[fd] = generation;
            watches[fd] = watch;
            registered++;
        } else {
            // MOD even when the ops did not change: the descriptor may have been closed and its
            // number reused since it was added, and only the kernel can tell.
            try {
                Epoll.ctl(epfd, Epoll.EPOLL_CTL_MOD, fd, mask, token(fd, generations[fd]));
            } catch (NoSuchFileException e) {
                // ENOENT: the old descriptor was closed (the kernel dropped it) and the number now
                // names another open file: register that one afresh.
                forget(fd);
                watch.registeredOps = 0;
                int generation = generations[fd] + 1;
                Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, mask, token(fd, generation));
                generations[fd] = generation;
                watches[fd] = watch;
                registered++;
            } catch (ClosedDescriptorException e) {
                // EBADF: the descriptor is closed; do not keep a watch epoll no longer knows.
                // (Any other failure leaves the old registration in place, and so the watch.)
                forget(fd);
                watch.registeredOps = 0;
                throw e;
            }
        }
        watch.registeredOps = ops;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A timed poll that reports nothing has waited at least {@code timeoutNanos}.
     *
     * @throws ClosedDescriptorException if this poller is closed
     */
    @Override
    public int poll(long timeoutNanos, ReadySink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        if (closed) {
            throw new ClosedDescriptorException("epoll_wait(epfd=" + epfd + "): EBADF (the epoll poller is closed)");
        }
        int count = Epoll.wait(epfd, eventsAddress, MAX_EVENTS, timeoutNanos);
        int handed = 0;
        // A callback may close this poller mid-batch; the remaining events are then moot.
        for (int i = 0; i < count && !closed; i++) {
            long base = (long) i * Epoll.EVENT_SIZE;
            int ready = events.get(ValueLayout.JAVA_INT_UNALIGNED, base + Epoll.EVENTS_OFFSET);
            long token = events.get(ValueLayout.JAVA_LONG_UNALIGNED, base + Epoll.DATA_OFFSET);
            if (token == WAKEUP_TOKEN) {
                Wakeup.drain(wakeupFd);
                continue;
            }
            int fd = (int) token;
            // The watch may have been removed, or replaced, by a callback earlier in this batch.
            if (fd >= watches.length || generations[fd] != (int) (token >>> 32)) {
                continue;
            }
            Watch watch = watches[fd];
            if (watch == null) {
                continue;
            }
            int interest = watch.registeredOps;
            int readyOps = 0;
            if ((ready & readEvents) != 0 && (interest & READ) != 0) {
                readyOps |= READ;
            }
            if ((ready & writeEvents) != 0 && (interest & WRITE) != 0) {
                readyOps |= WRITE;
            }
            if (readyOps != 0) {
                handed++;
                sink.ready(watch, readyOps);
            }
        }
        Reference.reachabilityFence(events);
        return handed;
    }

    /** Thread safe; a no-op once closed. The loop dedups its own calls, so this just signals. */
    @Override
    public void wakeup() {
        int state = wakeupGuard.getAndIncrement();
        try {
            if ((state & CLOSED) == 0) {
                Wakeup.signal(wakeupFd);
            }
        } catch (IOException e) {
            // Cannot happen while the guard holds the eventfd open: a kernel that refuses is a bug.
            throw new UncheckedIOException(e);
        } finally {
            wakeupGuard.getAndDecrement();
        }
    }

    /** Closes the epoll instance and the eventfd and forgets every watch. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if ((wakeupGuard.getAndUpdate(s -> s | CLOSED) & CLOSED) != 0) {
            return;
        }
        // A wakeup between its check and its write finishes in a few microseconds.
        while ((wakeupGuard.get() & ~CLOSED) != 0) {
            Thread.onSpinWait();
        }
        closeQuietly(epfd);
        closeQuietly(wakeupFd);
        for (int fd = 0; fd < watches.length && registered > 0; fd++) {
            if (watches[fd] != null) {
                watches[fd].registeredOps = 0;
                forget(fd);
            }
        }
    }

    /**
     * How many descriptors are registered now (tests, debugging).
     *
     * @return the count
     */
    public int registeredCount() {
        return registered;
    }

    @Override
    public String toString() {
        return "EpollPoller[epfd=" + epfd + ", wakeupFd=" + wakeupFd + ", registered=" + registered
                + (closed ? ", closed]" : "]");
    }

    private int epollEvents(int ops) {
        int mask = 0;
        if ((ops & READ) != 0) {
            // RDHUP only with read interest: level-triggered, it would repeat forever for a
            // watch that only writes to a half-closed socket.
            mask |= Epoll.EPOLLIN | Epoll.EPOLLRDHUP;
        }
        if ((ops & WRITE) != 0) {
            mask |= Epoll.EPOLLOUT;
        }
        return mask;
    }

    private static long token(int fd, int generation) {
        return ((long) generation << 32) | (fd & 0xFFFF_FFFFL);
    }

    private void forget(int fd) {
        watches[fd] = null;
        registered--;
    }

    private void ensureCapacity(int fd) {
        if (fd >= watches.length) {
            int length = (int) Math.max(fd + 1L, Math.min(watches.length * 2L, Integer.MAX_VALUE - 8));
            watches = Arrays.copyOf(watches, length);
            generations = Arrays.copyOf(generations, length);
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Sockets.close(fd);
        } catch (IOException e) {
            // Our own descriptor, closed once: nothing useful to do about a failure.
        }
    }
}

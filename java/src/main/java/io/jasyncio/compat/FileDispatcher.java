package io.jasyncio.compat;

import io.jasyncio.EventLoop;
import io.jasyncio.Socket;
import io.jasyncio.internal.natives.FileOpen;
import io.jasyncio.internal.natives.Sockets;
import io.jasyncio.internal.net.ChannelFds;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Map;
import java.util.Objects;

/**
 * Python's {@code asyncore.file_dispatcher}: a dispatcher over a pipe or another non-socket
 * descriptor, read and written with {@code read(2)}/{@code write(2)}. It counts as connected from
 * the start; {@link #send} and {@link #recv} work as on a socket (end of file is end of stream),
 * and the socket-only calls ({@code bind}, {@code listen}, {@code connect}, {@code accept}) fail.
 *
 * <p>Two forms, because the two loops watch different things:
 * <ul>
 * <li>a descriptor ({@link #FileDispatcher(int, Map)}): as in Python, the dispatcher works on a
 *     non-blocking, close-on-exec duplicate, so closing it leaves the caller's descriptor open
 *     (the descriptor turns non-blocking, as Python's does: the flag belongs to the open file
 *     they share). The epoll loop only: the NIO loop watches JDK channels, not descriptors, and
 *     refuses it when it starts watching (an {@link IllegalArgumentException} out of
 *     {@link Asyncore#loop}).
 * <li>a JDK channel ({@link #FileDispatcher(SelectableChannel, Map)}), such as an end of a
 *     {@link java.nio.channels.Pipe}: works on the NIO loop as it is; the epoll loop needs its
 *     descriptor, which the JDK hands out only with
 *     {@code --add-exports java.base/sun.nio.ch=io.jasyncio} (or {@code ALL-UNNAMED}), and is
 *     otherwise refused with an {@link IllegalArgumentException}. Closing the dispatcher closes the
 *     channel (a channel cannot be duplicated).
 * </ul>
 *
 * <p>Not thread safe: use it from its loop's thread.
 */
public class FileDispatcher extends Dispatcher {

    /**
     * Over a duplicate of {@code fd}, in the global map.
     *
     * @param fd the descriptor (a pipe, a terminal, a socket used as a plain file)
     * @throws IOException if it cannot be duplicated (a closed descriptor)
     */
    public FileDispatcher(int fd) throws IOException {
        this(fd, null);
    }

    /**
     * Over a duplicate of {@code fd}.
     *
     * @param fd the descriptor
     * @param map the socket map; null for the global one
     * @throws IOException if it cannot be duplicated (a closed descriptor)
     */
    public FileDispatcher(int fd, Map<Integer, Dispatcher> map) throws IOException {
        super(map);
        connected = true;
        int copy = FileOpen.dupNonBlocking(fd);
        setEndpoint(new OfFd(copy), copy, map);
    }

    /**
     * Over a channel, in the global map.
     *
     * @param channel a readable and/or writable selectable channel (a pipe end)
     * @throws IOException if it cannot be made non-blocking
     */
    public FileDispatcher(SelectableChannel channel) throws IOException {
        this(channel, null);
    }

    /**
     * Over a channel. It is switched to non-blocking mode.
     *
     * @param channel a readable and/or writable selectable channel (a pipe end)
     * @param map the socket map; null for the global one
     * @throws IOException if it cannot be made non-blocking (closed)
     */
    public FileDispatcher(SelectableChannel channel, Map<Integer, Dispatcher> map) throws IOException {
        super(map);
        Objects.requireNonNull(channel, "channel");
        if (!(channel instanceof ReadableByteChannel) && !(channel instanceof WritableByteChannel)) {
            throw new IllegalArgumentException("neither readable nor writable: " + channel);
        }
        channel.configureBlocking(false);
        connected = true;
        OfChannel ep = new OfChannel(channel);
        setEndpoint(ep, ep.key, map);
    }

    /** A descriptor this dispatcher owns: the duplicate. */
    private static final class OfFd extends Endpoint {
        private final int fd;
        private boolean closed;

        OfFd(int fd) {
            this.fd = fd;
        }

        @Override
        int read(ByteBuffer dst) throws IOException {
            ByteBuffer direct = dst.isDirect() ? dst : ByteBuffer.allocateDirect(dst.remaining());
            int n = Sockets.read(fd, MemorySegment.ofBuffer(direct).address(), direct.remaining());
            if (n == 0) {
                return Socket.WOULD_BLOCK;
            }
            if (n < 0) {
                return 0;
            }
            if (direct != dst) {
                dst.put(direct.limit(n));
            } else {
                dst.position(dst.position() + n);
            }
            return n;
        }

        @Override
        int write(ByteBuffer src) throws IOException {
            ByteBuffer direct = src;
            if (!src.isDirect()) {
                direct = ByteBuffer.allocateDirect(src.remaining());
                direct.put(src.duplicate()).flip();
            }
            int n = Sockets.write(fd, MemorySegment.ofBuffer(direct).address(), direct.remaining());
            src.position(src.position() + n);
            return n;
        }

        @Override
        void finishConnect() {
        }

        @Override
        boolean isClosed() {
            return closed;
        }

        @Override
        void close() throws IOException {
            if (!closed) {
                closed = true;
                Sockets.close(fd);
            }
        }

        @Override
        void addReader(EventLoop loop, Runnable callback) {
            loop.addReader(fd, callback);
        }

        @Override
        void removeReader(EventLoop loop) {
            loop.removeReader(fd);
        }

        @Override
        void addWriter(EventLoop loop, Runnable callback) {
            loop.addWriter(fd, callback);
        }

        @Override
        void removeWriter(EventLoop loop) {
            loop.removeWriter(fd);
        }
    }

    /** A JDK channel: watched as it is by the NIO loop, by descriptor by the epoll loop. */
    private static final class OfChannel extends Endpoint {
        private final SelectableChannel channel;
        final int key;
        private int fd = -2;

        OfChannel(SelectableChannel channel) {
            this.channel = channel;
            this.key = Dispatcher.syntheticKey();
        }

        @Override
        int read(ByteBuffer dst) throws IOException {
            if (!(channel instanceof ReadableByteChannel r)) {
                throw new IOException("read: the channel is write-only: " + channel);
            }
            int n = r.read(dst);
            return n < 0 ? 0 : n == 0 ? Socket.WOULD_BLOCK : n;
        }

        @Override
        int write(ByteBuffer src) throws IOException {
            if (!(channel instanceof WritableByteChannel w)) {
                throw new IOException("write: the channel is read-only: " + channel);
            }
            try {
                return w.write(src);
            } catch (IOException e) {
                if (e instanceof java.net.SocketException || e instanceof java.nio.channels.ClosedChannelException) {
                    throw e;
                }
                // The JDK reports EPIPE as a bare IOException: make it the "connection gone" kind.
                java.net.SocketException se = new java.net.SocketException("write: " + e.getMessage());
                se.initCause(e);
                throw se;
            }
        }

        @Override
        void finishConnect() {
        }

        @Override
        boolean isClosed() {
            return !channel.isOpen();
        }

        @Override
        void close() throws IOException {
            channel.close();
        }

        private boolean nio(EventLoop loop) {
            return loop instanceof io.jasyncio.SelectorEventLoop s && s.backend() == io.jasyncio.SelectorEventLoop.Backend.NIO;
        }

        private int fd() {
            if (fd == -2) {
                fd = ChannelFds.fdOf(channel);
            }
            if (fd < 0) {
                throw new IllegalArgumentException("the epoll loop cannot find the descriptor of " + channel
                        + ": run with --add-exports java.base/sun.nio.ch=io.jasyncio (ALL-UNNAMED on the class"
                        + " path), or use FileDispatcher(int fd)");
            }
            return fd;
        }

        @Override
        void addReader(EventLoop loop, Runnable callback) {
            if (nio(loop)) {
                loop.addReader(channel, callback);
            } else {
                loop.addReader(fd(), callback);
            }
        }

        @Override
        void removeReader(EventLoop loop) {
            if (nio(loop)) {
                loop.removeReader(channel);
            } else {
                loop.removeReader(fd());
            }
        }

        @Override
        void addWriter(EventLoop loop, Runnable callback) {
            if (nio(loop)) {
                loop.addWriter(channel, callback);
            } else {
                loop.addWriter(fd(), callback);
            }
        }

        @Override
        void removeWriter(EventLoop loop) {
            if (nio(loop)) {
                loop.removeWriter(channel);
            } else {
                loop.removeWriter(fd());
            }
        }
    }
}

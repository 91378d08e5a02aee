package io.jasyncio;

import io.jasyncio.internal.net.SocketOps;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * asyncio's {@code sock_*} calls on a readiness loop: try the operation at once, and if it would
 * wait, watch the socket and retry on readiness until done. Cancelling the returned future stops
 * the watch. Each call is one future and, when it must wait, one handle: nothing else allocates.
 */
final class SockCalls {
    private final SelectorEventLoop loop;

    SockCalls(SelectorEventLoop loop) {
        this.loop = loop;
    }

    private SocketOps ops(Socket sock) {
        Objects.requireNonNull(sock, "sock");
        return sock.opsFor(loop.backend());
    }

    /** A retry on readiness, removed when its future is done by any path. */
    private abstract class Op<T> implements Runnable {
        final Socket sock;
        final SocketOps ops;
        final Future<T> future;
        final boolean read;
        boolean watching;

        Op(Socket sock, boolean read) {
            this.sock = sock;
            this.ops = ops(sock);
            this.future = loop.createFuture();
            this.read = read;
        }

        /** Tries once: completes the future, or returns false to wait for readiness. */
        abstract boolean attempt() throws IOException;

        Future<T> start() {
            loop.checkThread();
            if (sock.isClosed()) {
                future.setException(new io.jasyncio.internal.natives.ClosedDescriptorException(
                        "the socket is closed: " + sock));
                return future;
            }
            run();
            return future;
        }

        @Override
        public void run() {
            if (future.done()) {
                unwatch();
                return;
            }
            boolean finished;
            try {
                finished = attempt();
            } catch (IOException | RuntimeException e) {
                unwatch();
                future.setException(e);
                return;
            }
            if (finished) {
                unwatch();
            } else if (!watching) {
                watching = true;
                if (read) {
                    loop.addReader(sock, this);
                } else {
                    loop.addWriter(sock, this);
                }
                future.addDoneCallback(f -> unwatch());
            }
        }

        void unwatch() {
            if (watching) {
                watching = false;
                if (!sock.isClosed() && !loop.isClosed()) {
                    if (read) {
                        loop.removeReader(sock);
                    } else {
                        loop.removeWriter(sock);
                    }
                }
            }
        }
    }

    Future<byte[]> recv(Socket sock, int nbytes) {
        if (nbytes < 0) {
            throw new IllegalArgumentException("negative nbytes: " + nbytes);
        }
        return new Op<byte[]>(sock, true) {
            @Override
            boolean attempt() throws IOException {
                if (nbytes == 0) {
                    future.setResult(new byte[0]);
                    return true;
                }
                ByteBuffer buffer = loop.readBuffer();
                buffer.clear().limit(Math.min(nbytes, buffer.capacity()));
                int n = ops.read(buffer);
                if (n == SocketOps.WOULD_BLOCK) {
                    return false;
                }
                byte[] out = new byte[n];
                buffer.get(0, out);
                future.setResult(out);
                return true;
            }
        }.start();
    }

    Future<Integer> recvInto(Socket sock, ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        if (buffer.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        return new Op<Integer>(sock, true) {
            @Override
            boolean attempt() throws IOException {
                if (!buffer.hasRemaining()) {
                    future.setResult(0);
                    return true;
                }
                int n = ops.read(buffer);
                if (n == SocketOps.WOULD_BLOCK) {
                    return false;
                }
                future.setResult(n);
                return true;
            }
        }.start();
    }

    Future<Void> sendall(Socket sock, ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        return new Op<Void>(sock, false) {
            @Override
            boolean attempt() throws IOException {
                while (data.hasRemaining()) {
                    if (ops.write(data) == 0) {
                        return false;
                    }
                }
                future.setResult(null);
                return true;
            }
        }.start();
    }

    Future<Void> connect(Socket sock, SocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            Future<Void> result = loop.createFuture();
            Socket.Family family = sock.family();
            Future<java.util.List<AddressInfo>> resolving = loop.getaddrinfo(inet.getHostString(), inet.getPort(),
                    family == Socket.Family.UNIX ? null : family, sock.type());
            resolving.addDoneCallback(f -> {
                if (result.done()) {
                    return;
                }
                if (f.cancelled()) {
                    result.cancel();
                } else if (f.exception() != null) {
                    result.setException(f.exception());
                } else {
                    chain(connect(sock, f.result().getFirst().address()), result);
                }
            });
            result.addDoneCallback(f -> {
                if (f.cancelled()) {
                    resolving.cancel();
                }
            });
            return result;
        }
        return new Op<Void>(sock, false) {
            boolean started;

            @Override
            boolean attempt() throws IOException {
                if (!started) {
                    started = true;
                    if (ops.connect(address)) {
                        future.setResult(null);
                        return true;
                    }
                    return false;
                }
                ops.finishConnect();
                future.setResult(null);
                return true;
            }
        }.start();
    }

    static <T> void chain(Future<T> from, Future<T> to) {
        from.addDoneCallback(f -> {
            if (to.done()) {
                return;
            }
            if (f.cancelled()) {
                to.cancel();
            } else if (f.exception() != null) {
                to.setException(f.exception());
            } else {
                to.setResult(f.result());
            }
        });
        to.addDoneCallback(f -> {
            if (f.cancelled() && !from.done()) {
                from.cancel();
            }
        });
    }

    Future<Socket> accept(Socket sock) {
        return new Op<Socket>(sock, true) {
            @Override
            boolean attempt() throws IOException {
                SocketOps client = ops.accept();
                if (client == null) {
                    return false;
                }
                future.setResult(new Socket(client));
                return true;
            }
        }.start();
    }

    Future<Integer> sendto(Socket sock, ByteBuffer data, SocketAddress address) {
        Objects.requireNonNull(data, "data");
        return new Op<Integer>(sock, false) {
            @Override
            boolean attempt() throws IOException {
                int before = data.remaining();
                int n = ops.send(data, address);
                if (n == 0 && before > 0) {
                    return false;
                }
                future.setResult(n);
                return true;
            }
        }.start();
    }

    Future<Datagram> recvfrom(Socket sock, int bufsize) {
        if (bufsize < 0) {
            throw new IllegalArgumentException("negative bufsize: " + bufsize);
        }
        return new Op<Datagram>(sock, true) {
            /** Only for a bufsize over the loop's read buffer, which serves the rest. */
            ByteBuffer own;

            @Override
            boolean attempt() throws IOException {
                ByteBuffer buffer = loop.readBuffer();
                if (bufsize > buffer.capacity()) {
                    if (own == null) {
                        own = ByteBuffer.allocateDirect(bufsize);
                    }
                    buffer = own;
                }
                buffer.clear().limit(bufsize);
                SocketAddress from = ops.receive(buffer);
                if (from == null) {
                    return false;
                }
                byte[] out = new byte[buffer.position()];
                buffer.get(0, out);
                future.setResult(new Datagram(out, from));
                return true;
            }
        }.start();
    }

    Future<SocketAddress> recvfromInto(Socket sock, ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        return new Op<SocketAddress>(sock, true) {
            @Override
            boolean attempt() throws IOException {
                SocketAddress from = ops.receive(buffer);
                if (from == null) {
                    return false;
                }
                future.setResult(from);
                return true;
            }
        }.start();
    }

    /** Checks asyncio's sendfile arguments: a non-negative offset, a positive count or -1. */
    static void checkSendfile(Object file, long offset, long count) {
        Objects.requireNonNull(file, "file");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be a non-negative integer (got " + offset + ")");
        }
        if (count == 0 || count < -1) {
            throw new IllegalArgumentException("count must be a positive integer or -1 (got " + count + ")");
        }
    }

    /** Where a sendfile's bytes come from: a descriptor of ours, or a JDK FileChannel. */
    abstract static class FileSource implements AutoCloseable {
        /** {@return the file's size now} */
        abstract long size() throws IOException;

        /** Sends what the socket takes now: the bytes sent, 0 when it is full or the file ended. */
        abstract long send(SocketOps ops, long position, long count) throws IOException;

        /** Moves the caller's view of the file to where sending stopped, as asyncio does. */
        void sentUpTo(long position) throws IOException {
        }

        @Override
        public void close() throws IOException {
        }
    }

    /**
     * A FileChannel. On a JDK socket channel (the NIO loop) {@link FileChannel#transferTo} hands
     * the bytes to the JDK, which uses {@code sendfile(2)} itself. On a native descriptor the
     * FileChannel's own descriptor is out of reach, so bytes are copied: read into one direct
     * buffer, written from it, and what the socket did not take waits there for the next
     * writability instead of being read again.
     */
    static final class ChannelSource extends FileSource {
        private static final int COPY_SIZE = 256 * 1024;
        private final FileChannel file;
        private final boolean owned;
        private ByteBuffer copy;
        /** The file position of {@code copy}'s position, when it holds bytes. */
        private long copyAt = -1;

        ChannelSource(FileChannel file, boolean owned) {
            this.file = file;
            this.owned = owned;
        }

        @Override
        long size() throws IOException {
            return file.size();
        }

        @Override
        long send(SocketOps ops, long position, long count) throws IOException {
            if (!(ops instanceof io.jasyncio.internal.net.FdSocketOps)) {
                return ops.sendfile(file, position, count);
            }
            if (copy == null) {
                copy = ByteBuffer.allocateDirect(COPY_SIZE).limit(0);
            }
            if (!copy.hasRemaining() || copyAt != position) {
                copy.clear().limit((int) Math.min(COPY_SIZE, count));
                int read = file.read(copy, position);
                copy.flip();
                copyAt = position;
                if (read <= 0) {
                    return 0;
                }
            }
            int n = ops.write(copy);
            copyAt += n;
            return n;
        }

        @Override
        void sentUpTo(long position) throws IOException {
            if (!owned) {
                file.position(position);
            }
        }

        @Override
        public void close() throws IOException {
            if (owned) {
                file.close();
            }
        }
    }

    /** A file jasyncio opened itself ({@code file_open.c}): {@code sendfile(2)}, no copy. */
    static final class FdSource extends FileSource {
        private final int fd;
        private boolean closed;

        FdSource(int fd) {
            this.fd = fd;
        }

        @Override
        long size() throws IOException {
            return io.jasyncio.internal.natives.FileOpen.size(fd);
        }

        @Override
        long send(SocketOps ops, long position, long count) throws IOException {
            return ((io.jasyncio.internal.net.FdSocketOps) ops).sendfile(fd, position, count);
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                io.jasyncio.internal.natives.Sockets.close(fd);
            }
        }
    }

    /** The source for a path: our own descriptor on the epoll loop, a FileChannel on NIO. */
    FileSource open(Socket sock, java.nio.file.Path path) throws IOException {
        if (ops(sock) instanceof io.jasyncio.internal.net.FdSocketOps) {
            return new FdSource(io.jasyncio.internal.natives.FileOpen.open(path));
        }
        return new ChannelSource(FileChannel.open(path, java.nio.file.StandardOpenOption.READ), true);
    }

    Future<Long> sendfile(Socket sock, FileChannel file, long offset, long count) {
        checkSendfile(file, offset, count);
        return sendfile(sock, new ChannelSource(file, false), offset, count);
    }

    Future<Long> sendfile(Socket sock, java.nio.file.Path file, long offset, long count) {
        checkSendfile(file, offset, count);
        if (sock.type() != Socket.Type.STREAM) {
            throw new IllegalArgumentException("only SOCK_STREAM type sockets are supported, got " + sock);
        }
        FileSource source;
        try {
            source = open(sock, file);
        } catch (IOException e) {
            Future<Long> failed = loop.createFuture();
            failed.setException(e);
            return failed;
        }
        return sendfile(sock, source, offset, count);
    }

    /** Sends {@code source} from {@code offset}, on writability, then closes the source. */
    Future<Long> sendfile(Socket sock, FileSource source, long offset, long count) {
        if (sock.type() != Socket.Type.STREAM) {
            closeQuietly(source);
            throw new IllegalArgumentException("only SOCK_STREAM type sockets are supported, got " + sock);
        }
        Future<Long> future;
        try {
            future = new Op<Long>(sock, false) {
                long sent;
                long end = -2;

                @Override
                boolean attempt() throws IOException {
                    if (end == -2) {
                        long size = source.size();
                        end = count < 0 ? size : Math.min(size, offset + count);
                    }
                    while (offset + sent < end) {
                        long n = source.send(ops, offset + sent, end - offset - sent);
                        if (n == 0) {
                            if (offset + sent >= source.size()) {
                                break;
                            }
                            return false;
                        }
                        sent += n;
                    }
                    future.setResult(sent);
                    return true;
                }

                @Override
                Future<Long> start() {
                    future.addDoneCallback(f -> {
                        try {
                            if (sent > 0) {
                                source.sentUpTo(offset + sent);
                            }
                        } catch (IOException e) {
                            // the file was closed under us: its position no longer matters
                        } finally {
                            closeQuietly(source);
                        }
                    });
                    return super.start();
                }
            }.start();
        } catch (RuntimeException e) {
            closeQuietly(source);
            throw e;
        }
        return future;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing after the fact: nothing to tell
        }
    }

    static byte[] copyOf(byte[] data) {
        return Arrays.copyOf(data, data.length);
    }
}

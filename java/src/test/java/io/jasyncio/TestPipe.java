package io.jasyncio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A connected pair of stream sockets in the form a loop backend watches: raw descriptors from
 * {@code socketpair(2)} (through libc, independent of jasyncio's C core) for epoll, and a pair of
 * non-blocking UNIX-domain {@link SocketChannel}s for NIO. The test watches the "read side" and
 * writes into it from the other end.
 */
abstract class TestPipe implements AutoCloseable {

    static TestPipe open(SelectorEventLoop.Backend backend) throws IOException {
        return backend == SelectorEventLoop.Backend.EPOLL ? new FdPipe() : new ChannelPipe();
    }

    abstract void addReader(EventLoop loop, Runnable cb);

    abstract boolean removeReader(EventLoop loop);

    abstract void addWriter(EventLoop loop, Runnable cb);

    abstract boolean removeWriter(EventLoop loop);

    /** Writes {@code text} from the far end, so the read side becomes readable. */
    abstract void writeToReadSide(String text);

    /** Reads what is available on the read side (empty if nothing). */
    abstract String readAvailable();

    @Override
    public abstract void close() throws IOException;

    static final class FdPipe extends TestPipe {
        final int readFd;
        final int writeFd;

        FdPipe() throws IOException {
            int[] sv = new int[2];
            if (LibC.INSTANCE.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC,
                    0, sv) != 0) {
                throw new IOException("socketpair failed");
            }
            readFd = sv[0];
            writeFd = sv[1];
        }

        @Override
        void addReader(EventLoop loop, Runnable cb) {
            loop.addReader(readFd, cb);
        }

        @Override
        boolean removeReader(EventLoop loop) {
            return loop.removeReader(readFd);
        }

        @Override
        void addWriter(EventLoop loop, Runnable cb) {
            loop.addWriter(readFd, cb);
        }

        @Override
        boolean removeWriter(EventLoop loop) {
            return loop.removeWriter(readFd);
        }

        @Override
        void writeToReadSide(String text) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            if (LibC.INSTANCE.write(writeFd, b, b.length) != b.length) {
                throw new UncheckedIOException(new IOException("short write"));
            }
        }

        @Override
        String readAvailable() {
            byte[] b = new byte[4096];
            long n = LibC.INSTANCE.read(readFd, b, b.length);
            return n <= 0 ? "" : new String(b, 0, (int) n, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            LibC.INSTANCE.close(readFd);
            LibC.INSTANCE.close(writeFd);
        }
    }

    static final class ChannelPipe extends TestPipe {
        final SocketChannel readSide;
        final SocketChannel writeSide;
        private final Path dir;

        ChannelPipe() throws IOException {
            dir = Files.createTempDirectory("jasyncio-pipe");
            Path path = dir.resolve("s");
            try (ServerSocketChannel server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(path));
                writeSide = SocketChannel.open(UnixDomainSocketAddress.of(path));
                readSide = server.accept();
            }
            Files.deleteIfExists(path);
            readSide.configureBlocking(false);
        }

        @Override
        void addReader(EventLoop loop, Runnable cb) {
            loop.addReader(readSide, cb);
        }

        @Override
        boolean removeReader(EventLoop loop) {
            return loop.removeReader(readSide);
        }

        @Override
        void addWriter(EventLoop loop, Runnable cb) {
            loop.addWriter(readSide, cb);
        }

        @Override
        boolean removeWriter(EventLoop loop) {
            return loop.removeWriter(readSide);
        }

        @Override
        void writeToReadSide(String text) {
            try {
                writeSide.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        String readAvailable() {
            ByteBuffer b = ByteBuffer.allocate(4096);
            try {
                int n = readSide.read(b);
                return n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            readSide.close();
            writeSide.close();
            Files.deleteIfExists(dir);
        }
    }
}

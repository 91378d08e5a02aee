package io.jasyncio.internal.natives;

import java.io.IOException;

/**
 * Pipes (native/pipe.c): creation for child processes, {@code read(2)}/{@code write(2)} for the
 * pipe transports (the read is {@link Sockets}' native one: both are plain {@code read(2)}), and
 * the checks {@code connectReadPipe}/{@code connectWritePipe} make.
 * Close descriptors with {@link Sockets#close(int)}.
 *
 * <p>Thread safe (each call is one system call or a few).
 */
public final class Pipes {

    /** {@link #prepare} result: a pipe or FIFO. */
    public static final int KIND_FIFO = 1;
    /** {@link #prepare} result: a socket. */
    public static final int KIND_SOCKET = 2;
    /** {@link #prepare} result: a character device. */
    public static final int KIND_CHAR_DEVICE = 3;

    /** {@link #create} flag: the read end is non-blocking. */
    public static final int NONBLOCK_READ = 1;
    /** {@link #create} flag: the write end is non-blocking. */
    public static final int NONBLOCK_WRITE = 2;

    static {
        NativeLibrary.ensureLoaded();
    }

    private Pipes() {
    }

    /**
     * A pipe, close-on-exec at both ends.
     *
     * @param nonblock which ends are non-blocking: {@link #NONBLOCK_READ}, {@link #NONBLOCK_WRITE}
     * @return both descriptors: {@link #readEnd} and {@link #writeEnd} take them apart
     * @throws IOException if the kernel refuses (EMFILE, ...)
     */
    public static long create(int nonblock) throws IOException {
        long pair = create0(nonblock);
        if (pair < 0) {
            throw Errors.newIOException("pipe2(O_CLOEXEC)", (int) pair);
        }
        return pair;
    }

    /**
     * The read end of a {@link #create} result.
     *
     * @param pair the result
     * @return the descriptor
     */
    public static int readEnd(long pair) {
        return (int) (pair >>> 32);
    }

    /**
     * The write end of a {@link #create} result.
     *
     * @param pair the result
     * @return the descriptor
     */
    public static int writeEnd(long pair) {
        return (int) pair;
    }

    /**
     * Reads what the pipe holds now.
     *
     * @return bytes read, 0 at end of stream, -1 when it is empty (EAGAIN)
     * @throws IOException if the read fails
     */
    public static int read(int fd, long address, int length) throws IOException {
        int n = Sockets.read0(fd, address, length); // plain read(2), which a pipe needs too
        if (n >= 0) {
            return n;
        }
        if (n == -Errors.EAGAIN) {
            return -1;
        }
        throw Errors.newIOException("read(fd=" + fd + ")", n);
    }

    /**
     * Writes what the pipe takes now.
     *
     * @return bytes written, 0 when it is full (EAGAIN)
     * @throws IOException if the write fails (EPIPE, a {@link java.net.SocketException}, once the
     *         reader is gone)
     */
    public static int write(int fd, long address, int length) throws IOException {
        int n = write0(fd, address, length);
        if (n >= 0) {
            return n;
        }
        if (n == -Errors.EAGAIN) {
            return 0;
        }
        throw Errors.newIOException("write(fd=" + fd + ")", n);
    }

    /**
     * Readies a descriptor for a pipe transport: sets {@code O_NONBLOCK}.
     *
     * @param fd the descriptor
     * @return {@link #KIND_FIFO}, {@link #KIND_SOCKET} or {@link #KIND_CHAR_DEVICE}
     * @throws IllegalArgumentException if it is none of those (asyncio's ValueError)
     * @throws IOException if {@code fstat} or {@code fcntl} fails
     */
    public static int prepare(int fd) throws IOException {
        int kind = prepare0(fd);
        if (kind == -Errors.EINVAL) {
            throw new IllegalArgumentException("Pipe transport is only for pipes, sockets and character devices (fd="
                    + fd + ")");
        }
        if (kind < 0) {
            throw Errors.newIOException("fstat/fcntl(fd=" + fd + ")", kind);
        }
        return kind;
    }

    /**
     * Opens {@code /dev/null} read-write, close-on-exec.
     *
     * @return the descriptor
     * @throws IOException if it cannot be opened
     */
    public static int openDevnull() throws IOException {
        int fd = openDevnull0();
        if (fd < 0) {
            throw Errors.newIOException("open(/dev/null, O_RDWR)", fd);
        }
        return fd;
    }

    static native long create0(int nonblock);

    static native int write0(int fd, long address, int length);

    static native int prepare0(int fd);

    static native int openDevnull0();
}

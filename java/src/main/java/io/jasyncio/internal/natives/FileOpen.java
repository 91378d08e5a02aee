package io.jasyncio.internal.natives;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Read-only file descriptors for {@code sendfile(2)} (native/file_open.c): the JDK never hands
 * out a {@link java.nio.channels.FileChannel}'s descriptor, so a file sent without a copy is
 * opened here, by path. Close the descriptor with {@link Sockets#close(int)}.
 *
 * <p>Thread safe (each call is one system call).
 */
public final class FileOpen {

    static {
        NativeLibrary.ensureLoaded();
    }

    private FileOpen() {
    }

    /**
     * Opens a file read-only and close-on-exec.
     *
     * @param path the file
     * @return the descriptor
     * @throws IOException if the kernel refuses: a missing file is a
     *         {@link java.nio.file.NoSuchFileException}
     * @throws IllegalArgumentException if the path holds a NUL character
     */
    public static int open(Path path) throws IOException {
        String name = path.toString();
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("open(" + name.replace("\0", "\\0") + "): the path holds a NUL");
        }
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cString = arena.allocateFrom(name);
            fd = open0(cString.address());
        }
        if (fd < 0) {
            throw Errors.newIOException("open(" + name + ", O_RDONLY)", fd);
        }
        return fd;
    }

    /**
     * The size of an open file ({@code fstat}).
     *
     * @param fd the descriptor
     * @return its size in bytes
     * @throws IOException if the kernel refuses (EBADF is a {@link ClosedDescriptorException})
     */
    public static long size(int fd) throws IOException {
        long size = size0(fd);
        if (size < 0) {
            throw Errors.newIOException("fstat(fd=" + fd + ")", (int) size);
        }
        return size;
    }

    /**
     * A non-blocking, close-on-exec duplicate of a descriptor ({@code fcntl(F_DUPFD_CLOEXEC)},
     * then {@code O_NONBLOCK}, which the original shares: it is one open file description).
     *
     * @param fd the descriptor
     * @return the duplicate, which the caller closes with {@link Sockets#close(int)}
     * @throws IOException if the kernel refuses (EBADF is a {@link ClosedDescriptorException})
     */
    public static int dupNonBlocking(int fd) throws IOException {
        int copy = dupNonBlocking0(fd);
        if (copy < 0) {
            throw Errors.newIOException("fcntl(fd=" + fd + ", F_DUPFD_CLOEXEC)", copy);
        }
        return copy;
    }

    static native int dupNonBlocking0(int fd);

    static native int open0(long path);

    static native long size0(int fd);
}

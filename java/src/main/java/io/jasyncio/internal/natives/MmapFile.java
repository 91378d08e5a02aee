package io.jasyncio.internal.natives;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The descriptors under memory maps (native/mmap_file.c): a path opened read-only or
 * read-write, a duplicate of a caller's descriptor, a new size, and memfds. Every descriptor is
 * close-on-exec; close it with {@link Sockets#close(int)}, read its size with
 * {@link FileOpen#size(int)}.
 *
 * <p>Thread safe (each call is one or two system calls).
 */
public final class MmapFile {

    static {
        NativeLibrary.ensureLoaded();
    }

    private MmapFile() {
    }

    /**
     * Opens a file.
     *
     * @param path the file
     * @param writable read-write if true, else read-only
     * @return the descriptor
     * @throws IOException if the kernel refuses: a missing file is a
     *         {@link java.nio.file.NoSuchFileException}
     * @throws IllegalArgumentException if the path holds a NUL character
     */
    public static int open(Path path, boolean writable) throws IOException {
        String name = checkName("open", path.toString());
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cString = arena.allocateFrom(name);
            fd = open0(cString.address(), writable);
        }
        if (fd < 0) {
            throw Errors.newIOException("open(" + name + ", " + (writable ? "O_RDWR" : "O_RDONLY") + ")", fd);
        }
        return fd;
    }

    /**
     * Duplicates a descriptor (close-on-exec).
     *
     * @param fd the descriptor
     * @return the copy
     * @throws IOException if the kernel refuses (EBADF is a {@link ClosedDescriptorException})
     */
    public static int dup(int fd) throws IOException {
        int copy = dup0(fd);
        if (copy < 0) {
            throw Errors.newIOException("fcntl(fd=" + fd + ", F_DUPFD_CLOEXEC)", copy);
        }
        return copy;
    }

    /**
     * Sets a file's size ({@code ftruncate}).
     *
     * @param fd a descriptor open for writing
     * @param size the new size in bytes
     * @throws IOException if the kernel refuses
     */
    public static void truncate(int fd, long size) throws IOException {
        int rc = truncate0(fd, size);
        if (rc < 0) {
            throw Errors.newIOException("ftruncate(fd=" + fd + ", size=" + size + ")", rc);
        }
    }

    /**
     * Creates an anonymous file of zero bytes ({@code memfd_create}, then {@code ftruncate}).
     *
     * @param name its name in {@code /proc/<pid>/fd}, for debugging
     * @param size its size in bytes
     * @return the descriptor, open for reading and writing
     * @throws IOException if the kernel refuses; ENOSYS where the platform has no memfd
     * @throws IllegalArgumentException if the name holds a NUL character
     */
    public static int memfd(String name, long size) throws IOException {
        checkName("memfd_create", name);
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = memfd0(arena.allocateFrom(name).address(), size);
        }
        if (fd < 0) {
            throw Errors.newIOException("memfd_create(" + name + ", size=" + size + ")", fd);
        }
        return fd;
    }

    private static String checkName(String call, String name) {
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(call + "(" + name.replace("\0", "\\0") + "): the name holds a NUL");
        }
        return name;
    }

    static native int open0(long path, boolean writable);

    static native int dup0(int fd);

    static native int truncate0(int fd, long size);

    static native int memfd0(long name, long size);
}

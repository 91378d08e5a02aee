package io.jasyncio.internal.natives;

import java.io.IOException;

/**
 * Memory maps (native/mmap.c): {@code mmap}, {@code munmap}, {@code msync}, {@code madvise} and
 * {@code mremap} over raw addresses, and the platform's {@code PROT_*}, {@code MAP_*},
 * {@code MS_*} and {@code MADV_*} values. Addresses here are not protected by anything: the
 * caller ({@code io.jasyncio.MappedFile}) passes only addresses of mappings it holds open.
 *
 * <p>Thread safe (each call is one system call). A constant this platform lacks is {@code -1}.
 */
public final class Mmap {

    // Keep in sync with JASYNCIO__MMAP_CONSTANTS in native/mmap.c: same names, same order.
    /** Pages may be read. */
    public static final int PROT_READ;
    /** Pages may be written. */
    public static final int PROT_WRITE;
    /** Pages may be executed. */
    public static final int PROT_EXEC;
    /** Writes reach the file and every other map of it. */
    public static final int MAP_SHARED;
    /** Copy-on-write: writes stay in this map. */
    public static final int MAP_PRIVATE;
    /** No file: zero-filled memory. */
    public static final int MAP_ANONYMOUS;
    /** Ignored by Linux; kept for compatibility. */
    public static final int MAP_DENYWRITE;
    /** Ignored by Linux; kept for compatibility. */
    public static final int MAP_EXECUTABLE;
    /** Prefault the pages at map time. */
    public static final int MAP_POPULATE;
    /** A map suitable for a thread stack. */
    public static final int MAP_STACK;
    /** Reserve no swap space. */
    public static final int MAP_NORESERVE;
    /** {@code msync}: schedule the write-back and return. */
    public static final int MS_ASYNC;
    /** {@code msync}: write back and wait. */
    public static final int MS_SYNC;
    /** {@code msync}: invalidate other maps of the same file. */
    public static final int MS_INVALIDATE;
    /** No special treatment. */
    public static final int MADV_NORMAL;
    /** Expect random access. */
    public static final int MADV_RANDOM;
    /** Expect sequential access. */
    public static final int MADV_SEQUENTIAL;
    /** Expect access soon: read ahead. */
    public static final int MADV_WILLNEED;
    /** Not needed soon: the pages may be dropped (a private map loses its changes). */
    public static final int MADV_DONTNEED;
    /** The pages may be freed lazily (private anonymous maps). */
    public static final int MADV_FREE;
    /** Free the pages and their backing store. */
    public static final int MADV_REMOVE;
    /** Not inherited across fork. */
    public static final int MADV_DONTFORK;
    /** Undo MADV_DONTFORK. */
    public static final int MADV_DOFORK;
    /** Poison the pages (testing; needs privilege). */
    public static final int MADV_HWPOISON;
    /** Candidates for kernel same-page merging. */
    public static final int MADV_MERGEABLE;
    /** Undo MADV_MERGEABLE. */
    public static final int MADV_UNMERGEABLE;
    /** Soft-offline the pages (testing; needs privilege). */
    public static final int MADV_SOFT_OFFLINE;
    /** Back the range with transparent huge pages. */
    public static final int MADV_HUGEPAGE;
    /** Undo MADV_HUGEPAGE. */
    public static final int MADV_NOHUGEPAGE;
    /** Leave the range out of core dumps. */
    public static final int MADV_DONTDUMP;
    /** Undo MADV_DONTDUMP. */
    public static final int MADV_DODUMP;
    /** The page size in bytes. */
    public static final int PAGE_SIZE;

    private static final int CONSTANT_COUNT = 31;

    static {
        NativeLibrary.ensureLoaded();
        int[] v = new int[CONSTANT_COUNT];
        int count = constants0(v);
        if (count != CONSTANT_COUNT) {
            throw new UnsatisfiedLinkError("native/mmap.c exports " + count + " constants, Mmap.java expects "
                    + CONSTANT_COUNT + ": the two lists are out of sync");
        }
        int i = 0;
        PROT_READ = v[i++];
        PROT_WRITE = v[i++];
        PROT_EXEC = v[i++];
        MAP_SHARED = v[i++];
        MAP_PRIVATE = v[i++];
        MAP_ANONYMOUS = v[i++];
        MAP_DENYWRITE = v[i++];
        MAP_EXECUTABLE = v[i++];
        MAP_POPULATE = v[i++];
        MAP_STACK = v[i++];
        MAP_NORESERVE = v[i++];
        MS_ASYNC = v[i++];
        MS_SYNC = v[i++];
        MS_INVALIDATE = v[i++];
        MADV_NORMAL = v[i++];
        MADV_RANDOM = v[i++];
        MADV_SEQUENTIAL = v[i++];
        MADV_WILLNEED = v[i++];
        MADV_DONTNEED = v[i++];
        MADV_FREE = v[i++];
        MADV_REMOVE = v[i++];
        MADV_DONTFORK = v[i++];
        MADV_DOFORK = v[i++];
        MADV_HWPOISON = v[i++];
        MADV_MERGEABLE = v[i++];
        MADV_UNMERGEABLE = v[i++];
        MADV_SOFT_OFFLINE = v[i++];
        MADV_HUGEPAGE = v[i++];
        MADV_NOHUGEPAGE = v[i++];
        MADV_DONTDUMP = v[i++];
        MADV_DODUMP = v[i];
        PAGE_SIZE = pageSize0();
    }

    private Mmap() {
    }

    /**
     * Maps a file or anonymous memory ({@code mmap}).
     *
     * @param length the map's length in bytes, positive
     * @param prot {@code PROT_*} bits
     * @param flags {@code MAP_*} bits
     * @param fd the file (ignored with {@link #MAP_ANONYMOUS})
     * @param offset the file offset, a multiple of {@link #PAGE_SIZE}
     * @return the map's address
     * @throws IOException if the kernel refuses
     */
    public static long map(long length, int prot, int flags, int fd, long offset) throws IOException {
        long address = map0(length, prot, flags, fd, offset);
        if (address < 0) {
            throw Errors.newIOException("mmap(length=" + length + ", prot=" + prot + ", flags=" + flags + ", fd=" + fd
                    + ", offset=" + offset + ")", (int) address);
        }
        return address;
    }

    /**
     * Unmaps a range ({@code munmap}).
     *
     * @param address the map's address
     * @param length its length
     * @throws IOException if the kernel refuses
     */
    public static void unmap(long address, long length) throws IOException {
        int rc = unmap0(address, length);
        if (rc < 0) {
            throw Errors.newIOException("munmap(length=" + length + ")", rc);
        }
    }

    /**
     * Writes a range back to its file ({@code msync}).
     *
     * @param address a page-aligned address in a map
     * @param length the range's length
     * @param flags {@link #MS_SYNC} or {@link #MS_ASYNC}, optionally with {@link #MS_INVALIDATE}
     * @throws IOException if the kernel refuses
     */
    public static void sync(long address, long length, int flags) throws IOException {
        int rc = sync0(address, length, flags);
        if (rc < 0) {
            throw Errors.newIOException("msync(length=" + length + ", flags=" + flags + ")", rc);
        }
    }

    /**
     * Advises the kernel about a range ({@code madvise}).
     *
     * @param address a page-aligned address in a map
     * @param length the range's length
     * @param advice a {@code MADV_*} value
     * @throws IOException if the kernel refuses
     */
    public static void advise(long address, long length, int advice) throws IOException {
        int rc = advise0(address, length, advice);
        if (rc < 0) {
            throw Errors.newIOException("madvise(length=" + length + ", advice=" + advice + ")", rc);
        }
    }

    /**
     * Resizes a map, moving it if need be ({@code mremap} with {@code MREMAP_MAYMOVE}).
     *
     * @param address the map's address
     * @param oldLength its length
     * @param newLength the length wanted
     * @return the new address; the old one is no longer mapped unless it equals it
     * @throws IOException if the kernel refuses (the map is then untouched)
     * @throws UnsupportedOperationException where the platform has no {@code mremap}
     */
    public static long remap(long address, long oldLength, long newLength) throws IOException {
        long moved = remap0(address, oldLength, newLength);
        if (moved == -Errors.ENOSYS) {
            throw new UnsupportedOperationException("mremap: this platform has none");
        }
        if (moved < 0) {
            throw Errors.newIOException("mremap(old_length=" + oldLength + ", new_length=" + newLength
                    + ", MREMAP_MAYMOVE)", (int) moved);
        }
        return moved;
    }

    static native long map0(long length, int prot, int flags, int fd, long offset);

    static native int unmap0(long address, long length);

    static native int sync0(long address, long length, int flags);

    static native int advise0(long address, long length, int advice);

    static native long remap0(long address, long oldLength, long newLength);

    static native int pageSize0();

    static native int constants0(int[] out);
}

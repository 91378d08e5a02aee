package io.jasyncio;

import io.jasyncio.internal.natives.FileOpen;
import io.jasyncio.internal.natives.Mmap;
import io.jasyncio.internal.natives.MmapFile;
import io.jasyncio.internal.natives.MmapFind;
import io.jasyncio.internal.natives.Sockets;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A memory-mapped file or anonymous memory: Python's {@code mmap} object in Java form.
 *
 * <p>A map has a position that {@link #read(long)}, {@link #readByte()}, {@link #readline()},
 * {@link #write(byte[])} and {@link #writeByte(byte)} advance and {@link #seek(long, int)}
 * moves; {@link #get(long)}, {@link #put(long, byte)}, the range copies and the views ignore it.
 * Every position, length and offset is a {@code long}: maps larger than 2 GiB work throughout,
 * only a {@code byte[]} or a {@link ByteBuffer} view is limited to 2 GiB each.
 *
 * <p>Python's names, in Java form: {@code len(m)} is {@link #length()}, {@code m[i]} is
 * {@link #get(long)} (a negative index is out of range, it does not count from the end),
 * {@code m[i:j]} is {@link #get(long, byte[], int, int)}, {@code m.size()} is {@link #size()}.
 * Errors (SPEC section 13): an index or range outside the map is an
 * {@link IndexOutOfBoundsException}; a write to a {@link Access#READ} map a
 * {@link ReadOnlyBufferException}; a bad argument (a negative length, an unaligned offset, an
 * invalid whence) an {@link IllegalArgumentException}; any call after {@link #close()} an
 * {@link IllegalStateException}; a refusal by the kernel an {@link IOException} naming the call
 * and the errno.
 *
 * <p>The mapping is a {@link MemorySegment} of a shared {@link Arena} whose cleanup is the
 * {@code munmap}: closing the map closes the arena, which waits until no thread is inside an
 * access to it, so a view ({@link #segment()}, {@link #asByteBuffer(long, long)}) used after
 * {@code close()}, from any thread, throws {@link IllegalStateException} instead of reading
 * unmapped memory. {@link #resize(long)} ends the old views the same way. Native calls on the
 * mapping ({@code find}, {@code flush}, {@code madvise}) hold {@code close} off until they return.
 *
 * <p>Not thread safe: the position is unsynchronized, as in Python. {@link #close()} and
 * {@link #isClosed()} may be called from any thread at any time, and nothing any thread does
 * afterwards crashes the JVM. What no Java code can guard against: another process truncating a
 * mapped file makes the pages past its new end raise {@code SIGBUS} (as in C and in Python).
 *
 * <p>A map nobody closes is cleaned up by the garbage collector: its descriptor is closed once the
 * {@code MappedFile} is unreachable, and its memory unmapped once neither the {@code MappedFile}
 * nor any view taken from it ({@link #segment()}, its slices, {@link #asByteBuffer} and the
 * buffers made from those) is reachable, so a view kept after dropping the map goes on working.
 * Collection may come late or never, so close maps explicitly: {@code try (MappedFile m = ...)}.
 * Native code given a view's raw address is not covered: keep the view reachable until it is
 * done.
 */
public final class MappedFile implements AutoCloseable {

    /** How a map may be used, as Python's {@code ACCESS_*}. */
    public enum Access {
        /** Read-only: every write throws {@link ReadOnlyBufferException}. */
        READ,
        /** Read-write, shared: writes reach the file and every other map of it. */
        WRITE,
        /** Copy-on-write: writes stay in this map and never reach the file. */
        COPY
    }

    /** The page size in bytes. */
    public static final int PAGE_SIZE = Mmap.PAGE_SIZE;
    /** What a file offset must be a multiple of (the page size on POSIX systems). */
    public static final int ALLOCATION_GRANULARITY = Mmap.PAGE_SIZE;

    /** {@link #seek(long, int)} from the start of the map. */
    public static final int SEEK_SET = 0;
    /** {@link #seek(long, int)} from the current position. */
    public static final int SEEK_CUR = 1;
    /** {@link #seek(long, int)} from the end of the map. */
    public static final int SEEK_END = 2;

    // The platform's values; -1 where it lacks one (MappedFile then refuses it).
    /** Pages may be read ({@link #map(int, long, int, int, long)}). */
    public static final int PROT_READ = Mmap.PROT_READ;
    /** Pages may be written ({@link #map(int, long, int, int, long)}). */
    public static final int PROT_WRITE = Mmap.PROT_WRITE;
    /** Writes reach the file and every other shared map of it. */
    public static final int MAP_SHARED = Mmap.MAP_SHARED;
    /** Copy-on-write. */
    public static final int MAP_PRIVATE = Mmap.MAP_PRIVATE;
    /** No file: zero-filled memory. */
    public static final int MAP_ANONYMOUS = Mmap.MAP_ANONYMOUS;
    /** Ignored by Linux; kept for compatibility (-1 where absent). */
    public static final int MAP_DENYWRITE = Mmap.MAP_DENYWRITE;
    /** Ignored by Linux; kept for compatibility (-1 where absent). */
    public static final int MAP_EXECUTABLE = Mmap.MAP_EXECUTABLE;
    /** Prefault the pages when mapping (-1 where absent). */
    public static final int MAP_POPULATE = Mmap.MAP_POPULATE;
    /** A map suitable for a stack (-1 where absent). */
    public static final int MAP_STACK = Mmap.MAP_STACK;
    /** Reserve no swap space (-1 where absent). */
    public static final int MAP_NORESERVE = Mmap.MAP_NORESERVE;
    /** {@link #madvise}: no special treatment. */
    public static final int MADV_NORMAL = Mmap.MADV_NORMAL;
    /** {@link #madvise}: expect random access. */
    public static final int MADV_RANDOM = Mmap.MADV_RANDOM;
    /** {@link #madvise}: expect sequential access. */
    public static final int MADV_SEQUENTIAL = Mmap.MADV_SEQUENTIAL;
    /** {@link #madvise}: expect access soon. */
    public static final int MADV_WILLNEED = Mmap.MADV_WILLNEED;
    /** {@link #madvise}: not needed soon (a {@link Access#COPY} map loses its changes). */
    public static final int MADV_DONTNEED = Mmap.MADV_DONTNEED;
    /** {@link #madvise}: free lazily (private anonymous memory; -1 where absent). */
    public static final int MADV_FREE = Mmap.MADV_FREE;
    /** {@link #madvise}: free the pages and their backing store (-1 where absent). */
    public static final int MADV_REMOVE = Mmap.MADV_REMOVE;
    /** {@link #madvise}: not inherited across fork (-1 where absent). */
    public static final int MADV_DONTFORK = Mmap.MADV_DONTFORK;
    /** {@link #madvise}: undo {@link #MADV_DONTFORK} (-1 where absent). */
    public static final int MADV_DOFORK = Mmap.MADV_DOFORK;
    /** {@link #madvise}: poison the pages, needs privilege (-1 where absent). */
    public static final int MADV_HWPOISON = Mmap.MADV_HWPOISON;
    /** {@link #madvise}: candidates for same-page merging (-1 where absent). */
    public static final int MADV_MERGEABLE = Mmap.MADV_MERGEABLE;
    /** {@link #madvise}: undo {@link #MADV_MERGEABLE} (-1 where absent). */
    public static final int MADV_UNMERGEABLE = Mmap.MADV_UNMERGEABLE;
    /** {@link #madvise}: soft-offline the pages, needs privilege (-1 where absent). */
    public static final int MADV_SOFT_OFFLINE = Mmap.MADV_SOFT_OFFLINE;
    /** {@link #madvise}: use transparent huge pages (-1 where absent). */
    public static final int MADV_HUGEPAGE = Mmap.MADV_HUGEPAGE;
    /** {@link #madvise}: undo {@link #MADV_HUGEPAGE} (-1 where absent). */
    public static final int MADV_NOHUGEPAGE = Mmap.MADV_NOHUGEPAGE;
    /** {@link #madvise}: leave out of core dumps (-1 where absent). */
    public static final int MADV_DONTDUMP = Mmap.MADV_DONTDUMP;
    /** {@link #madvise}: undo {@link #MADV_DONTDUMP} (-1 where absent). */
    public static final int MADV_DODUMP = Mmap.MADV_DODUMP;

    /** The largest {@code byte[]} the JVM hands out reliably. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** The needle of {@link #readline()}, for the native search; never freed. */
    private static final MemorySegment NEWLINE = Arena.global().allocate(1).fill((byte) '\n');

    private final Access access;
    /** Our own descriptor (a duplicate or one we opened), or -1 for anonymous memory. */
    private final int fd;
    private final long offset;
    /** Closes {@link #fd} at {@link #close()} or once this map is unreachable; null without one. */
    private final Cleaner.Cleanable fdCleanable;
    /** Held (shared) by native calls on the mapping, and (exclusively) by close and resize. */
    private final ReentrantReadWriteLock nativeUse = new ReentrantReadWriteLock();
    /**
     * The live mapping, or null once closed. Not volatile: another thread that still sees the old
     * mapping after a close or resize reaches a closed shared arena and gets an exception (the
     * arena's close is the safe point), and a volatile read on every {@code get} kept the JIT
     * from hoisting the segment out of a loop (random 8-byte gets: 34 ns, 10 ns without).
     */
    private MappedRegion mapping;
    private long position;

    private MappedFile(Access access, int fd, long offset, MappedRegion mapping) {
        this.access = access;
        this.fd = fd;
        this.offset = offset;
        this.mapping = mapping;
        this.fdCleanable = fd < 0 ? null : MappedRegion.CLEANER.register(this, new CloseDescriptor(fd));
    }

    /**
     * Closes the map's own descriptor once: at {@link #close()}, or when the map is unreachable.
     * Holds the number only (a reference to the map would keep it reachable for ever);
     * {@link java.lang.ref.Cleaner.Cleanable#clean()} runs it at most once, whoever calls first.
     */
    private record CloseDescriptor(int fd) implements Runnable {
        @Override
        public void run() {
            try {
                Sockets.close(fd);
            } catch (IOException e) {
                // A descriptor whose close reports an error is closed anyway (POSIX leaves it
                // unspecified, Linux always releases it).
            }
        }
    }

    // ---- opening ----------------------------------------------------------------------------

    /**
     * Maps a whole file.
     *
     * @param path the file
     * @param access how the map may be used
     * @return the map
     * @throws IOException if the file cannot be opened or mapped (a missing file is a
     *         {@link java.nio.file.NoSuchFileException})
     * @throws IllegalArgumentException if the file is empty
     */
    public static MappedFile open(Path path, Access access) throws IOException {
        return open(path, access, 0, 0);
    }

    /**
     * Maps part of a file, opened read-write for {@link Access#WRITE} and read-only otherwise.
     *
     * @param path the file
     * @param access how the map may be used
     * @param length the map's length, or 0 for the rest of the file from {@code offset}
     * @param offset where the map starts in the file, a multiple of
     *        {@link #ALLOCATION_GRANULARITY}
     * @return the map
     * @throws IOException if the file cannot be opened or mapped
     * @throws IllegalArgumentException if {@code length} or {@code offset} is negative,
     *         {@code offset} is unaligned, or the range is not inside the file
     */
    public static MappedFile open(Path path, Access access, long length, long offset) throws IOException {
        Objects.requireNonNull(path, "path");
        checkMapArguments(access, length, offset);
        int fd = MmapFile.open(path, access == Access.WRITE);
        return mapOwned(fd, access, length, offset);
    }

    /**
     * Maps part of a file open as {@code fd}, as Python's {@code mmap(fileno, length, access=...,
     * offset=...)}. The map keeps its own duplicate of the descriptor: the caller may close theirs.
     *
     * @param fd an open descriptor (read-write for {@link Access#WRITE})
     * @param access how the map may be used
     * @param length the map's length, or 0 for the rest of the file from {@code offset}
     * @param offset where the map starts in the file, a multiple of
     *        {@link #ALLOCATION_GRANULARITY}
     * @return the map
     * @throws IOException if the descriptor cannot be duplicated or mapped
     * @throws IllegalArgumentException if {@code fd}, {@code length} or {@code offset} is
     *         negative, {@code offset} is unaligned, or the range is not inside the file
     */
    public static MappedFile open(int fd, Access access, long length, long offset) throws IOException {
        if (fd < 0) {
            throw new IllegalArgumentException("MappedFile.open(fd=" + fd + "): a negative descriptor");
        }
        checkMapArguments(access, length, offset);
        return mapOwned(MmapFile.dup(fd), access, length, offset);
    }

    /**
     * Maps with explicit {@code flags} and {@code prot}, as Python's {@code mmap(fileno, length,
     * flags, prot, offset=...)}: {@code fd} -1 with {@link #MAP_ANONYMOUS} maps anonymous
     * memory. The access follows: {@link Access#READ} without {@link #PROT_WRITE},
     * {@link Access#COPY} with {@link #MAP_PRIVATE}, else {@link Access#WRITE}.
     *
     * @param fd an open descriptor, or -1 for anonymous memory
     * @param length the map's length (0 for the rest of the file)
     * @param flags {@link #MAP_SHARED} or {@link #MAP_PRIVATE}, optionally with
     *        {@link #MAP_ANONYMOUS}, {@link #MAP_POPULATE}, {@link #MAP_NORESERVE}...
     * @param prot {@link #PROT_READ}, optionally with {@link #PROT_WRITE}
     * @param offset where the map starts in the file, a multiple of
     *        {@link #ALLOCATION_GRANULARITY}
     * @return the map
     * @throws IOException if the kernel refuses
     * @throws IllegalArgumentException for a bad combination, a negative length or offset, or an
     *         unaligned offset
     */
    public static MappedFile map(int fd, long length, int flags, int prot, long offset) throws IOException {
        if ((flags & MAP_SHARED) != 0 == ((flags & MAP_PRIVATE) != 0)) {
            throw new IllegalArgumentException("MappedFile.map(flags=" + flags + "): exactly one of MAP_SHARED and MAP_PRIVATE");
        }
        if ((prot & PROT_READ) == 0) {
            throw new IllegalArgumentException("MappedFile.map(prot=" + prot + "): a map must be readable");
        }
        Access access = (prot & PROT_WRITE) == 0 ? Access.READ
                : (flags & MAP_PRIVATE) != 0 ? Access.COPY : Access.WRITE;
        checkMapArguments(access, length, offset);
        if (fd == -1 && (flags & MAP_ANONYMOUS) != 0) {
            if (length == 0) {
                throw new IllegalArgumentException("MappedFile.map: anonymous memory needs a positive length");
            }
            long address = Mmap.map(length, prot, flags, -1, 0);
            return new MappedFile(access, -1, 0, wrap(address, length, access));
        }
        if (fd < 0 || (flags & MAP_ANONYMOUS) != 0) {
            throw new IllegalArgumentException("MappedFile.map(fd=" + fd + ", flags=" + flags
                    + "): MAP_ANONYMOUS goes with fd -1, and only with it");
        }
        return mapOwned(MmapFile.dup(fd), access, length, offset, flags, prot);
    }

    /**
     * Maps {@code length} bytes of anonymous shared memory, zero-filled, as Python's
     * {@code mmap(-1, length)}: readable and writable, shared with nothing a JVM can start (a
     * child process that should see it needs {@link #sharedMemory(String, long)}).
     *
     * @param length the length in bytes, positive
     * @return the map
     * @throws IOException if the kernel refuses
     * @throws IllegalArgumentException if {@code length} is not positive
     */
    public static MappedFile anonymous(long length) throws IOException {
        if (length <= 0) {
            throw new IllegalArgumentException("MappedFile.anonymous(length=" + length + "): not positive");
        }
        long address = Mmap.map(length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        return new MappedFile(Access.WRITE, -1, 0, wrap(address, length, Access.WRITE));
    }

    /**
     * Maps {@code length} bytes of shared memory backed by an anonymous file (a Linux memfd),
     * zero-filled and writable. Another process maps the same memory by opening
     * {@link #sharedMemoryPath()} while this map is open.
     *
     * @param name the memfd's name (for {@code /proc/<pid>/fd} listings)
     * @param length the length in bytes, positive
     * @return the map
     * @throws IOException if the kernel refuses (ENOSYS where the platform has no memfd)
     * @throws IllegalArgumentException if {@code length} is not positive or the name holds NUL
     */
    public static MappedFile sharedMemory(String name, long length) throws IOException {
        Objects.requireNonNull(name, "name");
        if (length <= 0) {
            throw new IllegalArgumentException("MappedFile.sharedMemory(length=" + length + "): not positive");
        }
        return mapOwned(MmapFile.memfd(name, length), Access.WRITE, length, 0);
    }

    private static void checkMapArguments(Access access, long length, long offset) {
        Objects.requireNonNull(access, "access");
        if (length < 0) {
            throw new IllegalArgumentException("MappedFile: length " + length + " is negative");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("MappedFile: offset " + offset + " is negative");
        }
        if (offset % ALLOCATION_GRANULARITY != 0) {
            throw new IllegalArgumentException("MappedFile: offset " + offset
                    + " is not a multiple of ALLOCATION_GRANULARITY (" + ALLOCATION_GRANULARITY + ")");
        }
    }

    private static MappedFile mapOwned(int fd, Access access, long length, long offset) throws IOException {
        int prot = access == Access.READ ? PROT_READ : PROT_READ | PROT_WRITE;
        int flags = access == Access.COPY ? MAP_PRIVATE : MAP_SHARED;
        return mapOwned(fd, access, length, offset, flags, prot);
    }

    /** Maps {@code fd}, which the new map owns; closes it if mapping fails. */
    private static MappedFile mapOwned(int fd, Access access, long length, long offset, int flags, int prot)
            throws IOException {
        try {
            long fileSize = FileOpen.size(fd);
            if (length == 0) {
                if (fileSize == 0) {
                    throw new IllegalArgumentException("MappedFile: cannot map an empty file");
                }
                if (offset >= fileSize) {
                    throw new IllegalArgumentException("MappedFile: offset " + offset + " is not inside the file ("
                            + fileSize + " bytes)");
                }
                length = fileSize - offset;
            } else if (offset > fileSize || length > fileSize - offset) {
                throw new IllegalArgumentException("MappedFile: length " + length + " at offset " + offset
                        + " is greater than the file (" + fileSize + " bytes)");
            }
            long address = Mmap.map(length, prot, flags, fd, offset);
            return new MappedFile(access, fd, offset, wrap(address, length, access));
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(fd, e);
            throw e;
        }
    }

    private static MappedRegion wrap(long address, long length, Access access) {
        return new MappedRegion(address, length, access == Access.READ);
    }

    private static void closeQuietly(int fd, Throwable failure) {
        try {
            Sockets.close(fd);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    // ---- state ------------------------------------------------------------------------------

    /** The live mapping; throws once closed. */
    private MappedRegion live() {
        MappedRegion m = mapping;
        if (m == null) {
            throw new IllegalStateException("MappedFile is closed");
        }
        return m;
    }

    /** ReadOnlyBufferException has no message; the method's name is in the stack trace. */
    private void checkWritable() {
        if (access == Access.READ) {
            throw new ReadOnlyBufferException();
        }
    }

    private static void checkNotNegative(String call, String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(call + ": " + what + " " + value + " is negative");
        }
    }

    private static void checkRange(String call, long index, long count, long length) {
        if (index > length || count > length - index) {
            throw new IndexOutOfBoundsException(call + ": " + count + " bytes at " + index + " are outside the "
                    + length + "-byte map");
        }
    }

    /**
     * How this map may be used.
     *
     * @return its access
     */
    public Access access() {
        return access;
    }

    /**
     * Whether {@link #close()} has run.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return mapping == null;
    }

    /**
     * The map's length in bytes, Python's {@code len(m)}.
     *
     * @return the length
     * @throws IllegalStateException if the map is closed
     */
    public long length() {
        return live().length;
    }

    /**
     * The size of the file under the map (which may differ from {@link #length()}); for
     * anonymous memory, the map's length.
     *
     * @return the size in bytes
     * @throws IOException if the kernel refuses {@code fstat}
     * @throws IllegalStateException if the map is closed
     */
    public long size() throws IOException {
        nativeUse.readLock().lock();
        try {
            MappedRegion m = live();
            if (fd < 0) {
                return m.length;
            }
            long size = FileOpen.size(fd);
            Reference.reachabilityFence(this); // keeps the cleaner from closing fd during fstat
            return size;
        } finally {
            nativeUse.readLock().unlock();
        }
    }

    /**
     * The position {@link #read(long)} and {@link #write(byte[])} start from.
     *
     * @return the position
     * @throws IllegalStateException if the map is closed
     */
    public long tell() {
        live();
        return position;
    }

    /**
     * Moves the position to {@code pos} from the start.
     *
     * @param pos the new position, from 0 to {@link #length()}
     * @return the new position
     * @throws IllegalArgumentException if the new position is outside the map
     * @throws IllegalStateException if the map is closed
     */
    public long seek(long pos) {
        return seek(pos, SEEK_SET);
    }

    /**
     * Moves the position, as Python's {@code seek(pos, whence)}.
     *
     * @param pos the distance
     * @param whence {@link #SEEK_SET} (from 0), {@link #SEEK_CUR} (from the position) or
     *        {@link #SEEK_END} (from the end)
     * @return the new position
     * @throws IllegalArgumentException if {@code whence} is none of those or the new position is
     *         outside {@code [0, length()]}
     * @throws IllegalStateException if the map is closed
     */
    public long seek(long pos, int whence) {
        MappedRegion m = live();
        long base = switch (whence) {
            case SEEK_SET -> 0;
            case SEEK_CUR -> position;
            case SEEK_END -> m.length;
            default -> throw new IllegalArgumentException("seek(whence=" + whence
                    + "): not SEEK_SET, SEEK_CUR or SEEK_END");
        };
        long target = base + pos;
        if ((pos > 0 && target < base) || target < 0 || target > m.length) {
            throw new IllegalArgumentException("seek(" + pos + ", whence=" + whence + "): out of range of the "
                    + m.length + "-byte map");
        }
        position = target;
        return target;
    }

    // ---- sequential reads and writes --------------------------------------------------------

    /**
     * Reads from the position to the end, as Python's {@code read()}, up to a Java array's
     * limit (about 2 GiB): a longer map returns that much and the rest on the next call.
     *
     * @return the bytes; empty at the end
     * @throws IllegalStateException if the map is closed
     */
    public byte[] read() {
        return read(-1);
    }

    /**
     * Reads up to {@code n} bytes from the position and advances it, as Python's
     * {@code read(n)}.
     *
     * @param n the most bytes to read; negative reads to the end (up to a Java array's limit)
     * @return the bytes, fewer than {@code n} near the end; empty at the end
     * @throws IllegalStateException if the map is closed
     */
    public byte[] read(long n) {
        MappedRegion m = live();
        long remaining = Math.max(0, m.length - position);
        int count = (int) Math.min(Math.min(n < 0 ? remaining : n, remaining), MAX_ARRAY);
        byte[] out = new byte[count];
        MemorySegment.copy(m.segment, ValueLayout.JAVA_BYTE, position, out, 0, count);
        position += count;
        return out;
    }

    /**
     * Reads the byte at the position and advances it.
     *
     * @return the byte
     * @throws IndexOutOfBoundsException at the end of the map
     * @throws IllegalStateException if the map is closed
     */
    public byte readByte() {
        MappedRegion m = live();
        if (position >= m.length) {
            throw new IndexOutOfBoundsException("readByte: the position is at the end of the " + m.length
                    + "-byte map");
        }
        byte b = m.segment.get(ValueLayout.JAVA_BYTE, position);
        position++;
        return b;
    }

    /**
     * Reads one line: from the position up to and including the next {@code '\n'}, or to the end
     * (up to a Java array's limit).
     *
     * @return the line; empty at the end
     * @throws IllegalStateException if the map is closed
     */
    public byte[] readline() {
        MappedRegion m;
        long end;
        nativeUse.readLock().lock();
        try {
            m = live();
            long start = Math.min(position, m.length);
            long found = MmapFind.find(m.address + start, m.length - start, NEWLINE.address(), 1);
            Reference.reachabilityFence(m); // keeps the cleaner from unmapping during the search
            end = found < 0 ? m.length : start + found + 1;
        } finally {
            nativeUse.readLock().unlock();
        }
        return read(end - Math.min(position, m.length));
    }

    /**
     * Writes all of {@code data} at the position and advances it, as Python's {@code write}: a
     * map never grows, so data that does not fit is refused and nothing is written.
     *
     * @param data the bytes
     * @return the number written, {@code data.length}
     * @throws IndexOutOfBoundsException if the data runs past the end of the map
     * @throws ReadOnlyBufferException on a {@link Access#READ} map
     * @throws IllegalStateException if the map is closed
     */
    public int write(byte[] data) {
        return write(data, 0, data.length);
    }

    /**
     * Writes {@code length} bytes of {@code data} from {@code offset} at the position and
     * advances it.
     *
     * @param data the bytes
     * @param offset where in {@code data} to start
     * @param length how many bytes to write
     * @return the number written, {@code length}
     * @throws IndexOutOfBoundsException if the range is outside {@code data} or runs past the end
     *         of the map
     * @throws ReadOnlyBufferException on a {@link Access#READ} map
     * @throws IllegalStateException if the map is closed
     */
    public int write(byte[] data, int offset, int length) {
        MappedRegion m = live();
        checkWritable();
        Objects.checkFromIndexSize(offset, length, data.length);
        checkRange("write", position, length, m.length);
        MemorySegment.copy(data, offset, m.segment, ValueLayout.JAVA_BYTE, position, length);
        position += length;
        return length;
    }

    /**
     * Writes one byte at the position and advances it.
     *
     * @param b the byte
     * @throws IndexOutOfBoundsException at the end of the map
     * @throws ReadOnlyBufferException on a {@link Access#READ} map
     * @throws IllegalStateException if the map is closed
     */
    public void writeByte(byte b) {
        MappedRegion m = live();
        checkWritable();
        if (position >= m.length) {
            throw new IndexOutOfBoundsException("writeByte: the position is at the end of the " + m.length
                    + "-byte map");
        }
        m.segment.set(ValueLayout.JAVA_BYTE, position, b);
        position++;
    }

    // ---- indexed access ---------------------------------------------------------------------

    /**
     * The byte at {@code index}, Python's {@code m[index]}.
     *
     * @param index from 0 to {@code length() - 1}
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code index} is outside the map
     * @throws IllegalStateException if the map is closed
     */
    public byte get(long index) {
        return live().segment.get(ValueLayout.JAVA_BYTE, index);
    }

    /**
     * Stores a byte at {@code index}, Python's {@code m[index] = b}.
     *
     * @param index from 0 to {@code length() - 1}
     * @param b the byte
     * @throws IndexOutOfBoundsException if {@code index} is outside the map
     * @throws ReadOnlyBufferException on a {@link Access#READ} map
     * @throws IllegalStateException if the map is closed
     */
    public void put(long index, byte b) {
        MappedRegion m = live();
        checkWritable();
        m.segment.set(ValueLayout.JAVA_BYTE, index, b);
    }

    /**
     * The 8 bytes at {@code index} as a {@code long}, in the platform's byte order, at any
     * alignment.
     *
     * @param index from 0 to {@code length() - 8}
     * @return the value
     * @throws IndexOutOfBoundsException if the 8 bytes are not all inside the map
     * @throws IllegalStateException if the map is closed
     */
    public long getLong(long index) {
        return live().segment.get(ValueLayout.JAVA_LONG_UNALIGNED, index);
    }

    /**
     * Stores a {@code long} in the 8 bytes at {@code index}, in the platform's byte order.
     *
     * @param index from 0 to {@code length() - 8}
     * @param value the value
     * @throws IndexOutOfBoundsException if the 8 bytes are not all inside the map
     * @throws ReadOnlyBufferException on a {@link Access#READ} map
     * @throws IllegalStateException if the map is closed
     */
    public void putLong(long index, long value) {
        MappedRegion m = live();
        checkWritable();
        m.segment.set(ValueLayout.JAVA_LONG_UNALIGNED, index, value);
    }

    /**
     * Copies {@code length} bytes from {@code index} into {@code dst}, Python's
     * {@code m[index:index + length]}.
     *
     * @param index where in the map to start
     * @param dst the destination
     * @param offset where in {@code dst} to start
     * @param length how many bytes
     * @throws IndexOutOfBoundsException if either range is outside its array or map
     * @throws IllegalArgumentException if {@code index} is negative
     * @throws IllegalStateException if the map is closed
     */
    public void get(long index, byte[] dst, int offset, int length) {
        MappedRegion m = live();
        checkNotNegative("get", "index", index);
        Objects.checkFromIndexSize(offset, length, dst.length);
        checkRange("get", index, length, m.length);
        MemorySegment.copy(m.segment, ValueLayout.JAVA_BYTE, index, dst, offset, length);
    }

    /**
     * Copies {@code length} bytes of {@code src} into the map at {@code index}, Python's
     * {@code m[index:index + length] = src}.
     *
     * @param index where in the map to start
     * @param src the source
     * @param offset where in {@code src} to start
     * @param length how many bytes
     * @throws IndexOutOfBoundsException if either range is outside its array or map
     * @throws IllegalArgumentException if {@code index} is negative
     * @throws ReadOnlyBufferException on a {@link Access#READ} map
     * @throws IllegalStateException if the map is closed
     */
    public void put(long index, byte[] src, int offset, int length) {
        MappedRegion m = live();
        checkWritable();
        checkNotNegative("put", "index", index);
        Objects.checkFromIndexSize(offset, length, src.length);
        checkRange("put", index, length, m.length);
        MemorySegment.copy(src, offset, m.segment, ValueLayout.JAVA_BYTE, index, length);
    }

    /**
     * Copies {@code count} bytes from {@code src} to {@code dest} inside the map, correctly when
     * the ranges overlap, as Python's {@code move}.
     *
     * @param dest where the bytes go
     * @param src where they come from
     * @param count how many
     * @throws IllegalArgumentException if any argument is negative
     * @throws IndexOutOfBoundsException if either range is outside the map
     * @throws ReadOnlyBufferException on a {@link Access#READ} map
     * @throws IllegalStateException if the map is closed
     */
    public void move(long dest, long src, long count) {
        MappedRegion m = live();
        checkWritable();
        checkNotNegative("move", "dest", dest);
        checkNotNegative("move", "src", src);
        checkNotNegative("move", "count", count);
        checkRange("move", src, count, m.length);
        checkRange("move", dest, count, m.length);
        MemorySegment.copy(m.segment, src, m.segment, dest, count);
    }

    // ---- views ------------------------------------------------------------------------------

    /**
     * The whole map as a segment, without a copy: read-only for a {@link Access#READ} map. It
     * stops working (throws {@link IllegalStateException}) when the map is closed or resized.
     *
     * @return the segment
     * @throws IllegalStateException if the map is closed
     */
    public MemorySegment segment() {
        return live().segment;
    }

    /**
     * A range of the map as a {@link ByteBuffer}, without a copy (big-endian, as every new
     * buffer): read-only for a {@link Access#READ} map. It stops working (throws
     * {@link IllegalStateException}) when the map is closed or resized.
     *
     * @param offset where the view starts
     * @param length its length, at most {@link Integer#MAX_VALUE}
     * @return the buffer
     * @throws IllegalArgumentException if {@code offset} or {@code length} is negative or
     *         {@code length} exceeds a buffer's capacity
     * @throws IndexOutOfBoundsException if the range is outside the map
     * @throws IllegalStateException if the map is closed
     */
    public ByteBuffer asByteBuffer(long offset, long length) {
        MappedRegion m = live();
        checkNotNegative("asByteBuffer", "offset", offset);
        checkNotNegative("asByteBuffer", "length", length);
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("asByteBuffer: length " + length
                    + " is more than a ByteBuffer holds (2 GiB - 1); take several views or use segment()");
        }
        checkRange("asByteBuffer", offset, length, m.length);
        return m.segment.asSlice(offset, length).asByteBuffer();
    }

    // ---- searches ---------------------------------------------------------------------------

    /**
     * The lowest index of {@code sub} from the position to the end, or -1.
     *
     * @param sub the bytes to find
     * @return the index, or -1 if absent
     * @throws IllegalStateException if the map is closed
     */
    public long find(byte[] sub) {
        return find(sub, position, Long.MAX_VALUE);
    }

    /**
     * The lowest index of {@code sub} in {@code [start, end)}, or -1, as Python's
     * {@code find(sub, start, end)}: {@code start} and {@code end} are read as slice bounds
     * (negative counts from the end; both clamped to the map). Runs at memory speed, in native
     * code ({@code memmem}).
     *
     * @param sub the bytes to find (empty is found at {@code start})
     * @param start where the search starts
     * @param end where the range ends (exclusive)
     * @return the index, or -1 if absent
     * @throws IllegalStateException if the map is closed
     */
    public long find(byte[] sub, long start, long end) {
        return search(sub, start, end, true);
    }

    /**
     * The highest index of {@code sub} from the position to the end, or -1.
     *
     * @param sub the bytes to find
     * @return the index, or -1 if absent
     * @throws IllegalStateException if the map is closed
     */
    public long rfind(byte[] sub) {
        return rfind(sub, position, Long.MAX_VALUE);
    }

    /**
     * The highest index of {@code sub} in {@code [start, end)}, or -1, as Python's
     * {@code rfind(sub, start, end)} (slice bounds, as {@link #find(byte[], long, long)}).
     *
     * @param sub the bytes to find (empty is found at {@code end})
     * @param start where the range starts
     * @param end where the range ends (exclusive)
     * @return the index, or -1 if absent
     * @throws IllegalStateException if the map is closed
     */
    public long rfind(byte[] sub, long start, long end) {
        return search(sub, start, end, false);
    }

    private static long sliceBound(long bound, long length) {
        if (bound < 0) {
            bound += length;
            return bound < 0 ? 0 : bound;
        }
        return Math.min(bound, length);
    }

    private long search(byte[] sub, long start, long end, boolean forward) {
        Objects.requireNonNull(sub, "sub");
        nativeUse.readLock().lock();
        try {
            MappedRegion m = live();
            long s = sliceBound(start, m.length);
            long e = sliceBound(end, m.length);
            if (e < s || e - s < sub.length) {
                return -1;
            }
            if (sub.length == 0) {
                return forward ? s : e;
            }
            long found;
            // The needle goes to native memory; the haystack is the mapping itself, which close
            // cannot unmap while this thread holds nativeUse.
            try (Arena scratch = Arena.ofConfined()) {
                MemorySegment needle = scratch.allocate(sub.length);
                MemorySegment.copy(sub, 0, needle, ValueLayout.JAVA_BYTE, 0, sub.length);
                found = forward
                        ? MmapFind.find(m.address + s, e - s, needle.address(), sub.length)
                        : MmapFind.rfind(m.address + s, e - s, needle.address(), sub.length);
            }
            // close cannot unmap while this thread holds nativeUse; the cleaner cannot while m is
            // reachable, which this keeps it until the search is over.
            Reference.reachabilityFence(m);
            return found < 0 ? -1 : s + found;
        } finally {
            nativeUse.readLock().unlock();
        }
    }

    // ---- the kernel's side ------------------------------------------------------------------

    /**
     * Writes the whole map back to its file and waits ({@code msync(MS_SYNC)}); does nothing for
     * a {@link Access#READ} or {@link Access#COPY} map, as in Python.
     *
     * @throws IOException if the kernel refuses
     * @throws IllegalStateException if the map is closed
     */
    public void flush() throws IOException {
        flush(0, length());
    }

    /**
     * Writes a range back to its file and waits ({@code msync(MS_SYNC)}), from the page holding
     * {@code offset}; does nothing for a {@link Access#READ} or {@link Access#COPY} map.
     *
     * @param offset where the range starts
     * @param size its length
     * @throws IllegalArgumentException if either is negative
     * @throws IndexOutOfBoundsException if the range is outside the map
     * @throws IOException if the kernel refuses
     * @throws IllegalStateException if the map is closed
     */
    public void flush(long offset, long size) throws IOException {
        checkNotNegative("flush", "offset", offset);
        checkNotNegative("flush", "size", size);
        nativeUse.readLock().lock();
        try {
            MappedRegion m = live();
            checkRange("flush", offset, size, m.length);
            if (access != Access.WRITE || size == 0) {
                return;
            }
            long address = m.address + offset;
            long aligned = address & -(long) PAGE_SIZE;
            Mmap.sync(aligned, size + (address - aligned), Mmap.MS_SYNC);
            Reference.reachabilityFence(m);
        } finally {
            nativeUse.readLock().unlock();
        }
    }

    /**
     * Advises the kernel about the whole map ({@code madvise}).
     *
     * @param option a {@code MADV_*} constant
     * @throws IOException if the kernel refuses the advice
     * @throws IllegalArgumentException if the option does not exist on this platform
     * @throws IllegalStateException if the map is closed
     */
    public void madvise(int option) throws IOException {
        madvise(option, 0, length());
    }

    /**
     * Advises the kernel about a range ({@code madvise}), as Python's
     * {@code madvise(option, start, length)}: a range running past the end is cut at the end.
     *
     * @param option a {@code MADV_*} constant
     * @param start where the range starts, a multiple of {@link #PAGE_SIZE}
     * @param length its length
     * @throws IOException if the kernel refuses the advice
     * @throws IllegalArgumentException if the option does not exist on this platform, or
     *         {@code start} is unaligned, or {@code start} or {@code length} is negative
     * @throws IndexOutOfBoundsException if {@code start} is not inside the map
     * @throws IllegalStateException if the map is closed
     */
    public void madvise(int option, long start, long length) throws IOException {
        if (option == -1) {
            throw new IllegalArgumentException("madvise: this MADV_ option does not exist on this platform");
        }
        checkNotNegative("madvise", "start", start);
        checkNotNegative("madvise", "length", length);
        if (start % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("madvise: start " + start + " is not a multiple of PAGE_SIZE ("
                    + PAGE_SIZE + ")");
        }
        nativeUse.readLock().lock();
        try {
            MappedRegion m = live();
            if (start >= m.length) {
                throw new IndexOutOfBoundsException("madvise: start " + start + " is outside the " + m.length
                        + "-byte map");
            }
            Mmap.advise(m.address + start, Math.min(length, m.length - start), option);
            Reference.reachabilityFence(m);
        } finally {
            nativeUse.readLock().unlock();
        }
    }

    /**
     * Changes the map's length ({@code mremap}), and a file's size to match ({@code ftruncate}
     * to {@code offset + newLength}), as Python's {@code resize}. The bytes up to the shorter
     * length are kept; the position is clamped to the new end. Views taken before stop working
     * (they throw {@link IllegalStateException}), since the memory may move.
     *
     * @param newLength the new length, positive
     * @throws IllegalArgumentException if {@code newLength} is not positive
     * @throws UnsupportedOperationException on a {@link Access#READ} or {@link Access#COPY} map
     *         (as Python), or where the platform has no {@code mremap}
     * @throws IOException if the kernel refuses; the map then keeps its old length (its old views
     *         still stop working)
     * @throws IllegalStateException if the map is closed
     */
    public void resize(long newLength) throws IOException {
        if (newLength <= 0) {
            throw new IllegalArgumentException("resize(" + newLength + "): the new length must be positive");
        }
        if (access != Access.WRITE) {
            throw new UnsupportedOperationException("resize: a " + access + " map cannot be resized (only WRITE)");
        }
        nativeUse.writeLock().lock();
        try {
            MappedRegion m = live();
            if (newLength == m.length) {
                return;
            }
            // Close the arena first, keeping the memory: no view can touch the old range while
            // the kernel shrinks or moves it (close waits for accesses in progress to finish).
            m.closeKeepingMemory();
            boolean truncated = false;
            try {
                if (fd < 0) {
                    mapping = wrap(reallocateAnonymous(m, newLength), newLength, access);
                    position = Math.min(position, newLength);
                    return;
                }
                MmapFile.truncate(fd, offset + newLength);
                truncated = true;
                long moved = Mmap.remap(m.address, m.length, newLength);
                mapping = wrap(moved, newLength, access);
            } catch (IOException | RuntimeException | Error e) {
                if (truncated) {
                    try {
                        MmapFile.truncate(fd, offset + m.length);
                    } catch (IOException again) {
                        e.addSuppressed(again);
                    }
                }
                mapping = wrap(m.address, m.length, access);
                throw e;
            }
            position = Math.min(position, newLength);
        } finally {
            Reference.reachabilityFence(this); // fd stays open until ftruncate and mremap are done
            nativeUse.writeLock().unlock();
        }
    }

    /**
     * Moves anonymous memory to a new map of {@code newLength} bytes and unmaps the old one.
     * Not mremap: growing shared anonymous memory that way extends the mapping but not the
     * memory object behind it, so the new pages raise SIGBUS on Linux (measured: the JVM turns
     * that into an InternalError, C and Python crash).
     */
    private static long reallocateAnonymous(MappedRegion m, long newLength) throws IOException {
        long moved = Mmap.map(newLength, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        long kept = Math.min(m.length, newLength);
        MemorySegment.copy(MemorySegment.ofAddress(m.address).reinterpret(kept), 0,
                MemorySegment.ofAddress(moved).reinterpret(kept), 0, kept);
        try {
            Mmap.unmap(m.address, m.length);
        } catch (IOException e) {
            // The new memory holds everything; the old range stays mapped until the JVM exits
            // (closeKeepingMemory took it from the collector's cleaner too).
        }
        return moved;
    }

    /**
     * The path another process on this machine opens (with {@link #open(Path, Access)}) to map
     * the same memory: {@code /proc/<pid>/fd/<n>}. Valid while this map is open and reachable
     * (once it is unreachable, the collector closes the descriptor): keep a reference to it.
     *
     * @return the path
     * @throws IllegalStateException if the map is closed or has no file (anonymous memory)
     */
    public Path sharedMemoryPath() {
        live();
        if (fd < 0) {
            throw new IllegalStateException("sharedMemoryPath: anonymous memory has no file; use sharedMemory(...)");
        }
        return Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "fd", Integer.toString(fd));
    }

    /**
     * Unmaps the memory and closes the map's descriptor. Safe from any thread and more than once:
     * views in use on other threads throw {@link IllegalStateException} from here on (closing the
     * arena waits for accesses in progress), and native calls on the map finish first.
     */
    @Override
    public void close() {
        nativeUse.writeLock().lock();
        try {
            MappedRegion m = mapping;
            if (m == null) {
                return;
            }
            mapping = null;
            try {
                m.close();
            } finally {
                if (fdCleanable != null) {
                    fdCleanable.clean(); // closes fd, unless the cleaner did (it cannot have: this is reachable)
                }
            }
        } finally {
            nativeUse.writeLock().unlock();
        }
    }

    /**
     * A description for logs.
     *
     * @return the access, length and position, or that the map is closed
     */
    @Override
    public String toString() {
        MappedRegion m = mapping;
        return m == null ? "MappedFile[closed]"
                : "MappedFile[" + access + ", length=" + m.length + ", position=" + position
                        + (fd < 0 ? ", anonymous" : ", offset=" + offset) + "]";
    }
}

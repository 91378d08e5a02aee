package io.jasyncio;

import io.jasyncio.internal.natives.Mmap;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One mapping of a {@link MappedFile}: its memory as a segment of a shared {@link Arena}, unmapped
 * exactly once, by whichever comes first of
 * <ul>
 *   <li>{@link #close()}, which closes the arena (its cleanup is the {@code munmap});</li>
 *   <li>the garbage collector, once nothing can reach the arena's scope: the {@code MemorySegment}
 *       scope object that every view of the mapping holds ({@link MappedFile#segment()}, its
 *       slices, and the {@code ByteBuffer}s of {@link MappedFile#asByteBuffer} all reference it,
 *       not the {@code MappedFile}), so memory a live view can reach is never unmapped. The JDK's
 *       own automatic arenas work the same way: a cleaner registered on the scope.</li>
 * </ul>
 * {@link #closeKeepingMemory()} hands the memory to the caller instead ({@code mremap} in
 * {@link MappedFile#resize}), after which neither path unmaps it.
 *
 * <p>The cleaning action and the arena's cleanup hold only the address, the length and the
 * shared "released" flag ({@link Release}), never the segment or the arena, which would keep the
 * scope reachable for ever. Thread safe.
 */
final class MappedRegion {
    /** Unmaps the memory of mappings nobody can reach any more, and closes their descriptors. */
    static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jasyncio-mmap-cleaner");
        t.setDaemon(true);
        return t;
    });

    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    final long address;
    final long length;
    final MemorySegment segment;
    private final Arena arena;
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    /**
     * The unmap, once: set by the first of the arena's cleanup, the cleaner and
     * {@link #closeKeepingMemory()}. Refers to nothing but the range.
     */
    private static final class Release extends AtomicBoolean implements Runnable {
        private final long address;
        private final long length;

        Release(long address, long length) {
            this.address = address;
            this.length = length;
        }

        /** The arena's cleanup: unmaps if nothing did yet; a failure reaches the closer. */
        void arenaClosed(MemorySegment ignored) {
            if (compareAndSet(false, true)) {
                try {
                    Mmap.unmap(address, length);
                } catch (IOException e) {
                    // munmap of a range we mapped fails only if the kernel is out of memory to
                    // split a region; nothing is left to do but say so.
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        }

        /** The cleaner's action: nothing can reach the mapping any more. */
        @Override
        public void run() {
            if (compareAndSet(false, true)) {
                try {
                    Mmap.unmap(address, length);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "an unreachable MappedFile's memory could not be unmapped", e);
                }
            }
        }
    }

    /**
     * Takes charge of {@code length} bytes mapped at {@code address}. If this fails, the memory is
     * unmapped before the exception leaves.
     */
    MappedRegion(long address, long length, boolean readOnly) {
        this.address = address;
        this.length = length;
        Release r = new Release(address, length);
        Arena shared = Arena.ofShared();
        MemorySegment whole;
        try {
            whole = MemorySegment.ofAddress(address).reinterpret(length, shared, r::arenaClosed);
        } catch (RuntimeException | Error e) {
            shared.close();
            r.arenaClosed(null);
            throw e;
        }
        this.arena = shared;
        this.release = r;
        this.segment = readOnly ? whole.asReadOnly() : whole;
        this.cleanable = CLEANER.register(whole.scope(), r);
    }

    /**
     * Unmaps now: views in use on other threads throw {@link IllegalStateException} from here on
     * (closing the arena waits for accesses in progress). Call once.
     */
    void close() {
        try {
            arena.close();
        } finally {
            cleanable.clean(); // released already: this only unregisters
        }
    }

    /**
     * Ends every view but leaves the memory mapped: from here on the caller owns the range and
     * must unmap or remap it. Call once, instead of {@link #close()}.
     */
    void closeKeepingMemory() {
        if (!release.compareAndSet(false, true)) {
            throw new IllegalStateException("the mapping was already unmapped");
        }
        arena.close();
        cleanable.clean();
    }
}

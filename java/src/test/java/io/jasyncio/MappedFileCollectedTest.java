package io.jasyncio;

import io.jasyncio.MappedFile.Access;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link MappedFile}s nobody closes: the garbage collector unmaps their memory once no view can
 * reach it, and closes their descriptor once the map itself is unreachable; an explicit close
 * unmaps at once, and exactly once (the collector never unmaps a range a later map reuses).
 * Facts are read from {@code /proc/self/maps} and {@code /proc/self/fd}, waited for over a bounded
 * number of collections.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MappedFileCollectedTest {
    private static final int PAGE = MappedFile.PAGE_SIZE;
    /** Collections to wait through for a fact before failing. */
    private static final int COLLECTIONS = 300;
    private static Map<Integer, String> fdsAtStart;

    @TempDir
    Path dir;

    @BeforeAll
    static void countFds() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs /proc/self/maps");
        fdsAtStart = OpenFds.atClassStart();
    }

    @AfterAll
    static void noFdLeaked() {
        OpenFds.assertNoneLeaked(fdsAtStart, "MappedFileCollectedTest");
    }

    /** A file of {@code pages} pages, each page's first byte its number plus one. */
    private Path file(String name, int pages) throws IOException {
        byte[] content = new byte[pages * PAGE];
        for (int i = 0; i < pages; i++) {
            content[i * PAGE] = (byte) (i + 1);
        }
        return Files.write(dir.resolve(name), content).toRealPath();
    }

    /** Whether the process maps {@code path} (a line of /proc/self/maps names it). */
    private static boolean mapped(Path path) {
        String name = " " + path;
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.endsWith(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many of the process's descriptors are open on {@code path}. */
    private static long openOn(Path path) {
        return OpenFds.snapshot().values().stream().filter(path.toString()::equals).count();
    }

    /** Collects garbage until {@code fact} holds, at most {@link #COLLECTIONS} times. */
    private static boolean collectUntil(BooleanSupplier fact) throws InterruptedException {
        for (int i = 0; i < COLLECTIONS && !fact.getAsBoolean(); i++) {
            System.gc();
            Thread.sleep(10); // the cleaner thread runs after the collection
        }
        return fact.getAsBoolean();
    }

    // In methods of their own, so that no local of the test's frame keeps the map reachable.

    private static void mapReadAndDrop(Path path) throws IOException {
        MappedFile m = MappedFile.open(path, Access.READ);
        assertEquals(1, m.get(0));
    }

    private static MemorySegment sliceOfADroppedMap(Path path) throws IOException {
        return MappedFile.open(path, Access.WRITE).segment().asSlice(PAGE, PAGE);
    }

    private static ByteBuffer bufferOfADroppedMap(Path path) throws IOException {
        return MappedFile.open(path, Access.READ).asByteBuffer(0, 3L * PAGE).slice(2 * PAGE, PAGE);
    }

    @Test
    void aDroppedMapIsUnmappedAndItsDescriptorClosedByTheCollector() throws Exception {
        Path path = file("dropped", 2);
        mapReadAndDrop(path);
        assertTrue(mapped(path), "mapped until collected");
        assertTrue(collectUntil(() -> !mapped(path)), "the collector unmapped it");
        assertTrue(collectUntil(() -> openOn(path) == 0), "the collector closed its descriptor");
    }

    @Test
    void aSegmentViewKeepsADroppedMapMappedUntilItIsDroppedToo() throws Exception {
        Path path = file("segment-view", 2);
        MemorySegment view = sliceOfADroppedMap(path);
        // The map is unreachable: its descriptor goes, its memory stays for the view.
        assertTrue(collectUntil(() -> openOn(path) == 0), "the dropped map's descriptor was closed");
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        assertTrue(mapped(path), "still mapped while a view can reach it");
        assertEquals(2, view.get(ValueLayout.JAVA_BYTE, 0));
        view.set(ValueLayout.JAVA_BYTE, 1, (byte) 42);
        view = null;
        assertTrue(collectUntil(() -> !mapped(path)), "unmapped once the view was dropped");
        assertEquals(42, Files.readAllBytes(path)[PAGE + 1], "the write through the view reached the file");
    }

    @Test
    void aByteBufferViewKeepsADroppedMapMappedUntilItIsDroppedToo() throws Exception {
        Path path = file("buffer-view", 3);
        ByteBuffer view = bufferOfADroppedMap(path);
        assertTrue(collectUntil(() -> openOn(path) == 0), "the dropped map's descriptor was closed");
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        assertTrue(mapped(path), "still mapped while a buffer can reach it");
        assertEquals(3, view.get(0));
        view = null;
        assertTrue(collectUntil(() -> !mapped(path)), "unmapped once the buffer was dropped");
    }

    @Test
    void closeUnmapsAtOnceAndTheCollectorNeverUnmapsAgain() throws Exception {
        Path first = file("closed-first", 4);
        Path second = file("closed-second", 4);
        MappedFile a = MappedFile.open(first, Access.READ);
        long addressA = a.segment().address();
        CountDownLatch scopeCollected = new CountDownLatch(1);
        MappedRegion.CLEANER.register(a.segment().scope(), scopeCollected::countDown);
        a.close();
        assertFalse(mapped(first), "close unmapped it at once");
        assertEquals(0, openOn(first), "close closed the descriptor");
        a = null;
        // Likely the range the first map had: a second munmap of it would unmap this one.
        try (MappedFile b = MappedFile.open(second, Access.READ)) {
            boolean sameRange = b.segment().address() == addressA;
            assertTrue(collectUntil(() -> scopeCollected.getCount() == 0), "the first map's scope was collected");
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertTrue(mapped(second), "the second map is still mapped (same range as the first: " + sameRange + ")");
            for (int i = 0; i < 4; i++) {
                assertEquals(i + 1, b.get((long) i * PAGE));
            }
        }
        assertFalse(mapped(second));
    }

    @Test
    void theCollectorNeverUnmapsWhatResizeTookOver() throws Exception {
        Path path = file("resized", 8);
        try (MappedFile m = MappedFile.open(path, Access.WRITE)) {
            CountDownLatch oldScopeCollected = new CountDownLatch(1);
            MappedRegion.CLEANER.register(m.segment().scope(), oldScopeCollected::countDown);
            WeakReference<MemorySegment> oldView = new WeakReference<>(m.segment());
            long oldAddress = m.segment().address();
            // Shrinking remaps in place: the old range holds the new one, so an unmap of the old
            // range by the collector would take the new map with it.
            m.resize(2L * PAGE);
            assertEquals(oldAddress, m.segment().address());
            assertTrue(collectUntil(() -> oldScopeCollected.getCount() == 0), "the old scope was collected");
            assertTrue(oldView.refersTo(null));
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertTrue(mapped(path));
            assertEquals(1, m.get(0));
            assertEquals(2, m.get(PAGE));
            m.put(2L * PAGE - 1, (byte) 7);
            assertEquals(7, m.get(2L * PAGE - 1));
        }
        assertFalse(mapped(path));
    }
}

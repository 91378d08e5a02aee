package io.jasyncio;

import io.jasyncio.MappedFile.Access;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MappedFile} against real files in a temporary directory: every method and each of its
 * errors, files past 2 GiB, sharing between maps, copy-on-write, flush, resize, and views used
 * after close from another thread. Java-form differences from CPython's test_mmap: a negative
 * index is out of range (Python counts it from the end), and the errors are the SPEC section 13
 * types (IndexError and ValueError become IndexOutOfBoundsException, IllegalArgumentException or
 * IllegalStateException; a write to a read-only map is ReadOnlyBufferException; resizing a READ or
 * COPY map, a TypeError in Python, is UnsupportedOperationException).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MappedFileTest {
    private static final int PAGE = MappedFile.PAGE_SIZE;
    private static Map<Integer, String> fdsAtStart;

    @TempDir
    Path dir;

    @BeforeAll
    static void countFds() {
        fdsAtStart = OpenFds.atClassStart();
    }

    @AfterAll
    static void noFdLeaked() {
        OpenFds.assertNoneLeaked(fdsAtStart, "MappedFileTest");
    }

    private Path file(String name, byte[] content) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, content);
        return path;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void pythonDocumentationExample() throws IOException {
        Path path = file("hello.txt", ascii("Hello Python!\n"));
        try (MappedFile m = MappedFile.open(path, Access.WRITE)) {
            assertArrayEquals(ascii("Hello Python!\n"), m.readline());
            byte[] first = new byte[5];
            m.get(0, first, 0, 5);
            assertArrayEquals(ascii("Hello"), first);
            m.put(6, ascii(" world!\n"), 0, 8);
            m.seek(0);
            assertArrayEquals(ascii("Hello  world!\n"), m.readline());
        }
        assertEquals("Hello  world!\n", Files.readString(path));
    }

    @Test
    void sequentialReadsAndWrites() throws IOException {
        Path path = file("seq", ascii("line one\nline two\nend"));
        try (MappedFile m = MappedFile.open(path, Access.WRITE)) {
            assertEquals(21, m.length());
            assertEquals(21, m.size());
            assertEquals(0, m.tell());
            assertArrayEquals(ascii("line one\n"), m.readline());
            assertArrayEquals(ascii("line two\n"), m.readline());
            assertArrayEquals(ascii("end"), m.readline());
            assertArrayEquals(new byte[0], m.readline());
            assertEquals(21, m.tell());
            assertArrayEquals(new byte[0], m.read(5));
            assertThrows(IndexOutOfBoundsException.class, m::readByte);
            assertThrows(IndexOutOfBoundsException.class, () -> m.writeByte((byte) 1));

            assertEquals(5, m.seek(5));
            assertEquals('o', m.readByte());
            assertArrayEquals(ascii("ne"), m.read(2));
            assertEquals(10, m.seek(2, MappedFile.SEEK_CUR));
            assertEquals(18, m.seek(-3, MappedFile.SEEK_END));
            assertArrayEquals(ascii("end"), m.read(-1));
            assertThrows(IllegalArgumentException.class, () -> m.seek(-1));
            assertThrows(IllegalArgumentException.class, () -> m.seek(22));
            assertThrows(IllegalArgumentException.class, () -> m.seek(1, MappedFile.SEEK_END));
            assertThrows(IllegalArgumentException.class, () -> m.seek(Long.MAX_VALUE, MappedFile.SEEK_END));
            assertThrows(IllegalArgumentException.class, () -> m.seek(0, 3));
            assertEquals(21, m.tell());

            m.seek(0);
            assertEquals(4, m.write(ascii("LINE")));
            assertEquals(4, m.tell());
            m.writeByte((byte) '_');
            assertEquals(5, m.tell());
            assertEquals(2, m.write(ascii("xONEx"), 1, 2));
            m.seek(19);
            // Past the end: refused whole, nothing written, the position unchanged.
            assertThrows(IndexOutOfBoundsException.class, () -> m.write(ascii("abc")));
            assertEquals(19, m.tell());
            assertThrows(IndexOutOfBoundsException.class, () -> m.write(ascii("abc"), 2, 2));
            m.seek(0);
            assertArrayEquals(ascii("LINE_ON"), m.read(7));
            assertArrayEquals(ascii("LINE_ONe\nline two\nend"), readAll(m, 0));
        }
        assertEquals("LINE_ONe\nline two\nend", Files.readString(path));
    }

    private static byte[] readAll(MappedFile m, long from) {
        byte[] all = new byte[(int) (m.length() - from)];
        m.get(from, all, 0, all.length);
        return all;
    }

    @Test
    void indexedAccessAndRangeCopies() throws IOException {
        Path path = file("idx", ascii("0123456789"));
        try (MappedFile m = MappedFile.open(path, Access.WRITE)) {
            assertEquals('0', m.get(0));
            assertEquals('9', m.get(9));
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(10));
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(-1));
            m.put(0, (byte) 'a');
            assertThrows(IndexOutOfBoundsException.class, () -> m.put(10, (byte) 'x'));
            assertThrows(IndexOutOfBoundsException.class, () -> m.put(-1, (byte) 'x'));

            byte[] dst = new byte[4];
            m.get(2, dst, 1, 3);
            assertArrayEquals(new byte[] {0, '2', '3', '4'}, dst);
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(8, dst, 0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(0, dst, 2, 3));
            assertThrows(IllegalArgumentException.class, () -> m.get(-1, dst, 0, 1));
            m.put(7, ascii("XYZ"), 0, 3);
            assertThrows(IndexOutOfBoundsException.class, () -> m.put(8, ascii("XYZ"), 0, 3));
            assertThrows(IllegalArgumentException.class, () -> m.put(-2, ascii("XYZ"), 0, 1));
            assertArrayEquals(ascii("a123456XYZ"), readAll(m, 0));

            m.putLong(1, 0x0102030405060708L);
            assertEquals(0x0102030405060708L, m.getLong(1));
            assertEquals(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 8 : 1, m.get(1));
            assertThrows(IndexOutOfBoundsException.class, () -> m.getLong(3));
            assertThrows(IndexOutOfBoundsException.class, () -> m.putLong(3, 0));
        }
    }

    @Test
    void moveHandlesOverlapAndRefusesOutOfRange() throws IOException {
        Path path = file("move", ascii("abcdefghij"));
        try (MappedFile m = MappedFile.open(path, Access.WRITE)) {
            m.move(2, 0, 5);
            assertArrayEquals(ascii("ababcdehij"), readAll(m, 0));
            m.move(0, 3, 7);
            assertArrayEquals(ascii("bcdehijhij"), readAll(m, 0));
            m.move(9, 0, 0);
            assertThrows(IndexOutOfBoundsException.class, () -> m.move(8, 0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> m.move(0, 8, 3));
            assertThrows(IllegalArgumentException.class, () -> m.move(-1, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> m.move(0, -1, 1));
            assertThrows(IllegalArgumentException.class, () -> m.move(0, 0, -1));
        }
    }

    @Test
    void findAndRfindUseSliceBounds() throws IOException {
        Path path = file("find", ascii("one two one two one"));
        try (MappedFile m = MappedFile.open(path, Access.READ)) {
            assertEquals(0, m.find(ascii("one")));
            assertEquals(16, m.rfind(ascii("one")));
            assertEquals(8, m.find(ascii("one"), 1, Long.MAX_VALUE));
            assertEquals(8, m.rfind(ascii("one"), 0, 15));
            assertEquals(-1, m.find(ascii("one"), 17, 19));
            assertEquals(16, m.find(ascii("one"), -3, Long.MAX_VALUE));
            assertEquals(12, m.find(ascii("two"), -10, -1));
            assertEquals(-1, m.find(ascii("two"), 0, -100));
            assertEquals(-1, m.find(ascii("three"), 0, 19));
            assertEquals(3, m.find(new byte[0], 3, 5));
            assertEquals(5, m.rfind(new byte[0], 3, 5));
            assertEquals(-1, m.find(new byte[0], 5, 3));
            assertEquals(19, m.find(new byte[0], 100, 200));
            m.seek(9);
            assertEquals(16, m.find(ascii("one")), "from the position");
            assertEquals(16, m.rfind(ascii("one")));
            assertEquals(-1, m.rfind(ascii("two"), 13, 19));
            assertThrows(NullPointerException.class, () -> m.find(null));
        }
    }

    @Test
    void findAgreesWithANaiveSearch() throws IOException {
        Random random = new Random(42);
        byte[] content = new byte[3 * PAGE + 17];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + random.nextInt(3));
        }
        Path path = file("random", content);
        try (MappedFile m = MappedFile.open(path, Access.READ)) {
            for (int trial = 0; trial < 500; trial++) {
                int n = 1 + random.nextInt(8);
                byte[] sub = new byte[n];
                if (trial % 2 == 0) {
                    System.arraycopy(content, random.nextInt(content.length - n), sub, 0, n);
                } else {
                    for (int k = 0; k < n; k++) {
                        sub[k] = (byte) ('a' + random.nextInt(4));
                    }
                }
                int start = random.nextInt(content.length);
                int end = start + random.nextInt(content.length - start + 1);
                assertEquals(naive(content, sub, start, end, false), m.find(sub, start, end));
                assertEquals(naive(content, sub, start, end, true), m.rfind(sub, start, end));
            }
        }
    }

    private static long naive(byte[] h, byte[] s, int start, int end, boolean last) {
        long found = -1;
        for (int i = start; i + s.length <= end; i++) {
            if (Arrays.equals(h, i, i + s.length, s, 0, s.length)) {
                if (!last) {
                    return i;
                }
                found = i;
            }
        }
        return found;
    }

    @Test
    void readMapRefusesEveryWrite() throws IOException {
        Path path = file("ro", ascii("read only"));
        try (MappedFile m = MappedFile.open(path, Access.READ)) {
            assertEquals(Access.READ, m.access());
            assertThrows(ReadOnlyBufferException.class, () -> m.write(ascii("x")));
            assertThrows(ReadOnlyBufferException.class, () -> m.writeByte((byte) 1));
            assertThrows(ReadOnlyBufferException.class, () -> m.put(0, (byte) 1));
            assertThrows(ReadOnlyBufferException.class, () -> m.put(0, ascii("x"), 0, 1));
            assertThrows(ReadOnlyBufferException.class, () -> m.putLong(0, 1));
            assertThrows(ReadOnlyBufferException.class, () -> m.move(0, 1, 1));
            assertThrows(ReadOnlyBufferException.class, () -> m.asByteBuffer(0, 4).put((byte) 1));
            assertTrue(m.segment().isReadOnly());
            // The JDK's own refusal for a read-only segment.
            assertThrows(IllegalArgumentException.class, () -> m.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
            assertThrows(UnsupportedOperationException.class, () -> m.resize(4));
            m.flush(); // nothing to write back: a no-op, as in Python
            assertEquals('r', m.get(0));
        }
        assertEquals("read only", Files.readString(path));
    }

    @Test
    void copyMapNeverReachesTheFile() throws IOException {
        Path path = file("cow", ascii("original"));
        try (MappedFile copy = MappedFile.open(path, Access.COPY);
             MappedFile shared = MappedFile.open(path, Access.READ)) {
            copy.write(ascii("CHANGED!"));
            copy.flush();
            assertArrayEquals(ascii("CHANGED!"), readAll(copy, 0));
            assertArrayEquals(ascii("original"), readAll(shared, 0));
            assertThrows(UnsupportedOperationException.class, () -> copy.resize(16));
        }
        assertEquals("original", Files.readString(path));
        try (FileChannel ch = FileChannel.open(path)) {
            ByteBuffer buf = ByteBuffer.allocate(8);
            ch.read(buf, 0);
            assertArrayEquals(ascii("original"), buf.array());
        }
    }

    @Test
    void twoMapsOfOneFileSeeEachOthersWrites() throws IOException {
        Path path = file("two", new byte[2 * PAGE]);
        try (MappedFile a = MappedFile.open(path, Access.WRITE);
             MappedFile b = MappedFile.open(path, Access.WRITE, PAGE, PAGE)) {
            assertEquals(PAGE, b.length());
            a.put(PAGE + 5, (byte) 42);
            assertEquals(42, b.get(5));
            b.putLong(100, -7L);
            assertEquals(-7L, a.getLong(PAGE + 100));
        }
    }

    @Test
    void flushThenAFreshFileChannelSeesTheBytes() throws IOException {
        Path path = file("flush", new byte[3 * PAGE]);
        try (MappedFile m = MappedFile.open(path, Access.WRITE)) {
            m.put(2 * PAGE + 10, ascii("flushed"), 0, 7);
            m.flush(2 * PAGE + 10, 7); // an unaligned offset flushes from its page
            m.flush();
            assertThrows(IndexOutOfBoundsException.class, () -> m.flush(2 * PAGE, PAGE + 1));
            assertThrows(IllegalArgumentException.class, () -> m.flush(-1, 1));
            assertThrows(IllegalArgumentException.class, () -> m.flush(0, -1));
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(7);
                assertEquals(7, ch.read(buf, 2 * PAGE + 10));
                assertArrayEquals(ascii("flushed"), buf.array());
            }
        }
    }

    @Test
    void resizeGrowsAndShrinksAFileBackedMap() throws IOException {
        Path path = file("resize", ascii("0123456789"));
        try (MappedFile m = MappedFile.open(path, Access.WRITE)) {
            MemorySegment before = m.segment();
            m.seek(10);
            m.resize(3 * PAGE);
            assertEquals(3 * PAGE, m.length());
            assertEquals(3 * PAGE, m.size());
            assertEquals(3L * PAGE, Files.size(path));
            assertThrows(IllegalStateException.class, () -> before.get(ValueLayout.JAVA_BYTE, 0),
                    "a view of the old mapping stops working");
            assertArrayEquals(ascii("0123456789"), Arrays.copyOf(readAll(m, 0), 10));
            m.put(3 * PAGE - 1, (byte) 'z');
            m.flush();
            assertEquals(10, m.tell());

            m.resize(4);
            assertEquals(4, m.length());
            assertEquals(4, Files.size(path));
            assertEquals(4, m.tell(), "the position is clamped to the new end");
            assertArrayEquals(ascii("0123"), readAll(m, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(4));
            assertThrows(IllegalArgumentException.class, () -> m.resize(0));
            assertThrows(IllegalArgumentException.class, () -> m.resize(-1));
        }
        assertEquals("0123", Files.readString(path));
    }

    @Test
    void resizeOfAMapAtAnOffsetSizesTheFileToOffsetPlusLength() throws IOException {
        Path path = file("resize-offset", new byte[2 * PAGE]);
        try (MappedFile m = MappedFile.open(path, Access.WRITE, PAGE, PAGE)) {
            m.resize(2 * PAGE);
            assertEquals(3L * PAGE, Files.size(path));
        }
    }

    @Test
    void anonymousMemory() throws IOException {
        try (MappedFile m = MappedFile.anonymous(10 * PAGE)) {
            assertEquals(10 * PAGE, m.length());
            assertEquals(10 * PAGE, m.size());
            assertEquals(0, m.get(5 * PAGE));
            m.write(ascii("anonymous"));
            m.resize(20 * PAGE);
            assertArrayEquals(ascii("anonymous"), Arrays.copyOf(readAll(m, 0), 9));
            assertEquals(0, m.get(20 * PAGE - 1), "grown memory is zero-filled and mapped");
            m.put(20 * PAGE - 1, (byte) 1);
            m.resize(PAGE);
            assertArrayEquals(ascii("anonymous"), Arrays.copyOf(readAll(m, 0), 9));
            assertThrows(IllegalStateException.class, m::sharedMemoryPath);
        }
        assertThrows(IllegalArgumentException.class, () -> MappedFile.anonymous(0));
    }

    @Test
    void sharedMemoryIsVisibleThroughItsPath() throws IOException {
        try (MappedFile m = MappedFile.sharedMemory("jasyncio-test", PAGE);
             MappedFile other = MappedFile.open(m.sharedMemoryPath(), Access.WRITE)) {
            m.put(3, (byte) 9);
            assertEquals(9, other.get(3));
            other.put(4, (byte) 8);
            assertEquals(8, m.get(4));
        }
    }

    @Test
    void openByDescriptorKeepsItsOwnCopy() throws IOException {
        Path path = file("fd", ascii("by descriptor"));
        int fd = io.jasyncio.internal.natives.MmapFile.open(path, true);
        MappedFile m;
        try {
            m = MappedFile.open(fd, Access.WRITE, 0, 0);
        } finally {
            io.jasyncio.internal.natives.Sockets.close(fd);
        }
        try (m) {
            assertArrayEquals(ascii("by"), m.read(2));
            m.put(0, (byte) 'B');
        }
        assertEquals("By descriptor", Files.readString(path));
        assertThrows(IllegalArgumentException.class, () -> MappedFile.open(-1, Access.READ, 0, 0));
    }

    @Test
    void mapWithFlagsAndProt() throws IOException {
        Path path = file("flags", new byte[PAGE]);
        int fd = io.jasyncio.internal.natives.MmapFile.open(path, true);
        try {
            try (MappedFile m = MappedFile.map(fd, 0, MappedFile.MAP_SHARED, MappedFile.PROT_READ, 0)) {
                assertEquals(Access.READ, m.access());
            }
            try (MappedFile m = MappedFile.map(fd, 0, MappedFile.MAP_PRIVATE,
                    MappedFile.PROT_READ | MappedFile.PROT_WRITE, 0)) {
                assertEquals(Access.COPY, m.access());
            }
            try (MappedFile m = MappedFile.map(fd, PAGE, MappedFile.MAP_SHARED | MappedFile.MAP_POPULATE,
                    MappedFile.PROT_READ | MappedFile.PROT_WRITE, 0)) {
                assertEquals(Access.WRITE, m.access());
            }
            try (MappedFile m = MappedFile.map(-1, PAGE, MappedFile.MAP_SHARED | MappedFile.MAP_ANONYMOUS,
                    MappedFile.PROT_READ | MappedFile.PROT_WRITE, 0)) {
                assertEquals(PAGE, m.length());
            }
            assertThrows(IllegalArgumentException.class, () -> MappedFile.map(fd, 0,
                    MappedFile.MAP_SHARED | MappedFile.MAP_PRIVATE, MappedFile.PROT_READ, 0));
            assertThrows(IllegalArgumentException.class, () -> MappedFile.map(fd, 0, MappedFile.MAP_SHARED, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> MappedFile.map(fd, PAGE,
                    MappedFile.MAP_SHARED | MappedFile.MAP_ANONYMOUS, MappedFile.PROT_READ, 0));
        } finally {
            io.jasyncio.internal.natives.Sockets.close(fd);
        }
    }

    @Test
    void openRefusesBadArguments() throws IOException {
        Path path = file("args", new byte[2 * PAGE]);
        assertThrows(NoSuchFileException.class, () -> MappedFile.open(dir.resolve("missing"), Access.READ));
        assertThrows(IllegalArgumentException.class, () -> MappedFile.open(path, Access.READ, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> MappedFile.open(path, Access.READ, 0, -PAGE));
        assertThrows(IllegalArgumentException.class, () -> MappedFile.open(path, Access.READ, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> MappedFile.open(path, Access.READ, 0, 2 * PAGE));
        assertThrows(IllegalArgumentException.class, () -> MappedFile.open(path, Access.READ, 2 * PAGE + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> MappedFile.open(path, Access.READ, PAGE + 1, PAGE));
        assertThrows(IllegalArgumentException.class, () -> MappedFile.open(file("empty", new byte[0]), Access.READ));
        assertThrows(NullPointerException.class, () -> MappedFile.open(path, null));
        try (MappedFile m = MappedFile.open(path, Access.READ, 0, PAGE)) {
            assertEquals(PAGE, m.length());
            assertEquals(2 * PAGE, m.size(), "size() is the file's");
        }
    }

    @Test
    void madviseAndItsErrors() throws IOException {
        Path path = file("advise", new byte[4 * PAGE]);
        try (MappedFile m = MappedFile.open(path, Access.WRITE)) {
            m.madvise(MappedFile.MADV_SEQUENTIAL);
            m.madvise(MappedFile.MADV_WILLNEED, PAGE, 100 * PAGE); // cut at the end, as Python
            m.madvise(MappedFile.MADV_NORMAL, 0, 0);
            assertThrows(IllegalArgumentException.class, () -> m.madvise(MappedFile.MADV_NORMAL, 1, PAGE));
            assertThrows(IllegalArgumentException.class, () -> m.madvise(MappedFile.MADV_NORMAL, -PAGE, PAGE));
            assertThrows(IllegalArgumentException.class, () -> m.madvise(MappedFile.MADV_NORMAL, 0, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> m.madvise(MappedFile.MADV_NORMAL, 4 * PAGE, 1));
            assertThrows(IllegalArgumentException.class, () -> m.madvise(-1));
            IOException refused = assertThrows(IOException.class, () -> m.madvise(12345));
            assertTrue(refused.getMessage().contains("madvise") && refused.getMessage().contains("EINVAL"),
                    refused.getMessage());
        }
    }

    @Test
    void viewsAreZeroCopy() throws IOException {
        Path path = file("views", new byte[2 * PAGE]);
        try (MappedFile m = MappedFile.open(path, Access.WRITE)) {
            ByteBuffer view = m.asByteBuffer(PAGE, 16);
            assertEquals(16, view.capacity());
            view.put(0, (byte) 77);
            assertEquals(77, m.get(PAGE));
            m.segment().set(ValueLayout.JAVA_BYTE, 1, (byte) 5);
            assertEquals(5, m.get(1));
            assertThrows(IndexOutOfBoundsException.class, () -> m.asByteBuffer(PAGE, PAGE + 1));
            assertThrows(IllegalArgumentException.class, () -> m.asByteBuffer(-1, 1));
            assertThrows(IllegalArgumentException.class, () -> m.asByteBuffer(0, -1));
            assertThrows(IllegalArgumentException.class, () -> m.asByteBuffer(0, 1L << 31));
        }
    }

    @Test
    void everyCallAfterCloseThrowsIllegalStateException() throws IOException {
        Path path = file("closed", new byte[PAGE]);
        MappedFile m = MappedFile.open(path, Access.WRITE);
        MemorySegment segment = m.segment();
        ByteBuffer buffer = m.asByteBuffer(0, 8);
        assertFalse(m.isClosed());
        m.close();
        assertTrue(m.isClosed());
        m.close(); // twice is fine, as in Python
        assertTrue(m.toString().contains("closed"));
        for (ThrowingCall call : new ThrowingCall[] {
            m::read, () -> m.read(1), m::readByte, m::readline, () -> m.write(ascii("x")),
            () -> m.writeByte((byte) 1), m::tell, () -> m.seek(0), () -> m.seek(0, MappedFile.SEEK_END),
            m::size, m::length, () -> m.find(ascii("x")), () -> m.rfind(ascii("x"), 0, 1), m::flush,
            () -> m.flush(0, 1), () -> m.madvise(MappedFile.MADV_NORMAL), () -> m.resize(2 * PAGE),
            () -> m.move(0, 1, 1), () -> m.get(0), () -> m.put(0, (byte) 1), () -> m.getLong(0),
            () -> m.putLong(0, 1), () -> m.get(0, new byte[1], 0, 1), () -> m.put(0, new byte[1], 0, 1),
            m::segment, () -> m.asByteBuffer(0, 1), m::sharedMemoryPath,
            () -> segment.get(ValueLayout.JAVA_BYTE, 0), () -> buffer.get(0),
        }) {
            assertThrows(IllegalStateException.class, call::run);
        }
        assertEquals(PAGE, Files.size(path));
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    /**
     * A second thread reads through a view (segment, buffer, get, find) in a loop while this one
     * closes the map: it must get IllegalStateException, never a crash, every one of 1 000 times.
     */
    @Test
    void useAfterCloseFromASecondThreadThrows() throws Exception {
        Path path = file("race", new byte[4 * PAGE]);
        byte[] needle = ascii("absent");
        for (int attempt = 0; attempt < 1_000; attempt++) {
            MappedFile m = MappedFile.open(path, Access.WRITE);
            MemorySegment segment = m.segment();
            ByteBuffer buffer = m.asByteBuffer(0, 4 * PAGE);
            int kind = attempt % 4;
            CountDownLatch running = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                long sum = 0;
                try {
                    for (int i = 0; ; i++) {
                        int at = (i * 4093) & (4 * PAGE - 8);
                        switch (kind) {
                            case 0 -> sum += segment.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
                            case 1 -> sum += buffer.getLong(at);
                            case 2 -> sum += m.get(at);
                            default -> sum += m.find(needle, 0, 4 * PAGE);
                        }
                        if (i == 100) {
                            running.countDown();
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                    running.countDown();
                }
                if (sum == 42) {
                    System.out.print("");
                }
            });
            running.await();
            m.close();
            reader.join();
            assertInstanceOf(IllegalStateException.class, failure.get(), "attempt " + attempt + ", kind " + kind);
        }
    }

    /** A 3 GiB sparse file mapped whole, written at 2 GiB + 1, read back through a fresh map. */
    @Test
    void filesLargerThan2GiB() throws IOException {
        Path path = dir.resolve("sparse");
        long size = 3L << 30;
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
            f.setLength(size);
        }
        long at = (2L << 30) + 1;
        byte[] marker = ascii("past two GiB");
        try (MappedFile m = MappedFile.open(path, Access.WRITE)) {
            assertEquals(size, m.length());
            assertEquals(size, m.size());
            m.seek(at);
            assertEquals(marker.length, m.write(marker));
            assertEquals(at + marker.length, m.tell());
            m.putLong(size - 8, 0x1122334455667788L);
            m.flush();
        }
        try (MappedFile m = MappedFile.open(path, Access.READ)) {
            assertEquals(size, m.length());
            // Ranges around the marker: a search over all 3 GiB would fault in every zero page.
            long from = (2L << 30) - 16 * PAGE;
            assertEquals(at, m.find(marker, from, from + 64 * PAGE));
            assertEquals(at, m.rfind(marker, from, from + 64 * PAGE));
            assertEquals(-1, m.find(marker, at + 1, at + 64 * PAGE));
            m.seek(at);
            assertArrayEquals(marker, m.read(marker.length));
            assertEquals(0x1122334455667788L, m.getLong(size - 8));
            assertEquals(0, m.get(size - 9));
            ByteBuffer view = m.asByteBuffer(at - 1, marker.length + 1);
            assertEquals(0, view.get(0));
            assertEquals('p', view.get(1));
            m.seek(-3, MappedFile.SEEK_END);
            assertEquals(size - 3, m.tell());
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(size));
        }
        // Through a map that starts past 2 GiB.
        try (MappedFile m = MappedFile.open(path, Access.READ, PAGE, 2L << 30)) {
            assertEquals('p', m.get(1));
        }
    }

    @Test
    void constantsAreThePlatformsValues() {
        assertTrue(MappedFile.PAGE_SIZE >= 4096 && Integer.bitCount(MappedFile.PAGE_SIZE) == 1);
        assertEquals(MappedFile.PAGE_SIZE, MappedFile.ALLOCATION_GRANULARITY);
        assertEquals(1, MappedFile.PROT_READ);
        assertEquals(2, MappedFile.PROT_WRITE);
        assertEquals(1, MappedFile.MAP_SHARED);
        assertEquals(2, MappedFile.MAP_PRIVATE);
        assertEquals(0x20, MappedFile.MAP_ANONYMOUS);
        assertEquals(0, MappedFile.MADV_NORMAL);
        assertEquals(2, MappedFile.MADV_SEQUENTIAL);
        assertEquals(4, MappedFile.MADV_DONTNEED);
        assertNotNull(MappedFile.Access.valueOf("COPY"));
    }
}

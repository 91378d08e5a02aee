package io.jasyncio.bench;

import io.jasyncio.MappedFile;
import io.jasyncio.MappedFile.Access;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@link MappedFile} against {@code FileChannel.map} + {@link MappedByteBuffer} over the same
 * 1 GiB file, in the same run (bench/mmap-compare.sh adds CPython's mmap and C's memmem):
 * <ul>
 * <li>{@code seqRead*}: every byte copied out in 64 KiB chunks into one reused array
 *     ({@code get(index, byte[], ...)}; the buffer's absolute bulk {@code get});</li>
 * <li>{@code find*}: the offset of a 16-byte needle that sits in the file's last 16 bytes
 *     ({@code MappedFile.find}, native memmem; for the buffer, which has no search, the Java loop
 *     a user would write: a first-byte scan and a compare);</li>
 * <li>{@code randomGet*}: {@value #GETS} 8-byte reads at random offsets (the same offsets for
 *     both), per operation.</li>
 * </ul>
 * The file is {@code -p file=PATH} (default {@value #DEFAULT_FILE}), created with pseudo-random
 * bytes and the needle at its end when missing. Every operation checks its result, so a wrong
 * search or a short read fails the run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
public class MmapBench {
    static final String DEFAULT_FILE = "/tmp/jasyncio-mmap-bench-1g.bin";
    static final long SIZE = 1L << 30;
    static final int CHUNK = 64 * 1024;
    static final int GETS = 1 << 20;
    /** Keep in sync with bench/mmap-compare.sh and bench/python/mmap_bench.py. */
    static final byte[] NEEDLE = "jasyncio-needle!".getBytes(StandardCharsets.US_ASCII);

    /** Both maps of one file. */
    @State(Scope.Thread)
    public static class Maps {
        /** The file; created when missing. */
        @Param({DEFAULT_FILE})
        public String file;

        MappedFile mapped;
        MappedByteBuffer buffer;
        FileChannel channel;
        final byte[] chunk = new byte[CHUNK];
        final int[] offsets = new int[GETS];

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Path path = Path.of(file);
            if (!Files.exists(path) || Files.size(path) != SIZE) {
                create(path);
            }
            mapped = MappedFile.open(path, Access.READ);
            channel = FileChannel.open(path);
            buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, SIZE);
            buffer.order(ByteOrder.nativeOrder());
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < GETS; i++) {
                offsets[i] = random.nextInt((int) (SIZE - 8));
            }
            // Fault the file in (page cache and both maps' page tables) before any timing.
            long sum = 0;
            for (long i = 0; i < SIZE; i += 4096) {
                sum += mapped.get(i) + buffer.get((int) i);
            }
            if (sum == 42) {
                System.out.print("");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            mapped.close();
            channel.close();
        }
    }

    static void create(Path path) throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(path)) {
            for (long written = 0; written < SIZE; written += block.length) {
                for (int i = 0; i < block.length; i += 8) {
                    long v = random.nextLong();
                    for (int k = 0; k < 8; k++) {
                        block[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                if (written + block.length == SIZE) {
                    System.arraycopy(NEEDLE, 0, block, block.length - NEEDLE.length, NEEDLE.length);
                }
                out.write(block);
            }
        }
    }

    private static void check(String what, long expected, long actual) {
        if (expected != actual) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual);
        }
    }

    /** MappedFile: the whole file in 64 KiB range copies. */
    @Benchmark
    public long seqReadMappedFile(Maps s) {
        long sum = 0;
        for (long at = 0; at < SIZE; at += CHUNK) {
            s.mapped.get(at, s.chunk, 0, CHUNK);
            sum += s.chunk[CHUNK - 1];
        }
        return sum;
    }

    /** MappedByteBuffer: the whole file in 64 KiB absolute bulk gets. */
    @Benchmark
    public long seqReadMappedByteBuffer(Maps s) {
        long sum = 0;
        for (int at = 0; at < SIZE; at += CHUNK) {
            s.buffer.get(at, s.chunk, 0, CHUNK);
            sum += s.chunk[CHUNK - 1];
        }
        return sum;
    }

    /** MappedFile.find (native memmem) of the needle at the end. */
    @Benchmark
    public long findMappedFile(Maps s) {
        long at = s.mapped.find(NEEDLE, 0, SIZE);
        check("find", SIZE - NEEDLE.length, at);
        return at;
    }

    /** A Java search over the MappedByteBuffer: first-byte scan, then a compare. */
    @Benchmark
    public long findMappedByteBuffer(Maps s) {
        long at = indexOf(s.buffer, NEEDLE);
        check("find", SIZE - NEEDLE.length, at);
        return at;
    }

    static int indexOf(ByteBuffer buffer, byte[] needle) {
        byte first = needle[0];
        int last = buffer.limit() - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (buffer.get(i) != first) {
                continue;
            }
            for (int k = 1; k < needle.length; k++) {
                if (buffer.get(i + k) != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** MappedFile.getLong at random offsets. */
    @Benchmark
    @OperationsPerInvocation(GETS)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long randomGetMappedFile(Maps s) {
        long sum = 0;
        MappedFile m = s.mapped;
        for (int off : s.offsets) {
            sum += m.getLong(off);
        }
        return sum;
    }

    /** MappedByteBuffer.getLong at the same offsets. */
    @Benchmark
    @OperationsPerInvocation(GETS)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long randomGetMappedByteBuffer(Maps s) {
        long sum = 0;
        MappedByteBuffer b = s.buffer;
        for (int off : s.offsets) {
            sum += b.getLong(off);
        }
        return sum;
    }
}

package io.jasyncio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The process's open file descriptors, read from {@code /proc/self/fd}, so that a test class can
 * check it closed every descriptor it opened (an fd leak fails it with the leaked descriptors and
 * what they point to). Linux only: elsewhere every check passes.
 *
 * <p>Some descriptors are opened lazily by the JVM and kept for its lifetime: jar files of the
 * class path (opened as their classes are first loaded) and the JDK's own poller for virtual
 * threads doing blocking I/O. The first check of the JVM warms those up before it counts, and jar
 * files are never counted.
 */
final class OpenFds {
    private static final Path FD_DIR = Path.of("/proc/self/fd");
    private static boolean warmedUp;
    /** Descriptors a test left open on purpose ({@link #leaveOpen}), until its class is checked. */
    private static final Map<Integer, String> LEFT_OPEN = new TreeMap<>();

    private OpenFds() {
    }

    /** Whether this platform lists its open descriptors. */
    static boolean supported() {
        return Files.isDirectory(FD_DIR);
    }

    /** Open descriptors now (number → target), after a one-time warm-up of the JVM's own. */
    static synchronized Map<Integer, String> atClassStart() {
        if (!supported()) {
            return Map.of();
        }
        if (!warmedUp) {
            warmUp();
            warmedUp = true;
        }
        return snapshot();
    }

    /** The descriptors open now that were not open in {@code before} (number → target). */
    static Map<Integer, String> openedSince(Map<Integer, String> before) {
        Map<Integer, String> opened = new TreeMap<>();
        if (supported()) {
            snapshot().forEach((fd, target) -> {
                if (!target.equals(before.get(fd))) {
                    opened.put(fd, target);
                }
            });
        }
        return opened;
    }

    /** Tells the check at the end of the class that a test leaves {@code fds} open on purpose. */
    static synchronized void leaveOpen(Map<Integer, String> fds) {
        LEFT_OPEN.putAll(fds);
    }

    /**
     * Fails with the descriptors open now that were not open in {@code atStart}, other than
     * those left open on purpose ({@link #leaveOpen}).
     */
    static synchronized void assertNoneLeaked(Map<Integer, String> atStart, String who) {
        Map<Integer, String> excused = new TreeMap<>(LEFT_OPEN);
        LEFT_OPEN.clear();
        if (atStart == null || !supported()) {
            return;
        }
        Map<Integer, String> now = snapshot();
        StringJoiner leaked = new StringJoiner(", ");
        now.forEach((fd, target) -> {
            if (!target.equals(atStart.get(fd)) && !target.equals(excused.get(fd))) {
                leaked.add(fd + " -> " + target);
            }
        });
        if (leaked.length() > 0) {
            fail(who + " leaked file descriptors: " + leaked + " (" + atStart.size() + " open at its start, "
                    + now.size() + " at its end)");
        }
    }

    /** Open descriptors (number → what {@code readlink} says), less jar files and this listing's own. */
    static Map<Integer, String> snapshot() {
        Map<Integer, String> fds = new TreeMap<>();
        if (!supported()) {
            return fds;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(FD_DIR)) {
            for (Path entry : entries) {
                String target;
                try {
                    target = Files.readSymbolicLink(entry).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.endsWith(".jar") || target.matches("/proc/\\d+/fd")) {
                    continue;
                }
                fds.put(Integer.parseInt(entry.getFileName().toString()), target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fds;
    }

    /**
     * Makes the JVM open what it opens once and keeps: a loop of each backend with a task and
     * an executor call (native library, selector provider, strands), a virtual thread blocked in
     * channel I/O (the JDK's virtual-thread poller), the JDK's random devices (temporary files
     * draw their names from them), and jasyncio's process-wide eventfd for signals that go through
     * its native handler (a real-time signal, added and removed).
     */
    private static void warmUp() {
        new java.security.SecureRandom().nextBytes(new byte[8]);
        if (SelectorEventLoop.Backend.EPOLL.isAvailable()) {
            try (SelectorEventLoop loop = new SelectorEventLoop(SelectorEventLoop.Backend.EPOLL)) {
                loop.addSignalHandler("RTMIN+3", () -> { });
                loop.removeSignalHandler("RTMIN+3");
            }
        }
        for (SelectorEventLoop.Backend backend : SelectorEventLoop.Backend.values()) {
            if (!backend.isAvailable()) {
                continue;
            }
            try (SelectorEventLoop loop = new SelectorEventLoop(backend)) {
                loop.runUntilComplete(() -> loop.runInExecutor(null, () -> "warm").await());
                loop.runUntilComplete(loop.shutdownDefaultExecutor());
            }
        }
        try {
            Pipe pipe = Pipe.open();
            try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        source.read(ByteBuffer.allocate(1));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                while (reader.getState() != Thread.State.WAITING && reader.isAlive()) {
                    Thread.yield(); // until the reader is parked in the JDK's poller
                }
                sink.write(ByteBuffer.wrap(new byte[] {1}));
                reader.join();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

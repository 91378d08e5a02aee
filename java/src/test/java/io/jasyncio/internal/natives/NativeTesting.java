package io.jasyncio.internal.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.function.Executable;

/** Shared by the natives tests: skipping without the library, and checking exceptions. */
final class NativeTesting {

    private NativeTesting() {
    }

    static void assumeNativeLibrary() {
        Assumptions.assumeTrue(NativeLibrary.isAvailable(),
                () -> "native library unavailable: " + NativeLibrary.unavailableReason());
    }

    /** Asserts a call fails with {@code type} and a message naming the call and the errno. */
    static <T extends Throwable> T assertFails(Class<T> type, String call, String errnoName, Executable executable) {
        T thrown = assertThrows(type, executable);
        String message = thrown.getMessage();
        assertTrue(message != null && message.startsWith(call + "(") && message.contains(": " + errnoName + " ("),
                () -> "expected a message naming " + call + " and " + errnoName + ", got: " + message);
        return thrown;
    }

    /** EBADF, as the wrappers report it. */
    static ClosedDescriptorException assertBadFd(String call, Executable executable) {
        ClosedDescriptorException e = assertFails(ClosedDescriptorException.class, call, "EBADF", executable);
        assertTrue(e.getMessage().endsWith("EBADF (Bad file descriptor)"), e.getMessage());
        return e;
    }

    /** A descriptor number that was valid a moment ago. */
    static int closedFd() throws IOException {
        int fd = Wakeup.create();
        Sockets.close(fd);
        return fd;
    }

    /** What /proc/self/fd/N points to, or null when N is not open. */
    static String fdTarget(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** Descriptors of the kinds jasyncio creates (sockets, epoll, eventfd) open in this JVM. */
    static long openNativeFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(p -> {
                try {
                    return Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    return "";
                }
            }).filter(t -> t.startsWith("socket:") || t.equals("anon_inode:[eventpoll]")
                    || t.equals("anon_inode:[eventfd]")).count();
        }
    }

    static void assertCloseOnExec(int fd) {
        int fdFlags = LibC.INSTANCE.fcntl(fd, LibC.F_GETFD);
        assertTrue(fdFlags >= 0, "fcntl failed on fd " + fd);
        assertEquals(LibC.FD_CLOEXEC, fdFlags & LibC.FD_CLOEXEC, "fd " + fd + " should be close-on-exec");
    }

    static void assertFlags(int fd) {
        int fl = LibC.INSTANCE.fcntl(fd, LibC.F_GETFL);
        int fdFlags = LibC.INSTANCE.fcntl(fd, LibC.F_GETFD);
        assertTrue(fl >= 0 && fdFlags >= 0, "fcntl failed on fd " + fd);
        assertEquals(LibC.O_NONBLOCK, fl & LibC.O_NONBLOCK, "fd " + fd + " should be non-blocking");
        assertEquals(LibC.FD_CLOEXEC, fdFlags & LibC.FD_CLOEXEC, "fd " + fd + " should be close-on-exec");
    }
}

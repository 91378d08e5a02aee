package io.jasyncio.internal.natives;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Signal control other than handling (native/signal_ctl.c): the calling thread's kernel id,
 * sending to this process, to one of its threads or through a pidfd, the calling thread's mask
 * and pending set, dispositions read without change, {@code strsignal}, and the one-byte write of
 * a wakeup fd. Signal sets travel as a {@code long}: bit {@code n - 1} is signal {@code n} (keep
 * in sync with native/signal_ctl.c).
 *
 * <p>Thread safe; the mask calls act on the calling thread.
 */
public final class SignalControl {

    /** {@code pthread_sigmask}'s {@code how}: add the set to the mask. */
    public static final int SIG_BLOCK = 0;
    /** {@code pthread_sigmask}'s {@code how}: remove the set from the mask. */
    public static final int SIG_UNBLOCK = 1;
    /** {@code pthread_sigmask}'s {@code how}: the set becomes the mask. */
    public static final int SIG_SETMASK = 2;

    /** {@link #disposition}: the default action. Keep in sync with native/signal_ctl.c. */
    public static final int DISPOSITION_DEFAULT = 0;
    /** {@link #disposition}: ignored. */
    public static final int DISPOSITION_IGNORE = 1;
    /** {@link #disposition}: some handler (the JVM's, the JDK's, or the {@code -Xrs} fallback). */
    public static final int DISPOSITION_HANDLER = 2;

    static {
        NativeLibrary.ensureLoaded();
    }

    private SignalControl() {
    }

    /**
     * The kernel's id of the calling thread ({@code gettid}).
     *
     * @return the thread id
     */
    public static int gettid() {
        return gettid0();
    }

    /**
     * Sends {@code signum} to thread {@code tid} of this process ({@code tgkill}).
     *
     * @param tid a thread id of this process
     * @param signum the signal, or 0 to check the thread exists
     * @throws IOException ESRCH when no such thread exists, or what the kernel says
     */
    public static void tgkill(int tid, int signum) throws IOException {
        check("tgkill(tid=" + tid + ", " + signum + ")", tgkill0(tid, signum));
    }

    /**
     * Sends {@code signum} to this process ({@code kill(getpid(), signum)}).
     *
     * @param signum the signal
     * @throws IOException what the kernel says
     */
    public static void killSelf(int signum) throws IOException {
        check("kill(getpid(), " + signum + ")", killSelf0(signum));
    }

    /**
     * {@code pidfd_send_signal(pidfd, signum, NULL, flags)}.
     *
     * @param pidfd a pidfd
     * @param signum the signal, or 0
     * @param flags the call's flags (0)
     * @throws IOException ESRCH when the process has exited, ENOSYS on an old kernel, ...
     */
    public static void pidfdSend(int pidfd, int signum, int flags) throws IOException {
        check("pidfd_send_signal(" + pidfd + ", " + signum + ")", pidfdSend0(pidfd, signum, flags));
    }

    /**
     * {@code pthread_sigmask} for the calling thread.
     *
     * @param how {@link #SIG_BLOCK}, {@link #SIG_UNBLOCK} or {@link #SIG_SETMASK}
     * @param mask the set, as a mask
     * @return the previous mask
     * @throws IOException what the C library says (EINVAL for a bad {@code how})
     */
    public static long sigmask(int how, long mask) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(ValueLayout.JAVA_LONG);
            check("pthread_sigmask(" + how + ")", sigmask0(how, mask, old.address()));
            return old.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /**
     * The signals pending for the calling thread or the process ({@code sigpending}).
     *
     * @return the set, as a mask
     * @throws IOException what the C library says
     */
    public static long sigpending() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            check("sigpending", sigpending0(out.address()));
            return out.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /**
     * A signal's disposition, read without changing it.
     *
     * @param signum the signal
     * @return {@link #DISPOSITION_DEFAULT}, {@link #DISPOSITION_IGNORE} or {@link #DISPOSITION_HANDLER}
     * @throws IOException EINVAL for a number that is no signal
     */
    public static int disposition(int signum) throws IOException {
        return check("sigaction(" + signum + ", NULL)", disposition0(signum));
    }

    /**
     * The C library's description of a signal ({@code sigdescr_np}).
     *
     * @param signum the signal
     * @return the description, or null for a number without one
     */
    public static String strsignal(int signum) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            int n = strsignal0(signum, buf.address(), 256);
            return n < 0 ? null : new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    /**
     * Whether {@code fd} is non-blocking.
     *
     * @param fd a descriptor
     * @return whether {@code O_NONBLOCK} is set
     * @throws IOException EBADF for a closed descriptor
     */
    public static boolean isNonBlocking(int fd) throws IOException {
        return check("fcntl(" + fd + ", F_GETFL)", isNonBlocking0(fd)) == 1;
    }

    /**
     * Writes the one byte {@code value} to {@code fd}.
     *
     * @param fd a non-blocking descriptor
     * @param value the byte
     * @return the result: 1, or -errno (-EAGAIN when the descriptor is full)
     */
    public static int writeByte(int fd, int value) {
        return writeByte0(fd, value);
    }

    private static int check(String call, int result) throws IOException {
        if (result < 0) {
            throw Errors.newIOException(call, result);
        }
        return result;
    }

    static native int gettid0();

    static native int tgkill0(int tid, int signum);

    static native int killSelf0(int signum);

    static native int pidfdSend0(int pidfd, int signum, int flags);

    static native int sigmask0(int how, long mask, long oldAddress);

    static native int sigpending0(long outAddress);

    static native int disposition0(int signum);

    static native int strsignal0(int signum, long address, int size);

    static native int isNonBlocking0(int fd);

    static native int writeByte0(int fd, int value);
}

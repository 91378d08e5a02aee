package io.jasyncio.internal.natives;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * Child processes (native/process.c): {@code posix_spawn}, a pidfd for each child,
 * {@code waitid} without waiting, and signals through the pidfd.
 *
 * <p>Thread safe (each call is one system call or one spawn).
 */
public final class Processes {

    // Keep in sync with jasyncio_process_constants in native/process.c: same order.
    /** No such process. */
    public static final int ESRCH;
    /** No child process (reaped already). */
    public static final int ECHILD;
    /** SIGTERM's number. */
    public static final int SIGTERM;
    /** SIGKILL's number. */
    public static final int SIGKILL;
    /** SIGINT's number. */
    public static final int SIGINT;
    /** SIGHUP's number. */
    public static final int SIGHUP;
    /** SIGUSR1's number. */
    public static final int SIGUSR1;
    /** Permission denied. */
    public static final int EACCES;
    /** Exec format error. */
    public static final int ENOEXEC;

    private static final boolean PIDFD;

    static {
        NativeLibrary.ensureLoaded();
        int[] v = new int[9];
        if (constants0(v) != v.length) {
            throw new UnsatisfiedLinkError("native/process.c and Processes.java disagree on the constants");
        }
        ESRCH = v[0];
        ECHILD = v[1];
        SIGTERM = v[2];
        SIGKILL = v[3];
        SIGINT = v[4];
        SIGHUP = v[5];
        SIGUSR1 = v[6];
        EACCES = v[7];
        ENOEXEC = v[8];
        PIDFD = hasPidfd0();
    }

    private Processes() {
    }

    /** {@return whether this kernel has {@code pidfd_open} (Linux 5.3+)} */
    public static boolean hasPidfd() {
        return PIDFD;
    }

    /**
     * Starts a program.
     *
     * @param path the program's path (no PATH search here)
     * @param argv the arguments, argv[0] first
     * @param env the environment as {@code NAME=value} strings, or null for this process's
     * @param cwd the child's working directory, or null for this process's
     * @param stdio the descriptors the child gets as 0, 1 and 2; -1 inherits ours (anything
     *        lower is refused with EBADF)
     * @return {pid, pidfd}; the pidfd is negative (-ENOSYS) on a kernel without pidfd
     * @throws IOException if the spawn fails, naming the program, the cwd and the errno: a missing
     *         program or cwd is a {@link NoSuchFileException}, a refused one an
     *         {@link AccessDeniedException}
     */
    public static int[] spawn(String path, List<String> argv, List<String> env, String cwd, int[] stdio)
            throws IOException {
        checkNul(path, "program");
        if (cwd != null) {
            checkNul(cwd, "cwd");
        }
        int rc;
        int[] result = new int[2];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            MemorySegment cArgv = strings(arena, argv);
            MemorySegment cEnv = env == null ? MemorySegment.NULL : strings(arena, env);
            MemorySegment cCwd = cwd == null ? MemorySegment.NULL : arena.allocateFrom(cwd);
            MemorySegment cStdio = arena.allocateFrom(ValueLayout.JAVA_INT, stdio);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT, 2);
            rc = spawn0(cPath.address(), cArgv.address(), cEnv.address(), cCwd.address(), cStdio.address(),
                    out.address());
            result[0] = out.getAtIndex(ValueLayout.JAVA_INT, 0);
            result[1] = out.getAtIndex(ValueLayout.JAVA_INT, 1);
        }
        if (rc < 0) {
            String operation = "posix_spawn(" + path + (cwd != null ? ", cwd=" + cwd : "") + ")";
            if (rc == -EACCES) {
                return throwing(new AccessDeniedException(path, cwd, Errors.message(operation, rc)));
            }
            if (rc == -Errors.ENOENT) {
                return throwing(new NoSuchFileException(path, cwd, Errors.message(operation, rc)));
            }
            throw Errors.newIOException(operation, rc);
        }
        return result;
    }

    private static int[] throwing(IOException e) throws IOException {
        throw e;
    }

    private static void checkNul(String s, String what) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the " + what + " holds a NUL: " + s.replace("\0", "\\0"));
        }
    }

    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            String s = values.get(i);
            checkNul(s, "argument or environment entry");
            array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(s));
        }
        array.setAtIndex(ValueLayout.ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    /**
     * Reaps a child if it has exited, without waiting.
     *
     * @param pidfd the child's pidfd, or -1 to go by pid
     * @param pid the child's pid
     * @return its return code (the exit status, or -N after signal N), or {@link Integer#MIN_VALUE}
     *         while it runs
     * @throws IOException if {@code waitid} fails (ECHILD: someone else reaped it)
     */
    public static int reap(int pidfd, int pid) throws IOException {
        int[] status = new int[1];
        int rc = reap0(pidfd, pid, status);
        if (rc < 0) {
            throw Errors.newIOException("waitid(" + (pidfd >= 0 ? "P_PIDFD, " + pidfd : "P_PID, " + pid) + ")", rc);
        }
        return rc == 0 ? Integer.MIN_VALUE : status[0];
    }

    /**
     * Sends a signal.
     *
     * @param pidfd the child's pidfd, or -1 to go by pid
     * @param pid the child's pid
     * @param sig the signal number
     * @return 0, or {@code -ESRCH} when the process is gone
     * @throws IOException for any other failure
     */
    public static int signal(int pidfd, int pid, int sig) throws IOException {
        int rc = signal0(pidfd, pid, sig);
        if (rc < 0 && rc != -ESRCH) {
            throw Errors.newIOException((pidfd >= 0 ? "pidfd_send_signal(" + pidfd : "kill(" + pid) + ", " + sig + ")",
                    rc);
        }
        return rc < 0 ? rc : 0;
    }

    static native int spawn0(long path, long argv, long envp, long cwd, long stdio, long out);

    static native int reap0(int pidfd, int pid, int[] status);

    static native int signal0(int pidfd, int pid, int sig);

    static native boolean hasPidfd0();

    static native int constants0(int[] out);
}

package io.jasyncio;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * libc through JNA: an independent view of the OS for tests (never on a hot path). Only what the
 * tests need.
 */
public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int AF_UNIX = 1;
    int SOCK_STREAM = 1;
    int SOCK_NONBLOCK = 04000;
    int SOCK_CLOEXEC = 02000000;
    int F_GETFL = 3;
    int O_NONBLOCK = 04000;

    int socketpair(int domain, int type, int protocol, int[] sv);

    long read(int fd, byte[] buf, long count);

    long write(int fd, byte[] buf, long count);

    int close(int fd);

    int dup2(int oldfd, int newfd);

    int fcntl(int fd, int cmd);

    int kill(int pid, int sig);

    /** {@code syscall(2)}, for calls glibc 2.36 has no wrapper for everywhere ({@code pidfd_open}: 434). */
    long syscall(long number, Object... args);

    /** {@code RLIMIT_NOFILE} on Linux. */
    int RLIMIT_NOFILE = 7;

    /** {@code rlim} is {@code {soft, hard}}. */
    int getrlimit(int resource, long[] rlim);

    int setrlimit(int resource, long[] rlim);

    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_RDWR = 2;
    int O_CLOEXEC = 02000000;

    /** {@code open(2)} without {@code O_CREAT}: a descriptor, or -1. */
    int open(String path, int flags);

    /** {@code mkfifo(3)}: 0, or -1. */
    int mkfifo(String path, int mode);
}

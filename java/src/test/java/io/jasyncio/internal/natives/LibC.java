package io.jasyncio.internal.natives;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** An independent view of the OS for tests: libc through JNA, never through jasyncio's core. */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int F_GETFD = 1;
    int F_GETFL = 3;
    int FD_CLOEXEC = 1;
    int O_NONBLOCK = 04000;

    int O_RDONLY = 0;
    int O_CLOEXEC = 02000000;

    int fcntl(int fd, int cmd);

    int open(String path, int flags);
}

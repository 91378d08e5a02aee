/*
 * Child processes (process.c) and pipes (pipe.c): what onload.c and native/test need of them.
 * Same conventions as jasyncio_internal.h (>= 0 or -errno, EINTR retried inside).
 */
#ifndef JASYNCIO_PROCESS_H
#define JASYNCIO_PROCESS_H

#include <stdint.h>
#include <jni.h>

/*
 * Starts `path` (absolute or relative to the caller's cwd; no PATH search) with argv and envp
 * (NULL: this process's environment), in `cwd` (NULL: this process's). stdio[i] is the
 * descriptor the child gets as i, or -1 to inherit ours. The child starts with an empty signal
 * mask, every standard signal (1 to 31) at its default even if ignored here, no handler of ours
 * on any signal (a real-time signal ignored here stays ignored), and with no descriptor but 0,
 * 1 and 2.
 * On success out[0] is the pid and out[1] a pidfd (close-on-exec), or -errno when the kernel has
 * none (ENOSYS before Linux 5.3). A failed exec, chdir or dup2 is this function's -errno, and
 * then no child is left behind (glibc reaps it) and nothing was opened.
 */
int jasyncio__process_spawn(const char *path, char *const argv[], char *const envp[],
                            const char *cwd, const int32_t stdio[3], int32_t out[2]);
/*
 * jasyncio__process_spawn's fast path (spawn_clone.c): the same contract, with stdio already
 * made safe to dup2 in order (`sources`: no descriptor below 3 meant for another slot), and
 * -ENOSYS on a kernel without close_range and CLONE_PIDFD (before 5.9), where nothing was done.
 */
int jasyncio__spawn_clone(const char *path, char *const argv[], char *const envp[],
                          const char *cwd, const int sources[3], int32_t out[2]);
/*
 * Reaps the child if it has exited, without waiting: 1 with *status set to its exit code, or to
 * -N when signal N killed it; 0 while it runs; -errno (ECHILD: reaped already). Uses the pidfd
 * when pidfd >= 0 (waitid P_PIDFD, immune to pid reuse), else the pid.
 */
int jasyncio__process_reap(int pidfd, int pid, int32_t *status);
/* Sends `sig` through the pidfd when pidfd >= 0 (pidfd_send_signal), else kill(pid). */
int jasyncio__process_signal(int pidfd, int pid, int sig);
/* 1 when pidfd_open works on this kernel, 0 when not. Probes once. */
int jasyncio__process_has_pidfd(void);
int jasyncio__process_register(JNIEnv *env);
void jasyncio__process_unregister(JNIEnv *env);

/*
 * A pipe, close-on-exec at both ends, with O_NONBLOCK on the end(s) named by `nonblock`
 * (1: read end, 2: write end, 3: both). Both descriptors in one value: read end in the high 32
 * bits, write end in the low 32.
 */
int64_t jasyncio__pipe_create(int nonblock);
/*
 * write(2): bytes moved, -EAGAIN when the pipe is full (no send() attempt first, as a socket's
 * write makes). A pipe is read with jasyncio__socket_read, which is plain read(2).
 */
int jasyncio__pipe_write(int fd, const void *buf, int length);
/*
 * Readies a descriptor for a pipe transport: refuses (-EINVAL) anything but a pipe/FIFO, a
 * socket or a character device, and sets O_NONBLOCK. Returns 1 (FIFO), 2 (socket), 3 (char dev).
 */
int jasyncio__pipe_prepare(int fd);
/* /dev/null opened read-write and close-on-exec. */
int jasyncio__pipe_open_devnull(void);
int jasyncio__pipe_register(JNIEnv *env);
void jasyncio__pipe_unregister(JNIEnv *env);

#endif /* JASYNCIO_PROCESS_H */

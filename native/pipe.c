/*
 * Pipes for child processes and pipe transports: pipe2, read(2)/write(2) (socket.c's write tries
 * send first, one wasted system call per write on a pipe), and the checks asyncio's
 * connect_read_pipe/connect_write_pipe make before they take a descriptor.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jasyncio_internal.h"
#include "process.h"

static int jasyncio_pipe_set_nonblock(int fd) {
  int flags;
  JASYNCIO__SYSCALL(flags, fcntl(fd, F_GETFL));
  if (flags < 0 || (flags & O_NONBLOCK))
    return flags < 0 ? flags : 0;
  int rc;
  JASYNCIO__SYSCALL(rc, fcntl(fd, F_SETFL, flags | O_NONBLOCK));
  return rc;
}

int64_t jasyncio__pipe_create(int nonblock) {
  int fds[2];
  int rc;
  /*
   * Close-on-exec at both ends: the child's end reaches the child through dup2, which clears the
   * flag on the copy. O_NONBLOCK is per open file description, and a pipe's two ends are two, so
   * the parent's end can be non-blocking while the child's stays blocking, as programs expect.
   */
  JASYNCIO__SYSCALL(rc, pipe2(fds, O_CLOEXEC));
  if (rc < 0)
    return rc;
  /*
   * Best effort, for a pipe we read from: a 1 MiB pipe (Linux's default pipe-max-size) lets a
   * writing child run longer before it blocks and our reads take more per wake-up than the
   * default 64 KiB. A pipe we write to keeps the default, so flow control starts early.
   */
#ifdef F_SETPIPE_SZ
  if (nonblock == 1)
    (void) fcntl(fds[0], F_SETPIPE_SZ, 1 << 20);
#endif
  if (((nonblock & 1) && (rc = jasyncio_pipe_set_nonblock(fds[0])) < 0) ||
      ((nonblock & 2) && (rc = jasyncio_pipe_set_nonblock(fds[1])) < 0)) {
    close(fds[0]);
    close(fds[1]);
    return rc;
  }
  return (int64_t) (((uint64_t) (uint32_t) fds[0] << 32) | (uint32_t) fds[1]);
}

/* A write to a pipe whose reader is gone is -EPIPE: the JVM handles SIGPIPE, so none kills us. */
int jasyncio__pipe_write(int fd, const void *buf, int length) {
  JASYNCIO__CHECK_FD(fd);
  JASYNCIO__CHECK_BUFFER(buf, length);
  ssize_t rc;
  JASYNCIO__SYSCALL(rc, write(fd, buf, (size_t) length));
  return (int) rc;
}

int jasyncio__pipe_prepare(int fd) {
  JASYNCIO__CHECK_FD(fd);
  struct stat st;
  int rc;
  JASYNCIO__SYSCALL(rc, fstat(fd, &st));
  if (rc < 0)
    return rc;
  int kind = S_ISFIFO(st.st_mode) ? 1 : S_ISSOCK(st.st_mode) ? 2 : S_ISCHR(st.st_mode) ? 3 : 0;
  if (kind == 0)
    return JASYNCIO__ERR(EINVAL);
  rc = jasyncio_pipe_set_nonblock(fd);
  return rc < 0 ? rc : kind;
}

int jasyncio__pipe_open_devnull(void) {
  int fd;
  JASYNCIO__SYSCALL(fd, open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY));
  return fd;
}

/* Pipes.create0(int nonblock) */
static jlong jasyncio_pipe_create(JNIEnv *env, jclass cls, jint nonblock) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__pipe_create(nonblock);
}

/* Pipes.write0(int fd, long address, int length) */
static jint jasyncio_pipe_write(JNIEnv *env, jclass cls, jint fd, jlong address, jint length) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__pipe_write(fd, JASYNCIO__PTR(address), length);
}

/* Pipes.prepare0(int fd) */
static jint jasyncio_pipe_prepare(JNIEnv *env, jclass cls, jint fd) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__pipe_prepare(fd);
}

/* Pipes.openDevnull0() */
static jint jasyncio_pipe_open_devnull(JNIEnv *env, jclass cls) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__pipe_open_devnull();
}

static const JNINativeMethod jasyncio_pipe_methods[] = {
  {"create0", "(I)J", (void *) jasyncio_pipe_create},
  {"write0", "(IJI)I", (void *) jasyncio_pipe_write},
  {"prepare0", "(I)I", (void *) jasyncio_pipe_prepare},
  {"openDevnull0", "()I", (void *) jasyncio_pipe_open_devnull},
};

#define JASYNCIO__PIPE_CLASS "io/jasyncio/internal/natives/Pipes"

int jasyncio__pipe_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__PIPE_CLASS, jasyncio_pipe_methods,
      (int) (sizeof(jasyncio_pipe_methods) / sizeof(jasyncio_pipe_methods[0])));
}

void jasyncio__pipe_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__PIPE_CLASS);
}

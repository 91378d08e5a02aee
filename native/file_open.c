/*
 * Files the loop sends from: open a path read-only and ask its size, so sendfile(2) gets a real
 * descriptor (the JDK never hands out a FileChannel's). Close what file_open returns with
 * Sockets.close (socket.c's close takes any descriptor).
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jasyncio_internal.h"

/*
 * Opens `path` (a NUL-terminated string) read-only and close-on-exec: the descriptor, or -errno.
 * O_NOCTTY because a path naming a terminal must not become the JVM's controlling terminal.
 */
int jasyncio__file_open(const char *path) {
  if (path == NULL)
    return JASYNCIO__ERR(EFAULT);
  if (path[0] == '\0')
    return JASYNCIO__ERR(ENOENT);
  int fd;
  JASYNCIO__SYSCALL(fd, open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY));
  return fd;
}

/* The size in bytes of the file open as `fd`, or -errno. */
int64_t jasyncio__file_size(int fd) {
  JASYNCIO__CHECK_FD(fd);
  struct stat st;
  int rc;
  JASYNCIO__SYSCALL(rc, fstat(fd, &st));
  if (rc < 0)
    return rc;
  return (int64_t) st.st_size;
}

/*
 * A non-blocking, close-on-exec duplicate of `fd` (asyncore's file_dispatcher works on its own
 * copy, so closing it leaves the caller's descriptor open): the new descriptor, or -errno. The
 * O_NONBLOCK flag lives on the open file description, so the caller's copy turns non-blocking
 * too, as Python's os.set_blocking on the duplicate does.
 */
int jasyncio__file_dup_nonblocking(int fd) {
  JASYNCIO__CHECK_FD(fd);
  int copy;
  JASYNCIO__SYSCALL(copy, fcntl(fd, F_DUPFD_CLOEXEC, 0));
  if (copy < 0)
    return copy;
  int flags;
  JASYNCIO__SYSCALL(flags, fcntl(copy, F_GETFL));
  int rc = flags;
  if (flags >= 0 && (flags & O_NONBLOCK) == 0)
    JASYNCIO__SYSCALL(rc, fcntl(copy, F_SETFL, flags | O_NONBLOCK));
  if (rc < 0) {
    close(copy);
    return rc;
  }
  return copy;
}

/* FileOpen.open0(long path) */
static jint jasyncio_file_open_open(JNIEnv *env, jclass cls, jlong path) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__file_open((const char *) JASYNCIO__PTR(path));
}

/* FileOpen.size0(int fd) */
static jlong jasyncio_file_open_size(JNIEnv *env, jclass cls, jint fd) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__file_size(fd);
}

/* FileOpen.dupNonBlocking0(int fd) */
static jint jasyncio_file_open_dup_nonblocking(JNIEnv *env, jclass cls, jint fd) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__file_dup_nonblocking(fd);
}

static const JNINativeMethod jasyncio_file_open_methods[] = {
  {"dupNonBlocking0", "(I)I", (void *) jasyncio_file_open_dup_nonblocking},
  {"open0", "(J)I", (void *) jasyncio_file_open_open},
  {"size0", "(I)J", (void *) jasyncio_file_open_size},
};

#define JASYNCIO__FILE_OPEN_CLASS "io/jasyncio/internal/natives/FileOpen"

int jasyncio__file_open_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__FILE_OPEN_CLASS, jasyncio_file_open_methods,
      (int) (sizeof(jasyncio_file_open_methods) / sizeof(jasyncio_file_open_methods[0])));
}

void jasyncio__file_open_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__FILE_OPEN_CLASS);
}

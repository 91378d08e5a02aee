/*
 * Sockets: the minimum the readiness loop needs today (a connected pair, read, write, shutdown,
 * close). Every descriptor is created non-blocking and close-on-exec; reads and writes never
 * block, they return -EAGAIN instead.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "jasyncio_internal.h"

/*
 * A connected pair of AF_UNIX sockets of `type` (SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET).
 * Both descriptors come back in one non-negative value, the first in the high 32 bits and the
 * second in the low 32; -errno on failure. Keep in sync with Sockets.firstFd/secondFd.
 */
int64_t jasyncio__socket_pair(int type) {
  int fds[2];
  int rc;
  JASYNCIO__SYSCALL(rc, socketpair(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds));
  if (rc < 0)
    return rc;
  return (int64_t) (((uint64_t) (uint32_t) fds[0] << 32) | (uint32_t) fds[1]);
}

/* Bytes read, 0 at end of stream (or for length 0), -EAGAIN when nothing is there yet. */
int jasyncio__socket_read(int fd, void *buf, int length) {
  JASYNCIO__CHECK_FD(fd);
  JASYNCIO__CHECK_BUFFER(buf, length);
  ssize_t rc;
  JASYNCIO__SYSCALL(rc, read(fd, buf, (size_t) length));
  return (int) rc;
}

/*
 * Bytes written, -EAGAIN when the socket buffer is full. send with MSG_NOSIGNAL, so a closed peer
 * gives -EPIPE instead of a SIGPIPE (the JVM ignores SIGPIPE, but the C tests and any other host
 * process would die of it). A descriptor that is not a socket (a pipe) falls back to write.
 */
int jasyncio__socket_write(int fd, const void *buf, int length) {
  JASYNCIO__CHECK_FD(fd);
  JASYNCIO__CHECK_BUFFER(buf, length);
  ssize_t rc;
  JASYNCIO__SYSCALL(rc, send(fd, buf, (size_t) length, MSG_NOSIGNAL));
  if (rc == JASYNCIO__ERR(ENOTSOCK))
    JASYNCIO__SYSCALL(rc, write(fd, buf, (size_t) length));
  return (int) rc;
}

/*
 * Closes any descriptor. EINTR is not retried: Linux has released the descriptor by then, and a
 * second close could close one another thread just opened under the same number.
 */
int jasyncio__socket_close(int fd) {
  JASYNCIO__CHECK_FD(fd);
  if (close(fd) == -1 && errno != EINTR)
    return JASYNCIO__ERR(errno);
  return 0;
}

/* how: SHUT_RD, SHUT_WR or SHUT_RDWR. */
int jasyncio__socket_shutdown(int fd, int how) {
  JASYNCIO__CHECK_FD(fd);
  int rc;
  JASYNCIO__SYSCALL(rc, shutdown(fd, how));
  return rc;
}

/* Sockets.socketpair0(int type) */
static jlong jasyncio_socket_socketpair(JNIEnv *env, jclass cls, jint type) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__socket_pair(type);
}

/* Sockets.read0(int fd, long address, int length) */
static jint jasyncio_socket_read(JNIEnv *env, jclass cls, jint fd, jlong address, jint length) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__socket_read(fd, JASYNCIO__PTR(address), length);
}

/* Sockets.write0(int fd, long address, int length) */
static jint jasyncio_socket_write(JNIEnv *env, jclass cls, jint fd, jlong address, jint length) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__socket_write(fd, JASYNCIO__PTR(address), length);
}

/* Sockets.close0(int fd) */
static jint jasyncio_socket_close(JNIEnv *env, jclass cls, jint fd) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__socket_close(fd);
}

/* Sockets.shutdown0(int fd, int how) */
static jint jasyncio_socket_shutdown(JNIEnv *env, jclass cls, jint fd, jint how) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__socket_shutdown(fd, how);
}

/* Constants read once by Sockets' static initializer. */
#define JASYNCIO__SOCKET_CONSTANTS(X)                                    \
  X(sockStream, (jint) SOCK_STREAM)                                      \
  X(sockDgram, (jint) SOCK_DGRAM)                                        \
  X(sockSeqpacket, (jint) SOCK_SEQPACKET)                                \
  X(shutRd, (jint) SHUT_RD)                                              \
  X(shutWr, (jint) SHUT_WR)                                              \
  X(shutRdwr, (jint) SHUT_RDWR)

#define JASYNCIO__SOCKET_CONSTANT_FN(name, value)                        \
  static jint jasyncio_socket_##name(JNIEnv *env, jclass cls) {          \
    JASYNCIO__UNUSED(env);                                               \
    JASYNCIO__UNUSED(cls);                                               \
    return value;                                                        \
  }
JASYNCIO__SOCKET_CONSTANTS(JASYNCIO__SOCKET_CONSTANT_FN)
#undef JASYNCIO__SOCKET_CONSTANT_FN

static const JNINativeMethod jasyncio_socket_methods[] = {
  {"socketpair0", "(I)J", (void *) jasyncio_socket_socketpair},
  {"read0", "(IJI)I", (void *) jasyncio_socket_read},
  {"write0", "(IJI)I", (void *) jasyncio_socket_write},
  {"close0", "(I)I", (void *) jasyncio_socket_close},
  {"shutdown0", "(II)I", (void *) jasyncio_socket_shutdown},
#define JASYNCIO__SOCKET_CONSTANT_ENTRY(name, value) \
  {#name "0", "()I", (void *) jasyncio_socket_##name},
  JASYNCIO__SOCKET_CONSTANTS(JASYNCIO__SOCKET_CONSTANT_ENTRY)
#undef JASYNCIO__SOCKET_CONSTANT_ENTRY
};

#define JASYNCIO__SOCKET_CLASS "io/jasyncio/internal/natives/Sockets"

int jasyncio__socket_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__SOCKET_CLASS, jasyncio_socket_methods,
      (int) (sizeof(jasyncio_socket_methods) / sizeof(jasyncio_socket_methods[0])));
}

void jasyncio__socket_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__SOCKET_CLASS);
}

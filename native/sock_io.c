/*
 * Moving bytes on sockets: recv, send, readv, writev, recvfrom, sendto, sendfile. None of them waits (the
 * sockets are non-blocking): an empty receive queue or a full send buffer is -EAGAIN, returned
 * as is for the caller to wait for readiness. Sends carry MSG_NOSIGNAL, so a closed peer is
 * -EPIPE and never a SIGPIPE.
 *
 * readv/writev take an array of struct iovec in native memory that Java fills from the layout
 * exported below (its size and the offsets of iov_base and iov_len).
 */
#include <limits.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "jasyncio_internal.h"

/* An iovec array: a count within [0, IOV_MAX] and an address that is not zero unless it is 0. */
#define JASYNCIO__CHECK_IOV(iov, count)                                  \
  do {                                                                   \
    if ((count) < 0 || (count) > IOV_MAX)                                \
      return JASYNCIO__ERR(EINVAL);                                      \
    if ((iov) == NULL && (count) != 0)                                   \
      return JASYNCIO__ERR(EFAULT);                                      \
  } while (0)

/* Bytes received, 0 at end of stream (or an empty datagram), -EAGAIN when nothing is there. */
int jasyncio__sock_recv(int fd, void *buf, int length, int flags) {
  JASYNCIO__CHECK_FD(fd);
  JASYNCIO__CHECK_BUFFER(buf, length);
  ssize_t rc;
  JASYNCIO__SYSCALL(rc, recv(fd, buf, (size_t) length, flags));
  return (int) rc;
}

/* Bytes sent, -EAGAIN when the send buffer is full. */
int jasyncio__sock_send(int fd, const void *buf, int length, int flags) {
  JASYNCIO__CHECK_FD(fd);
  JASYNCIO__CHECK_BUFFER(buf, length);
  ssize_t rc;
  JASYNCIO__SYSCALL(rc, send(fd, buf, (size_t) length, flags | MSG_NOSIGNAL));
  return (int) rc;
}

/*
 * Scatter read into `count` iovecs: bytes received (the kernel caps one call below INT_MAX),
 * 0 at end of stream. recvmsg rather than readv, for symmetry with writev below.
 */
int jasyncio__sock_readv(int fd, const struct iovec *iov, int count) {
  JASYNCIO__CHECK_FD(fd);
  JASYNCIO__CHECK_IOV(iov, count);
  struct msghdr msg = {0};
  msg.msg_iov = (struct iovec *) iov;
  msg.msg_iovlen = (size_t) count;
  ssize_t rc;
  JASYNCIO__SYSCALL(rc, recvmsg(fd, &msg, 0));
  return (int) rc;
}

/*
 * Gather write of `count` iovecs: bytes sent, possibly fewer than their sum. sendmsg rather than
 * writev, because writev has no MSG_NOSIGNAL.
 */
int jasyncio__sock_writev(int fd, const struct iovec *iov, int count) {
  JASYNCIO__CHECK_FD(fd);
  JASYNCIO__CHECK_IOV(iov, count);
  struct msghdr msg = {0};
  msg.msg_iov = (struct iovec *) iov;
  msg.msg_iovlen = (size_t) count;
  ssize_t rc;
  JASYNCIO__SYSCALL(rc, sendmsg(fd, &msg, MSG_NOSIGNAL));
  return (int) rc;
}

/*
 * One datagram into buf (truncated to length), the sender's address into addr: *addr_len holds
 * its capacity on the way in and the kernel's length on the way out. addr and addr_len may both
 * be NULL.
 */
int jasyncio__sock_recvfrom(int fd, void *buf, int length, int flags, void *addr,
                            int32_t *addr_len) {
  JASYNCIO__CHECK_FD(fd);
  JASYNCIO__CHECK_BUFFER(buf, length);
  socklen_t capacity = 0;
  if (addr_len != NULL) {
    JASYNCIO__CHECK_BUFFER(addr, *addr_len);
    capacity = (socklen_t) *addr_len;
  } else if (addr != NULL) {
    return JASYNCIO__ERR(EFAULT);
  }
  ssize_t rc;
  JASYNCIO__SYSCALL(rc, recvfrom(fd, buf, (size_t) length, flags, (struct sockaddr *) addr,
                                 addr_len == NULL ? NULL : &capacity));
  if (rc >= 0 && addr_len != NULL)
    *addr_len = (int32_t) capacity;
  return (int) rc;
}

/* One datagram to addr (addr_len bytes; NULL and 0 on a connected socket): bytes sent. */
int jasyncio__sock_sendto(int fd, const void *buf, int length, int flags, const void *addr,
                          int addr_len) {
  JASYNCIO__CHECK_FD(fd);
  JASYNCIO__CHECK_BUFFER(buf, length);
  JASYNCIO__CHECK_BUFFER(addr, addr_len);
  ssize_t rc;
  JASYNCIO__SYSCALL(rc, sendto(fd, buf, (size_t) length, flags | MSG_NOSIGNAL,
                               (const struct sockaddr *) addr, (socklen_t) addr_len));
  return (int) rc;
}

/*
 * Up to `count` bytes of the file in_fd from `offset` to the socket out_fd, without copying them
 * through user space: bytes sent (0 at the file's end), -EAGAIN when the socket is full. The
 * file's own position is not used or moved, so the caller keeps the offset.
 */
int jasyncio__sock_sendfile(int out_fd, int in_fd, int64_t offset, int count) {
  JASYNCIO__CHECK_FD(out_fd);
  JASYNCIO__CHECK_FD(in_fd);
  if (offset < 0 || count < 0)
    return JASYNCIO__ERR(EINVAL);
  off_t position = (off_t) offset;
  ssize_t rc;
  JASYNCIO__SYSCALL(rc, sendfile(out_fd, in_fd, &position, (size_t) count));
  return (int) rc;
}

/* SockIo.recv0(int fd, long buf, int length, int flags) */
static jint jasyncio_sock_io_recv(JNIEnv *env, jclass cls, jint fd, jlong buf, jint length,
                                  jint flags) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_recv(fd, JASYNCIO__PTR(buf), length, flags);
}

/* SockIo.send0(int fd, long buf, int length, int flags) */
static jint jasyncio_sock_io_send(JNIEnv *env, jclass cls, jint fd, jlong buf, jint length,
                                  jint flags) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_send(fd, JASYNCIO__PTR(buf), length, flags);
}

/* SockIo.readv0(int fd, long iov, int count) */
static jint jasyncio_sock_io_readv(JNIEnv *env, jclass cls, jint fd, jlong iov, jint count) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_readv(fd, (const struct iovec *) JASYNCIO__PTR(iov), count);
}

/* SockIo.writev0(int fd, long iov, int count) */
static jint jasyncio_sock_io_writev(JNIEnv *env, jclass cls, jint fd, jlong iov, jint count) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_writev(fd, (const struct iovec *) JASYNCIO__PTR(iov), count);
}

/* SockIo.recvfrom0(int fd, long buf, int length, int flags, long addr, long addrLen) */
static jint jasyncio_sock_io_recvfrom(JNIEnv *env, jclass cls, jint fd, jlong buf, jint length,
                                      jint flags, jlong addr, jlong addr_len) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_recvfrom(fd, JASYNCIO__PTR(buf), length, flags, JASYNCIO__PTR(addr),
                                 (int32_t *) JASYNCIO__PTR(addr_len));
}

/* SockIo.sendto0(int fd, long buf, int length, int flags, long addr, int addrLen) */
static jint jasyncio_sock_io_sendto(JNIEnv *env, jclass cls, jint fd, jlong buf, jint length,
                                    jint flags, jlong addr, jint addr_len) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_sendto(fd, JASYNCIO__PTR(buf), length, flags, JASYNCIO__PTR(addr),
                               addr_len);
}

/* SockIo.sendfile0(int outFd, int inFd, long offset, int count) */
static jint jasyncio_sock_io_sendfile(JNIEnv *env, jclass cls, jint out_fd, jint in_fd,
                                      jlong offset, jint count) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_sendfile(out_fd, in_fd, offset, count);
}

/* Constants read once by SockIo's static initializer. Keep in sync with SockIo.java. */
#define JASYNCIO__SOCK_IO_CONSTANTS(X)                                   \
  X(iovSize, (jint) sizeof(struct iovec))                                \
  X(iovBaseOffset, (jint) offsetof(struct iovec, iov_base))              \
  X(iovLenOffset, (jint) offsetof(struct iovec, iov_len))                \
  X(iovLenSize, (jint) sizeof(((struct iovec *) 0)->iov_len))            \
  X(iovMax, (jint) IOV_MAX)                                              \
  X(msgPeek, (jint) MSG_PEEK)                                            \
  X(msgTrunc, (jint) MSG_TRUNC)

#define JASYNCIO__SOCK_IO_CONSTANT_FN(name, value)                       \
  static jint jasyncio_sock_io_##name(JNIEnv *env, jclass cls) {         \
    JASYNCIO__UNUSED(env);                                               \
    JASYNCIO__UNUSED(cls);                                               \
    return value;                                                        \
  }
JASYNCIO__SOCK_IO_CONSTANTS(JASYNCIO__SOCK_IO_CONSTANT_FN)
#undef JASYNCIO__SOCK_IO_CONSTANT_FN

static const JNINativeMethod jasyncio_sock_io_methods[] = {
  {"recv0", "(IJII)I", (void *) jasyncio_sock_io_recv},
  {"send0", "(IJII)I", (void *) jasyncio_sock_io_send},
  {"readv0", "(IJI)I", (void *) jasyncio_sock_io_readv},
  {"writev0", "(IJI)I", (void *) jasyncio_sock_io_writev},
  {"recvfrom0", "(IJIIJJ)I", (void *) jasyncio_sock_io_recvfrom},
  {"sendto0", "(IJIIJI)I", (void *) jasyncio_sock_io_sendto},
  {"sendfile0", "(IIJI)I", (void *) jasyncio_sock_io_sendfile},
#define JASYNCIO__SOCK_IO_CONSTANT_ENTRY(name, value) \
  {#name "0", "()I", (void *) jasyncio_sock_io_##name},
  JASYNCIO__SOCK_IO_CONSTANTS(JASYNCIO__SOCK_IO_CONSTANT_ENTRY)
#undef JASYNCIO__SOCK_IO_CONSTANT_ENTRY
};

#define JASYNCIO__SOCK_IO_CLASS "io/jasyncio/internal/natives/SockIo"

int jasyncio__sock_io_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__SOCK_IO_CLASS, jasyncio_sock_io_methods,
      (int) (sizeof(jasyncio_sock_io_methods) / sizeof(jasyncio_sock_io_methods[0])));
}

void jasyncio__sock_io_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__SOCK_IO_CLASS);
}

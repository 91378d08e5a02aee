/*
 * Creating and connecting sockets: socket, bind, listen, accept4, connect, getsockname,
 * getpeername. Every descriptor made here is non-blocking and close-on-exec from its first
 * instant (SOCK_NONBLOCK | SOCK_CLOEXEC, never a later fcntl that a fork could race).
 *
 * Addresses are raw sockaddrs in native memory that Java builds and parses (SockAddr.java, from
 * the layout sock_addr.c exports): an address and a length in, and for the calls that report an
 * address, an address, and the address of an int holding the capacity on the way in and the
 * kernel's length on the way out (the socklen_t in/out argument, as a 32-bit int).
 */
#include <sys/socket.h>
#include <sys/types.h>

#include "jasyncio_internal.h"

/*
 * Checks an in/out length: `len` may be NULL only when `addr` is too (the caller wants no
 * address); a negative capacity is -EINVAL, a zero address with a non-zero capacity -EFAULT.
 * Stores the capacity in *out.
 */
static int jasyncio_sock_create_capacity(void *addr, const int32_t *len, socklen_t *out) {
  if (len == NULL) {
    if (addr != NULL)
      return JASYNCIO__ERR(EFAULT);
    *out = 0;
    return 0;
  }
  if (*len < 0)
    return JASYNCIO__ERR(EINVAL);
  if (addr == NULL && *len != 0)
    return JASYNCIO__ERR(EFAULT);
  *out = (socklen_t) *len;
  return 0;
}

/* A new socket of `domain` (AF_INET, AF_INET6, AF_UNIX) and `type`: its descriptor. */
int jasyncio__sock_socket(int domain, int type, int protocol) {
  int rc;
  JASYNCIO__SYSCALL(rc, socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
  return rc;
}

int jasyncio__sock_bind(int fd, const void *addr, int len) {
  JASYNCIO__CHECK_FD(fd);
  JASYNCIO__CHECK_BUFFER(addr, len);
  int rc;
  JASYNCIO__SYSCALL(rc, bind(fd, (const struct sockaddr *) addr, (socklen_t) len));
  return rc;
}

int jasyncio__sock_listen(int fd, int backlog) {
  JASYNCIO__CHECK_FD(fd);
  int rc;
  JASYNCIO__SYSCALL(rc, listen(fd, backlog));
  return rc;
}

/*
 * The accepted connection's descriptor (non-blocking, close-on-exec like every other), or
 * -EAGAIN when none is waiting. addr/len may both be NULL.
 */
int jasyncio__sock_accept(int fd, void *addr, int32_t *len) {
  JASYNCIO__CHECK_FD(fd);
  socklen_t capacity;
  int rc = jasyncio_sock_create_capacity(addr, len, &capacity);
  if (rc < 0)
    return rc;
  JASYNCIO__SYSCALL(rc, accept4(fd, (struct sockaddr *) addr, len == NULL ? NULL : &capacity,
                                SOCK_NONBLOCK | SOCK_CLOEXEC));
  if (rc >= 0 && len != NULL)
    *len = (int32_t) capacity;
  return rc;
}

/*
 * 0 when connected at once (loopback Unix sockets), -EINPROGRESS when a TCP handshake has
 * started: the socket becomes writable when it ends, and SO_ERROR then holds its outcome.
 * EINTR is not retried here: POSIX says an interrupted connect carries on asynchronously, and a
 * second connect would see EALREADY, so it is reported as the -EINPROGRESS it is.
 */
int jasyncio__sock_connect(int fd, const void *addr, int len) {
  JASYNCIO__CHECK_FD(fd);
  JASYNCIO__CHECK_BUFFER(addr, len);
  if (connect(fd, (const struct sockaddr *) addr, (socklen_t) len) == 0)
    return 0;
  return JASYNCIO__ERR(errno == EINTR ? EINPROGRESS : errno);
}

/*
 * The local address into addr (capacity bytes): returns the kernel's length of it, which may
 * exceed the capacity (then the address was truncated).
 */
int jasyncio__sock_getsockname(int fd, void *addr, int capacity) {
  JASYNCIO__CHECK_FD(fd);
  JASYNCIO__CHECK_BUFFER(addr, capacity);
  socklen_t length = (socklen_t) capacity;
  int rc;
  JASYNCIO__SYSCALL(rc, getsockname(fd, (struct sockaddr *) addr, &length));
  return rc < 0 ? rc : (int) length;
}

/* As jasyncio__sock_getsockname, for the peer: -ENOTCONN when there is none. */
int jasyncio__sock_getpeername(int fd, void *addr, int capacity) {
  JASYNCIO__CHECK_FD(fd);
  JASYNCIO__CHECK_BUFFER(addr, capacity);
  socklen_t length = (socklen_t) capacity;
  int rc;
  JASYNCIO__SYSCALL(rc, getpeername(fd, (struct sockaddr *) addr, &length));
  return rc < 0 ? rc : (int) length;
}

/* SockCreate.socket0(int domain, int type, int protocol) */
static jint jasyncio_sock_create_socket(JNIEnv *env, jclass cls, jint domain, jint type,
                                        jint protocol) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_socket(domain, type, protocol);
}

/* SockCreate.bind0(int fd, long addr, int len) */
static jint jasyncio_sock_create_bind(JNIEnv *env, jclass cls, jint fd, jlong addr, jint len) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_bind(fd, JASYNCIO__PTR(addr), len);
}

/* SockCreate.listen0(int fd, int backlog) */
static jint jasyncio_sock_create_listen(JNIEnv *env, jclass cls, jint fd, jint backlog) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_listen(fd, backlog);
}

/* SockCreate.accept0(int fd, long addr, long lenAddr) */
static jint jasyncio_sock_create_accept(JNIEnv *env, jclass cls, jint fd, jlong addr,
                                        jlong len) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_accept(fd, JASYNCIO__PTR(addr), (int32_t *) JASYNCIO__PTR(len));
}

/* SockCreate.connect0(int fd, long addr, int len) */
static jint jasyncio_sock_create_connect(JNIEnv *env, jclass cls, jint fd, jlong addr,
                                         jint len) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_connect(fd, JASYNCIO__PTR(addr), len);
}

/* SockCreate.getsockname0(int fd, long addr, int capacity) */
static jint jasyncio_sock_create_getsockname(JNIEnv *env, jclass cls, jint fd, jlong addr,
                                             jint capacity) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_getsockname(fd, JASYNCIO__PTR(addr), capacity);
}

/* SockCreate.getpeername0(int fd, long addr, int capacity) */
static jint jasyncio_sock_create_getpeername(JNIEnv *env, jclass cls, jint fd, jlong addr,
                                             jint capacity) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_getpeername(fd, JASYNCIO__PTR(addr), capacity);
}

/* Constants read once by SockCreate's static initializer. Keep in sync with SockCreate.java. */
#define JASYNCIO__SOCK_CREATE_CONSTANTS(X)                               \
  X(somaxconn, (jint) SOMAXCONN)

#define JASYNCIO__SOCK_CREATE_CONSTANT_FN(name, value)                   \
  static jint jasyncio_sock_create_##name(JNIEnv *env, jclass cls) {     \
    JASYNCIO__UNUSED(env);                                               \
    JASYNCIO__UNUSED(cls);                                               \
    return value;                                                        \
  }
JASYNCIO__SOCK_CREATE_CONSTANTS(JASYNCIO__SOCK_CREATE_CONSTANT_FN)
#undef JASYNCIO__SOCK_CREATE_CONSTANT_FN

static const JNINativeMethod jasyncio_sock_create_methods[] = {
  {"socket0", "(III)I", (void *) jasyncio_sock_create_socket},
  {"bind0", "(IJI)I", (void *) jasyncio_sock_create_bind},
  {"listen0", "(II)I", (void *) jasyncio_sock_create_listen},
  {"accept0", "(IJJ)I", (void *) jasyncio_sock_create_accept},
  {"connect0", "(IJI)I", (void *) jasyncio_sock_create_connect},
  {"getsockname0", "(IJI)I", (void *) jasyncio_sock_create_getsockname},
  {"getpeername0", "(IJI)I", (void *) jasyncio_sock_create_getpeername},
#define JASYNCIO__SOCK_CREATE_CONSTANT_ENTRY(name, value) \
  {#name "0", "()I", (void *) jasyncio_sock_create_##name},
  JASYNCIO__SOCK_CREATE_CONSTANTS(JASYNCIO__SOCK_CREATE_CONSTANT_ENTRY)
#undef JASYNCIO__SOCK_CREATE_CONSTANT_ENTRY
};

#define JASYNCIO__SOCK_CREATE_CLASS "io/jasyncio/internal/natives/SockCreate"

int jasyncio__sock_create_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__SOCK_CREATE_CLASS, jasyncio_sock_create_methods,
      (int) (sizeof(jasyncio_sock_create_methods) / sizeof(jasyncio_sock_create_methods[0])));
}

void jasyncio__sock_create_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__SOCK_CREATE_CLASS);
}

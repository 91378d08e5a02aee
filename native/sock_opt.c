/*
 * Socket options: the integer ones asyncio users set (SO_REUSEADDR, SO_REUSEPORT, TCP_NODELAY,
 * SO_KEEPALIVE, SO_RCVBUF, SO_SNDBUF, SO_BROADCAST, IPV6_V6ONLY), SO_ERROR (the outcome of a
 * non-blocking connect) and SO_LINGER, the one option here that is a struct.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "jasyncio_internal.h"

int jasyncio__sock_setopt_int(int fd, int level, int name, int value) {
  JASYNCIO__CHECK_FD(fd);
  int rc;
  JASYNCIO__SYSCALL(rc, setsockopt(fd, level, name, &value, sizeof(value)));
  return rc;
}

/*
 * The option's value, which for every option above is >= 0 (booleans, sizes, errnos), or
 * -errno. A value the kernel stores in fewer bytes than an int is widened.
 */
int jasyncio__sock_getopt_int(int fd, int level, int name) {
  JASYNCIO__CHECK_FD(fd);
  int value = 0;
  socklen_t length = sizeof(value);
  int rc;
  JASYNCIO__SYSCALL(rc, getsockopt(fd, level, name, &value, &length));
  if (rc < 0)
    return rc;
  if (length == sizeof(unsigned char))
    return (int) *(unsigned char *) &value;
  return value < 0 ? JASYNCIO__ERR(ERANGE) : value;
}

/* seconds < 0 turns lingering off; 0 makes close reset the connection; > 0 lingers. */
int jasyncio__sock_set_linger(int fd, int seconds) {
  JASYNCIO__CHECK_FD(fd);
  struct linger linger = {.l_onoff = seconds >= 0, .l_linger = seconds >= 0 ? seconds : 0};
  int rc;
  JASYNCIO__SYSCALL(rc, setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger)));
  return rc;
}

/*
 * SO_LINGER as one result: 0 when off, 1 + the seconds when on (a non-negative value however it
 * is set, so -errno stays distinct). Keep in sync with SockOpt.getLinger.
 */
int jasyncio__sock_get_linger(int fd) {
  JASYNCIO__CHECK_FD(fd);
  struct linger linger = {0};
  socklen_t length = sizeof(linger);
  int rc;
  JASYNCIO__SYSCALL(rc, getsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, &length));
  if (rc < 0)
    return rc;
  if (!linger.l_onoff)
    return 0;
  return linger.l_linger < 0 || linger.l_linger == INT32_MAX ? JASYNCIO__ERR(ERANGE)
                                                              : 1 + linger.l_linger;
}

/* SockOpt.setInt0(int fd, int level, int name, int value) */
static jint jasyncio_sock_opt_setInt(JNIEnv *env, jclass cls, jint fd, jint level, jint name,
                                     jint value) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_setopt_int(fd, level, name, value);
}

/* SockOpt.getInt0(int fd, int level, int name) */
static jint jasyncio_sock_opt_getInt(JNIEnv *env, jclass cls, jint fd, jint level, jint name) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_getopt_int(fd, level, name);
}

/* SockOpt.setLinger0(int fd, int seconds) */
static jint jasyncio_sock_opt_setLinger(JNIEnv *env, jclass cls, jint fd, jint seconds) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_set_linger(fd, seconds);
}

/* SockOpt.getLinger0(int fd) */
static jint jasyncio_sock_opt_getLinger(JNIEnv *env, jclass cls, jint fd) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__sock_get_linger(fd);
}

/* Constants read once by SockOpt's static initializer. Keep in sync with SockOpt.java. */
#define JASYNCIO__SOCK_OPT_CONSTANTS(X)                                  \
  X(solSocket, (jint) SOL_SOCKET)                                        \
  X(ipprotoTcp, (jint) IPPROTO_TCP)                                      \
  X(ipprotoIpv6, (jint) IPPROTO_IPV6)                                    \
  X(soReuseaddr, (jint) SO_REUSEADDR)                                    \
  X(soReuseport, (jint) SO_REUSEPORT)                                    \
  X(soKeepalive, (jint) SO_KEEPALIVE)                                    \
  X(soRcvbuf, (jint) SO_RCVBUF)                                          \
  X(soSndbuf, (jint) SO_SNDBUF)                                          \
  X(soBroadcast, (jint) SO_BROADCAST)                                    \
  X(soError, (jint) SO_ERROR)                                            \
  X(soType, (jint) SO_TYPE)                                              \
  X(tcpNodelay, (jint) TCP_NODELAY)                                      \
  X(ipv6V6only, (jint) IPV6_V6ONLY)

#define JASYNCIO__SOCK_OPT_CONSTANT_FN(name, value)                      \
  static jint jasyncio_sock_opt_##name(JNIEnv *env, jclass cls) {        \
    JASYNCIO__UNUSED(env);                                               \
    JASYNCIO__UNUSED(cls);                                               \
    return value;                                                        \
  }
JASYNCIO__SOCK_OPT_CONSTANTS(JASYNCIO__SOCK_OPT_CONSTANT_FN)
#undef JASYNCIO__SOCK_OPT_CONSTANT_FN

static const JNINativeMethod jasyncio_sock_opt_methods[] = {
  {"setInt0", "(IIII)I", (void *) jasyncio_sock_opt_setInt},
  {"getInt0", "(III)I", (void *) jasyncio_sock_opt_getInt},
  {"setLinger0", "(II)I", (void *) jasyncio_sock_opt_setLinger},
  {"getLinger0", "(I)I", (void *) jasyncio_sock_opt_getLinger},
#define JASYNCIO__SOCK_OPT_CONSTANT_ENTRY(name, value) \
  {#name "0", "()I", (void *) jasyncio_sock_opt_##name},
  JASYNCIO__SOCK_OPT_CONSTANTS(JASYNCIO__SOCK_OPT_CONSTANT_ENTRY)
#undef JASYNCIO__SOCK_OPT_CONSTANT_ENTRY
};

#define JASYNCIO__SOCK_OPT_CLASS "io/jasyncio/internal/natives/SockOpt"

int jasyncio__sock_opt_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__SOCK_OPT_CLASS, jasyncio_sock_opt_methods,
      (int) (sizeof(jasyncio_sock_opt_methods) / sizeof(jasyncio_sock_opt_methods[0])));
}

void jasyncio__sock_opt_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__SOCK_OPT_CLASS);
}

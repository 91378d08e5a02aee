/*
 * Socket addresses: no calls, only the layout Java needs to build and parse a raw sockaddr
 * (families, sizes, field offsets). Java never hard-codes a struct; SockAddr.java reads these
 * once. Ports and IPv4/IPv6 addresses are in network byte order, as the protocols define them.
 */
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "jasyncio_internal.h"

/*
 * Every constant SockAddr reads, in one table: X(java name, value).
 * Keep in sync with SockAddr.java (its static initializer calls each `name0`).
 */
#define JASYNCIO__SOCK_ADDR_CONSTANTS(X)                                  \
  X(afUnspec, (jint) AF_UNSPEC)                                           \
  X(afInet, (jint) AF_INET)                                               \
  X(afInet6, (jint) AF_INET6)                                             \
  X(afUnix, (jint) AF_UNIX)                                               \
  X(storageSize, (jint) sizeof(struct sockaddr_storage))                  \
  X(familySize, (jint) sizeof(sa_family_t))                               \
  X(familyOffset, (jint) offsetof(struct sockaddr, sa_family))            \
  X(inSize, (jint) sizeof(struct sockaddr_in))                            \
  X(inPortOffset, (jint) offsetof(struct sockaddr_in, sin_port))          \
  X(inAddrOffset, (jint) offsetof(struct sockaddr_in, sin_addr))          \
  X(in6Size, (jint) sizeof(struct sockaddr_in6))                          \
  X(in6PortOffset, (jint) offsetof(struct sockaddr_in6, sin6_port))       \
  X(in6FlowinfoOffset, (jint) offsetof(struct sockaddr_in6, sin6_flowinfo)) \
  X(in6AddrOffset, (jint) offsetof(struct sockaddr_in6, sin6_addr))       \
  X(in6ScopeIdOffset, (jint) offsetof(struct sockaddr_in6, sin6_scope_id)) \
  X(unSize, (jint) sizeof(struct sockaddr_un))                            \
  X(unPathOffset, (jint) offsetof(struct sockaddr_un, sun_path))          \
  X(unPathSize, (jint) sizeof(((struct sockaddr_un *) 0)->sun_path))

#define JASYNCIO__SOCK_ADDR_CONSTANT_FN(name, value)                      \
  static jint jasyncio_sock_addr_##name(JNIEnv *env, jclass cls) {        \
    JASYNCIO__UNUSED(env);                                                \
    JASYNCIO__UNUSED(cls);                                                \
    return value;                                                         \
  }
JASYNCIO__SOCK_ADDR_CONSTANTS(JASYNCIO__SOCK_ADDR_CONSTANT_FN)
#undef JASYNCIO__SOCK_ADDR_CONSTANT_FN

static const JNINativeMethod jasyncio_sock_addr_methods[] = {
#define JASYNCIO__SOCK_ADDR_CONSTANT_ENTRY(name, value) \
  {#name "0", "()I", (void *) jasyncio_sock_addr_##name},
  JASYNCIO__SOCK_ADDR_CONSTANTS(JASYNCIO__SOCK_ADDR_CONSTANT_ENTRY)
#undef JASYNCIO__SOCK_ADDR_CONSTANT_ENTRY
};

#define JASYNCIO__SOCK_ADDR_CLASS "io/jasyncio/internal/natives/SockAddr"

int jasyncio__sock_addr_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__SOCK_ADDR_CLASS, jasyncio_sock_addr_methods,
      (int) (sizeof(jasyncio_sock_addr_methods) / sizeof(jasyncio_sock_addr_methods[0])));
}

void jasyncio__sock_addr_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__SOCK_ADDR_CLASS);
}

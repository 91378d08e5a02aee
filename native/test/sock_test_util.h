/* Loopback helpers shared by the socket tests (native/test only). */
#ifndef SOCK_TEST_UTIL_H
#define SOCK_TEST_UTIL_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "jasyncio_test.h"

/* An address of `family` on loopback, port 0 (the kernel picks one): its length. */
static inline int loopback(int family, struct sockaddr_storage *ss) {
  memset(ss, 0, sizeof(*ss));
  if (family == AF_INET) {
    struct sockaddr_in *in = (struct sockaddr_in *) ss;
    in->sin_family = AF_INET;
    in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return (int) sizeof(*in);
  }
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) ss;
  in6->sin6_family = AF_INET6;
  in6->sin6_addr = in6addr_loopback;
  return (int) sizeof(*in6);
}

/* Waits (without limit: ctest's timeout bounds it) until fd reports one of `events`. */
static inline uint32_t wait_for(int fd, uint32_t events) {
  int ep = jasyncio__epoll_create();
  CHECK(ep >= 0);
  CHECK_EQ(jasyncio__epoll_ctl(ep, EPOLL_CTL_ADD, fd, events, 0), 0);
  struct epoll_event ev;
  CHECK_EQ(jasyncio__epoll_wait(ep, &ev, 1, -1), 1);
  CHECK_EQ(jasyncio__socket_close(ep), 0);
  return ev.events;
}

#endif /* SOCK_TEST_UTIL_H */

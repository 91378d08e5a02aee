/* A socketpair round trip through epoll: readable after a write, writable, hang-up at EOF. */
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "jasyncio_test.h"

#define TOKEN UINT64_C(0x0000002a00000007)

int main(void) {
  int fds_before = test_open_fds();
  struct epoll_event events[8];
  char buf[64];

  int ep = jasyncio__epoll_create();
  CHECK(ep >= 0);
  int64_t pair = jasyncio__socket_pair(SOCK_STREAM);
  CHECK(pair >= 0);
  int a = (int) (pair >> 32);
  int b = (int) (pair & 0xffffffff);
  CHECK(a >= 0 && b >= 0 && a != b);

  CHECK_EQ(jasyncio__epoll_ctl(ep, EPOLL_CTL_ADD, b, EPOLLIN, TOKEN), 0);
  CHECK_EQ(jasyncio__epoll_wait(ep, events, 8, 0), 0);
  CHECK_EQ(jasyncio__socket_read(b, buf, sizeof(buf)), JASYNCIO__ERR(EAGAIN));

  CHECK_EQ(jasyncio__socket_write(a, "hello", 5), 5);
  CHECK_EQ(jasyncio__epoll_wait(ep, events, 8, -1), 1);
  CHECK_EQ(events[0].events, EPOLLIN);
  CHECK_EQ(events[0].data.u64, TOKEN);
  CHECK_EQ(jasyncio__socket_read(b, buf, sizeof(buf)), 5);
  CHECK(memcmp(buf, "hello", 5) == 0);
  CHECK_EQ(jasyncio__socket_read(b, buf, sizeof(buf)), JASYNCIO__ERR(EAGAIN));
  CHECK_EQ(jasyncio__epoll_wait(ep, events, 8, 0), 0);

  /* Level-triggered: an empty send buffer stays writable. */
  CHECK_EQ(jasyncio__epoll_ctl(ep, EPOLL_CTL_MOD, b, EPOLLOUT, TOKEN), 0);
  CHECK_EQ(jasyncio__epoll_wait(ep, events, 8, -1), 1);
  CHECK_EQ(events[0].events, EPOLLOUT);
  CHECK_EQ(jasyncio__epoll_wait(ep, events, 8, -1), 1);

  /* The peer goes away: readable, read gives end of stream, a write gives EPIPE (no SIGPIPE). */
  CHECK_EQ(jasyncio__epoll_ctl(ep, EPOLL_CTL_MOD, b, EPOLLIN | EPOLLRDHUP, TOKEN), 0);
  CHECK_EQ(jasyncio__socket_close(a), 0);
  CHECK_EQ(jasyncio__epoll_wait(ep, events, 8, -1), 1);
  CHECK(events[0].events & EPOLLIN);
  CHECK(events[0].events & EPOLLRDHUP);
  CHECK_EQ(jasyncio__socket_read(b, buf, sizeof(buf)), 0);
  CHECK_EQ(jasyncio__socket_write(b, "x", 1), JASYNCIO__ERR(EPIPE));

  /* Half-close: shutdown(SHUT_WR) makes the peer see end of stream. */
  int64_t pair2 = jasyncio__socket_pair(SOCK_STREAM);
  CHECK(pair2 >= 0);
  int c = (int) (pair2 >> 32);
  int d = (int) (pair2 & 0xffffffff);
  CHECK_EQ(jasyncio__socket_shutdown(c, SHUT_WR), 0);
  CHECK_EQ(jasyncio__socket_read(d, buf, sizeof(buf)), 0);
  CHECK_EQ(jasyncio__socket_write(d, "y", 1), 1);
  CHECK_EQ(jasyncio__socket_read(c, buf, sizeof(buf)), 1);

  CHECK_EQ(jasyncio__epoll_ctl(ep, EPOLL_CTL_DEL, b, 0, 0), 0);
  CHECK_EQ(jasyncio__epoll_ctl(ep, EPOLL_CTL_DEL, b, 0, 0), JASYNCIO__ERR(ENOENT));
  CHECK_EQ(jasyncio__socket_close(b), 0);
  CHECK_EQ(jasyncio__socket_close(c), 0);
  CHECK_EQ(jasyncio__socket_close(d), 0);
  CHECK_EQ(jasyncio__socket_close(ep), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

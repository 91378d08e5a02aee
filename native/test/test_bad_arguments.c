/*
 * Bad arguments are refused before any system call (or by the kernel) with -EBADF, -EINVAL or
 * -EFAULT, and a zero address is never dereferenced.
 */
#include <limits.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "jasyncio_test.h"

/*
 * Valgrind rightly reports a system call given unmapped memory, which is what the EFAULT probes
 * below do on purpose; under valgrind they are left out so that its report stays meaningful.
 */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif

int main(void) {
  int fds_before = test_open_fds();
  struct epoll_event events[4];
  char buf[16] = "0123456789abcdef";

  int ep = jasyncio__epoll_create();
  CHECK(ep >= 0);
  int64_t pair = jasyncio__socket_pair(SOCK_STREAM);
  CHECK(pair >= 0);
  int a = (int) (pair >> 32);
  int b = (int) (pair & 0xffffffff);
  /* A descriptor that was valid and is closed now. */
  int closed = jasyncio__wakeup_create();
  CHECK(closed >= 0);
  CHECK_EQ(jasyncio__socket_close(closed), 0);

  const int bad_fds[] = {-1, INT_MIN, INT_MAX, closed};
  for (size_t i = 0; i < sizeof(bad_fds) / sizeof(bad_fds[0]); i++) {
    int fd = bad_fds[i];
    CHECK_EQ(jasyncio__epoll_ctl(fd, EPOLL_CTL_ADD, a, EPOLLIN, 0), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__epoll_ctl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, 0), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__epoll_wait(fd, events, 4, 0), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__epoll_wait_ms(fd, events, 4, 0), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__wakeup_signal(fd), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__wakeup_drain(fd), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__socket_read(fd, buf, sizeof(buf)), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__socket_write(fd, buf, sizeof(buf)), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__socket_shutdown(fd, SHUT_RDWR), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__socket_close(fd), JASYNCIO__ERR(EBADF));
  }

  /* A descriptor that is open but of the wrong kind. */
  CHECK_EQ(jasyncio__epoll_wait(a, events, 4, 0), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__socket_shutdown(ep, SHUT_RDWR), JASYNCIO__ERR(ENOTSOCK));
  CHECK_EQ(jasyncio__epoll_ctl(ep, 12345, a, EPOLLIN, 0), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__epoll_ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0), JASYNCIO__ERR(EINVAL));

  /* Lengths and addresses. */
  CHECK_EQ(jasyncio__epoll_wait(ep, events, 0, 0), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__epoll_wait(ep, events, -1, 0), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__epoll_wait(ep, NULL, 4, 0), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__epoll_wait_ns(ep, NULL, 4, 0), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__epoll_wait_ms(ep, NULL, 4, 0), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__socket_read(a, buf, -1), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__socket_write(a, buf, INT_MIN), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__socket_read(a, NULL, 16), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__socket_write(a, NULL, 16), JASYNCIO__ERR(EFAULT));
  /* A zero address with zero length is a valid empty transfer. */
  CHECK_EQ(jasyncio__socket_write(a, NULL, 0), 0);
  CHECK_EQ(jasyncio__socket_read(b, NULL, 0), 0);
  /* A non-zero address that is not mapped: the kernel refuses it while copying. */
  CHECK_EQ(jasyncio__socket_write(a, buf, sizeof(buf)), (int) sizeof(buf));
  if (!UNDER_VALGRIND()) {
    CHECK_EQ(jasyncio__socket_read(b, (void *) 16, sizeof(buf)), JASYNCIO__ERR(EFAULT));
    CHECK_EQ(jasyncio__socket_write(a, (const void *) 16, sizeof(buf)), JASYNCIO__ERR(EFAULT));
  } else {
    CHECK_EQ(jasyncio__socket_read(b, buf, sizeof(buf)), (int) sizeof(buf));
  }

  CHECK(jasyncio__socket_pair(12345) < 0);
  CHECK_EQ(jasyncio__socket_pair(12345), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__socket_shutdown(a, 12345), JASYNCIO__ERR(EINVAL));

  CHECK_EQ(jasyncio__socket_close(a), 0);
  CHECK_EQ(jasyncio__socket_close(b), 0);
  CHECK_EQ(jasyncio__socket_close(ep), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

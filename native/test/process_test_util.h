/* Helpers shared by the child-process and pipe tests (native/test only). */
#ifndef PROCESS_TEST_UTIL_H
#define PROCESS_TEST_UTIL_H

#include <poll.h>
#include <string.h>
#include <sys/wait.h>

#include "jasyncio_test.h"
#include "process.h"

/* Blocks until fd is readable (a pidfd: the child has exited); ctest's timeout bounds the wait. */
static inline void wait_readable(int fd) {
  struct pollfd p = {.fd = fd, .events = POLLIN, .revents = 0};
  int rc;
  do {
    rc = poll(&p, 1, -1);
  } while (rc < 0 && errno == EINTR);
  CHECK_EQ(rc, 1);
  CHECK((p.revents & POLLIN) != 0);
}

/* Whether this process has no child at all, reaped or not (waitid says ECHILD). */
static inline int no_child_left(void) {
  siginfo_t info;
  memset(&info, 0, sizeof(info));
  return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 && errno == ECHILD;
}

/* Splits jasyncio__pipe_create's result; fails the test on an error. */
static inline void pipe_ends(int64_t pair, int *read_end, int *write_end) {
  CHECK(pair >= 0);
  *read_end = (int) (pair >> 32);
  *write_end = (int) (pair & 0xffffffff);
}

#endif /* PROCESS_TEST_UTIL_H */

/* The wake-up eventfd: signals accumulate, drain resets, and a signal wakes a blocked wait. */
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jasyncio_test.h"

#define WAKE_TOKEN UINT64_MAX

int main(void) {
  int fds_before = test_open_fds();
  struct epoll_event events[4];

  int ep = jasyncio__epoll_create();
  CHECK(ep >= 0);
  int efd = jasyncio__wakeup_create();
  CHECK(efd >= 0);
  CHECK_EQ(jasyncio__epoll_ctl(ep, EPOLL_CTL_ADD, efd, EPOLLIN, WAKE_TOKEN), 0);

  CHECK_EQ(jasyncio__wakeup_drain(efd), 0);
  CHECK_EQ(jasyncio__wakeup_signal(efd), 0);
  CHECK_EQ(jasyncio__wakeup_signal(efd), 0);
  CHECK_EQ(jasyncio__epoll_wait(ep, events, 4, -1), 1);
  CHECK_EQ(events[0].data.u64, WAKE_TOKEN);
  CHECK_EQ(jasyncio__wakeup_drain(efd), 2);
  CHECK_EQ(jasyncio__wakeup_drain(efd), 0);
  CHECK_EQ(jasyncio__epoll_wait(ep, events, 4, 0), 0);

  /* A saturated counter refuses the next write with EAGAIN: it is readable already, success. */
  uint64_t almost_full = UINT64_MAX - 1;
  CHECK_EQ(write(efd, &almost_full, sizeof(almost_full)), (ssize_t) sizeof(almost_full));
  CHECK_EQ(jasyncio__wakeup_signal(efd), 0);
  CHECK_EQ(jasyncio__wakeup_drain(efd), INT32_MAX);
  CHECK_EQ(jasyncio__wakeup_drain(efd), 0);

  /* Another process signals while this one waits without a timeout. */
  pid_t child = fork();
  CHECK(child >= 0);
  if (child == 0) {
    usleep(20000);
    _exit(jasyncio__wakeup_signal(efd) == 0 ? 0 : 1);
  }
  CHECK_EQ(jasyncio__epoll_wait(ep, events, 4, -1), 1);
  CHECK_EQ(events[0].data.u64, WAKE_TOKEN);
  CHECK_EQ(jasyncio__wakeup_drain(efd), 1);
  int status;
  CHECK_EQ(waitpid(child, &status, 0), child);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  CHECK_EQ(jasyncio__socket_close(efd), 0);
  CHECK_EQ(jasyncio__socket_close(ep), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

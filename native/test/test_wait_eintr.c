/*
 * A signal arriving during the poller's wait does not end it early: epoll_wait and epoll_pwait2
 * fail with EINTR whatever SA_RESTART says, and the wait resumes with the time left until its
 * deadline. The signal here is a repeating SIGALRM (setitimer) whose handler does nothing and is
 * installed without SA_RESTART, as a JVM's or a user's handler may be; each wait must end no
 * earlier than its timeout, with no events, after the handler has run at least twice during it.
 */
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/time.h>

#include "jasyncio_test.h"

#define WAIT_NS INT64_C(200000000)
#define TICK_US 30000

typedef int (*wait_fn)(int, struct epoll_event *, int, int64_t);

static volatile sig_atomic_t alarms;

static void on_alarm(int signum) {
  (void) signum;
  alarms++;
}

static void set_ticks(long interval_us) {
  struct itimerval timer;
  memset(&timer, 0, sizeof(timer));
  timer.it_interval.tv_usec = interval_us;
  timer.it_value.tv_usec = interval_us;
  CHECK_EQ(setitimer(ITIMER_REAL, &timer, NULL), 0);
}

static void check_resumes(const char *name, wait_fn wait, int ep) {
  struct epoll_event events[4];
  alarms = 0;
  set_ticks(TICK_US);
  int64_t start = test_now_ns();
  int rc = wait(ep, events, 4, WAIT_NS);
  int64_t elapsed = test_now_ns() - start;
  set_ticks(0);
  if (rc != 0 || elapsed < WAIT_NS || alarms < 2) {
    fprintf(stderr, "%s: a wait of %lld ns interrupted by %d signals returned %d after %lld ns\n",
            name, (long long) WAIT_NS, (int) alarms, rc, (long long) elapsed);
    exit(1);
  }
}

int main(void) {
  int fds_before = test_open_fds();

  struct sigaction action, previous;
  memset(&action, 0, sizeof(action));
  action.sa_handler = on_alarm;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0; /* no SA_RESTART: the wait sees EINTR */
  CHECK_EQ(sigaction(SIGALRM, &action, &previous), 0);

  int ep = jasyncio__epoll_create();
  CHECK(ep >= 0);

  check_resumes("jasyncio__epoll_wait", jasyncio__epoll_wait, ep);
  check_resumes("epoll_wait (ms)", jasyncio__epoll_wait_ms, ep);
  if (jasyncio__epoll_has_pwait2())
    check_resumes("epoll_pwait2", jasyncio__epoll_wait_ns, ep);
  else
    fprintf(stderr, "epoll_pwait2 unavailable here: only the millisecond wait was interrupted\n");

  CHECK_EQ(sigaction(SIGALRM, &previous, NULL), 0);
  CHECK_EQ(jasyncio__socket_close(ep), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

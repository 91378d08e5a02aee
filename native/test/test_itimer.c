/*
 * itimer.c: alarm returns what was left, setitimer/getitimer round-trip microseconds, a real
 * timer delivers SIGALRM (waited for with sigwait, the signal blocked), and refusals.
 */
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include "jasyncio_test.h"

int main(void) {
  CHECK_EQ(jasyncio__itimer_alarm(0), 0);
  CHECK_EQ(jasyncio__itimer_alarm(100), 0);
  int left = jasyncio__itimer_alarm(0);
  CHECK(left >= 99 && left <= 100);
  CHECK_EQ(jasyncio__itimer_alarm(-1), JASYNCIO__ERR(EINVAL));

  int64_t values[4] = {5000000, 250000, -1, -1};
  CHECK_EQ(jasyncio__itimer_set(ITIMER_REAL, values), 0);
  CHECK_EQ(values[2], 0);
  CHECK_EQ(values[3], 0);
  CHECK_EQ(jasyncio__itimer_get(ITIMER_REAL, values), 0);
  CHECK(values[2] > 4000000 && values[2] <= 5000000);
  CHECK_EQ(values[3], 250000);

  /* A 20 ms one-shot delivers SIGALRM. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGALRM);
  CHECK_EQ(sigprocmask(SIG_BLOCK, &set, NULL), 0);
  int64_t shot[4] = {20000, 0, 0, 0};
  int64_t t0 = test_now_ns();
  CHECK_EQ(jasyncio__itimer_set(ITIMER_REAL, shot), 0);
  CHECK(shot[2] > 0);
  int sig = 0;
  CHECK_EQ(sigwait(&set, &sig), 0);
  CHECK_EQ(sig, SIGALRM);
  CHECK(test_now_ns() - t0 >= 19000000);
  CHECK_EQ(jasyncio__itimer_get(ITIMER_REAL, values), 0);
  CHECK_EQ(values[2], 0);

  int64_t bad[4] = {-1, 0, 0, 0};
  CHECK_EQ(jasyncio__itimer_set(ITIMER_REAL, bad), JASYNCIO__ERR(EINVAL));
  int64_t zero[4] = {0, 0, 0, 0};
  CHECK_EQ(jasyncio__itimer_set(99, zero), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__itimer_get(99, zero), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__itimer_set(ITIMER_REAL, NULL), JASYNCIO__ERR(EFAULT));
  return 0;
}

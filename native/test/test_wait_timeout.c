/*
 * Timed waits never end early: epoll_pwait2 (nanosecond timeouts) and the epoll_wait fallback
 * (milliseconds, rounded up) both wait at least the timeout, and a sub-millisecond wait on the
 * fallback sleeps a whole millisecond instead of returning at once.
 */
#include <sys/epoll.h>

#include "jasyncio_test.h"

typedef int (*wait_fn)(int, struct epoll_event *, int, int64_t);

static const int64_t timeouts_ns[] = {1, 1000, 999999, 1000000, 1000001, 1500000, 5000000};

static void check_never_early(const char *name, wait_fn wait, int ep) {
  struct epoll_event events[4];
  for (size_t i = 0; i < sizeof(timeouts_ns) / sizeof(timeouts_ns[0]); i++) {
    int64_t timeout = timeouts_ns[i];
    int64_t start = test_now_ns();
    CHECK_EQ(wait(ep, events, 4, timeout), 0);
    int64_t elapsed = test_now_ns() - start;
    if (elapsed < timeout) {
      fprintf(stderr, "%s: a wait of %lld ns returned after %lld ns\n", name, (long long) timeout,
              (long long) elapsed);
      exit(1);
    }
  }
  int64_t start = test_now_ns();
  CHECK_EQ(wait(ep, events, 4, 0), 0);
  CHECK(test_now_ns() - start < 1000000000);
}

int main(void) {
  int fds_before = test_open_fds();
  int ep = jasyncio__epoll_create();
  CHECK(ep >= 0);

  check_never_early("epoll_wait (ms)", jasyncio__epoll_wait_ms, ep);
  /* The fallback rounds up: 1 ns becomes a 1 ms sleep, never epoll_wait(..., 0). */
  struct epoll_event events[4];
  int64_t start = test_now_ns();
  CHECK_EQ(jasyncio__epoll_wait_ms(ep, events, 4, 1), 0);
  CHECK(test_now_ns() - start >= 1000000);

  check_never_early("jasyncio__epoll_wait", jasyncio__epoll_wait, ep);
  int skipped = 0;
  if (jasyncio__epoll_has_pwait2()) {
    check_never_early("epoll_pwait2", jasyncio__epoll_wait_ns, ep);
  } else {
    fprintf(stderr, "epoll_pwait2 unavailable here (kernel < 5.11, seccomp or valgrind): "
                    "only the millisecond fallback was tested\n");
    skipped = 1;
  }

  CHECK_EQ(jasyncio__socket_close(ep), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  (void) skipped;
  return 0;
}

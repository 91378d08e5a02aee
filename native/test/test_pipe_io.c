/*
 * socket_read/pipe_write on a non-blocking pipe: bytes in order, -EAGAIN when empty and when full
 * (after exactly the pipe's capacity), a short write into the room left, 0 at end of stream once
 * the writer is gone, and -EPIPE (not a SIGPIPE death: it is ignored here as the JVM ignores it)
 * once the reader is gone.
 */
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "process_test_util.h"

int main(void) {
  int fds_before = test_open_fds();
  struct sigaction ignore, old;
  memset(&ignore, 0, sizeof(ignore));
  ignore.sa_handler = SIG_IGN;
  CHECK_EQ(sigaction(SIGPIPE, &ignore, &old), 0);

  int r, w;
  pipe_ends(jasyncio__pipe_create(3), &r, &w);
  char buf[4096];

  CHECK_EQ(jasyncio__socket_read(r, buf, sizeof(buf)), JASYNCIO__ERR(EAGAIN));
  CHECK_EQ(jasyncio__pipe_write(w, "hello, ", 7), 7);
  CHECK_EQ(jasyncio__pipe_write(w, "pipe", 4), 4);
  CHECK_EQ(jasyncio__socket_read(r, buf, 5), 5);
  CHECK(memcmp(buf, "hello", 5) == 0);
  CHECK_EQ(jasyncio__socket_read(r, buf, sizeof(buf)), 6);
  CHECK(memcmp(buf, ", pipe", 6) == 0);
  CHECK_EQ(jasyncio__socket_read(r, buf, sizeof(buf)), JASYNCIO__ERR(EAGAIN));
  CHECK_EQ(jasyncio__socket_read(r, buf, 0), 0);

  /* Fill it: writes of a page are all-or-nothing (<= PIPE_BUF), so the total is the capacity. */
  int capacity = fcntl(w, F_GETPIPE_SZ);
  CHECK(capacity > 0);
  memset(buf, 'f', sizeof(buf));
  int total = 0;
  int n;
  while ((n = jasyncio__pipe_write(w, buf, sizeof(buf))) > 0)
    total += n;
  CHECK_EQ(n, JASYNCIO__ERR(EAGAIN));
  CHECK_EQ(total, capacity);
  CHECK_EQ(jasyncio__pipe_write(w, buf, 1), JASYNCIO__ERR(EAGAIN));

  /* Room for one page: a larger write is short, taking what fits. */
  CHECK_EQ(jasyncio__socket_read(r, buf, sizeof(buf)), (int) sizeof(buf));
  char big[3 * 4096];
  memset(big, 'g', sizeof(big));
  CHECK_EQ(jasyncio__pipe_write(w, big, sizeof(big)), (int) sizeof(buf));
  CHECK_EQ(jasyncio__pipe_write(w, big, sizeof(big)), JASYNCIO__ERR(EAGAIN));

  /* Drain; then the writer goes: end of stream. */
  int drained = 0;
  while ((n = jasyncio__socket_read(r, buf, sizeof(buf))) > 0)
    drained += n;
  CHECK_EQ(n, JASYNCIO__ERR(EAGAIN));
  CHECK_EQ(drained, capacity);
  CHECK_EQ(close(w), 0);
  CHECK_EQ(jasyncio__socket_read(r, buf, sizeof(buf)), 0);
  CHECK_EQ(close(r), 0);

  /* The reader goes: the writer's next write is -EPIPE, and this process is still here. */
  pipe_ends(jasyncio__pipe_create(3), &r, &w);
  CHECK_EQ(close(r), 0);
  CHECK_EQ(jasyncio__pipe_write(w, "x", 1), JASYNCIO__ERR(EPIPE));
  CHECK_EQ(close(w), 0);

  CHECK_EQ(sigaction(SIGPIPE, &old, NULL), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

/*
 * pipe_create: both ends close-on-exec for every `nonblock` value, O_NONBLOCK on exactly the
 * end(s) it names (O_NONBLOCK is per open file description, so one end can block while the other
 * does not), a 1 MiB buffer for a pipe we read from when the kernel allows it, and the default
 * for one we write to. pipe_open_devnull: read-write and close-on-exec.
 */
#include <fcntl.h>
#include <unistd.h>

#include "process_test_util.h"

static int nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  CHECK(flags >= 0);
  return (flags & O_NONBLOCK) != 0;
}

static int cloexec(int fd) {
  int flags = fcntl(fd, F_GETFD);
  CHECK(flags >= 0);
  return (flags & FD_CLOEXEC) != 0;
}

/* Whether this process may grow a pipe to 1 MiB (pipe-max-size, pipe-user-pages-soft). */
static int may_grow_pipes(void) {
  int fds[2];
  CHECK_EQ(pipe2(fds, O_CLOEXEC), 0);
  int grown = fcntl(fds[0], F_SETPIPE_SZ, 1 << 20) >= 0;
  CHECK_EQ(close(fds[0]), 0);
  CHECK_EQ(close(fds[1]), 0);
  return grown;
}

int main(void) {
  int fds_before = test_open_fds();
  for (int nonblock = 0; nonblock <= 3; nonblock++) {
    int r, w;
    pipe_ends(jasyncio__pipe_create(nonblock), &r, &w);
    CHECK(r != w);
    CHECK(cloexec(r));
    CHECK(cloexec(w));
    CHECK_EQ(nonblocking(r), (nonblock & 1) != 0);
    CHECK_EQ(nonblocking(w), (nonblock & 2) != 0);
    CHECK_EQ(fcntl(r, F_GETFL) & O_ACCMODE, O_RDONLY);
    CHECK_EQ(fcntl(w, F_GETFL) & O_ACCMODE, O_WRONLY);
    /* The two ends are one pipe. */
    CHECK_EQ(jasyncio__pipe_write(w, "x", 1), 1);
    char c = 0;
    CHECK_EQ(jasyncio__socket_read(r, &c, 1), 1);
    CHECK_EQ(c, 'x');
    int size = fcntl(r, F_GETPIPE_SZ);
    if (nonblock == 1 && may_grow_pipes())
      CHECK_EQ(size, 1 << 20);
    else if (nonblock != 1)
      CHECK_EQ(size, 65536); /* Linux's default: 16 pages of 4 KiB */
    CHECK_EQ(close(r), 0);
    CHECK_EQ(close(w), 0);
  }

  int devnull = jasyncio__pipe_open_devnull();
  CHECK(devnull >= 0);
  CHECK(cloexec(devnull));
  CHECK_EQ(fcntl(devnull, F_GETFL) & O_ACCMODE, O_RDWR);
  CHECK_EQ(jasyncio__pipe_write(devnull, "gone", 4), 4);
  char buf[4];
  CHECK_EQ(jasyncio__socket_read(devnull, buf, sizeof(buf)), 0);
  CHECK_EQ(close(devnull), 0);

  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

/*
 * pipe_prepare, the check connectReadPipe/connectWritePipe make: a pipe or FIFO is 1, a socket 2,
 * a character device 3, each left non-blocking (only its own open file description: a FIFO's
 * other end keeps its mode); a regular file or a directory is -EINVAL and left as it was.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "process_test_util.h"

static int nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  CHECK(flags >= 0);
  return (flags & O_NONBLOCK) != 0;
}

int main(void) {
  int fds_before = test_open_fds();

  int r, w;
  pipe_ends(jasyncio__pipe_create(0), &r, &w);
  CHECK(!nonblocking(r));
  CHECK_EQ(jasyncio__pipe_prepare(r), 1);
  CHECK(nonblocking(r));
  CHECK(!nonblocking(w));
  CHECK_EQ(jasyncio__pipe_prepare(r), 1); /* again: already non-blocking */
  CHECK_EQ(close(r), 0);
  CHECK_EQ(close(w), 0);

  char dir[] = "/tmp/jasyncio-fifo-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char fifo[64];
  snprintf(fifo, sizeof(fifo), "%s/f", dir);
  CHECK_EQ(mkfifo(fifo, 0600), 0);
  /* O_RDWR: a FIFO open that does not wait for a peer (Linux). */
  int f = open(fifo, O_RDWR | O_CLOEXEC);
  CHECK(f >= 0);
  CHECK_EQ(jasyncio__pipe_prepare(f), 1);
  CHECK(nonblocking(f));
  CHECK_EQ(close(f), 0);
  CHECK_EQ(unlink(fifo), 0);

  int sv[2];
  CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  CHECK_EQ(jasyncio__pipe_prepare(sv[0]), 2);
  CHECK(nonblocking(sv[0]));
  CHECK_EQ(close(sv[0]), 0);
  CHECK_EQ(close(sv[1]), 0);

  int zero = open("/dev/zero", O_RDONLY | O_CLOEXEC);
  CHECK(zero >= 0);
  CHECK_EQ(jasyncio__pipe_prepare(zero), 3);
  CHECK(nonblocking(zero));
  CHECK_EQ(close(zero), 0);

  char file[64];
  snprintf(file, sizeof(file), "%s/regular", dir);
  int reg = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  CHECK(reg >= 0);
  CHECK_EQ(jasyncio__pipe_prepare(reg), JASYNCIO__ERR(EINVAL));
  CHECK(!nonblocking(reg));
  CHECK_EQ(close(reg), 0);
  CHECK_EQ(unlink(file), 0);
  int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  CHECK(d >= 0);
  CHECK_EQ(jasyncio__pipe_prepare(d), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(close(d), 0);
  CHECK_EQ(rmdir(dir), 0);

  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

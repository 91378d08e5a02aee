/*
 * file_open: a read-only, close-on-exec descriptor sendfile can use, its size from fstat, and
 * -errno for a missing path, a directory written to, an empty path and a NULL one.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "sock_test_util.h"

int main(void) {
  int fds_before = test_open_fds();
  char path[] = "/tmp/jasyncio-file-open-XXXXXX";
  int writer = mkstemp(path);
  CHECK(writer >= 0);
  CHECK_EQ(write(writer, "0123456789", 10), 10);

  int fd = jasyncio__file_open(path);
  CHECK(fd >= 0);
  CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
  CHECK_EQ(jasyncio__file_size(fd), 10);
  CHECK_EQ(write(fd, "x", 1), -1); /* read-only */

  /* The descriptor feeds sendfile: the point of opening it here. */
  int64_t pair = jasyncio__socket_pair(SOCK_STREAM);
  CHECK(pair >= 0);
  int a = (int) (pair >> 32);
  int b = (int) (pair & 0xffffffff);
  char buf[16];
  CHECK_EQ(jasyncio__sock_sendfile(a, fd, 2, 3), 3);
  CHECK_EQ(jasyncio__socket_read(b, buf, sizeof(buf)), 3);
  CHECK(memcmp(buf, "234", 3) == 0);

  CHECK_EQ(unlink(path), 0);
  CHECK_EQ(jasyncio__file_open(path), JASYNCIO__ERR(ENOENT));
  CHECK_EQ(jasyncio__file_open(""), JASYNCIO__ERR(ENOENT));
  CHECK_EQ(jasyncio__file_open(NULL), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__file_size(-1), JASYNCIO__ERR(EBADF));

  /* A directory opens read-only (sendfile then fails with EINVAL, which is the caller's to report). */
  int dir = jasyncio__file_open("/tmp");
  CHECK(dir >= 0);
  CHECK_EQ(jasyncio__sock_sendfile(a, dir, 0, 1), JASYNCIO__ERR(EINVAL));

  CHECK_EQ(jasyncio__socket_close(dir), 0);
  CHECK_EQ(jasyncio__socket_close(a), 0);
  CHECK_EQ(jasyncio__socket_close(b), 0);
  CHECK_EQ(jasyncio__socket_close(fd), 0);
  CHECK_EQ(close(writer), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

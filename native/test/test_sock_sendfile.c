/* sendfile from a temporary file to a socket, from an offset; the file's position stays put. */
#include <stdlib.h>
#include <unistd.h>

#include "sock_test_util.h"

int main(void) {
  int fds_before = test_open_fds();
  char path[] = "/tmp/jasyncio-sendfile-XXXXXX";
  int file = mkstemp(path);
  CHECK(file >= 0);
  CHECK_EQ(unlink(path), 0);
  CHECK_EQ(write(file, "0123456789", 10), 10);

  int64_t pair = jasyncio__socket_pair(SOCK_STREAM);
  CHECK(pair >= 0);
  int a = (int) (pair >> 32);
  int b = (int) (pair & 0xffffffff);
  char buf[16];

  CHECK_EQ(jasyncio__sock_sendfile(a, file, 4, 100), 6);
  CHECK_EQ(jasyncio__socket_read(b, buf, sizeof(buf)), 6);
  CHECK(memcmp(buf, "456789", 6) == 0);
  CHECK_EQ(jasyncio__sock_sendfile(a, file, 10, 100), 0);
  CHECK_EQ(lseek(file, 0, SEEK_CUR), 10);

  CHECK_EQ(jasyncio__sock_sendfile(-1, file, 0, 1), JASYNCIO__ERR(EBADF));
  CHECK_EQ(jasyncio__sock_sendfile(a, -1, 0, 1), JASYNCIO__ERR(EBADF));
  CHECK_EQ(jasyncio__sock_sendfile(a, file, -1, 1), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__sock_sendfile(a, file, 0, -1), JASYNCIO__ERR(EINVAL));

  CHECK_EQ(jasyncio__socket_close(a), 0);
  CHECK_EQ(jasyncio__socket_close(b), 0);
  CHECK_EQ(jasyncio__socket_close(file), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

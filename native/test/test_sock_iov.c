/* writev of three buffers arrives whole; readv scatters it back over two, in order. */
#include <sys/uio.h>

#include "sock_test_util.h"

int main(void) {
  int fds_before = test_open_fds();
  int64_t pair = jasyncio__socket_pair(SOCK_STREAM);
  CHECK(pair >= 0);
  int a = (int) (pair >> 32);
  int b = (int) (pair & 0xffffffff);

  struct iovec out[3] = {{"abc", 3}, {"", 0}, {"defgh", 5}};
  CHECK_EQ(jasyncio__sock_writev(a, out, 3), 8);
  char first[5], second[16];
  struct iovec in[2] = {{first, sizeof(first)}, {second, sizeof(second)}};
  CHECK_EQ(jasyncio__sock_readv(b, in, 2), 8);
  CHECK(memcmp(first, "abcde", 5) == 0);
  CHECK(memcmp(second, "fgh", 3) == 0);
  CHECK_EQ(jasyncio__sock_readv(b, in, 2), JASYNCIO__ERR(EAGAIN));
  /* No iovecs: nothing to do, nothing read or written. */
  CHECK_EQ(jasyncio__sock_writev(a, NULL, 0), 0);

  /* A closed peer is -EPIPE, not a SIGPIPE that would kill this process. */
  CHECK_EQ(jasyncio__socket_close(b), 0);
  CHECK_EQ(jasyncio__sock_writev(a, out, 3), JASYNCIO__ERR(EPIPE));
  CHECK_EQ(jasyncio__socket_close(a), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

/*
 * The socket calls refuse bad arguments before any system call: a negative descriptor is -EBADF,
 * a negative length or count -EINVAL, a zero address with a non-zero length -EFAULT.
 */
#include <limits.h>
#include <sys/uio.h>

#include "sock_test_util.h"

int main(void) {
  int fds_before = test_open_fds();
  char buf[16];
  struct sockaddr_storage addr;
  int len = loopback(AF_INET, &addr);
  int32_t cap = (int32_t) sizeof(addr);
  struct iovec iov[1] = {{buf, sizeof(buf)}};

  const int bad_fds[] = {-1, INT_MIN};
  for (size_t i = 0; i < sizeof(bad_fds) / sizeof(bad_fds[0]); i++) {
    int fd = bad_fds[i];
    CHECK_EQ(jasyncio__sock_bind(fd, &addr, len), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_listen(fd, 1), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_accept(fd, &addr, &cap), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_connect(fd, &addr, len), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_getsockname(fd, &addr, len), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_getpeername(fd, &addr, len), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_recv(fd, buf, 1, 0), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_send(fd, buf, 1, 0), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_readv(fd, iov, 1), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_writev(fd, iov, 1), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_recvfrom(fd, buf, 1, 0, NULL, NULL), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_sendto(fd, buf, 1, 0, &addr, len), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_setopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_getopt_int(fd, SOL_SOCKET, SO_ERROR), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_set_linger(fd, 1), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__sock_get_linger(fd), JASYNCIO__ERR(EBADF));
  }

  int fd = jasyncio__sock_socket(AF_INET, SOCK_DGRAM, 0);
  CHECK(fd >= 0);
  CHECK_EQ(jasyncio__sock_bind(fd, &addr, -1), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__sock_bind(fd, NULL, len), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__sock_connect(fd, &addr, INT_MIN), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__sock_connect(fd, NULL, len), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__sock_getsockname(fd, &addr, -1), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__sock_getpeername(fd, NULL, len), JASYNCIO__ERR(EFAULT));
  int32_t negative = -1;
  CHECK_EQ(jasyncio__sock_accept(fd, &addr, &negative), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__sock_accept(fd, NULL, &cap), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__sock_accept(fd, &addr, NULL), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__sock_recv(fd, buf, -1, 0), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__sock_recv(fd, NULL, 1, 0), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__sock_send(fd, buf, INT_MIN, 0), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__sock_send(fd, NULL, 1, 0), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__sock_readv(fd, iov, -1), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__sock_readv(fd, iov, IOV_MAX + 1), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__sock_readv(fd, NULL, 1), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__sock_writev(fd, iov, -1), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__sock_writev(fd, NULL, 1), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__sock_recvfrom(fd, buf, -1, 0, NULL, NULL), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__sock_recvfrom(fd, buf, 1, 0, &addr, NULL), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__sock_recvfrom(fd, buf, 1, 0, &addr, &negative), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__sock_sendto(fd, buf, 1, 0, &addr, -1), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__sock_sendto(fd, buf, 1, 0, NULL, len), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__sock_socket(12345, SOCK_STREAM, 0), JASYNCIO__ERR(EAFNOSUPPORT));
  /* An address too short for its family. */
  CHECK_EQ(jasyncio__sock_bind(fd, &addr, 4), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__socket_close(fd), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

/* Integer options read back what was set; SO_LINGER's encoding; SO_TYPE; bad levels refused. */
#include <netinet/tcp.h>

#include "sock_test_util.h"

int main(void) {
  int fds_before = test_open_fds();
  int fd = jasyncio__sock_socket(AF_INET, SOCK_STREAM, 0);
  CHECK(fd >= 0);
  const int booleans[][2] = {{SOL_SOCKET, SO_REUSEADDR}, {SOL_SOCKET, SO_REUSEPORT},
                             {SOL_SOCKET, SO_KEEPALIVE}, {SOL_SOCKET, SO_BROADCAST},
                             {IPPROTO_TCP, TCP_NODELAY}};
  for (size_t i = 0; i < sizeof(booleans) / sizeof(booleans[0]); i++) {
    CHECK_EQ(jasyncio__sock_getopt_int(fd, booleans[i][0], booleans[i][1]), 0);
    CHECK_EQ(jasyncio__sock_setopt_int(fd, booleans[i][0], booleans[i][1], 1), 0);
    CHECK_EQ(jasyncio__sock_getopt_int(fd, booleans[i][0], booleans[i][1]), 1);
  }
  /* Linux doubles a buffer size it is given (for its bookkeeping). */
  CHECK_EQ(jasyncio__sock_setopt_int(fd, SOL_SOCKET, SO_RCVBUF, 8192), 0);
  CHECK_EQ(jasyncio__sock_getopt_int(fd, SOL_SOCKET, SO_RCVBUF), 16384);
  CHECK_EQ(jasyncio__sock_getopt_int(fd, SOL_SOCKET, SO_TYPE), SOCK_STREAM);

  CHECK_EQ(jasyncio__sock_get_linger(fd), 0);
  CHECK_EQ(jasyncio__sock_set_linger(fd, 5), 0);
  CHECK_EQ(jasyncio__sock_get_linger(fd), 6);
  CHECK_EQ(jasyncio__sock_set_linger(fd, 0), 0);
  CHECK_EQ(jasyncio__sock_get_linger(fd), 1);
  CHECK_EQ(jasyncio__sock_set_linger(fd, -1), 0);
  CHECK_EQ(jasyncio__sock_get_linger(fd), 0);

  CHECK_EQ(jasyncio__sock_getopt_int(fd, 12345, SO_ERROR), JASYNCIO__ERR(EOPNOTSUPP));
  /* IPV6_V6ONLY on an IPv4 socket. */
  CHECK(jasyncio__sock_setopt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1) < 0);
  CHECK_EQ(jasyncio__socket_close(fd), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

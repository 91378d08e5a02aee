/*
 * A non-blocking connect to a loopback port nobody listens on: -EINPROGRESS (or an immediate
 * -ECONNREFUSED), then writable with SO_ERROR = ECONNREFUSED. The port is one the kernel gave a
 * socket that is closed before the connect, so nothing else holds it.
 */
#include "sock_test_util.h"

int main(void) {
  int fds_before = test_open_fds();
  struct sockaddr_storage addr;
  int len = loopback(AF_INET, &addr);

  int probe = jasyncio__sock_socket(AF_INET, SOCK_STREAM, 0);
  CHECK(probe >= 0);
  CHECK_EQ(jasyncio__sock_bind(probe, &addr, len), 0);
  CHECK_EQ(jasyncio__sock_getsockname(probe, &addr, (int) sizeof(addr)), len);
  CHECK_EQ(jasyncio__socket_close(probe), 0);

  int client = jasyncio__sock_socket(AF_INET, SOCK_STREAM, 0);
  CHECK(client >= 0);
  int rc = jasyncio__sock_connect(client, &addr, len);
  if (rc == JASYNCIO__ERR(EINPROGRESS)) {
    CHECK(wait_for(client, EPOLLOUT) & (EPOLLOUT | EPOLLERR));
    CHECK_EQ(jasyncio__sock_getopt_int(client, SOL_SOCKET, SO_ERROR), ECONNREFUSED);
    /* Reading SO_ERROR clears it. */
    CHECK_EQ(jasyncio__sock_getopt_int(client, SOL_SOCKET, SO_ERROR), 0);
  } else {
    CHECK_EQ(rc, JASYNCIO__ERR(ECONNREFUSED));
  }
  CHECK_EQ(jasyncio__socket_close(client), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

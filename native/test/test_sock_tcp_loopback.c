/*
 * TCP over loopback, IPv4 then IPv6: listen on an ephemeral port, a non-blocking connect, accept4,
 * the names on both ends agree, bytes both ways, and an empty receive queue is -EAGAIN.
 * IPv6 is skipped (the IPv4 half still runs) on a kernel without it.
 */
#include <fcntl.h>

#include "sock_test_util.h"

static void round_trip(int family) {
  struct sockaddr_storage addr, peer, name;
  int len = loopback(family, &addr);
  char buf[32];

  int server = jasyncio__sock_socket(family, SOCK_STREAM, 0);
  CHECK(server >= 0);
  CHECK(fcntl(server, F_GETFL) & O_NONBLOCK);
  CHECK(fcntl(server, F_GETFD) & FD_CLOEXEC);
  CHECK_EQ(jasyncio__sock_bind(server, &addr, len), 0);
  CHECK_EQ(jasyncio__sock_listen(server, 16), 0);
  CHECK_EQ(jasyncio__sock_getsockname(server, &addr, (int) sizeof(addr)), len);
  CHECK_EQ(addr.ss_family, family);

  /* Nobody is waiting yet. */
  int32_t peer_len = (int32_t) sizeof(peer);
  CHECK_EQ(jasyncio__sock_accept(server, &peer, &peer_len), JASYNCIO__ERR(EAGAIN));

  int client = jasyncio__sock_socket(family, SOCK_STREAM, 0);
  CHECK(client >= 0);
  int rc = jasyncio__sock_connect(client, &addr, len);
  CHECK(rc == 0 || rc == JASYNCIO__ERR(EINPROGRESS));
  CHECK(wait_for(client, EPOLLOUT) & EPOLLOUT);
  CHECK_EQ(jasyncio__sock_getopt_int(client, SOL_SOCKET, SO_ERROR), 0);

  CHECK(wait_for(server, EPOLLIN) & EPOLLIN);
  peer_len = (int32_t) sizeof(peer);
  int accepted = jasyncio__sock_accept(server, &peer, &peer_len);
  CHECK(accepted >= 0);
  CHECK_EQ(peer_len, len);
  CHECK(fcntl(accepted, F_GETFL) & O_NONBLOCK);
  CHECK(fcntl(accepted, F_GETFD) & FD_CLOEXEC);

  /* What accept saw is the client's own name; the client's peer is the server's name. */
  CHECK_EQ(jasyncio__sock_getsockname(client, &name, (int) sizeof(name)), len);
  CHECK(memcmp(&name, &peer, (size_t) len) == 0);
  CHECK_EQ(jasyncio__sock_getpeername(client, &name, (int) sizeof(name)), len);
  CHECK(memcmp(&name, &addr, (size_t) len) == 0);

  CHECK_EQ(jasyncio__sock_recv(accepted, buf, sizeof(buf), 0), JASYNCIO__ERR(EAGAIN));
  CHECK_EQ(jasyncio__sock_send(client, "ping", 4, 0), 4);
  CHECK(wait_for(accepted, EPOLLIN) & EPOLLIN);
  CHECK_EQ(jasyncio__sock_recv(accepted, buf, sizeof(buf), 0), 4);
  CHECK(memcmp(buf, "ping", 4) == 0);
  CHECK_EQ(jasyncio__sock_send(accepted, "pong", 4, 0), 4);
  CHECK(wait_for(client, EPOLLIN) & EPOLLIN);
  CHECK_EQ(jasyncio__sock_recv(client, buf, sizeof(buf), 0), 4);
  CHECK(memcmp(buf, "pong", 4) == 0);

  /* End of stream reads as 0. */
  CHECK_EQ(jasyncio__socket_close(client), 0);
  CHECK(wait_for(accepted, EPOLLIN) & EPOLLIN);
  CHECK_EQ(jasyncio__sock_recv(accepted, buf, sizeof(buf), 0), 0);
  CHECK_EQ(jasyncio__socket_close(accepted), 0);
  CHECK_EQ(jasyncio__socket_close(server), 0);
}

int main(void) {
  int fds_before = test_open_fds();
  round_trip(AF_INET);
  int probe = jasyncio__sock_socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_storage addr;
  int len = loopback(AF_INET6, &addr);
  int v6 = probe >= 0 && jasyncio__sock_bind(probe, &addr, len) == 0;
  if (probe >= 0)
    CHECK_EQ(jasyncio__socket_close(probe), 0);
  if (v6)
    round_trip(AF_INET6);
  CHECK_EQ(test_open_fds(), fds_before);
  if (!v6) {
    fprintf(stderr, "no IPv6 loopback: IPv6 half skipped\n");
    return JASYNCIO_TEST_SKIP;
  }
  return 0;
}

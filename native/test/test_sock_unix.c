/* AF_UNIX stream sockets by path and by abstract name: connect at once, accept, names, bytes. */
#include <stdio.h>
#include <sys/un.h>
#include <unistd.h>

#include "sock_test_util.h"

static void round_trip(const struct sockaddr_un *addr, int len) {
  char buf[8];
  struct sockaddr_un name;
  int server = jasyncio__sock_socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK(server >= 0);
  CHECK_EQ(jasyncio__sock_bind(server, addr, len), 0);
  CHECK_EQ(jasyncio__sock_listen(server, 4), 0);
  CHECK_EQ(jasyncio__sock_getsockname(server, &name, (int) sizeof(name)), len);
  CHECK(memcmp(&name, addr, (size_t) len) == 0);

  int client = jasyncio__sock_socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK(client >= 0);
  /* A listening Unix socket with room in its backlog accepts the connection at once. */
  CHECK_EQ(jasyncio__sock_connect(client, addr, len), 0);
  CHECK_EQ(jasyncio__sock_getpeername(client, &name, (int) sizeof(name)), len);
  CHECK(memcmp(&name, addr, (size_t) len) == 0);
  /* The client is unnamed: only the family comes back. */
  CHECK_EQ(jasyncio__sock_getsockname(client, &name, (int) sizeof(name)),
           (int) offsetof(struct sockaddr_un, sun_path));

  int accepted = jasyncio__sock_accept(server, NULL, NULL);
  CHECK(accepted >= 0);
  CHECK_EQ(jasyncio__sock_send(client, "u", 1, 0), 1);
  CHECK_EQ(jasyncio__sock_recv(accepted, buf, sizeof(buf), 0), 1);
  CHECK_EQ(buf[0], 'u');
  CHECK_EQ(jasyncio__socket_close(accepted), 0);
  CHECK_EQ(jasyncio__socket_close(client), 0);
  CHECK_EQ(jasyncio__socket_close(server), 0);
}

int main(void) {
  int fds_before = test_open_fds();
  struct sockaddr_un addr;

  memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  snprintf(addr.sun_path, sizeof(addr.sun_path), "/tmp/jasyncio-test-%d.sock", (int) getpid());
  unlink(addr.sun_path);
  round_trip(&addr, (int) (offsetof(struct sockaddr_un, sun_path) + strlen(addr.sun_path) + 1));
  CHECK_EQ(unlink(addr.sun_path), 0);

  /* The path is gone: connect is -ENOENT. */
  int client = jasyncio__sock_socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK(client >= 0);
  int len = (int) (offsetof(struct sockaddr_un, sun_path) + strlen(addr.sun_path) + 1);
  CHECK_EQ(jasyncio__sock_connect(client, &addr, len), JASYNCIO__ERR(ENOENT));
  CHECK_EQ(jasyncio__socket_close(client), 0);

  /* An abstract name: a leading NUL, its length is all there is (no terminator). */
  memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  int n = snprintf(addr.sun_path + 1, sizeof(addr.sun_path) - 1, "jasyncio-test-%d", (int) getpid());
  round_trip(&addr, (int) offsetof(struct sockaddr_un, sun_path) + 1 + n);

  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

/* UDP over IPv4 loopback: sendto, recvfrom with the sender's address, -EAGAIN when empty. */
#include "sock_test_util.h"

int main(void) {
  int fds_before = test_open_fds();
  struct sockaddr_storage a_addr, b_addr, from;
  int len = loopback(AF_INET, &a_addr);
  loopback(AF_INET, &b_addr);
  char buf[16];

  int a = jasyncio__sock_socket(AF_INET, SOCK_DGRAM, 0);
  int b = jasyncio__sock_socket(AF_INET, SOCK_DGRAM, 0);
  CHECK(a >= 0 && b >= 0);
  CHECK_EQ(jasyncio__sock_bind(a, &a_addr, len), 0);
  CHECK_EQ(jasyncio__sock_bind(b, &b_addr, len), 0);
  CHECK_EQ(jasyncio__sock_getsockname(a, &a_addr, (int) sizeof(a_addr)), len);
  CHECK_EQ(jasyncio__sock_getsockname(b, &b_addr, (int) sizeof(b_addr)), len);

  int32_t from_len = (int32_t) sizeof(from);
  CHECK_EQ(jasyncio__sock_recvfrom(b, buf, sizeof(buf), 0, &from, &from_len),
           JASYNCIO__ERR(EAGAIN));
  CHECK_EQ(jasyncio__sock_sendto(a, "dgram", 5, 0, &b_addr, len), 5);
  CHECK(wait_for(b, EPOLLIN) & EPOLLIN);
  from_len = (int32_t) sizeof(from);
  CHECK_EQ(jasyncio__sock_recvfrom(b, buf, sizeof(buf), 0, &from, &from_len), 5);
  CHECK(memcmp(buf, "dgram", 5) == 0);
  CHECK_EQ(from_len, len);
  CHECK(memcmp(&from, &a_addr, (size_t) len) == 0);

  /* An empty datagram is a datagram: 0 bytes, not end of stream. */
  CHECK_EQ(jasyncio__sock_sendto(a, NULL, 0, 0, &b_addr, len), 0);
  CHECK(wait_for(b, EPOLLIN) & EPOLLIN);
  CHECK_EQ(jasyncio__sock_recvfrom(b, buf, sizeof(buf), 0, NULL, NULL), 0);

  CHECK_EQ(jasyncio__socket_close(a), 0);
  CHECK_EQ(jasyncio__socket_close(b), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

/* errno names and messages come from one table; unknown values still get a message. */
#include <string.h>

#include "jasyncio_test.h"

int main(void) {
  char buf[128];
  CHECK(strcmp(jasyncio__errno_name(EBADF), "EBADF") == 0);
  CHECK(strcmp(jasyncio__errno_name(ECONNRESET), "ECONNRESET") == 0);
  CHECK(strcmp(jasyncio__errno_name(EAGAIN), "EAGAIN") == 0);
  CHECK(strcmp(jasyncio__errno_message(EBADF, buf, sizeof(buf)), "Bad file descriptor") == 0);
  CHECK(strcmp(jasyncio__errno_message(ECONNREFUSED, buf, sizeof(buf)), "Connection refused") == 0);
  /* The table's messages match the C library's. */
  int samples[] = {EPERM, ENOENT, EINTR, EAGAIN, EINVAL, EPIPE, EADDRINUSE, ETIMEDOUT, ECANCELED};
  for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
    char libc[128];
    CHECK(strcmp(jasyncio__errno_message(samples[i], buf, sizeof(buf)),
                 strerror_r(samples[i], libc, sizeof(libc))) == 0);
  }
  CHECK(jasyncio__errno_name(0) == NULL);
  CHECK(jasyncio__errno_name(4095) == NULL);
  CHECK(jasyncio__errno_name(-1) == NULL);
  CHECK(strstr(jasyncio__errno_message(4095, buf, sizeof(buf)), "4095") != NULL);
  return 0;
}

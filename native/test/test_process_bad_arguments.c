/*
 * Bad arguments to process.c and pipe.c are refused with -EFAULT, -EINVAL or -EBADF, without a
 * crash and without touching anyone else: a pid of 0 or below never reaches waitid or kill
 * (kill(-1) would signal every process we may signal), and nothing is spawned.
 */
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include "process_test_util.h"

int main(void) {
  int fds_before = test_open_fds();
  char *argv[] = {"/bin/true", NULL};
  const int32_t stdio[3] = {-1, -1, -1};
  int32_t out[2] = {-1, -1};
  int32_t status = 12345;
  char buf[8] = "abcdefg";

  /* spawn: NULL pointers are -EFAULT (the core's convention), an empty path -ENOENT. */
  CHECK_EQ(jasyncio__process_spawn(NULL, argv, NULL, NULL, stdio, out), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__process_spawn("/bin/true", NULL, NULL, NULL, stdio, out), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__process_spawn("/bin/true", argv, NULL, NULL, NULL, out), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__process_spawn("/bin/true", argv, NULL, NULL, stdio, NULL), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__process_spawn("", argv, NULL, NULL, stdio, out), JASYNCIO__ERR(ENOENT));
  /* A stdio slot below -1 (-1 alone means "inherit") is no descriptor. */
  const int32_t below[3] = {-1, -2, -1};
  const int32_t lowest[3] = {INT_MIN, -1, -1};
  CHECK_EQ(jasyncio__process_spawn("/bin/true", argv, NULL, NULL, below, out), JASYNCIO__ERR(EBADF));
  CHECK_EQ(jasyncio__process_spawn("/bin/true", argv, NULL, NULL, lowest, out), JASYNCIO__ERR(EBADF));
  CHECK_EQ(out[0], -1);
  CHECK(no_child_left());

  /* Descriptors: one never valid, one closed, one open that is not a pidfd. */
  int r, w;
  pipe_ends(jasyncio__pipe_create(3), &r, &w);
  int closed = jasyncio__pipe_open_devnull(); /* after the pipe, so its number stays free */
  CHECK(closed >= 0);
  CHECK_EQ(close(closed), 0);

  /* reap */
  CHECK_EQ(jasyncio__process_reap(-1, 0, &status), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__process_reap(-1, -1, &status), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__process_reap(-1, INT_MIN, &status), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__process_reap(-1, 1, NULL), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__process_reap(-1, 1, &status), JASYNCIO__ERR(ECHILD)); /* init: not ours */
  if (jasyncio__process_has_pidfd()) {
    CHECK_EQ(jasyncio__process_reap(closed, 0, &status), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__process_reap(INT_MAX, 0, &status), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__process_reap(r, 0, &status), JASYNCIO__ERR(EBADF));
  }
  CHECK_EQ(status, 12345);

  /* signal */
  CHECK_EQ(jasyncio__process_signal(-1, 0, 0), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__process_signal(-1, -1, SIGKILL), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__process_signal(-1, INT_MIN, SIGKILL), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__process_signal(-1, getpid(), -1), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__process_signal(-1, getpid(), 100000), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__process_signal(-1, getpid(), 0), 0); /* signal 0: only "may we?" */
  if (jasyncio__process_has_pidfd()) {
    CHECK_EQ(jasyncio__process_signal(closed, 0, 0), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__process_signal(INT_MAX, 0, 0), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__process_signal(r, 0, 0), JASYNCIO__ERR(EBADF));
  }

  /* pipe read/write/prepare */
  const int bad_fds[] = {-1, INT_MIN, closed, INT_MAX};
  for (size_t i = 0; i < sizeof(bad_fds) / sizeof(bad_fds[0]); i++) {
    CHECK_EQ(jasyncio__socket_read(bad_fds[i], buf, sizeof(buf)), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__pipe_write(bad_fds[i], buf, sizeof(buf)), JASYNCIO__ERR(EBADF));
    CHECK_EQ(jasyncio__pipe_prepare(bad_fds[i]), JASYNCIO__ERR(EBADF));
  }
  CHECK_EQ(jasyncio__socket_read(r, buf, -1), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__pipe_write(w, buf, INT_MIN), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__socket_read(r, NULL, 8), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__pipe_write(w, NULL, 8), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__pipe_write(w, NULL, 0), 0);
  /* The wrong end: the kernel's EBADF (the read end is not open for writing, and back). */
  CHECK_EQ(jasyncio__pipe_write(r, buf, sizeof(buf)), JASYNCIO__ERR(EBADF));
  CHECK_EQ(jasyncio__socket_read(w, buf, sizeof(buf)), JASYNCIO__ERR(EBADF));
  CHECK(strcmp(buf, "abcdefg") == 0);

  CHECK_EQ(close(r), 0);
  CHECK_EQ(close(w), 0);
  CHECK(no_child_left());
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

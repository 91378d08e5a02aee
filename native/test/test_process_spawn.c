/*
 * process_spawn and process_reap through the pidfd: /bin/true is reaped with 0 once its pidfd is
 * readable, `exit 7` with 7, a running child is 0 ("still running") until SIGKILL through the
 * pidfd makes it -9, and a second reap is -ECHILD. The pidfd is close-on-exec. No descriptor and
 * no child is left behind. Skips on a kernel without pidfd_open.
 */
#include <fcntl.h>
#include <unistd.h>

#include "process_test_util.h"

/* Spawns argv with the given stdio; returns the pid and stores the pidfd. */
static int spawn(char *const argv[], const int32_t stdio[3], int *pidfd) {
  int32_t out[2] = {-1, -1};
  CHECK_EQ(jasyncio__process_spawn(argv[0], argv, NULL, NULL, stdio, out), 0);
  CHECK(out[0] > 0);
  CHECK(out[1] >= 0);
  CHECK((fcntl(out[1], F_GETFD) & FD_CLOEXEC) != 0);
  *pidfd = out[1];
  return out[0];
}

/* Waits on the pidfd, reaps, closes it: the child's status. */
static int32_t wait_exit(int pidfd, int pid) {
  wait_readable(pidfd);
  int32_t status = 12345;
  CHECK_EQ(jasyncio__process_reap(pidfd, pid, &status), 1);
  /* Reaped: the pidfd stays readable, but there is nothing left to collect. */
  int32_t again = 12345;
  CHECK_EQ(jasyncio__process_reap(pidfd, pid, &again), JASYNCIO__ERR(ECHILD));
  CHECK_EQ(again, 12345);
  CHECK_EQ(close(pidfd), 0);
  return status;
}

int main(void) {
  if (!jasyncio__process_has_pidfd()) {
    fprintf(stderr, "no pidfd_open on this kernel: skipped\n");
    return JASYNCIO_TEST_SKIP;
  }
  int fds_before = test_open_fds();
  const int32_t inherit[3] = {-1, -1, -1};
  int pidfd;

  char *true_argv[] = {"/bin/true", NULL};
  int pid = spawn(true_argv, inherit, &pidfd);
  CHECK_EQ(wait_exit(pidfd, pid), 0);

  char *exit7_argv[] = {"/bin/sh", "-c", "exit 7", NULL};
  pid = spawn(exit7_argv, inherit, &pidfd);
  CHECK_EQ(wait_exit(pidfd, pid), 7);

  /* A child blocked reading a pipe we hold: running until killed through its pidfd. */
  int r, w;
  pipe_ends(jasyncio__pipe_create(2), &r, &w);
  const int32_t from_pipe[3] = {r, -1, -1};
  char *cat_argv[] = {"/bin/cat", NULL};
  pid = spawn(cat_argv, from_pipe, &pidfd);
  CHECK_EQ(close(r), 0);
  int32_t status = 12345;
  CHECK_EQ(jasyncio__process_reap(pidfd, pid, &status), 0);
  CHECK_EQ(status, 12345);
  CHECK_EQ(jasyncio__process_signal(pidfd, pid, SIGKILL), 0);
  CHECK_EQ(wait_exit(pidfd, pid), -SIGKILL);
  /* Signalling a reaped child through its (closed) pidfd is refused, never sent elsewhere. */
  CHECK_EQ(jasyncio__process_signal(pidfd, pid, SIGKILL), JASYNCIO__ERR(EBADF));
  CHECK_EQ(close(w), 0);

  /* The same child, ended by closing its stdin instead: cat exits 0 at end of input. */
  pipe_ends(jasyncio__pipe_create(2), &r, &w);
  const int32_t from_pipe2[3] = {r, -1, -1};
  pid = spawn(cat_argv, from_pipe2, &pidfd);
  CHECK_EQ(close(r), 0);
  CHECK_EQ(close(w), 0);
  CHECK_EQ(wait_exit(pidfd, pid), 0);

  CHECK(no_child_left());
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

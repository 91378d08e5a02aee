/*
 * A failed spawn is -errno and leaves nothing behind: no descriptor (also over many attempts
 * that each had pipes to hand over) and no child, reaped or not. A missing program or cwd is
 * -ENOENT, a file without execute permission or a directory -EACCES, a stdio descriptor that is
 * not open -EBADF.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "process_test_util.h"

static int spawn(const char *path, const char *cwd, const int32_t stdio[3]) {
  char *argv[] = {(char *) path, NULL};
  int32_t out[2] = {-1, -1};
  int rc = jasyncio__process_spawn(path, argv, NULL, cwd, stdio, out);
  CHECK_EQ(out[0], -1); /* untouched on failure */
  CHECK_EQ(out[1], -1);
  return rc;
}

int main(void) {
  int fds_before = test_open_fds();
  const int32_t inherit[3] = {-1, -1, -1};

  /* Many failures, each with a pipe for every stdio slot, as a PIPE-everything spawn has. */
  for (int i = 0; i < 200; i++) {
    int r0, w0, r1, w1;
    pipe_ends(jasyncio__pipe_create(2), &r0, &w0);
    pipe_ends(jasyncio__pipe_create(1), &r1, &w1);
    const int32_t pipes[3] = {r0, w1, w1};
    CHECK_EQ(spawn("/nonexistent/jasyncio-program", NULL, pipes), JASYNCIO__ERR(ENOENT));
    CHECK_EQ(close(r0), 0);
    CHECK_EQ(close(w0), 0);
    CHECK_EQ(close(r1), 0);
    CHECK_EQ(close(w1), 0);
  }
  /* Sources below 3 meant for another slot are first copied above 2: the copies go too. */
  const int32_t swapped[3] = {-1, 2, 1};
  for (int i = 0; i < 20; i++)
    CHECK_EQ(spawn("/nonexistent/jasyncio-program", NULL, swapped), JASYNCIO__ERR(ENOENT));
  CHECK_EQ(test_open_fds(), fds_before);
  CHECK(no_child_left());

  CHECK_EQ(spawn("/bin/true", "/nonexistent/jasyncio-dir", inherit), JASYNCIO__ERR(ENOENT));
  CHECK_EQ(spawn("/tmp", NULL, inherit), JASYNCIO__ERR(EACCES));

  char path[] = "/tmp/jasyncio-noexec-XXXXXX";
  int file = mkstemp(path);
  CHECK(file >= 0);
  CHECK_EQ(write(file, "#!/bin/sh\n", 10), 10);
  CHECK_EQ(close(file), 0);
  CHECK_EQ(chmod(path, 0600), 0);
  CHECK_EQ(spawn(path, NULL, inherit), JASYNCIO__ERR(EACCES));
  CHECK_EQ(unlink(path), 0);

  /* A descriptor that was open and is closed now, as the child's stdout. */
  int closed = jasyncio__pipe_open_devnull();
  CHECK(closed > 2);
  CHECK_EQ(close(closed), 0);
  const int32_t bad_stdout[3] = {-1, closed, -1};
  CHECK_EQ(spawn("/bin/true", NULL, bad_stdout), JASYNCIO__ERR(EBADF));
  /* The same below 3 (copied above 2 first, which is where it fails). */
  int saved = dup(0);
  CHECK(saved >= 0);
  CHECK_EQ(close(0), 0);
  const int32_t bad_low[3] = {-1, 0, -1};
  int rc = spawn("/bin/true", NULL, bad_low);
  CHECK_EQ(dup2(saved, 0), 0);
  CHECK_EQ(close(saved), 0);
  CHECK_EQ(rc, JASYNCIO__ERR(EBADF));

  CHECK(no_child_left());
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

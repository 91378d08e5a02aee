/*
 * What a spawned child gets: the descriptors named in stdio as 0, 1 and 2 (also when a source is
 * itself one of 0..2 meant for another slot), no other descriptor of ours, the signal
 * dispositions process.h promises, and the cwd and environment given.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "process_test_util.h"

static void on_usr1(int sig) {
  (void) sig;
}

/* Runs argv with stdio and cwd/envp, waits for it: its status. */
static int32_t run(char *const argv[], char *const envp[], const char *cwd, const int32_t stdio[3]) {
  int32_t out[2] = {-1, -1};
  CHECK_EQ(jasyncio__process_spawn(argv[0], argv, envp, cwd, stdio, out), 0);
  int32_t status = 12345;
  if (out[1] >= 0) {
    wait_readable(out[1]);
    CHECK_EQ(jasyncio__process_reap(out[1], out[0], &status), 1);
    CHECK_EQ(close(out[1]), 0);
  } else {
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    CHECK_EQ(waitid(P_PID, (id_t) out[0], &info, WEXITED | WNOWAIT), 0);
    CHECK_EQ(jasyncio__process_reap(-1, out[0], &status), 1);
  }
  return status;
}

/* Reads what is in the pipe (the writer has exited): a NUL-terminated string. */
static const char *drain(int fd, char *buf, int size) {
  int total = 0;
  int n;
  while ((n = jasyncio__socket_read(fd, buf + total, size - 1 - total)) > 0)
    total += n;
  CHECK(n == 0 || n == JASYNCIO__ERR(EAGAIN));
  buf[total] = '\0';
  return buf;
}

int main(void) {
  int fds_before = test_open_fds();
  char buf[256];
  int r, w;
  pipe_ends(jasyncio__pipe_create(1), &r, &w);
  int devnull = jasyncio__pipe_open_devnull();
  CHECK(devnull >= 0);

  /* stdout and stderr into one pipe, stdin from /dev/null (cat sees end of input at once). */
  char *both_argv[] = {"/bin/sh", "-c", "echo out; echo err >&2; cat", NULL};
  const int32_t both[3] = {devnull, w, w};
  CHECK_EQ(run(both_argv, NULL, NULL, both), 0);
  CHECK(strcmp(drain(r, buf, sizeof(buf)), "out\nerr\n") == 0);

  /*
   * Our fd 2 as the child's stdout and our fd 1 as its stderr: each source is one of 0..2 and
   * meant for another slot, so a naive dup2 order would overwrite one with the other (and the
   * child's stderr would land in the pipe too).
   */
  int saved_err = dup(2);
  CHECK(saved_err >= 0);
  CHECK_EQ(dup2(w, 2), 2);
  char *swap_argv[] = {"/bin/sh", "-c", "echo swapped; echo not-in-the-pipe >&2", NULL};
  const int32_t swapped[3] = {devnull, 2, 1};
  int32_t status = run(swap_argv, NULL, NULL, swapped);
  CHECK_EQ(dup2(saved_err, 2), 2);
  CHECK_EQ(close(saved_err), 0);
  CHECK_EQ(status, 0);
  CHECK(strcmp(drain(r, buf, sizeof(buf)), "swapped\n") == 0);

  /* A descriptor of ours that is not close-on-exec does not reach the child. */
  int leaky = dup(devnull);
  CHECK(leaky > 2);
  char probe[96];
  snprintf(probe, sizeof(probe), "test -e /proc/self/fd/%d && echo leaked || echo closed", leaky);
  char *probe_argv[] = {"/bin/sh", "-c", probe, NULL};
  const int32_t to_pipe[3] = {devnull, w, -1};
  CHECK_EQ(run(probe_argv, NULL, NULL, to_pipe), 0);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  CHECK(strcmp(drain(r, buf, sizeof(buf)), "closed\n") == 0);
#else
  drain(r, buf, sizeof(buf)); /* no posix_spawn_file_actions_addclosefrom_np before glibc 2.34 */
#endif
  CHECK_EQ(close(leaky), 0);

  /*
   * Signals (process.h): we ignore SIGPIPE and SIGTERM and catch SIGUSR1. The child finds all
   * three at their default: SIGTERM and SIGUSR1 end it, and its SigIgn mask lacks SIGPIPE.
   */
  struct sigaction ignore, catch, old_pipe, old_term, old_usr1;
  memset(&ignore, 0, sizeof(ignore));
  ignore.sa_handler = SIG_IGN;
  memset(&catch, 0, sizeof(catch));
  catch.sa_handler = on_usr1;
  CHECK_EQ(sigaction(SIGPIPE, &ignore, &old_pipe), 0);
  CHECK_EQ(sigaction(SIGTERM, &ignore, &old_term), 0);
  CHECK_EQ(sigaction(SIGUSR1, &catch, &old_usr1), 0);
  char *term_argv[] = {"/bin/sh", "-c", "kill -TERM $$; exit 3", NULL};
  char *usr1_argv[] = {"/bin/sh", "-c", "kill -USR1 $$; exit 3", NULL};
  char *status_argv[] = {"/bin/grep", "^SigIgn:", "/proc/self/status", NULL};
  int term_status = run(term_argv, NULL, NULL, to_pipe);
  int usr1_status = run(usr1_argv, NULL, NULL, to_pipe);
  int status_status = run(status_argv, NULL, NULL, to_pipe);
  unsigned long long child_ignored = strtoull(drain(r, buf, sizeof(buf)) + strlen("SigIgn:"), NULL, 16);
  CHECK_EQ(sigaction(SIGPIPE, &old_pipe, NULL), 0);
  CHECK_EQ(sigaction(SIGTERM, &old_term, NULL), 0);
  CHECK_EQ(sigaction(SIGUSR1, &old_usr1, NULL), 0);
  CHECK_EQ(term_status, -SIGTERM);
  CHECK_EQ(usr1_status, -SIGUSR1);
  CHECK_EQ(status_status, 0);
  CHECK_EQ(child_ignored & ((1ULL << (SIGPIPE - 1)) | (1ULL << (SIGTERM - 1))), 0);

  /*
   * Masks: the child starts with none blocked although we block SIGUSR2, and the spawn, which
   * blocks everything around the clone, gives us back exactly our own mask.
   */
  sigset_t usr2, before, after;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  CHECK_EQ(pthread_sigmask(SIG_BLOCK, &usr2, &before), 0);
  CHECK_EQ(pthread_sigmask(SIG_SETMASK, NULL, &before), 0);
  char *blocked_argv[] = {"/bin/grep", "^SigBlk:", "/proc/self/status", NULL};
  int blocked_status = run(blocked_argv, NULL, NULL, to_pipe);
  CHECK_EQ(pthread_sigmask(SIG_SETMASK, NULL, &after), 0);
  CHECK_EQ(pthread_sigmask(SIG_UNBLOCK, &usr2, NULL), 0);
  CHECK_EQ(blocked_status, 0);
  CHECK_EQ(strtoull(drain(r, buf, sizeof(buf)) + strlen("SigBlk:"), NULL, 16), 0);
  for (int sig = 1; sig < 65; sig++)
    CHECK_EQ(sigismember(&after, sig), sigismember(&before, sig));
  CHECK(sigismember(&after, SIGUSR2));
  /* Neither mask holds what nobody here blocked (a spawn that kept everything blocked would). */
  CHECK(!sigismember(&before, SIGINT) && !sigismember(&before, SIGUSR1) && !sigismember(&before, SIGCHLD));

  /* cwd and envp. */
  char *env_argv[] = {"/bin/sh", "-c", "pwd; echo \"$FOO\"", NULL};
  char *envp[] = {"FOO=bar baz", NULL};
  CHECK_EQ(run(env_argv, envp, "/", to_pipe), 0);
  CHECK(strcmp(drain(r, buf, sizeof(buf)), "/\nbar baz\n") == 0);

  CHECK_EQ(close(devnull), 0);
  CHECK_EQ(close(w), 0);
  CHECK_EQ(close(r), 0);
  CHECK(no_child_left());
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

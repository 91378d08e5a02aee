/*
 * The sigaction fallback: refusals, counting per signal, the eventfd wake-up (also for a signal
 * sent by another process), and restore putting back exactly what was there (SIG_DFL, SIG_IGN).
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jasyncio_test.h"

static void *disposition(int signum) {
  struct sigaction current;
  CHECK_EQ(sigaction(signum, NULL, &current), 0);
  return (void *) current.sa_handler;
}

int main(void) {
  int fds_before = test_open_fds();
  int efd = jasyncio__wakeup_create();
  CHECK(efd >= 0);

  /* The table Java reads: 31 names, then SIGRTMIN, SIGRTMAX and NSIG. */
  int numbers[40];
  CHECK_EQ(jasyncio__signal_numbers(numbers, 40), 34);
  CHECK_EQ(numbers[0], SIGHUP);
  CHECK_EQ(numbers[1], SIGINT);
  CHECK_EQ(numbers[16], SIGCHLD);
  CHECK_EQ(numbers[30], SIGSYS);
  CHECK_EQ(numbers[31], SIGRTMIN);
  CHECK_EQ(numbers[32], SIGRTMAX);
  CHECK_EQ(numbers[33], NSIG);
  CHECK_EQ(jasyncio__signal_numbers(numbers, 2), 34);

  /* What the fallback must never own. */
  const int refused[] = {0, -1, NSIG, SIGKILL, SIGSTOP, SIGQUIT, SIGILL, SIGFPE, SIGSEGV,
                         SIGBUS, SIGUSR2, SIGPIPE, SIGXFSZ, SIGCHLD, SIGSYS + 1, SIGRTMIN - 1};
  for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
    CHECK_EQ(jasyncio__signal_install(refused[i], efd), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__signal_install(SIGUSR1, -1), JASYNCIO__ERR(EBADF));
  CHECK_EQ(jasyncio__signal_restore(SIGUSR1), JASYNCIO__ERR(ENOENT));
  CHECK_EQ(jasyncio__signal_take(0), JASYNCIO__ERR(EINVAL));

  /* Deliveries are counted per signal; the eventfd counts every one. */
  CHECK(disposition(SIGUSR1) == (void *) SIG_DFL);
  CHECK_EQ(jasyncio__signal_install(SIGUSR1, efd), 0);
  CHECK_EQ(jasyncio__signal_install(SIGUSR1, efd), JASYNCIO__ERR(EEXIST));
  CHECK_EQ(jasyncio__signal_wait(efd, 0), 0);
  CHECK_EQ(raise(SIGUSR1), 0);
  CHECK_EQ(raise(SIGUSR1), 0);
  CHECK_EQ(jasyncio__signal_wait(efd, 5000), 2);
  CHECK_EQ(jasyncio__signal_take(SIGUSR1), 2);
  CHECK_EQ(jasyncio__signal_take(SIGUSR1), 0);
  CHECK_EQ(jasyncio__signal_take(SIGUSR2), 0);

  /* Another process sends it while this one waits without a limit. */
  pid_t child = fork();
  CHECK(child >= 0);
  if (child == 0) {
    usleep(20000);
    _exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
  }
  CHECK_EQ(jasyncio__signal_wait(efd, -1), 1);
  CHECK_EQ(jasyncio__signal_take(SIGUSR1), 1);
  int status;
  CHECK_EQ(waitpid(child, &status, 0), child);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  CHECK_EQ(jasyncio__signal_restore(SIGUSR1), 0);
  CHECK(disposition(SIGUSR1) == (void *) SIG_DFL);
  CHECK_EQ(jasyncio__signal_restore(SIGUSR1), JASYNCIO__ERR(ENOENT));

  /* An inherited SIG_IGN comes back as it was (a nohup'd process stays nohup'd). */
  CHECK(signal(SIGHUP, SIG_IGN) != SIG_ERR);
  CHECK_EQ(jasyncio__signal_install(SIGHUP, efd), 0);
  CHECK(disposition(SIGHUP) != (void *) SIG_IGN);
  CHECK_EQ(raise(SIGHUP), 0);
  CHECK_EQ(jasyncio__signal_wait(efd, 5000), 1);
  CHECK_EQ(jasyncio__signal_take(SIGHUP), 1);
  CHECK_EQ(jasyncio__signal_restore(SIGHUP), 0);
  CHECK(disposition(SIGHUP) == (void *) SIG_IGN);
  CHECK(signal(SIGHUP, SIG_DFL) != SIG_ERR);

  /* A real-time signal, which the JDK has no name for. */
  int rt = SIGRTMIN + 1;
  CHECK_EQ(jasyncio__signal_install(rt, efd), 0);
  CHECK_EQ(raise(rt), 0);
  CHECK_EQ(jasyncio__signal_wait(efd, 5000), 1);
  CHECK_EQ(jasyncio__signal_take(rt), 1);
  CHECK_EQ(jasyncio__signal_restore(rt), 0);

  CHECK_EQ(jasyncio__signal_wait(-1, 0), JASYNCIO__ERR(EBADF));
  CHECK_EQ(jasyncio__socket_close(efd), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

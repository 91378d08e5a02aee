/*
 * signal_ctl.c: the calling thread's id, sending to a thread and to the process, the mask and
 * the pending set (a signal blocked and sent stays pending), dispositions read without change,
 * strsignal, the wakeup byte, and every refusal.
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jasyncio_test.h"

#define BIT(sig) ((int64_t) 1 << ((sig) - 1))

int main(void) {
  int fds_before = test_open_fds();

  /* The main thread of a process is the one whose tid is the pid. */
  CHECK_EQ(jasyncio__signal_ctl_gettid(), getpid());

  /* Block USR1, send it to this thread and to the process: it stays pending, once. */
  int64_t old = -1;
  CHECK_EQ(jasyncio__signal_ctl_sigmask(SIG_BLOCK, BIT(SIGUSR1), &old), 0);
  CHECK_EQ(old & BIT(SIGUSR1), 0);
  int64_t pending = -1;
  CHECK_EQ(jasyncio__signal_ctl_sigpending(&pending), 0);
  CHECK_EQ(pending & BIT(SIGUSR1), 0);
  CHECK_EQ(jasyncio__signal_ctl_tgkill(jasyncio__signal_ctl_gettid(), SIGUSR1), 0);
  CHECK_EQ(jasyncio__signal_ctl_sigpending(&pending), 0);
  CHECK(pending & BIT(SIGUSR1));
  CHECK_EQ(jasyncio__signal_ctl_tgkill(jasyncio__signal_ctl_gettid(), 0), 0);

  /* Ignoring a pending signal discards it; then the mask goes back. */
  CHECK(signal(SIGUSR1, SIG_IGN) != SIG_ERR);
  CHECK_EQ(jasyncio__signal_ctl_disposition(SIGUSR1), 1);
  CHECK_EQ(jasyncio__signal_ctl_sigpending(&pending), 0);
  CHECK_EQ(pending & BIT(SIGUSR1), 0);
  CHECK(signal(SIGUSR1, SIG_DFL) != SIG_ERR);
  CHECK_EQ(jasyncio__signal_ctl_disposition(SIGUSR1), 0);
  int64_t blocked = 0;
  CHECK_EQ(jasyncio__signal_ctl_sigmask(SIG_SETMASK, old, &blocked), 0);
  CHECK(blocked & BIT(SIGUSR1));

  /* raise-style delivery to the process, caught by a handler. */
  CHECK(signal(SIGWINCH, SIG_IGN) != SIG_ERR);
  CHECK_EQ(jasyncio__signal_ctl_kill_self(SIGWINCH), 0);
  CHECK(signal(SIGWINCH, SIG_DFL) != SIG_ERR);

  /* pidfd_send_signal to a child. */
  pid_t child = fork();
  CHECK(child >= 0);
  if (child == 0) {
    pause();
    _exit(0);
  }
  int pidfd = (int) syscall(SYS_pidfd_open, child, 0);
  if (pidfd >= 0) {
    CHECK_EQ(jasyncio__signal_ctl_pidfd_send(pidfd, 0, 0), 0);
    CHECK_EQ(jasyncio__signal_ctl_pidfd_send(pidfd, SIGTERM, 0), 0);
    CHECK_EQ(close(pidfd), 0);
  } else {
    CHECK_EQ(kill(child, SIGTERM), 0);
  }
  int status;
  CHECK_EQ(waitpid(child, &status, 0), child);
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);

  /* strsignal */
  char text[64];
  int n = jasyncio__signal_ctl_strsignal(SIGINT, text, sizeof(text));
  CHECK(n > 0);
  CHECK_EQ(strcmp(text, "Interrupt"), 0);
  CHECK_EQ(jasyncio__signal_ctl_strsignal(SIGINT, text, 4), 3);
  CHECK_EQ(strcmp(text, "Int"), 0);

  /* The wakeup byte, and the non-blocking check. */
  int sv[2];
  CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  CHECK_EQ(jasyncio__signal_ctl_is_nonblocking(sv[1]), 0);
  CHECK_EQ(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
  CHECK_EQ(jasyncio__signal_ctl_is_nonblocking(sv[1]), 1);
  CHECK_EQ(jasyncio__signal_ctl_write_byte(sv[1], SIGINT), 1);
  unsigned char byte = 0;
  CHECK_EQ(read(sv[0], &byte, 1), 1);
  CHECK_EQ(byte, SIGINT);
  CHECK_EQ(close(sv[0]), 0);
  CHECK_EQ(close(sv[1]), 0);

  /* Refusals. */
  CHECK_EQ(jasyncio__signal_ctl_tgkill(0, SIGUSR1), JASYNCIO__ERR(ESRCH));
  CHECK_EQ(jasyncio__signal_ctl_tgkill(getpid(), NSIG), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__signal_ctl_kill_self(0), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__signal_ctl_pidfd_send(-1, SIGTERM, 0), JASYNCIO__ERR(EBADF));
  CHECK_EQ(jasyncio__signal_ctl_sigmask(99, 0, &old), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__signal_ctl_sigmask(SIG_BLOCK, 0, NULL), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__signal_ctl_sigpending(NULL), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__signal_ctl_disposition(0), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__signal_ctl_strsignal(0, text, sizeof(text)), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__signal_ctl_strsignal(SIGINT, NULL, 10), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__signal_ctl_is_nonblocking(-1), JASYNCIO__ERR(EBADF));
  CHECK_EQ(jasyncio__signal_ctl_write_byte(-1, 1), JASYNCIO__ERR(EBADF));

  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

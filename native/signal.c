/*
 * Signals the JDK cannot hand to Java: HUP, INT and TERM under -Xrs (the JDK then refuses them)
 * and the real-time signals (the JDK has no names for them). A plain sigaction handler counts
 * each delivery in a per-signal slot and writes the eventfd it was given; one Java thread blocks
 * in jasyncio__signal_wait on that eventfd and takes the counts. Everything else uses the JDK's
 * sun.misc.Signal; this file is the fallback, never the default.
 *
 * signalfd cannot replace this: it needs the signal blocked in every thread, and the JVM's threads
 * exist before this library loads, with the signal unblocked.
 *
 * jasyncio__signal_install and jasyncio__signal_restore are not thread safe: the caller (Java's
 * SignalDispatcher, under its lock) serializes them. take and wait may run on any thread.
 */
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "jasyncio_internal.h"

/* The handler touches only lock-free atomics, which C11 allows in a signal handler. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the signal handler needs lock-free atomic int");

/* Linux-only signals, absent elsewhere: -1 tells Java there is no such signal. */
#ifdef SIGSTKFLT
#define JASYNCIO__SIGSTKFLT SIGSTKFLT
#else
#define JASYNCIO__SIGSTKFLT (-1)
#endif
#ifdef SIGPWR
#define JASYNCIO__SIGPWR SIGPWR
#else
#define JASYNCIO__SIGPWR (-1)
#endif

/*
 * The signals Java knows by name, in this order, followed by SIGRTMIN, SIGRTMAX and NSIG (the C
 * library's values: glibc keeps the first real-time signals for its threads, so SIGRTMIN is not
 * the kernel's 32). Keep in sync with SignalNumbers.NAMES in Java.
 */
#define JASYNCIO__SIGNALS(X)                                             \
  X(SIGHUP) X(SIGINT) X(SIGQUIT) X(SIGILL) X(SIGTRAP) X(SIGABRT)         \
  X(SIGBUS) X(SIGFPE) X(SIGKILL) X(SIGUSR1) X(SIGSEGV) X(SIGUSR2)        \
  X(SIGPIPE) X(SIGALRM) X(SIGTERM) X(JASYNCIO__SIGSTKFLT) X(SIGCHLD)     \
  X(SIGCONT) X(SIGSTOP) X(SIGTSTP) X(SIGTTIN) X(SIGTTOU) X(SIGURG)       \
  X(SIGXCPU) X(SIGXFSZ) X(SIGVTALRM) X(SIGPROF) X(SIGWINCH) X(SIGIO)     \
  X(JASYNCIO__SIGPWR) X(SIGSYS)

/* Deliveries not yet taken, per signal number. */
static atomic_uint jasyncio_signal_pending[NSIG];
/* The eventfd the handler writes; -1 until the first install. */
static atomic_int jasyncio_signal_fd = -1;
/* What was there before our handler, put back by restore. Guarded by the caller's lock. */
static struct sigaction jasyncio_signal_saved[NSIG];
static unsigned char jasyncio_signal_installed[NSIG];

int jasyncio__signal_numbers(int *out, int count) {
  const int values[] = {
#define JASYNCIO__VALUE(sig) sig,
    JASYNCIO__SIGNALS(JASYNCIO__VALUE)
#undef JASYNCIO__VALUE
    0, 0, NSIG,
  };
  const int total = (int) (sizeof(values) / sizeof(values[0]));
  if (out == NULL && count != 0)
    return JASYNCIO__ERR(EFAULT);
  for (int i = 0; i < count && i < total; i++)
    out[i] = values[i];
  /* SIGRTMIN and SIGRTMAX are function calls in glibc, not constants. */
  if (count > total - 3)
    out[total - 3] = SIGRTMIN;
  if (count > total - 2)
    out[total - 2] = SIGRTMAX;
  return total;
}

/*
 * Refuses what this file must never own: numbers out of range, the uncatchable KILL and STOP,
 * the signals HotSpot relies on (QUIT ILL FPE SEGV BUS USR2 PIPE XFSZ), SIGCHLD (the JDK's
 * process reaper needs its default disposition) and the C library's own real-time signals below
 * SIGRTMIN. Java refuses all of these first, with a message; this is the second check.
 */
static int jasyncio_signal_check(int signum) {
  if (signum <= 0 || signum >= NSIG)
    return JASYNCIO__ERR(EINVAL);
  switch (signum) {
    case SIGKILL:
    case SIGSTOP:
    case SIGQUIT:
    case SIGILL:
    case SIGFPE:
    case SIGSEGV:
    case SIGBUS:
    case SIGUSR2:
    case SIGPIPE:
    case SIGXFSZ:
    case SIGCHLD:
      return JASYNCIO__ERR(EINVAL);
    default:
      break;
  }
  if (signum > SIGSYS && signum < SIGRTMIN)
    return JASYNCIO__ERR(EINVAL);
  return 0;
}

/*
 * Runs on whichever thread the kernel picked, between any two instructions of it: only a lock-free
 * atomic add and write(2), both async-signal-safe, and errno is put back for the interrupted code.
 * A full eventfd counter (EAGAIN) is already readable, so the wake-up is not lost.
 */
static void jasyncio_signal_handler(int signum) {
  int saved_errno = errno;
  if (signum > 0 && signum < NSIG)
    atomic_fetch_add(&jasyncio_signal_pending[signum], 1);
  int fd = atomic_load(&jasyncio_signal_fd);
  if (fd >= 0) {
    uint64_t one = 1;
    ssize_t rc = write(fd, &one, sizeof(one));
    JASYNCIO__UNUSED(rc);
  }
  errno = saved_errno;
}

/*
 * Installs the counting handler for `signum`, which from then on writes `fd` (a non-blocking
 * eventfd) at each delivery. SA_RESTART, so a JVM thread interrupted by the signal resumes its
 * system call instead of seeing EINTR. -EEXIST if already installed (the saved disposition would
 * otherwise be our own handler).
 */
int jasyncio__signal_install(int signum, int fd) {
  int rc = jasyncio_signal_check(signum);
  if (rc < 0)
    return rc;
  JASYNCIO__CHECK_FD(fd);
  if (jasyncio_signal_installed[signum])
    return JASYNCIO__ERR(EEXIST);
  struct sigaction action;
  memset(&action, 0, sizeof(action));
  action.sa_handler = jasyncio_signal_handler;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  /* The fd before the handler, and no stale count from an earlier installation. */
  atomic_store(&jasyncio_signal_fd, fd);
  atomic_store(&jasyncio_signal_pending[signum], 0);
  if (sigaction(signum, &action, &jasyncio_signal_saved[signum]) == -1)
    return JASYNCIO__ERR(errno);
  jasyncio_signal_installed[signum] = 1;
  return 0;
}

/* Puts back what jasyncio__signal_install replaced. -ENOENT if it is not installed. */
int jasyncio__signal_restore(int signum) {
  if (signum <= 0 || signum >= NSIG)
    return JASYNCIO__ERR(EINVAL);
  if (!jasyncio_signal_installed[signum])
    return JASYNCIO__ERR(ENOENT);
  if (sigaction(signum, &jasyncio_signal_saved[signum], NULL) == -1)
    return JASYNCIO__ERR(errno);
  jasyncio_signal_installed[signum] = 0;
  return 0;
}

/* Deliveries of `signum` since the last take (capped at INT32_MAX), and resets the count. */
int jasyncio__signal_take(int signum) {
  if (signum <= 0 || signum >= NSIG)
    return JASYNCIO__ERR(EINVAL);
  unsigned count = atomic_exchange(&jasyncio_signal_pending[signum], 0);
  return count > INT32_MAX ? INT32_MAX : (int) count;
}

/*
 * Blocks until the eventfd `fd` is readable or `timeout_ms` passed (< 0: no limit), then drains
 * it. Returns the eventfd's count (> 0), or 0 on timeout. Meant for a dedicated thread: it is the
 * one blocking call of the core, and no loop thread ever makes it.
 */
int jasyncio__signal_wait(int fd, int timeout_ms) {
  JASYNCIO__CHECK_FD(fd);
  struct pollfd pfd = {.fd = fd, .events = POLLIN, .revents = 0};
  for (;;) {
    int rc;
    /* EINTR is retried with the full timeout again: the wait is never shorter than asked. */
    JASYNCIO__SYSCALL(rc, poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms));
    if (rc <= 0)
      return rc;
    if (pfd.revents & POLLNVAL)
      return JASYNCIO__ERR(EBADF);
    rc = jasyncio__wakeup_drain(fd);
    /* 0: another thread drained it first; wait again. */
    if (rc != 0)
      return rc;
  }
}

/* Signals.numbers0(int[]): the table above, as much of it as fits; returns its length. */
static jint jasyncio_signal_numbers(JNIEnv *env, jclass cls, jintArray out) {
  JASYNCIO__UNUSED(cls);
  int values[64];
  int total = jasyncio__signal_numbers(values, (int) (sizeof(values) / sizeof(values[0])));
  if (out == NULL)
    return JASYNCIO__ERR(EFAULT);
  jint length = (*env)->GetArrayLength(env, out);
  jint n = length < total ? length : total;
  jint copy[64];
  for (jint i = 0; i < n; i++)
    copy[i] = values[i];
  (*env)->SetIntArrayRegion(env, out, 0, n, copy);
  return total;
}

/* Signals.install0(int signum, int fd) */
static jint jasyncio_signal_install(JNIEnv *env, jclass cls, jint signum, jint fd) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_install(signum, fd);
}

/* Signals.restore0(int signum) */
static jint jasyncio_signal_restore(JNIEnv *env, jclass cls, jint signum) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_restore(signum);
}

/* Signals.take0(int signum) */
static jint jasyncio_signal_take(JNIEnv *env, jclass cls, jint signum) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_take(signum);
}

/* Signals.wait0(int fd, int timeoutMs) */
static jint jasyncio_signal_wait(JNIEnv *env, jclass cls, jint fd, jint timeout_ms) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_wait(fd, timeout_ms);
}

static const JNINativeMethod jasyncio_signal_methods[] = {
  {"numbers0", "([I)I", (void *) jasyncio_signal_numbers},
  {"install0", "(II)I", (void *) jasyncio_signal_install},
  {"restore0", "(I)I", (void *) jasyncio_signal_restore},
  {"take0", "(I)I", (void *) jasyncio_signal_take},
  {"wait0", "(II)I", (void *) jasyncio_signal_wait},
};

#define JASYNCIO__SIGNAL_CLASS "io/jasyncio/internal/natives/Signals"

int jasyncio__signal_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__SIGNAL_CLASS, jasyncio_signal_methods,
      (int) (sizeof(jasyncio_signal_methods) / sizeof(jasyncio_signal_methods[0])));
}

void jasyncio__signal_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__SIGNAL_CLASS);
}

/*
 * Signal control other than handling, for Java's io.jasyncio.Signals: naming the calling thread
 * (gettid), sending (to this process, to one of its threads, through a pidfd), the calling
 * thread's mask and pending set, reading a disposition without changing it, strsignal, and the
 * one-byte write of set_wakeup_fd. Handling stays in signal.c (the -Xrs fallback) and in the JDK.
 *
 * Signal sets cross the boundary as a 64-bit mask: bit (n - 1) is signal n, which covers every
 * Linux signal (NSIG is 65). Keep in sync with SignalControl.java.
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "jasyncio_internal.h"

_Static_assert(NSIG <= 65, "signal sets travel as one 64-bit mask");

/* What jasyncio__signal_ctl_disposition returns. Keep in sync with SignalControl.java. */
#define JASYNCIO__DISPOSITION_DEFAULT 0
#define JASYNCIO__DISPOSITION_IGNORE 1
#define JASYNCIO__DISPOSITION_HANDLER 2

static void jasyncio_signal_ctl_to_set(int64_t mask, sigset_t *set) {
  sigemptyset(set);
  for (int sig = 1; sig < NSIG; sig++) {
    if ((uint64_t) mask & ((uint64_t) 1 << (sig - 1)))
      sigaddset(set, sig);
  }
}

static int64_t jasyncio_signal_ctl_to_mask(const sigset_t *set) {
  uint64_t mask = 0;
  for (int sig = 1; sig < NSIG; sig++) {
    if (sigismember(set, sig) == 1)
      mask |= (uint64_t) 1 << (sig - 1);
  }
  return (int64_t) mask;
}

/* The kernel's id of the calling thread, what /proc/self/task lists and tgkill takes. */
int jasyncio__signal_ctl_gettid(void) {
  return (int) syscall(SYS_gettid);
}

/*
 * Sends `signum` to thread `tid` of this process only (tgkill, never a bare tkill: a thread id
 * that was reused by another process is refused with ESRCH). Signal 0 checks the thread exists.
 */
int jasyncio__signal_ctl_tgkill(int tid, int signum) {
  if (tid <= 0)
    return JASYNCIO__ERR(ESRCH);
  if (signum < 0 || signum >= NSIG)
    return JASYNCIO__ERR(EINVAL);
  int rc;
  JASYNCIO__SYSCALL(rc, (int) syscall(SYS_tgkill, getpid(), tid, signum));
  return rc;
}

/*
 * Sends `signum` to this process (kill(getpid()), not raise(): raise() targets the calling
 * thread, while Python's raise_signal of a JVM must reach whichever thread the kernel picks, as a
 * signal from outside would).
 */
int jasyncio__signal_ctl_kill_self(int signum) {
  if (signum <= 0 || signum >= NSIG)
    return JASYNCIO__ERR(EINVAL);
  int rc;
  JASYNCIO__SYSCALL(rc, kill(getpid(), signum));
  return rc;
}

/* pidfd_send_signal(2) with no siginfo; glibc 2.36 has no wrapper everywhere, so the syscall. */
int jasyncio__signal_ctl_pidfd_send(int pidfd, int signum, int flags) {
  JASYNCIO__CHECK_FD(pidfd);
  if (signum < 0 || signum >= NSIG)
    return JASYNCIO__ERR(EINVAL);
#ifdef SYS_pidfd_send_signal
  int rc;
  JASYNCIO__SYSCALL(rc, (int) syscall(SYS_pidfd_send_signal, pidfd, signum, NULL, flags));
  return rc;
#else
  JASYNCIO__UNUSED(flags);
  return JASYNCIO__ERR(ENOSYS);
#endif
}

/*
 * pthread_sigmask for the calling thread: `how` is SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK and
 * `mask` the set; the previous mask is stored at `old_out` (an int64). The C library silently
 * keeps its own internal signals out of any mask.
 */
int jasyncio__signal_ctl_sigmask(int how, int64_t mask, int64_t *old_out) {
  if (old_out == NULL)
    return JASYNCIO__ERR(EFAULT);
  if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
    return JASYNCIO__ERR(EINVAL);
  sigset_t set, old;
  jasyncio_signal_ctl_to_set(mask, &set);
  int rc = pthread_sigmask(how, &set, &old);
  if (rc != 0)
    return JASYNCIO__ERR(rc);
  *old_out = jasyncio_signal_ctl_to_mask(&old);
  return 0;
}

/* The signals pending for the calling thread or the whole process, stored at `out`. */
int jasyncio__signal_ctl_sigpending(int64_t *out) {
  if (out == NULL)
    return JASYNCIO__ERR(EFAULT);
  sigset_t set;
  if (sigpending(&set) == -1)
    return JASYNCIO__ERR(errno);
  *out = jasyncio_signal_ctl_to_mask(&set);
  return 0;
}

/* Reads `signum`'s disposition without changing it: default, ignored, or some handler. */
int jasyncio__signal_ctl_disposition(int signum) {
  if (signum <= 0 || signum >= NSIG)
    return JASYNCIO__ERR(EINVAL);
  struct sigaction current;
  if (sigaction(signum, NULL, &current) == -1)
    return JASYNCIO__ERR(errno);
  if (!(current.sa_flags & SA_SIGINFO) && current.sa_handler == SIG_DFL)
    return JASYNCIO__DISPOSITION_DEFAULT;
  if (!(current.sa_flags & SA_SIGINFO) && current.sa_handler == SIG_IGN)
    return JASYNCIO__DISPOSITION_IGNORE;
  return JASYNCIO__DISPOSITION_HANDLER;
}

/*
 * strsignal(3) into `buf` (`size` bytes, NUL-terminated, truncated if need be). Returns the
 * length written, or -EINVAL for a number that is no signal (Python's strsignal returns None).
 */
int jasyncio__signal_ctl_strsignal(int signum, char *buf, int size) {
  if (buf == NULL || size <= 0)
    return JASYNCIO__ERR(EFAULT);
  if (signum <= 0 || signum >= NSIG)
    return JASYNCIO__ERR(EINVAL);
  /* sigdescr_np is thread safe and has no "Unknown signal" fallback; strsignal is neither. */
  const char *text = sigdescr_np(signum);
  if (text == NULL)
    return JASYNCIO__ERR(EINVAL);
  size_t length = strlen(text);
  if (length >= (size_t) size)
    length = (size_t) size - 1;
  memcpy(buf, text, length);
  buf[length] = '\0';
  return (int) length;
}

/* Whether `fd` is open and non-blocking: 1 or 0, or -EBADF. */
int jasyncio__signal_ctl_is_nonblocking(int fd) {
  JASYNCIO__CHECK_FD(fd);
  int flags = fcntl(fd, F_GETFL);
  if (flags == -1)
    return JASYNCIO__ERR(errno);
  return (flags & O_NONBLOCK) ? 1 : 0;
}

/* set_wakeup_fd's write: the one byte `value` to `fd`. -EAGAIN when the fd is full. */
int jasyncio__signal_ctl_write_byte(int fd, int value) {
  JASYNCIO__CHECK_FD(fd);
  unsigned char byte = (unsigned char) value;
  int rc;
  JASYNCIO__SYSCALL(rc, (int) write(fd, &byte, 1));
  return rc;
}

static jint jasyncio_signal_ctl_gettid(JNIEnv *env, jclass cls) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_ctl_gettid();
}

static jint jasyncio_signal_ctl_tgkill(JNIEnv *env, jclass cls, jint tid, jint signum) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_ctl_tgkill(tid, signum);
}

static jint jasyncio_signal_ctl_killSelf(JNIEnv *env, jclass cls, jint signum) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_ctl_kill_self(signum);
}

static jint jasyncio_signal_ctl_pidfdSend(JNIEnv *env, jclass cls, jint pidfd, jint signum,
                                      jint flags) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_ctl_pidfd_send(pidfd, signum, flags);
}

static jint jasyncio_signal_ctl_sigmask(JNIEnv *env, jclass cls, jint how, jlong mask,
                                    jlong old_address) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_ctl_sigmask(how, mask, (int64_t *) JASYNCIO__PTR(old_address));
}

static jint jasyncio_signal_ctl_sigpending(JNIEnv *env, jclass cls, jlong out_address) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_ctl_sigpending((int64_t *) JASYNCIO__PTR(out_address));
}

static jint jasyncio_signal_ctl_disposition(JNIEnv *env, jclass cls, jint signum) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_ctl_disposition(signum);
}

static jint jasyncio_signal_ctl_strsignal(JNIEnv *env, jclass cls, jint signum, jlong address,
                                      jint size) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_ctl_strsignal(signum, (char *) JASYNCIO__PTR(address), size);
}

static jint jasyncio_signal_ctl_isNonBlocking(JNIEnv *env, jclass cls, jint fd) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_ctl_is_nonblocking(fd);
}

static jint jasyncio_signal_ctl_writeByte(JNIEnv *env, jclass cls, jint fd, jint value) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__signal_ctl_write_byte(fd, value);
}

static const JNINativeMethod jasyncio_signal_ctl_methods[] = {
  {"gettid0", "()I", (void *) jasyncio_signal_ctl_gettid},
  {"tgkill0", "(II)I", (void *) jasyncio_signal_ctl_tgkill},
  {"killSelf0", "(I)I", (void *) jasyncio_signal_ctl_killSelf},
  {"pidfdSend0", "(III)I", (void *) jasyncio_signal_ctl_pidfdSend},
  {"sigmask0", "(IJJ)I", (void *) jasyncio_signal_ctl_sigmask},
  {"sigpending0", "(J)I", (void *) jasyncio_signal_ctl_sigpending},
  {"disposition0", "(I)I", (void *) jasyncio_signal_ctl_disposition},
  {"strsignal0", "(IJI)I", (void *) jasyncio_signal_ctl_strsignal},
  {"isNonBlocking0", "(I)I", (void *) jasyncio_signal_ctl_isNonBlocking},
  {"writeByte0", "(II)I", (void *) jasyncio_signal_ctl_writeByte},
};

#define JASYNCIO__SIGNAL_CTL_CLASS "io/jasyncio/internal/natives/SignalControl"

int jasyncio__signal_ctl_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__SIGNAL_CTL_CLASS, jasyncio_signal_ctl_methods,
      (int) (sizeof(jasyncio_signal_ctl_methods) / sizeof(jasyncio_signal_ctl_methods[0])));
}

void jasyncio__signal_ctl_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__SIGNAL_CTL_CLASS);
}

/*
 * Child processes: spawn_clone.c's clone-based spawn (posix_spawn on kernels before 5.9), and
 * exit notification through a pidfd the loop's poller watches (readable once the child has
 * exited), reaped with waitid(P_PIDFD). Nothing here touches
 * SIGCHLD: the JVM's own process reaper relies on its disposition (DESIGN.md, "Signals").
 * Without pidfd_open (Linux before 5.3) the Java side polls jasyncio__process_reap with WNOHANG.
 */
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jasyncio_internal.h"
#include "process.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

extern char **environ;

static int jasyncio_process_pidfd_open(pid_t pid) {
  long rc;
  JASYNCIO__SYSCALL(rc, syscall(SYS_pidfd_open, pid, 0));
  return (int) rc;
}

int jasyncio__process_has_pidfd(void) {
  /* 0: not probed yet, 1: works, 2: does not. A race only probes twice. */
  static volatile int state;
  if (state == 0) {
    int fd = jasyncio_process_pidfd_open(getpid());
    if (fd >= 0)
      close(fd);
    state = fd >= 0 ? 1 : 2;
  }
  return state == 1;
}

int jasyncio__process_spawn(const char *path, char *const argv[], char *const envp[],
                            const char *cwd, const int32_t stdio[3], int32_t out[2]) {
  if (path == NULL || argv == NULL || stdio == NULL || out == NULL)
    return JASYNCIO__ERR(EFAULT);
  if (path[0] == '\0')
    return JASYNCIO__ERR(ENOENT);
  for (int i = 0; i < 3; i++)
    if (stdio[i] < -1)
      return JASYNCIO__ERR(EBADF);

  /*
   * A source descriptor below 3 meant for another slot (say stdout as the child's stderr) would
   * be overwritten by an earlier dup2 of the file actions: such sources are first copied above 2.
   */
  int sources[3];
  int copies[3] = {-1, -1, -1};
  int rc = 0;
  for (int i = 0; i < 3; i++) {
    sources[i] = stdio[i];
    if (stdio[i] >= 0 && stdio[i] < 3 && stdio[i] != i) {
      JASYNCIO__SYSCALL(copies[i], fcntl(stdio[i], F_DUPFD_CLOEXEC, 3));
      if (copies[i] < 0) {
        rc = copies[i];
        goto out_copies;
      }
      sources[i] = copies[i];
    }
  }

  rc = jasyncio__spawn_clone(path, argv, envp != NULL ? envp : environ, cwd, sources, out);
  if (rc != JASYNCIO__ERR(ENOSYS))
    goto out_copies;
  rc = 0;

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  int err;
  if ((err = posix_spawn_file_actions_init(&actions)) != 0) {
    rc = JASYNCIO__ERR(err);
    goto out_copies;
  }
  if ((err = posix_spawnattr_init(&attr)) != 0) {
    rc = JASYNCIO__ERR(err);
    goto out_actions;
  }
  /*
   * The child starts as process.h says: every standard signal at its default (the JVM's handlers
   * and anything this process ignores: a shell whose SIGPIPE is ignored never dies of a closed
   * pipe), and an empty mask.
   */
  sigset_t standard, none;
  sigemptyset(&standard);
  for (int sig = 1; sig < 32; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      sigaddset(&standard, sig);
  sigemptyset(&none);
  if ((err = posix_spawnattr_setsigdefault(&attr, &standard)) != 0 ||
      (err = posix_spawnattr_setsigmask(&attr, &none)) != 0 ||
      (err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)) != 0) {
    rc = JASYNCIO__ERR(err);
    goto out_attr;
  }
  if (cwd != NULL && (err = posix_spawn_file_actions_addchdir_np(&actions, cwd)) != 0) {
    rc = JASYNCIO__ERR(err);
    goto out_attr;
  }
  for (int i = 0; i < 3; i++) {
    if (sources[i] >= 0 && sources[i] != i &&
        (err = posix_spawn_file_actions_adddup2(&actions, sources[i], i)) != 0) {
      rc = JASYNCIO__ERR(err);
      goto out_attr;
    }
  }
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  /*
   * The JVM opens some descriptors without O_CLOEXEC (and so may the user's native code): the
   * child gets 0, 1 and 2 and nothing else, as Python's close_fds=True does.
   */
  if ((err = posix_spawn_file_actions_addclosefrom_np(&actions, 3)) != 0) {
    rc = JASYNCIO__ERR(err);
    goto out_attr;
  }
#endif

  pid_t pid;
  /* glibc's posix_spawn reports a failed exec, chdir or dup2 and reaps that child itself. */
  err = posix_spawn(&pid, path, &actions, &attr, argv, envp != NULL ? envp : environ);
  if (err != 0) {
    rc = JASYNCIO__ERR(err);
    goto out_attr;
  }
  out[0] = (int32_t) pid;
  /* The child is ours until reaped, so its pid cannot be reused before this pidfd_open. */
  out[1] = jasyncio__process_has_pidfd() ? jasyncio_process_pidfd_open(pid) : JASYNCIO__ERR(ENOSYS);
  rc = 0;

out_attr:
  posix_spawnattr_destroy(&attr);
out_actions:
  posix_spawn_file_actions_destroy(&actions);
out_copies:
  for (int i = 0; i < 3; i++)
    if (copies[i] >= 0)
      close(copies[i]);
  return rc;
}

int jasyncio__process_reap(int pidfd, int pid, int32_t *status) {
  if (status == NULL)
    return JASYNCIO__ERR(EFAULT);
  if (pidfd < 0 && pid <= 0)
    return JASYNCIO__ERR(EINVAL);
  siginfo_t info;
  memset(&info, 0, sizeof(info));
  int rc;
  if (pidfd >= 0)
    JASYNCIO__SYSCALL(rc, waitid((idtype_t) P_PIDFD, (id_t) pidfd, &info, WEXITED | WNOHANG));
  else
    JASYNCIO__SYSCALL(rc, waitid(P_PID, (id_t) pid, &info, WEXITED | WNOHANG));
  if (rc < 0)
    return rc;
  if (info.si_pid == 0)
    return 0; /* WNOHANG and still running */
  *status = info.si_code == CLD_EXITED ? info.si_status : -info.si_status;
  return 1;
}

int jasyncio__process_signal(int pidfd, int pid, int sig) {
  if (sig < 0)
    return JASYNCIO__ERR(EINVAL);
  long rc;
  if (pidfd >= 0) {
    JASYNCIO__SYSCALL(rc, syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0));
  } else {
    if (pid <= 0)
      return JASYNCIO__ERR(EINVAL); /* never kill(0) or kill(-1): a process group or everyone */
    JASYNCIO__SYSCALL(rc, kill((pid_t) pid, sig));
  }
  return (int) rc;
}

/* Processes.spawn0(long path, long argv, long envp, long cwd, long stdio, long out) */
static jint jasyncio_process_spawn(JNIEnv *env, jclass cls, jlong path, jlong argv, jlong envp,
                                   jlong cwd, jlong stdio, jlong out) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__process_spawn((const char *) JASYNCIO__PTR(path),
                                 (char *const *) JASYNCIO__PTR(argv),
                                 (char *const *) JASYNCIO__PTR(envp),
                                 (const char *) JASYNCIO__PTR(cwd),
                                 (const int32_t *) JASYNCIO__PTR(stdio),
                                 (int32_t *) JASYNCIO__PTR(out));
}

/* Processes.reap0(int pidfd, int pid, int[] status) */
static jint jasyncio_process_reap(JNIEnv *env, jclass cls, jint pidfd, jint pid, jintArray status) {
  JASYNCIO__UNUSED(cls);
  int32_t value = 0;
  int rc = jasyncio__process_reap(pidfd, pid, &value);
  if (rc == 1) {
    jint v = value;
    (*env)->SetIntArrayRegion(env, status, 0, 1, &v);
  }
  return rc;
}

/* Processes.signal0(int pidfd, int pid, int sig) */
static jint jasyncio_process_signal(JNIEnv *env, jclass cls, jint pidfd, jint pid, jint sig) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__process_signal(pidfd, pid, sig);
}

/* Processes.hasPidfd0() */
static jboolean jasyncio_process_has_pidfd(JNIEnv *env, jclass cls) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__process_has_pidfd() ? JNI_TRUE : JNI_FALSE;
}

/* Processes.constants0(int[] out): keep in sync with Processes' static initializer. */
static jint jasyncio_process_constants(JNIEnv *env, jclass cls, jintArray out) {
  JASYNCIO__UNUSED(cls);
  const jint values[] = {ESRCH, ECHILD, SIGTERM, SIGKILL, SIGINT, SIGHUP, SIGUSR1, EACCES, ENOEXEC};
  const jint count = (jint) (sizeof(values) / sizeof(values[0]));
  if ((*env)->GetArrayLength(env, out) < count)
    return -1;
  (*env)->SetIntArrayRegion(env, out, 0, count, values);
  return count;
}

static const JNINativeMethod jasyncio_process_methods[] = {
  {"spawn0", "(JJJJJJ)I", (void *) jasyncio_process_spawn},
  {"reap0", "(II[I)I", (void *) jasyncio_process_reap},
  {"signal0", "(III)I", (void *) jasyncio_process_signal},
  {"hasPidfd0", "()Z", (void *) jasyncio_process_has_pidfd},
  {"constants0", "([I)I", (void *) jasyncio_process_constants},
};

#define JASYNCIO__PROCESS_CLASS "io/jasyncio/internal/natives/Processes"

int jasyncio__process_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__PROCESS_CLASS, jasyncio_process_methods,
      (int) (sizeof(jasyncio_process_methods) / sizeof(jasyncio_process_methods[0])));
}

void jasyncio__process_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__PROCESS_CLASS);
}

/*
 * The fast spawn: clone3(CLONE_VM | CLONE_VFORK | CLONE_PIDFD | CLONE_CLEAR_SIGHAND) onto a stack
 * this thread keeps, then the few steps posix_spawn's child takes, then execve. Against glibc's
 * posix_spawn it saves, per child: the mmap and munmap of a child stack (the munmap of a mapping a
 * multi-threaded JVM has touched costs a TLB shoot-down on every CPU its threads ran on), the
 * separate pidfd_open, the rlimit checks of file actions, and half the child's sigaction calls
 * (the kernel resets every handler at clone; the child resets the standard signals, which this
 * process may ignore; see process.h for what the child starts with).
 * See bench/RESULTS.md, "Child processes".
 *
 * The child shares the parent's memory until execve and the parent thread is suspended until
 * then (CLONE_VFORK), so the child only makes raw system calls: no locks, no allocation, no
 * sanitizer interceptors. Every signal stays blocked until the child's handlers are gone, so no
 * JVM handler ever runs in the child.
 *
 * x86_64 on Linux 5.9 or later (close_range; clone3 and CLONE_CLEAR_SIGHAND are 5.5):
 * jasyncio__spawn_clone returns -ENOSYS elsewhere, and process.c falls back to posix_spawn.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jasyncio_internal.h"
#include "process.h"

#if defined(__x86_64__)

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#define JASYNCIO__CLONE_CLEAR_SIGHAND 0x100000000ULL
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* The kernel's sigaction and signal set, as rt_sigaction and rt_sigprocmask take them. */
struct jasyncio_kernel_sigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)(void);
  uint64_t mask;
};
#define JASYNCIO__KERNEL_SIGSET_SIZE 8
/* The kernel's first real-time signal (glibc's SIGRTMIN is above it: it keeps two for itself). */
#define JASYNCIO__FIRST_RT_SIGNAL 32

/* clone3's arguments, as far as this file sets them (CLONE_ARGS_SIZE_VER0). */
struct jasyncio_clone_args {
  uint64_t flags;
  uint64_t pidfd;
  uint64_t child_tid;
  uint64_t parent_tid;
  uint64_t exit_signal;
  uint64_t stack;
  uint64_t stack_size;
  uint64_t tls;
};

/*
 * clone3(args, size), and in the child fn(arg) on the new stack, then exit_group with its result.
 * Returns what clone3 returns to the parent: the pid, or -errno. (A C wrapper cannot do this: the
 * child returns from the system call on a stack that has no frame of the caller's.)
 */
long jasyncio__clone3_run(struct jasyncio_clone_args *args, size_t size, int (*fn)(void *), void *arg)
    __attribute__((visibility("hidden")));
__asm__(".text\n"
        ".globl jasyncio__clone3_run\n"
        ".hidden jasyncio__clone3_run\n"
        ".type jasyncio__clone3_run, @function\n"
        "jasyncio__clone3_run:\n"
        "  mov %rdx, %r8\n" /* fn and arg into registers the system call keeps */
        "  mov %rcx, %r9\n"
        "  mov $435, %eax\n"
        "  syscall\n"
        "  test %rax, %rax\n"
        "  jnz 1f\n"
        "  xor %ebp, %ebp\n" /* the child: the kernel set rsp to the new stack's top */
        "  and $-16, %rsp\n"
        "  mov %r9, %rdi\n"
        "  call *%r8\n"
        "  mov %eax, %edi\n"
        "  mov $231, %eax\n" /* exit_group */
        "  syscall\n"
        "  hlt\n"
        "1:\n"
        "  ret\n"
        ".size jasyncio__clone3_run, .-jasyncio__clone3_run\n");

/* Room for the child's few frames, and a guard page under it. */
#define JASYNCIO__SPAWN_STACK (64 * 1024)

struct jasyncio_spawn_child {
  const char *path;
  char *const *argv;
  char *const *envp;
  const char *cwd;
  const int *sources;
  /* The errno of the step that failed in the child; 0 after a successful execve. */
  volatile int error;
};

__attribute__((no_sanitize("address", "undefined"))) static int jasyncio_spawn_child_main(void *p) {
  struct jasyncio_spawn_child *c = p;
  struct jasyncio_kernel_sigaction dfl = {SIG_DFL, 0, NULL, 0};
  long rc = 0;
  /*
   * CLONE_CLEAR_SIGHAND reset every handler; the standard signals this process ignores (a nohup'd
   * or background JVM ignores HUP or INT) go back to their default too.
   */
  for (long sig = 1; sig < JASYNCIO__FIRST_RT_SIGNAL; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      syscall(SYS_rt_sigaction, sig, &dfl, NULL, JASYNCIO__KERNEL_SIGSET_SIZE);
  if (c->cwd != NULL && (rc = syscall(SYS_chdir, c->cwd)) != 0)
    goto fail;
  for (long i = 0; i < 3; i++) {
    long source = c->sources[i];
    if (source < 0)
      continue;
    /* dup2 onto itself keeps close-on-exec, so a descriptor already in place only loses it. */
    rc = source == i ? syscall(SYS_fcntl, i, F_SETFD, 0L) : syscall(SYS_dup2, source, i);
    if (rc < 0)
      goto fail;
  }
  if ((rc = syscall(SYS_close_range, 3L, ~0UL, 0L)) != 0)
    goto fail;
  uint64_t none = 0;
  if ((rc = syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, JASYNCIO__KERNEL_SIGSET_SIZE)) != 0)
    goto fail;
  syscall(SYS_execve, c->path, c->argv, c->envp);
fail:
  c->error = errno != 0 ? errno : EINVAL;
  return 127;
}

/* This thread's child stack, mapped at its first spawn and unmapped when the thread ends. */
static pthread_key_t jasyncio_spawn_stack_key;
static pthread_once_t jasyncio_spawn_stack_once = PTHREAD_ONCE_INIT;
static int jasyncio_spawn_stack_key_ok;

static void jasyncio_spawn_stack_free(void *stack) {
  munmap(stack, JASYNCIO__SPAWN_STACK + (size_t) sysconf(_SC_PAGESIZE));
}

static void jasyncio_spawn_stack_key_create(void) {
  jasyncio_spawn_stack_key_ok = pthread_key_create(&jasyncio_spawn_stack_key, jasyncio_spawn_stack_free) == 0;
}

/* The base (lowest usable address) of this thread's child stack, or NULL (errno set). */
static char *jasyncio_spawn_stack(void) {
  pthread_once(&jasyncio_spawn_stack_once, jasyncio_spawn_stack_key_create);
  if (!jasyncio_spawn_stack_key_ok) {
    errno = EAGAIN;
    return NULL;
  }
  size_t guard = (size_t) sysconf(_SC_PAGESIZE);
  char *stack = pthread_getspecific(jasyncio_spawn_stack_key);
  if (stack == NULL) {
    stack = mmap(NULL, JASYNCIO__SPAWN_STACK + guard, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
      return NULL;
    if (mprotect(stack, guard, PROT_NONE) != 0 || pthread_setspecific(jasyncio_spawn_stack_key, stack) != 0) {
      int saved = errno;
      munmap(stack, JASYNCIO__SPAWN_STACK + guard);
      errno = saved;
      return NULL;
    }
  }
  return stack + guard;
}

/* 1 when this kernel has close_range (5.9, so clone3 with CLONE_CLEAR_SIGHAND and CLONE_PIDFD too). */
static int jasyncio_spawn_clone_usable(void) {
  /* 0: not probed yet, 1: usable, 2: not. A race only probes twice. */
  static volatile int state;
  if (state == 0) {
    /* An empty range: 0 where the call exists, ENOSYS where it does not. */
    long rc = syscall(SYS_close_range, ~0U, ~0U, 0);
    state = rc == 0 && jasyncio__process_has_pidfd() ? 1 : 2;
  }
  return state == 1;
}

int jasyncio__spawn_clone(const char *path, char *const argv[], char *const envp[],
                          const char *cwd, const int sources[3], int32_t out[2]) {
  if (!jasyncio_spawn_clone_usable())
    return JASYNCIO__ERR(ENOSYS);
  char *stack = jasyncio_spawn_stack();
  if (stack == NULL)
    return JASYNCIO__ERR(errno);
  struct jasyncio_spawn_child child = {path, argv, envp, cwd, sources, 0};

  int pidfd = -1;
  struct jasyncio_clone_args args;
  memset(&args, 0, sizeof args);
  args.flags = CLONE_VM | CLONE_VFORK | CLONE_PIDFD | JASYNCIO__CLONE_CLEAR_SIGHAND;
  args.pidfd = (uint64_t) (uintptr_t) &pidfd;
  args.exit_signal = SIGCHLD;
  args.stack = (uint64_t) (uintptr_t) stack;
  args.stack_size = JASYNCIO__SPAWN_STACK;

  uint64_t all = ~(uint64_t) 0, old;
  if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, JASYNCIO__KERNEL_SIGSET_SIZE) != 0)
    return JASYNCIO__ERR(errno);
  long pid = jasyncio__clone3_run(&args, sizeof args, jasyncio_spawn_child_main, &child);
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, JASYNCIO__KERNEL_SIGSET_SIZE);
  if (pid < 0)
    return (int) pid; /* -ENOSYS (a seccomp filter refusing clone3, as Docker's does): posix_spawn */

  if (child.error != 0) {
    /* The child is gone or going (exit_group): reap it, so nothing is left behind. */
    siginfo_t info;
    int rc;
    do {
      rc = waitid((idtype_t) P_PIDFD, (id_t) pidfd, &info, WEXITED);
    } while (rc < 0 && errno == EINTR);
    close(pidfd);
    return JASYNCIO__ERR(child.error);
  }
  out[0] = (int32_t) pid;
  out[1] = pidfd;
  return 0;
}

#else /* not x86_64 */

int jasyncio__spawn_clone(const char *path, char *const argv[], char *const envp[],
                          const char *cwd, const int sources[3], int32_t out[2]) {
  (void) path, (void) argv, (void) envp, (void) cwd, (void) sources, (void) out;
  return JASYNCIO__ERR(ENOSYS);
}

#endif

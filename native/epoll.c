/*
 * epoll: the readiness poller of the Linux loop. The loop stores an opaque 64-bit token in each
 * registration's data word and maps it back itself; nothing here knows about handlers.
 */
#include <limits.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "jasyncio_internal.h"

/* Old kernel headers lack the number; it is 441 on every architecture we build for. */
#if !defined(SYS_epoll_pwait2) && (defined(__x86_64__) || defined(__aarch64__))
#define SYS_epoll_pwait2 441
#endif

#define JASYNCIO__NANOS_PER_SECOND INT64_C(1000000000)
#define JASYNCIO__NANOS_PER_MILLI INT64_C(1000000)

/*
 * Whether the kernel has epoll_pwait2 (Linux 5.11): 0 not probed yet, 1 yes, -1 no. Loops on
 * several threads may probe at once; they all store the same answer, so relaxed order suffices.
 */
static atomic_int jasyncio_epoll_pwait2_state;

static int64_t jasyncio_epoll_now_ns(void) {
  struct timespec ts;
  /* CLOCK_MONOTONIC is the clock of System.nanoTime and of the kernel's epoll timeouts. */
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * JASYNCIO__NANOS_PER_SECOND + ts.tv_nsec;
}

/* The deadline of a wait of timeout_ns >= 0 from now, saturating instead of overflowing. */
static int64_t jasyncio_epoll_deadline(int64_t timeout_ns) {
  int64_t now = jasyncio_epoll_now_ns();
  return timeout_ns > INT64_MAX - now ? INT64_MAX : now + timeout_ns;
}

/*
 * Rounds up: a wait of 1 ns must sleep a whole millisecond, not become epoll_wait(..., 0) and
 * spin the loop until the timer is due. Waits beyond INT_MAX ms (24 days) are cut to that; the
 * caller sees a timeout and waits again.
 */
static int jasyncio_epoll_ms_up(int64_t timeout_ns) {
  if (timeout_ns >= (int64_t) INT_MAX * JASYNCIO__NANOS_PER_MILLI)
    return INT_MAX;
  return (int) ((timeout_ns + JASYNCIO__NANOS_PER_MILLI - 1) / JASYNCIO__NANOS_PER_MILLI);
}

static int jasyncio_epoll_check_wait(int epfd, struct epoll_event *events, int max_events) {
  JASYNCIO__CHECK_FD(epfd);
  if (max_events <= 0)
    return JASYNCIO__ERR(EINVAL);
  if (events == NULL)
    return JASYNCIO__ERR(EFAULT);
  return 0;
}

#ifdef SYS_epoll_pwait2
static int jasyncio_epoll_pwait2(int epfd, struct epoll_event *events, int max_events,
                                 const struct timespec *timeout) {
  /* No signal mask: the size argument is then ignored. */
  return (int) syscall(SYS_epoll_pwait2, epfd, events, max_events, timeout, NULL, 0);
}
#endif

/*
 * Both waits below treat EINTR and an early timeout alike: wait again for what is left until
 * the deadline. So a wait never ends before its timeout unless an event arrived, which is what
 * lets the loop promise that timers never fire early.
 */
static int jasyncio_epoll_wait_ns_unchecked(int epfd, struct epoll_event *events, int max_events,
                                            int64_t timeout_ns) {
#ifdef SYS_epoll_pwait2
  int rc;
  if (timeout_ns < 0) {
    JASYNCIO__SYSCALL(rc, jasyncio_epoll_pwait2(epfd, events, max_events, NULL));
    return rc;
  }
  if (timeout_ns == 0) {
    /* Does not wait, so there is no deadline to keep (and no clock to read). */
    struct timespec zero = {0, 0};
    JASYNCIO__SYSCALL(rc, jasyncio_epoll_pwait2(epfd, events, max_events, &zero));
    return rc;
  }
  int64_t deadline = jasyncio_epoll_deadline(timeout_ns);
  for (;;) {
    struct timespec ts;
    ts.tv_sec = (time_t) (timeout_ns / JASYNCIO__NANOS_PER_SECOND);
    ts.tv_nsec = (long) (timeout_ns % JASYNCIO__NANOS_PER_SECOND);
    rc = jasyncio_epoll_pwait2(epfd, events, max_events, &ts);
    if (rc > 0)
      return rc;
    if (rc == -1 && errno != EINTR)
      return JASYNCIO__ERR(errno);
    timeout_ns = deadline - jasyncio_epoll_now_ns();
    if (timeout_ns <= 0)
      return 0;
  }
#else
  JASYNCIO__UNUSED(epfd);
  JASYNCIO__UNUSED(events);
  JASYNCIO__UNUSED(max_events);
  JASYNCIO__UNUSED(timeout_ns);
  return JASYNCIO__ERR(ENOSYS);
#endif
}

static int jasyncio_epoll_wait_ms_unchecked(int epfd, struct epoll_event *events, int max_events,
                                            int64_t timeout_ns) {
  int rc;
  if (timeout_ns <= 0) {
    JASYNCIO__SYSCALL(rc, epoll_wait(epfd, events, max_events, timeout_ns < 0 ? -1 : 0));
    return rc;
  }
  int64_t deadline = jasyncio_epoll_deadline(timeout_ns);
  for (;;) {
    rc = epoll_wait(epfd, events, max_events, jasyncio_epoll_ms_up(timeout_ns));
    if (rc > 0)
      return rc;
    if (rc == -1 && errno != EINTR)
      return JASYNCIO__ERR(errno);
    timeout_ns = deadline - jasyncio_epoll_now_ns();
    if (timeout_ns <= 0)
      return 0;
  }
}

int jasyncio__epoll_has_pwait2(void) {
  int state = atomic_load_explicit(&jasyncio_epoll_pwait2_state, memory_order_relaxed);
  if (state == 0) {
#ifdef SYS_epoll_pwait2
    /*
     * A call the kernel must refuse (fd -1, maxevents 0): EBADF or EINVAL when it has the
     * system call, ENOSYS when it does not, EPERM when a seccomp filter blocks it (the default
     * profiles of container runtimes older than the call did).
     */
    long rc = syscall(SYS_epoll_pwait2, -1, NULL, 0, NULL, NULL, 0);
    state = (rc == -1 && (errno == ENOSYS || errno == EPERM)) ? -1 : 1;
#else
    state = -1;
#endif
    atomic_store_explicit(&jasyncio_epoll_pwait2_state, state, memory_order_relaxed);
  }
  return state > 0;
}

int jasyncio__epoll_create(void) {
  int fd;
  JASYNCIO__SYSCALL(fd, epoll_create1(EPOLL_CLOEXEC));
  return fd;
}

int jasyncio__epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
  JASYNCIO__CHECK_FD(epfd);
  JASYNCIO__CHECK_FD(fd);
  /* EPOLL_CTL_DEL ignores the event, but kernels before 2.6.9 wanted a non-null pointer. */
  struct epoll_event ev;
  ev.events = events;
  ev.data.u64 = data;
  int rc;
  JASYNCIO__SYSCALL(rc, epoll_ctl(epfd, op, fd, &ev));
  return rc;
}

int jasyncio__epoll_wait_ns(int epfd, struct epoll_event *events, int max_events,
                            int64_t timeout_ns) {
  int rc = jasyncio_epoll_check_wait(epfd, events, max_events);
  return rc < 0 ? rc : jasyncio_epoll_wait_ns_unchecked(epfd, events, max_events, timeout_ns);
}

int jasyncio__epoll_wait_ms(int epfd, struct epoll_event *events, int max_events,
                            int64_t timeout_ns) {
  int rc = jasyncio_epoll_check_wait(epfd, events, max_events);
  return rc < 0 ? rc : jasyncio_epoll_wait_ms_unchecked(epfd, events, max_events, timeout_ns);
}

int jasyncio__epoll_wait(int epfd, struct epoll_event *events, int max_events,
                         int64_t timeout_ns) {
  int rc = jasyncio_epoll_check_wait(epfd, events, max_events);
  if (rc < 0)
    return rc;
  if (jasyncio__epoll_has_pwait2())
    return jasyncio_epoll_wait_ns_unchecked(epfd, events, max_events, timeout_ns);
  return jasyncio_epoll_wait_ms_unchecked(epfd, events, max_events, timeout_ns);
}

/* Epoll.create0() */
static jint jasyncio_epoll_create(JNIEnv *env, jclass cls) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__epoll_create();
}

/* Epoll.ctl0(int epfd, int op, int fd, int events, long data) */
static jint jasyncio_epoll_ctl(JNIEnv *env, jclass cls, jint epfd, jint op, jint fd, jint events,
                               jlong data) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__epoll_ctl(epfd, op, fd, (uint32_t) events, (uint64_t) data);
}

/* Epoll.wait0(int epfd, long eventsAddress, int maxEvents, long timeoutNanos) */
static jint jasyncio_epoll_wait(JNIEnv *env, jclass cls, jint epfd, jlong events_address,
                                jint max_events, jlong timeout_ns) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__epoll_wait(epfd, JASYNCIO__PTR(events_address), max_events, timeout_ns);
}

static jboolean jasyncio_epoll_pwait2Available(JNIEnv *env, jclass cls) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__epoll_has_pwait2() ? JNI_TRUE : JNI_FALSE;
}

/* Layout and constants, read once by Epoll's static initializer: Java hard-codes none of them. */
#define JASYNCIO__EPOLL_CONSTANTS(X)                                     \
  X(eventSize, (jint) sizeof(struct epoll_event))                        \
  X(eventsOffset, (jint) offsetof(struct epoll_event, events))           \
  X(dataOffset, (jint) offsetof(struct epoll_event, data))               \
  X(epollin, (jint) EPOLLIN)                                             \
  X(epollout, (jint) EPOLLOUT)                                           \
  X(epollrdhup, (jint) EPOLLRDHUP)                                       \
  X(epollerr, (jint) EPOLLERR)                                           \
  X(epollhup, (jint) EPOLLHUP)                                           \
  X(epollet, (jint) EPOLLET)                                             \
  X(epolloneshot, (jint) EPOLLONESHOT)                                   \
  X(ctlAdd, (jint) EPOLL_CTL_ADD)                                        \
  X(ctlMod, (jint) EPOLL_CTL_MOD)                                        \
  X(ctlDel, (jint) EPOLL_CTL_DEL)

#define JASYNCIO__EPOLL_CONSTANT_FN(name, value)                         \
  static jint jasyncio_epoll_##name(JNIEnv *env, jclass cls) {           \
    JASYNCIO__UNUSED(env);                                               \
    JASYNCIO__UNUSED(cls);                                               \
    return value;                                                        \
  }
JASYNCIO__EPOLL_CONSTANTS(JASYNCIO__EPOLL_CONSTANT_FN)
#undef JASYNCIO__EPOLL_CONSTANT_FN

static const JNINativeMethod jasyncio_epoll_methods[] = {
  {"create0", "()I", (void *) jasyncio_epoll_create},
  {"ctl0", "(IIIIJ)I", (void *) jasyncio_epoll_ctl},
  {"wait0", "(IJIJ)I", (void *) jasyncio_epoll_wait},
  {"pwait2Available0", "()Z", (void *) jasyncio_epoll_pwait2Available},
#define JASYNCIO__EPOLL_CONSTANT_ENTRY(name, value) \
  {#name "0", "()I", (void *) jasyncio_epoll_##name},
  JASYNCIO__EPOLL_CONSTANTS(JASYNCIO__EPOLL_CONSTANT_ENTRY)
#undef JASYNCIO__EPOLL_CONSTANT_ENTRY
};

#define JASYNCIO__EPOLL_CLASS "io/jasyncio/internal/natives/Epoll"

int jasyncio__epoll_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__EPOLL_CLASS, jasyncio_epoll_methods,
      (int) (sizeof(jasyncio_epoll_methods) / sizeof(jasyncio_epoll_methods[0])));
}

void jasyncio__epoll_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__EPOLL_CLASS);
}

/*
 * The loop's wake-up: an eventfd the poller watches. Any thread signals it; the loop drains it
 * after the poll returns. Both ends are non-blocking, so neither can stall a thread.
 */
#include <sys/eventfd.h>
#include <unistd.h>

#include "jasyncio_internal.h"

int jasyncio__wakeup_create(void) {
  int fd;
  JASYNCIO__SYSCALL(fd, eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  return fd;
}

/*
 * Adds 1 to the counter. EAGAIN means the counter is at its maximum, so the eventfd is already
 * readable and the poller will wake: that is success, not an error.
 */
int jasyncio__wakeup_signal(int fd) {
  JASYNCIO__CHECK_FD(fd);
  uint64_t one = 1;
  ssize_t rc;
  JASYNCIO__SYSCALL(rc, write(fd, &one, sizeof(one)));
  if (rc == JASYNCIO__ERR(EAGAIN))
    return 0;
  return rc < 0 ? (int) rc : 0;
}

/*
 * Reads and resets the counter. Returns how many signals were pending (capped at INT32_MAX),
 * 0 when there were none (EAGAIN).
 */
int jasyncio__wakeup_drain(int fd) {
  JASYNCIO__CHECK_FD(fd);
  uint64_t count = 0;
  ssize_t rc;
  JASYNCIO__SYSCALL(rc, read(fd, &count, sizeof(count)));
  if (rc == JASYNCIO__ERR(EAGAIN))
    return 0;
  if (rc < 0)
    return (int) rc;
  return count > INT32_MAX ? INT32_MAX : (int) count;
}

/* Wakeup.create0() */
static jint jasyncio_wakeup_create(JNIEnv *env, jclass cls) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__wakeup_create();
}

/* Wakeup.signal0(int fd) */
static jint jasyncio_wakeup_signal(JNIEnv *env, jclass cls, jint fd) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__wakeup_signal(fd);
}

/* Wakeup.drain0(int fd) */
static jint jasyncio_wakeup_drain(JNIEnv *env, jclass cls, jint fd) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__wakeup_drain(fd);
}

static const JNINativeMethod jasyncio_wakeup_methods[] = {
  {"create0", "()I", (void *) jasyncio_wakeup_create},
  {"signal0", "(I)I", (void *) jasyncio_wakeup_signal},
  {"drain0", "(I)I", (void *) jasyncio_wakeup_drain},
};

#define JASYNCIO__WAKEUP_CLASS "io/jasyncio/internal/natives/Wakeup"

int jasyncio__wakeup_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__WAKEUP_CLASS, jasyncio_wakeup_methods,
      (int) (sizeof(jasyncio_wakeup_methods) / sizeof(jasyncio_wakeup_methods[0])));
}

void jasyncio__wakeup_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__WAKEUP_CLASS);
}

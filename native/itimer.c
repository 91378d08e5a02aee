/*
 * Interval timers for Java's io.jasyncio.Signals: alarm(2), setitimer(2) and getitimer(2).
 * ITIMER_REAL delivers SIGALRM and ITIMER_VIRTUAL SIGVTALRM to the process; Java refuses
 * ITIMER_PROF (SIGPROF belongs to profilers in a JVM). Times cross the boundary in microseconds,
 * the timers' own resolution: an itimer's four values (value, interval; then the old ones) are
 * int64s at the address Java passes.
 */
#include <sys/time.h>
#include <unistd.h>

#include "jasyncio_internal.h"

/* Keep in sync with Itimers.java: the layout of the four int64s. */
#define JASYNCIO__ITIMER_VALUE 0
#define JASYNCIO__ITIMER_INTERVAL 1
#define JASYNCIO__ITIMER_OLD_VALUE 2
#define JASYNCIO__ITIMER_OLD_INTERVAL 3

static int jasyncio_itimer_to_timeval(int64_t micros, struct timeval *tv) {
  if (micros < 0)
    return JASYNCIO__ERR(EINVAL);
  tv->tv_sec = (time_t) (micros / 1000000);
  tv->tv_usec = (suseconds_t) (micros % 1000000);
  return 0;
}

static int64_t jasyncio_itimer_from_timeval(const struct timeval *tv) {
  return (int64_t) tv->tv_sec * 1000000 + tv->tv_usec;
}

/* alarm(2): the seconds left of the previous alarm, 0 if none. Never fails. */
int jasyncio__itimer_alarm(int seconds) {
  if (seconds < 0)
    return JASYNCIO__ERR(EINVAL);
  return (int) alarm((unsigned) seconds);
}

/*
 * setitimer(2): arms timer `which` with values[VALUE] and values[INTERVAL] (microseconds; a zero
 * value disarms) and stores the previous ones in values[OLD_VALUE] and values[OLD_INTERVAL].
 */
int jasyncio__itimer_set(int which, int64_t *values) {
  if (values == NULL)
    return JASYNCIO__ERR(EFAULT);
  struct itimerval next, old;
  int rc = jasyncio_itimer_to_timeval(values[JASYNCIO__ITIMER_VALUE], &next.it_value);
  if (rc < 0)
    return rc;
  rc = jasyncio_itimer_to_timeval(values[JASYNCIO__ITIMER_INTERVAL], &next.it_interval);
  if (rc < 0)
    return rc;
  if (setitimer((__itimer_which_t) which, &next, &old) == -1)
    return JASYNCIO__ERR(errno);
  values[JASYNCIO__ITIMER_OLD_VALUE] = jasyncio_itimer_from_timeval(&old.it_value);
  values[JASYNCIO__ITIMER_OLD_INTERVAL] = jasyncio_itimer_from_timeval(&old.it_interval);
  return 0;
}

/* getitimer(2): stores timer `which`'s values in values[OLD_VALUE] and values[OLD_INTERVAL]. */
int jasyncio__itimer_get(int which, int64_t *values) {
  if (values == NULL)
    return JASYNCIO__ERR(EFAULT);
  struct itimerval current;
  if (getitimer((__itimer_which_t) which, &current) == -1)
    return JASYNCIO__ERR(errno);
  values[JASYNCIO__ITIMER_OLD_VALUE] = jasyncio_itimer_from_timeval(&current.it_value);
  values[JASYNCIO__ITIMER_OLD_INTERVAL] = jasyncio_itimer_from_timeval(&current.it_interval);
  return 0;
}

static jint jasyncio_itimer_alarm(JNIEnv *env, jclass cls, jint seconds) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__itimer_alarm(seconds);
}

static jint jasyncio_itimer_set(JNIEnv *env, jclass cls, jint which, jlong address) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__itimer_set(which, (int64_t *) JASYNCIO__PTR(address));
}

static jint jasyncio_itimer_get(JNIEnv *env, jclass cls, jint which, jlong address) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__itimer_get(which, (int64_t *) JASYNCIO__PTR(address));
}

static const JNINativeMethod jasyncio_itimer_methods[] = {
  {"alarm0", "(I)I", (void *) jasyncio_itimer_alarm},
  {"set0", "(IJ)I", (void *) jasyncio_itimer_set},
  {"get0", "(IJ)I", (void *) jasyncio_itimer_get},
};

#define JASYNCIO__ITIMER_CLASS "io/jasyncio/internal/natives/Itimers"

int jasyncio__itimer_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__ITIMER_CLASS, jasyncio_itimer_methods,
      (int) (sizeof(jasyncio_itimer_methods) / sizeof(jasyncio_itimer_methods[0])));
}

void jasyncio__itimer_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__ITIMER_CLASS);
}

/*
 * errno values as Java sees them: a name ("ECONNRESET") and a message for each, from one
 * table, and the numbers Java compares results against. Everything here is on the cold path
 * (building an exception), so it may allocate Java strings.
 */
#include <stdio.h>
#include <string.h>

#include "jasyncio_internal.h"

/*
 * Every errno jasyncio names: X(name, message). The messages are glibc's, so a message reads the
 * same whether it comes from this table or from strerror_r for an errno missing here.
 */
#define JASYNCIO__ERRNO_MAP(X)                                           \
  X(EPERM, "Operation not permitted")                                    \
  X(ENOENT, "No such file or directory")                                 \
  X(ESRCH, "No such process")                                            \
  X(EINTR, "Interrupted system call")                                    \
  X(EIO, "Input/output error")                                           \
  X(ENXIO, "No such device or address")                                  \
  X(E2BIG, "Argument list too long")                                     \
  X(ENOEXEC, "Exec format error")                                        \
  X(EBADF, "Bad file descriptor")                                        \
  X(ECHILD, "No child processes")                                        \
  X(EAGAIN, "Resource temporarily unavailable")                          \
  X(ENOMEM, "Cannot allocate memory")                                    \
  X(EACCES, "Permission denied")                                         \
  X(EFAULT, "Bad address")                                               \
  X(EBUSY, "Device or resource busy")                                    \
  X(EEXIST, "File exists")                                               \
  X(EXDEV, "Invalid cross-device link")                                  \
  X(ENODEV, "No such device")                                            \
  X(ENOTDIR, "Not a directory")                                          \
  X(EISDIR, "Is a directory")                                            \
  X(EINVAL, "Invalid argument")                                          \
  X(ENFILE, "Too many open files in system")                             \
  X(EMFILE, "Too many open files")                                       \
  X(ENOTTY, "Inappropriate ioctl for device")                            \
  X(ETXTBSY, "Text file busy")                                           \
  X(EFBIG, "File too large")                                             \
  X(ENOSPC, "No space left on device")                                   \
  X(ESPIPE, "Illegal seek")                                              \
  X(EROFS, "Read-only file system")                                      \
  X(EMLINK, "Too many links")                                            \
  X(EPIPE, "Broken pipe")                                                \
  X(ERANGE, "Numerical result out of range")                             \
  X(EDEADLK, "Resource deadlock avoided")                                \
  X(ENAMETOOLONG, "File name too long")                                  \
  X(ENOSYS, "Function not implemented")                                  \
  X(ENOTEMPTY, "Directory not empty")                                    \
  X(ELOOP, "Too many levels of symbolic links")                          \
  X(ENOTSOCK, "Socket operation on non-socket")                          \
  X(EDESTADDRREQ, "Destination address required")                        \
  X(EMSGSIZE, "Message too long")                                        \
  X(EPROTOTYPE, "Protocol wrong type for socket")                        \
  X(ENOPROTOOPT, "Protocol not available")                               \
  X(EPROTONOSUPPORT, "Protocol not supported")                           \
  X(EOPNOTSUPP, "Operation not supported")                               \
  X(EAFNOSUPPORT, "Address family not supported by protocol")            \
  X(EADDRINUSE, "Address already in use")                                \
  X(EADDRNOTAVAIL, "Cannot assign requested address")                    \
  X(ENETDOWN, "Network is down")                                         \
  X(ENETUNREACH, "Network is unreachable")                               \
  X(ECONNABORTED, "Software caused connection abort")                    \
  X(ECONNRESET, "Connection reset by peer")                              \
  X(ENOBUFS, "No buffer space available")                                \
  X(EISCONN, "Transport endpoint is already connected")                  \
  X(ENOTCONN, "Transport endpoint is not connected")                     \
  X(ETIMEDOUT, "Connection timed out")                                   \
  X(ECONNREFUSED, "Connection refused")                                  \
  X(EHOSTUNREACH, "No route to host")                                    \
  X(EALREADY, "Operation already in progress")                           \
  X(EINPROGRESS, "Operation now in progress")                            \
  X(ECANCELED, "Operation canceled")

/*
 * The errno values Java reads once into Errors' constants, in this order.
 * Keep in sync with Errors.java (the field list after the errnoConstants0 call).
 */
#define JASYNCIO__JAVA_ERRNOS(X)                                         \
  X(EAGAIN)                                                              \
  X(EINTR)                                                               \
  X(EBADF)                                                               \
  X(EINVAL)                                                              \
  X(EFAULT)                                                              \
  X(ENOENT)                                                              \
  X(EEXIST)                                                              \
  X(EPERM)                                                               \
  X(EACCES)                                                              \
  X(ENOMEM)                                                              \
  X(EMFILE)                                                              \
  X(ENFILE)                                                              \
  X(ENOSYS)                                                              \
  X(EPIPE)                                                               \
  X(ECONNRESET)                                                          \
  X(ECONNREFUSED)                                                        \
  X(ECONNABORTED)                                                        \
  X(EADDRINUSE)                                                          \
  X(EADDRNOTAVAIL)                                                       \
  X(EINPROGRESS)                                                         \
  X(EALREADY)                                                            \
  X(EISCONN)                                                             \
  X(ENOTCONN)                                                            \
  X(ENOTSOCK)                                                            \
  X(EOPNOTSUPP)                                                          \
  X(ETIMEDOUT)                                                           \
  X(EHOSTUNREACH)                                                        \
  X(ENETUNREACH)

/* NULL for an errno the table does not know. */
const char *jasyncio__errno_name(int err) {
  switch (err) {
#define JASYNCIO__NAME_CASE(name, message) \
  case name:                               \
    return #name;
    JASYNCIO__ERRNO_MAP(JASYNCIO__NAME_CASE)
#undef JASYNCIO__NAME_CASE
    default:
      return NULL;
  }
}

/*
 * The message for err: the table's, else the C library's strerror_r (thread safe, unlike
 * strerror), so it never fails.
 */
const char *jasyncio__errno_message(int err, char *buf, size_t size) {
  switch (err) {
#define JASYNCIO__MESSAGE_CASE(name, message) \
  case name:                                  \
    return message;
    JASYNCIO__ERRNO_MAP(JASYNCIO__MESSAGE_CASE)
#undef JASYNCIO__MESSAGE_CASE
    default:
      break;
  }
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
  return strerror_r(err, buf, size);
#else
  /* musl and the BSDs have the XSI variant, which fills buf and returns 0 or an error. */
  if (strerror_r(err, buf, size) != 0)
    snprintf(buf, size, "Unknown error %d", err);
  return buf;
#endif
}

/* Errors.errnoName0(int): the name, or null when the table does not know err. */
static jstring jasyncio_errors_errnoName(JNIEnv *env, jclass cls, jint err) {
  JASYNCIO__UNUSED(cls);
  const char *name = jasyncio__errno_name(err);
  return name == NULL ? NULL : (*env)->NewStringUTF(env, name);
}

/* Errors.strerror0(int) */
static jstring jasyncio_errors_strerror(JNIEnv *env, jclass cls, jint err) {
  JASYNCIO__UNUSED(cls);
  char buf[128];
  return (*env)->NewStringUTF(env, jasyncio__errno_message(err, buf, sizeof(buf)));
}

/*
 * Errors.errnoConstants0(int[]): fills the array with JASYNCIO__JAVA_ERRNOS in order (as much of
 * it as fits) and returns how many there are, so Java can tell a list out of sync.
 */
static jint jasyncio_errors_errnoConstants(JNIEnv *env, jclass cls, jintArray out) {
  JASYNCIO__UNUSED(cls);
#define JASYNCIO__VALUE(name) name,
  static const jint values[] = {JASYNCIO__JAVA_ERRNOS(JASYNCIO__VALUE)};
#undef JASYNCIO__VALUE
  const jint count = (jint) (sizeof(values) / sizeof(values[0]));
  if (out == NULL)
    return JASYNCIO__ERR(EFAULT);
  jint length = (*env)->GetArrayLength(env, out);
  (*env)->SetIntArrayRegion(env, out, 0, length < count ? length : count, values);
  return count;
}

static const JNINativeMethod jasyncio_errors_methods[] = {
  {"errnoName0", "(I)Ljava/lang/String;", (void *) jasyncio_errors_errnoName},
  {"strerror0", "(I)Ljava/lang/String;", (void *) jasyncio_errors_strerror},
  {"errnoConstants0", "([I)I", (void *) jasyncio_errors_errnoConstants},
};

#define JASYNCIO__ERRORS_CLASS "io/jasyncio/internal/natives/Errors"

int jasyncio__errors_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__ERRORS_CLASS, jasyncio_errors_methods,
      (int) (sizeof(jasyncio_errors_methods) / sizeof(jasyncio_errors_methods[0])));
}

void jasyncio__errors_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__ERRORS_CLASS);
}

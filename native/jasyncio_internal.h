/*
 * jasyncio's C core: what the files of native/ share with each other (and with native/test).
 * Nothing here is part of any public interface.
 *
 * Conventions, for every function of the core:
 *  - a result >= 0 is success, a failure is -errno (built with JASYNCIO__ERR, never by hand);
 *  - EINTR never reaches the caller: the call is retried where it happened;
 *  - arguments are checked before any system call: a negative fd is -EBADF, a negative length
 *    -EINVAL, a zero address with a non-zero length -EFAULT (and is never dereferenced);
 *  - no Java object is touched: the JNI functions are thin casts over these.
 * Names: `jasyncio__` is visible across files (hidden outside the library by
 * -fvisibility=hidden), `static` is file-local, and the JNI functions of file F are
 * `static jasyncio_F_<method>`, registered by jasyncio__F_register() from onload.c.
 */
#ifndef JASYNCIO_INTERNAL_H
#define JASYNCIO_INTERNAL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <jni.h>

struct epoll_event;

/* The one way a failure becomes a result: the negated errno. */
#define JASYNCIO__ERR(err) (-(err))

/*
 * Runs `call` (a system call returning -1 and setting errno on failure) until it is not
 * interrupted, and stores its result, or -errno, in `result`.
 */
#define JASYNCIO__SYSCALL(result, call)                                  \
  do {                                                                   \
    do {                                                                 \
      (result) = (call);                                                 \
    } while ((result) == -1 && errno == EINTR);                          \
    if ((result) == -1)                                                  \
      (result) = JASYNCIO__ERR(errno);                                   \
  } while (0)

/* JNI signatures carry parameters a function may not need. */
#define JASYNCIO__UNUSED(x) ((void) (x))

/* A jlong carrying a native address, as Java passes it, made a pointer. */
#define JASYNCIO__PTR(address) ((void *) (uintptr_t) (address))

/* Argument checks shared by every function taking a descriptor or a buffer. */
#define JASYNCIO__CHECK_FD(fd)                                           \
  do {                                                                   \
    if ((fd) < 0)                                                        \
      return JASYNCIO__ERR(EBADF);                                       \
  } while (0)

#define JASYNCIO__CHECK_BUFFER(address, length)                          \
  do {                                                                   \
    if ((length) < 0)                                                    \
      return JASYNCIO__ERR(EINVAL);                                      \
    if ((address) == 0 && (length) != 0)                                 \
      return JASYNCIO__ERR(EFAULT);                                      \
  } while (0)

/* errors.c */
const char *jasyncio__errno_name(int err);
const char *jasyncio__errno_message(int err, char *buf, size_t size);
int jasyncio__errors_register(JNIEnv *env);
void jasyncio__errors_unregister(JNIEnv *env);

/* epoll.c */
int jasyncio__epoll_create(void);
int jasyncio__epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
/* timeout_ns < 0 waits without limit; 0 does not wait. Uses epoll_pwait2 when the kernel has it. */
int jasyncio__epoll_wait(int epfd, struct epoll_event *events, int max_events,
                         int64_t timeout_ns);
/* The two ways jasyncio__epoll_wait can wait, exposed so the C tests can pin each one down. */
int jasyncio__epoll_wait_ns(int epfd, struct epoll_event *events, int max_events,
                            int64_t timeout_ns);
int jasyncio__epoll_wait_ms(int epfd, struct epoll_event *events, int max_events,
                            int64_t timeout_ns);
/* 1 when epoll_pwait2 is in use, 0 when the millisecond fallback is. Probes on first use. */
int jasyncio__epoll_has_pwait2(void);
int jasyncio__epoll_register(JNIEnv *env);
void jasyncio__epoll_unregister(JNIEnv *env);

/* wakeup.c */
int jasyncio__wakeup_create(void);
int jasyncio__wakeup_signal(int fd);
int jasyncio__wakeup_drain(int fd);
int jasyncio__wakeup_register(JNIEnv *env);
void jasyncio__wakeup_unregister(JNIEnv *env);

/* socket.c */
int64_t jasyncio__socket_pair(int type);
int jasyncio__socket_read(int fd, void *buf, int length);
int jasyncio__socket_write(int fd, const void *buf, int length);
int jasyncio__socket_close(int fd);
int jasyncio__socket_shutdown(int fd, int how);
int jasyncio__socket_register(JNIEnv *env);
void jasyncio__socket_unregister(JNIEnv *env);

/* sock_addr.c: layout constants only. */
int jasyncio__sock_addr_register(JNIEnv *env);
void jasyncio__sock_addr_unregister(JNIEnv *env);

/* sock_create.c: lengths of returned addresses go through an int32 in/out (capacity, length). */
int jasyncio__sock_socket(int domain, int type, int protocol);
int jasyncio__sock_bind(int fd, const void *addr, int len);
int jasyncio__sock_listen(int fd, int backlog);
int jasyncio__sock_accept(int fd, void *addr, int32_t *len);
int jasyncio__sock_connect(int fd, const void *addr, int len);
int jasyncio__sock_getsockname(int fd, void *addr, int capacity);
int jasyncio__sock_getpeername(int fd, void *addr, int capacity);
int jasyncio__sock_create_register(JNIEnv *env);
void jasyncio__sock_create_unregister(JNIEnv *env);

/* sock_io.c */
struct iovec;
int jasyncio__sock_recv(int fd, void *buf, int length, int flags);
int jasyncio__sock_send(int fd, const void *buf, int length, int flags);
int jasyncio__sock_readv(int fd, const struct iovec *iov, int count);
int jasyncio__sock_writev(int fd, const struct iovec *iov, int count);
int jasyncio__sock_recvfrom(int fd, void *buf, int length, int flags, void *addr,
                            int32_t *addr_len);
int jasyncio__sock_sendto(int fd, const void *buf, int length, int flags, const void *addr,
                          int addr_len);
int jasyncio__sock_sendfile(int out_fd, int in_fd, int64_t offset, int count);
int jasyncio__sock_io_register(JNIEnv *env);
void jasyncio__sock_io_unregister(JNIEnv *env);

/* file_open.c: read-only opens for sendfile. */
int jasyncio__file_open(const char *path);
int64_t jasyncio__file_size(int fd);
int jasyncio__file_dup_nonblocking(int fd);
int jasyncio__file_open_register(JNIEnv *env);
void jasyncio__file_open_unregister(JNIEnv *env);

/* mmap.c: addresses and lengths as Java passes them (int64). */
int64_t jasyncio__mmap_map(int64_t length, int prot, int flags, int fd, int64_t offset);
int jasyncio__mmap_unmap(int64_t address, int64_t length);
int jasyncio__mmap_sync(int64_t address, int64_t length, int flags);
int jasyncio__mmap_advise(int64_t address, int64_t length, int advice);
int64_t jasyncio__mmap_remap(int64_t address, int64_t old_length, int64_t new_length);
int jasyncio__mmap_constants(int *out, int count);
int jasyncio__mmap_page_size(void);
int jasyncio__mmap_register(JNIEnv *env);
void jasyncio__mmap_unregister(JNIEnv *env);

/* mmap_file.c: the descriptors under maps. */
int jasyncio__mmap_file_open(const char *path, int writable);
int jasyncio__mmap_file_dup(int fd);
int jasyncio__mmap_file_truncate(int fd, int64_t size);
int jasyncio__mmap_file_memfd(const char *name, int64_t size);
int jasyncio__mmap_file_register(JNIEnv *env);
void jasyncio__mmap_file_unregister(JNIEnv *env);

/* mmap_find.c: an offset, or -ENOENT when the needle is absent. */
int64_t jasyncio__mmap_find(const void *haystack, int64_t haystack_length, const void *needle,
                            int64_t needle_length);
int64_t jasyncio__mmap_rfind(const void *haystack, int64_t haystack_length, const void *needle,
                             int64_t needle_length);
int jasyncio__mmap_find_register(JNIEnv *env);
void jasyncio__mmap_find_unregister(JNIEnv *env);

/* sock_opt.c */
int jasyncio__sock_setopt_int(int fd, int level, int name, int value);
int jasyncio__sock_getopt_int(int fd, int level, int name);
int jasyncio__sock_set_linger(int fd, int seconds);
int jasyncio__sock_get_linger(int fd);
int jasyncio__sock_opt_register(JNIEnv *env);
void jasyncio__sock_opt_unregister(JNIEnv *env);

/* signal.c: the sigaction fallback (install/restore are serialized by the caller). */
/* Fills out[0..count) with the numbers Java's SignalNumbers expects; returns the table's length. */
int jasyncio__signal_numbers(int *out, int count);
int jasyncio__signal_install(int signum, int fd);
int jasyncio__signal_restore(int signum);
int jasyncio__signal_take(int signum);
/* Blocks up to timeout_ms (< 0: no limit) for the eventfd; its drained count, or 0 on timeout. */
int jasyncio__signal_wait(int fd, int timeout_ms);
int jasyncio__signal_register(JNIEnv *env);
void jasyncio__signal_unregister(JNIEnv *env);

/* signal_ctl.c: signal sets travel as an int64 mask, bit (n - 1) for signal n. */
int jasyncio__signal_ctl_gettid(void);
int jasyncio__signal_ctl_tgkill(int tid, int signum);
int jasyncio__signal_ctl_kill_self(int signum);
int jasyncio__signal_ctl_pidfd_send(int pidfd, int signum, int flags);
int jasyncio__signal_ctl_sigmask(int how, int64_t mask, int64_t *old_out);
int jasyncio__signal_ctl_sigpending(int64_t *out);
/* 0 default, 1 ignored, 2 a handler. */
int jasyncio__signal_ctl_disposition(int signum);
int jasyncio__signal_ctl_strsignal(int signum, char *buf, int size);
int jasyncio__signal_ctl_is_nonblocking(int fd);
int jasyncio__signal_ctl_write_byte(int fd, int value);
int jasyncio__signal_ctl_register(JNIEnv *env);
void jasyncio__signal_ctl_unregister(JNIEnv *env);

/* itimer.c: values[4] = value, interval (in), old value, old interval (out), in microseconds. */
int jasyncio__itimer_alarm(int seconds);
int jasyncio__itimer_set(int which, int64_t *values);
int jasyncio__itimer_get(int which, int64_t *values);
int jasyncio__itimer_register(JNIEnv *env);
void jasyncio__itimer_unregister(JNIEnv *env);

/* onload.c: (un)registers one class's natives. Leaves the JNI exception pending on failure. */
int jasyncio__register_natives(JNIEnv *env, const char *class_name,
                               const JNINativeMethod *methods, int count);
void jasyncio__unregister_natives(JNIEnv *env, const char *class_name);

#endif /* JASYNCIO_INTERNAL_H */

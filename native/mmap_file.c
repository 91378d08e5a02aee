/*
 * The files under memory maps: open a path for reading or reading and writing, duplicate a
 * caller's descriptor (a map keeps its own, as Python's mmap does, so the caller may close
 * theirs), set a file's size (resize), and create a memfd (shared memory another process can
 * map through /proc/<pid>/fd/<n>). Every descriptor is close-on-exec; close them with
 * Sockets.close and read sizes with FileOpen.size.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jasyncio_internal.h"

/* Opens `path` read-only, or read-write when `writable`; the descriptor or -errno. */
int jasyncio__mmap_file_open(const char *path, int writable) {
  if (path == NULL)
    return JASYNCIO__ERR(EFAULT);
  if (path[0] == '\0')
    return JASYNCIO__ERR(ENOENT);
  int fd;
  JASYNCIO__SYSCALL(fd, open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOCTTY));
  return fd;
}

/* A close-on-exec duplicate of `fd`. */
int jasyncio__mmap_file_dup(int fd) {
  JASYNCIO__CHECK_FD(fd);
  int copy;
  JASYNCIO__SYSCALL(copy, fcntl(fd, F_DUPFD_CLOEXEC, 0));
  return copy;
}

int jasyncio__mmap_file_truncate(int fd, int64_t size) {
  JASYNCIO__CHECK_FD(fd);
  if (size < 0)
    return JASYNCIO__ERR(EINVAL);
  int rc;
  JASYNCIO__SYSCALL(rc, ftruncate(fd, (off_t) size));
  return rc;
}

/*
 * An anonymous file of `size` zero bytes (memfd_create, then ftruncate), named `name` in
 * /proc/<pid>/fd for debugging. ENOSYS where the platform has no memfd.
 */
int jasyncio__mmap_file_memfd(const char *name, int64_t size) {
  if (name == NULL)
    return JASYNCIO__ERR(EFAULT);
  if (size < 0)
    return JASYNCIO__ERR(EINVAL);
#ifdef MFD_CLOEXEC
  int fd;
  JASYNCIO__SYSCALL(fd, memfd_create(name, MFD_CLOEXEC));
  if (fd < 0)
    return fd;
  int rc = jasyncio__mmap_file_truncate(fd, size);
  if (rc < 0) {
    close(fd);
    return rc;
  }
  return fd;
#else
  return JASYNCIO__ERR(ENOSYS);
#endif
}

/* MmapFile.open0(long path, boolean writable) */
static jint jasyncio_mmap_file_open(JNIEnv *env, jclass cls, jlong path, jboolean writable) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__mmap_file_open((const char *) JASYNCIO__PTR(path), writable ? 1 : 0);
}

/* MmapFile.dup0(int fd) */
static jint jasyncio_mmap_file_dup(JNIEnv *env, jclass cls, jint fd) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__mmap_file_dup(fd);
}

/* MmapFile.truncate0(int fd, long size) */
static jint jasyncio_mmap_file_truncate(JNIEnv *env, jclass cls, jint fd, jlong size) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__mmap_file_truncate(fd, size);
}

/* MmapFile.memfd0(long name, long size) */
static jint jasyncio_mmap_file_memfd(JNIEnv *env, jclass cls, jlong name, jlong size) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__mmap_file_memfd((const char *) JASYNCIO__PTR(name), size);
}

static const JNINativeMethod jasyncio_mmap_file_methods[] = {
  {"open0", "(JZ)I", (void *) jasyncio_mmap_file_open},
  {"dup0", "(I)I", (void *) jasyncio_mmap_file_dup},
  {"truncate0", "(IJ)I", (void *) jasyncio_mmap_file_truncate},
  {"memfd0", "(JJ)I", (void *) jasyncio_mmap_file_memfd},
};

#define JASYNCIO__MMAP_FILE_CLASS "io/jasyncio/internal/natives/MmapFile"

int jasyncio__mmap_file_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__MMAP_FILE_CLASS, jasyncio_mmap_file_methods,
      (int) (sizeof(jasyncio_mmap_file_methods) / sizeof(jasyncio_mmap_file_methods[0])));
}

void jasyncio__mmap_file_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__MMAP_FILE_CLASS);
}

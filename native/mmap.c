/*
 * Memory maps: mmap, munmap, msync, madvise and mremap over raw addresses, and the platform's
 * PROT_*, MAP_*, MADV_* and MS_* values. Java holds each mapping as a MemorySegment whose arena's
 * cleanup calls munmap here (MappedFile.java): Java code never touches an address these
 * functions were given after that arena closed, so nothing here has to guard against it.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "jasyncio_internal.h"

/* BSDs spell it MAP_ANON. */
#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif

/* A length Java passes as a long, checked as the kernel would take it. */
#define JASYNCIO__CHECK_MAP_RANGE(address, length)                       \
  do {                                                                   \
    if ((length) < 0)                                                    \
      return JASYNCIO__ERR(EINVAL);                                      \
    if ((address) == 0)                                                  \
      return JASYNCIO__ERR(EFAULT);                                      \
  } while (0)

int64_t jasyncio__mmap_map(int64_t length, int prot, int flags, int fd, int64_t offset) {
  if (length <= 0 || offset < 0)
    return JASYNCIO__ERR(EINVAL);
  /* An anonymous map ignores fd; any other needs a real one. */
  if (!(flags & MAP_ANONYMOUS))
    JASYNCIO__CHECK_FD(fd);
  void *address = mmap(NULL, (size_t) length, prot, flags, (flags & MAP_ANONYMOUS) ? -1 : fd,
                       (off_t) offset);
  if (address == MAP_FAILED)
    return JASYNCIO__ERR(errno);
  return (int64_t) (uintptr_t) address;
}

int jasyncio__mmap_unmap(int64_t address, int64_t length) {
  JASYNCIO__CHECK_MAP_RANGE(address, length);
  int rc;
  JASYNCIO__SYSCALL(rc, munmap(JASYNCIO__PTR(address), (size_t) length));
  return rc;
}

/* msync: `address` must be page-aligned (the kernel says EINVAL otherwise). */
int jasyncio__mmap_sync(int64_t address, int64_t length, int flags) {
  JASYNCIO__CHECK_MAP_RANGE(address, length);
  int rc;
  JASYNCIO__SYSCALL(rc, msync(JASYNCIO__PTR(address), (size_t) length, flags));
  return rc;
}

int jasyncio__mmap_advise(int64_t address, int64_t length, int advice) {
  JASYNCIO__CHECK_MAP_RANGE(address, length);
  int rc;
  JASYNCIO__SYSCALL(rc, madvise(JASYNCIO__PTR(address), (size_t) length, advice));
  return rc;
}

/*
 * mremap with MREMAP_MAYMOVE: the new address (the old one is gone either way once this
 * succeeds), or -errno with the old mapping untouched. ENOSYS where the platform has no mremap.
 */
int64_t jasyncio__mmap_remap(int64_t address, int64_t old_length, int64_t new_length) {
  JASYNCIO__CHECK_MAP_RANGE(address, old_length);
  if (old_length == 0 || new_length <= 0)
    return JASYNCIO__ERR(EINVAL);
#ifdef MREMAP_MAYMOVE
  void *moved = mremap(JASYNCIO__PTR(address), (size_t) old_length, (size_t) new_length,
                       MREMAP_MAYMOVE);
  if (moved == MAP_FAILED)
    return JASYNCIO__ERR(errno);
  return (int64_t) (uintptr_t) moved;
#else
  JASYNCIO__UNUSED(new_length);
  return JASYNCIO__ERR(ENOSYS);
#endif
}

/*
 * The constants MappedFile publishes, X(name). The POSIX ones exist everywhere; a Linux or BSD
 * one this platform lacks is published as -1, so Java can say "not on this platform".
 * Keep in sync with Mmap.java (the field list after the constants0 call): same names, same order.
 */
#ifndef MAP_DENYWRITE
#define MAP_DENYWRITE (-1)
#endif
#ifndef MAP_EXECUTABLE
#define MAP_EXECUTABLE (-1)
#endif
#ifndef MAP_POPULATE
#define MAP_POPULATE (-1)
#endif
#ifndef MAP_STACK
#define MAP_STACK (-1)
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE (-1)
#endif
#ifndef MADV_NORMAL
#define MADV_NORMAL (-1)
#endif
#ifndef MADV_RANDOM
#define MADV_RANDOM (-1)
#endif
#ifndef MADV_SEQUENTIAL
#define MADV_SEQUENTIAL (-1)
#endif
#ifndef MADV_WILLNEED
#define MADV_WILLNEED (-1)
#endif
#ifndef MADV_DONTNEED
#define MADV_DONTNEED (-1)
#endif
#ifndef MADV_FREE
#define MADV_FREE (-1)
#endif
#ifndef MADV_REMOVE
#define MADV_REMOVE (-1)
#endif
#ifndef MADV_DONTFORK
#define MADV_DONTFORK (-1)
#endif
#ifndef MADV_DOFORK
#define MADV_DOFORK (-1)
#endif
#ifndef MADV_HWPOISON
#define MADV_HWPOISON (-1)
#endif
#ifndef MADV_MERGEABLE
#define MADV_MERGEABLE (-1)
#endif
#ifndef MADV_UNMERGEABLE
#define MADV_UNMERGEABLE (-1)
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE (-1)
#endif
#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE (-1)
#endif
#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE (-1)
#endif
#ifndef MADV_DONTDUMP
#define MADV_DONTDUMP (-1)
#endif
#ifndef MADV_DODUMP
#define MADV_DODUMP (-1)
#endif

#define JASYNCIO__MMAP_CONSTANTS(X) \
  X(PROT_READ) \
  X(PROT_WRITE) \
  X(PROT_EXEC) \
  X(MAP_SHARED) \
  X(MAP_PRIVATE) \
  X(MAP_ANONYMOUS) \
  X(MAP_DENYWRITE) \
  X(MAP_EXECUTABLE) \
  X(MAP_POPULATE) \
  X(MAP_STACK) \
  X(MAP_NORESERVE) \
  X(MS_ASYNC) \
  X(MS_SYNC) \
  X(MS_INVALIDATE) \
  X(MADV_NORMAL) \
  X(MADV_RANDOM) \
  X(MADV_SEQUENTIAL) \
  X(MADV_WILLNEED) \
  X(MADV_DONTNEED) \
  X(MADV_FREE) \
  X(MADV_REMOVE) \
  X(MADV_DONTFORK) \
  X(MADV_DOFORK) \
  X(MADV_HWPOISON) \
  X(MADV_MERGEABLE) \
  X(MADV_UNMERGEABLE) \
  X(MADV_SOFT_OFFLINE) \
  X(MADV_HUGEPAGE) \
  X(MADV_NOHUGEPAGE) \
  X(MADV_DONTDUMP) \
  X(MADV_DODUMP)

/* Fills out[0..count) with the constants in order and returns how many there are. */
int jasyncio__mmap_constants(int *out, int count) {
#define JASYNCIO__VALUE(name) name,
  static const int values[] = {JASYNCIO__MMAP_CONSTANTS(JASYNCIO__VALUE)};
#undef JASYNCIO__VALUE
  const int total = (int) (sizeof(values) / sizeof(values[0]));
  for (int i = 0; i < total && i < count; i++)
    out[i] = values[i];
  return total;
}

/* The page size: mapping offsets and msync/madvise addresses are multiples of it. */
int jasyncio__mmap_page_size(void) {
  long size = sysconf(_SC_PAGESIZE);
  return size > 0 ? (int) size : JASYNCIO__ERR(EINVAL);
}

/* Mmap.map0(long length, int prot, int flags, int fd, long offset) */
static jlong jasyncio_mmap_map(JNIEnv *env, jclass cls, jlong length, jint prot, jint flags,
                               jint fd, jlong offset) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__mmap_map(length, prot, flags, fd, offset);
}

/* Mmap.unmap0(long address, long length) */
static jint jasyncio_mmap_unmap(JNIEnv *env, jclass cls, jlong address, jlong length) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__mmap_unmap(address, length);
}

/* Mmap.sync0(long address, long length, int flags) */
static jint jasyncio_mmap_sync(JNIEnv *env, jclass cls, jlong address, jlong length, jint flags) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__mmap_sync(address, length, flags);
}

/* Mmap.advise0(long address, long length, int advice) */
static jint jasyncio_mmap_advise(JNIEnv *env, jclass cls, jlong address, jlong length,
                                 jint advice) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__mmap_advise(address, length, advice);
}

/* Mmap.remap0(long address, long oldLength, long newLength) */
static jlong jasyncio_mmap_remap(JNIEnv *env, jclass cls, jlong address, jlong old_length,
                                 jlong new_length) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__mmap_remap(address, old_length, new_length);
}

/* Mmap.pageSize0() */
static jint jasyncio_mmap_pageSize(JNIEnv *env, jclass cls) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__mmap_page_size();
}

/* Mmap.constants0(int[] out): cold path, so it may touch the array. */
static jint jasyncio_mmap_constants(JNIEnv *env, jclass cls, jintArray out) {
  JASYNCIO__UNUSED(cls);
  jint values[64];
  int count = jasyncio__mmap_constants(values, 64);
  if (out == NULL)
    return JASYNCIO__ERR(EFAULT);
  jint length = (*env)->GetArrayLength(env, out);
  if (count > 64)
    return JASYNCIO__ERR(ERANGE);
  (*env)->SetIntArrayRegion(env, out, 0, length < count ? length : count, values);
  return count;
}

static const JNINativeMethod jasyncio_mmap_methods[] = {
  {"map0", "(JIIIJ)J", (void *) jasyncio_mmap_map},
  {"unmap0", "(JJ)I", (void *) jasyncio_mmap_unmap},
  {"sync0", "(JJI)I", (void *) jasyncio_mmap_sync},
  {"advise0", "(JJI)I", (void *) jasyncio_mmap_advise},
  {"remap0", "(JJJ)J", (void *) jasyncio_mmap_remap},
  {"pageSize0", "()I", (void *) jasyncio_mmap_pageSize},
  {"constants0", "([I)I", (void *) jasyncio_mmap_constants},
};

#define JASYNCIO__MMAP_CLASS "io/jasyncio/internal/natives/Mmap"

int jasyncio__mmap_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__MMAP_CLASS, jasyncio_mmap_methods,
      (int) (sizeof(jasyncio_mmap_methods) / sizeof(jasyncio_mmap_methods[0])));
}

void jasyncio__mmap_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__MMAP_CLASS);
}

/*
 * Searches over mapped memory for MappedFile.find and rfind: glibc's memmem forward (its
 * two-way and shift-table searches skip most of the haystack, which no per-byte loop in Java
 * comes near: see bench/RESULTS.md), and a Horspool search backward, which libc lacks.
 * The caller keeps the mapping alive for the duration of the call (MappedFile holds off close),
 * since an unmapped address here is a SIGSEGV, not an exception.
 */
#include <string.h>

#include "jasyncio_internal.h"

#define JASYNCIO__CHECK_SEARCH(haystack, haystack_length, needle, needle_length) \
  do {                                                                           \
    JASYNCIO__CHECK_BUFFER(haystack, haystack_length);                           \
    JASYNCIO__CHECK_BUFFER(needle, needle_length);                               \
  } while (0)

/*
 * The offset of the first occurrence of the needle in the haystack, or -ENOENT when there is
 * none. An empty needle is found at 0.
 */
int64_t jasyncio__mmap_find(const void *haystack, int64_t haystack_length, const void *needle,
                            int64_t needle_length) {
  JASYNCIO__CHECK_SEARCH(haystack, haystack_length, needle, needle_length);
  if (needle_length == 0)
    return 0;
  if (needle_length > haystack_length)
    return JASYNCIO__ERR(ENOENT);
  const char *found = memmem(haystack, (size_t) haystack_length, needle, (size_t) needle_length);
  return found == NULL ? JASYNCIO__ERR(ENOENT) : (int64_t) (found - (const char *) haystack);
}

/*
 * The offset of the last occurrence, or -ENOENT; an empty needle is found at the end. A one-byte
 * needle is memrchr; a longer one a Horspool search from the end: the window moves left until
 * its first byte lines up with the same byte in the needle, so over bytes the needle lacks it
 * moves a needle's length per comparison.
 */
int64_t jasyncio__mmap_rfind(const void *haystack, int64_t haystack_length, const void *needle,
                             int64_t needle_length) {
  JASYNCIO__CHECK_SEARCH(haystack, haystack_length, needle, needle_length);
  if (needle_length == 0)
    return haystack_length;
  if (needle_length > haystack_length)
    return JASYNCIO__ERR(ENOENT);
  const unsigned char *hs = haystack;
  const unsigned char *ne = needle;
  size_t m = (size_t) needle_length;
  if (m == 1) {
    const unsigned char *found = memrchr(hs, ne[0], (size_t) haystack_length);
    return found == NULL ? JASYNCIO__ERR(ENOENT) : (int64_t) (found - hs);
  }
  /* shift[c]: how far the window may move left when its first byte is c. */
  size_t shift[256];
  for (int c = 0; c < 256; c++)
    shift[c] = m;
  for (size_t k = m - 1; k >= 1; k--)
    shift[ne[k]] = k;
  size_t pos = (size_t) haystack_length - m;
  for (;;) {
    if (hs[pos] == ne[0] && memcmp(hs + pos + 1, ne + 1, m - 1) == 0)
      return (int64_t) pos;
    size_t step = shift[hs[pos]];
    if (pos < step)
      return JASYNCIO__ERR(ENOENT);
    pos -= step;
  }
}

/* MmapFind.find0(long haystack, long haystackLength, long needle, long needleLength) */
static jlong jasyncio_mmap_find_find(JNIEnv *env, jclass cls, jlong haystack,
                                     jlong haystack_length, jlong needle, jlong needle_length) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__mmap_find(JASYNCIO__PTR(haystack), haystack_length, JASYNCIO__PTR(needle),
                             needle_length);
}

/* MmapFind.rfind0(long haystack, long haystackLength, long needle, long needleLength) */
static jlong jasyncio_mmap_find_rfind(JNIEnv *env, jclass cls, jlong haystack,
                                      jlong haystack_length, jlong needle, jlong needle_length) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return jasyncio__mmap_rfind(JASYNCIO__PTR(haystack), haystack_length, JASYNCIO__PTR(needle),
                              needle_length);
}

static const JNINativeMethod jasyncio_mmap_find_methods[] = {
  {"find0", "(JJJJ)J", (void *) jasyncio_mmap_find_find},
  {"rfind0", "(JJJJ)J", (void *) jasyncio_mmap_find_rfind},
};

#define JASYNCIO__MMAP_FIND_CLASS "io/jasyncio/internal/natives/MmapFind"

int jasyncio__mmap_find_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__MMAP_FIND_CLASS, jasyncio_mmap_find_methods,
      (int) (sizeof(jasyncio_mmap_find_methods) / sizeof(jasyncio_mmap_find_methods[0])));
}

void jasyncio__mmap_find_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__MMAP_FIND_CLASS);
}

/*
 * Helpers for the C tests under native/test (not part of the library). Each test is its own
 * program that exits 0 on pass, 1 on failure and 77 to skip (ctest's SKIP_RETURN_CODE), and
 * ends by checking it left no descriptor open.
 */
#ifndef JASYNCIO_TEST_H
#define JASYNCIO_TEST_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "jasyncio_internal.h"

#define JASYNCIO_TEST_SKIP 77

#define CHECK(cond)                                                                   \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);        \
      exit(1);                                                                        \
    }                                                                                 \
  } while (0)

/* Compares as long long and prints both sides, which is what one wants for -errno results. */
#define CHECK_EQ(actual, expected)                                                    \
  do {                                                                                \
    long long a_ = (long long) (actual);                                              \
    long long e_ = (long long) (expected);                                            \
    if (a_ != e_) {                                                                   \
      fprintf(stderr, "%s:%d: %s is %lld, expected %s = %lld\n", __FILE__, __LINE__,  \
              #actual, a_, #expected, e_);                                            \
      exit(1);                                                                        \
    }                                                                                 \
  } while (0)

static inline int64_t test_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Descriptors open in this process, from /proc/self/fd (not counting the one reading it). */
static inline int test_open_fds(void) {
  DIR *dir = opendir("/proc/self/fd");
  if (dir == NULL)
    return -1;
  int count = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (entry->d_name[0] != '.')
      count++;
  }
  closedir(dir);
  return count - 1;
}

#endif /* JASYNCIO_TEST_H */

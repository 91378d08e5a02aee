/*
 * mmap_find: memmem forward and the Horspool search backward agree with a naive search on
 * random text from a small alphabet (many partial matches) for every needle length up to 12,
 * and on the edges: empty needle, needle longer than the haystack, match at either end.
 */
#include <string.h>

#include "jasyncio_test.h"

static int64_t naive_find(const char *h, int64_t n, const char *s, int64_t m, int last) {
  int64_t found = JASYNCIO__ERR(ENOENT);
  for (int64_t i = 0; i + m <= n; i++) {
    if (memcmp(h + i, s, (size_t) m) == 0) {
      if (!last)
        return i;
      found = i;
    }
  }
  return found;
}

int main(void) {
  enum { N = 4096 };
  static char text[N];
  unsigned seed = 12345;
  for (int i = 0; i < N; i++) {
    seed = seed * 1103515245u + 12345u;
    text[i] = (char) ('a' + (seed >> 16) % 3);
  }
  for (int trial = 0; trial < 2000; trial++) {
    seed = seed * 1103515245u + 12345u;
    int64_t m = 1 + (seed >> 16) % 12;
    seed = seed * 1103515245u + 12345u;
    char needle[16];
    /* Half the needles are copied from the text, so they are found. */
    if (trial % 2 == 0) {
      memcpy(needle, text + (seed >> 16) % (N - 16), (size_t) m);
    } else {
      for (int64_t k = 0; k < m; k++) {
        seed = seed * 1103515245u + 12345u;
        needle[k] = (char) ('a' + (seed >> 16) % 4);
      }
    }
    seed = seed * 1103515245u + 12345u;
    int64_t n = (seed >> 16) % N;
    CHECK_EQ(jasyncio__mmap_find(text, n, needle, m), naive_find(text, n, needle, m, 0));
    CHECK_EQ(jasyncio__mmap_rfind(text, n, needle, m), naive_find(text, n, needle, m, 1));
  }
  CHECK_EQ(jasyncio__mmap_find("abc", 3, "", 0), 0);
  CHECK_EQ(jasyncio__mmap_rfind("abc", 3, "", 0), 3);
  CHECK_EQ(jasyncio__mmap_find("abc", 3, "abcd", 4), JASYNCIO__ERR(ENOENT));
  CHECK_EQ(jasyncio__mmap_rfind("abc", 3, "abcd", 4), JASYNCIO__ERR(ENOENT));
  CHECK_EQ(jasyncio__mmap_find("abcabc", 6, "abc", 3), 0);
  CHECK_EQ(jasyncio__mmap_rfind("abcabc", 6, "abc", 3), 3);
  CHECK_EQ(jasyncio__mmap_rfind("abcabc", 6, "c", 1), 5);
  CHECK_EQ(jasyncio__mmap_find("abc", 3, NULL, 1), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__mmap_find(NULL, 1, "a", 1), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__mmap_rfind("abc", -1, "a", 1), JASYNCIO__ERR(EINVAL));
  return 0;
}

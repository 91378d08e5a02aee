/*
 * The limit for the mmap rows of bench/mmap-compare.sh: plain C over mmap of the same file.
 *
 *   cc -O2 -o mmap_limit bench/c/mmap_limit.c && ./mmap_limit FILE [REPEATS] [WINDOW]
 *
 * Prints "name value unit" per row: seq_read (memcpy in 64 KiB chunks into one buffer, GB/s),
 * find (glibc memmem of the needle at the end, GB/s), random_get (8-byte loads at 2^20 random
 * offsets, ns per load). Measured as JMH measures MmapBench ("avgt"): one warm-up window, then
 * REPEATS windows (default 5) of at least WINDOW seconds (default 2); a window's figure is its
 * time over its passes, and the row reports the mean of the windows' figures.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (64 * 1024)
#define GETS (1 << 20)
static const char NEEDLE[] = "jasyncio-needle!"; /* keep in sync with MmapBench.NEEDLE */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile uint64_t sink;

struct bench {
  const unsigned char *map;
  size_t size;
  unsigned char *chunk;
  const uint32_t *offsets;
};

/* One pass of a row: 0 sequential read, 1 find, 2 random gets. Returns 0, or 1 on a wrong find. */
static int pass(const struct bench *b, int row) {
  uint64_t sum = 0;
  if (row == 0) {
    for (size_t at = 0; at + CHUNK <= b->size; at += CHUNK) {
      memcpy(b->chunk, b->map + at, CHUNK);
      __asm__ volatile("" : : "r"(b->chunk) : "memory");
      sum += b->chunk[CHUNK - 1];
    }
  } else if (row == 1) {
    size_t needle_length = sizeof(NEEDLE) - 1;
    const unsigned char *found = memmem(b->map, b->size, NEEDLE, needle_length);
    if (found != b->map + b->size - needle_length) {
      fprintf(stderr, "memmem found the needle at %ld\n", found ? (long) (found - b->map) : -1L);
      return 1;
    }
  } else {
    for (int i = 0; i < GETS; i++) {
      uint64_t v;
      memcpy(&v, b->map + b->offsets[i], 8);
      sum += v;
    }
  }
  sink += sum;
  return 0;
}

/* Seconds per pass over one window of at least `window` seconds; negative on a failed pass. */
static double window_seconds_per_pass(const struct bench *b, int row, double window) {
  double t0 = now();
  for (long passes = 1;; passes++) {
    if (pass(b, row) != 0)
      return -1;
    double elapsed = now() - t0;
    if (elapsed >= window)
      return elapsed / (double) passes;
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE [REPEATS] [WINDOW]\n", argv[0]);
    return 2;
  }
  int repeats = argc > 2 ? atoi(argv[2]) : 5;
  if (repeats < 1 || repeats > 100)
    repeats = 5;
  double window = argc > 3 ? atof(argv[3]) : 2.0;
  if (!(window > 0 && window < 60))
    window = 2.0;
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror(argv[1]);
    return 1;
  }
  size_t size = (size_t) st.st_size;
  const unsigned char *map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  uint64_t sum = 0;
  for (size_t i = 0; i < size; i += 4096)
    sum += map[i];
  static unsigned char chunk[CHUNK];
  uint32_t *offsets = malloc(sizeof(uint32_t) * GETS);
  uint64_t x = 7;
  for (int i = 0; i < GETS; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    offsets[i] = (uint32_t) (x % (size - 8));
  }
  struct bench b = {map, size, chunk, offsets};
  static const char *const names[] = {"seq_read", "find", "random_get"};
  for (int row = 0; row < 3; row++) {
    if (window_seconds_per_pass(&b, row, window) < 0) /* warm-up window */
      return 1;
    double total = 0;
    for (int r = 0; r < repeats; r++) {
      double t = window_seconds_per_pass(&b, row, window);
      if (t < 0)
        return 1;
      total += t;
    }
    double t = total / repeats;
    if (row < 2)
      printf("%s %.3f GB/s\n", names[row], size / t / 1e9);
    else
      printf("%s %.3f ns\n", names[row], t * 1e9 / GETS);
    fflush(stdout);
  }
  sink = sum;
  free(offsets);
  munmap((void *) map, size);
  close(fd);
  return 0;
}

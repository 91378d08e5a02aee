/*
 * The limit for the mmap rows of bench/mmap-compare.sh: plain C over mmap of the same file.
 *
 *   cc -O2 -o mmap_limit bench/c/mmap_limit.c && ./mmap_limit FILE [REPEATS]
 *
 * Prints "name value unit" per row, the median of REPEATS runs (default 5): seq_read (memcpy in
 * 64 KiB chunks into one buffer, GB/s), find (glibc memmem of the needle at the end, GB/s),
 * random_get (8-byte loads at 2^20 random offsets, ns per load).
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

static int by_value(const void *a, const void *b) {
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static volatile uint64_t sink;

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE [REPEATS]\n", argv[0]);
    return 2;
  }
  int repeats = argc > 2 ? atoi(argv[2]) : 5;
  if (repeats < 1 || repeats > 100)
    repeats = 5;
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
  size_t needle_length = sizeof(NEEDLE) - 1;
  double times[100];
  for (int row = 0; row < 3; row++) {
    for (int r = 0; r < repeats; r++) {
      double t0 = now();
      if (row == 0) {
        for (size_t at = 0; at + CHUNK <= size; at += CHUNK) {
          memcpy(chunk, map + at, CHUNK);
          __asm__ volatile("" : : "r"(chunk) : "memory");
          sum += chunk[CHUNK - 1];
        }
      } else if (row == 1) {
        const unsigned char *found = memmem(map, size, NEEDLE, needle_length);
        if (found != map + size - needle_length) {
          fprintf(stderr, "memmem found the needle at %ld\n", found ? (long) (found - map) : -1L);
          return 1;
        }
      } else {
        for (int i = 0; i < GETS; i++) {
          uint64_t v;
          memcpy(&v, map + offsets[i], 8);
          sum += v;
        }
      }
      times[r] = now() - t0;
    }
    qsort(times, (size_t) repeats, sizeof(double), by_value);
    double t = times[repeats / 2];
    if (row == 0)
      printf("seq_read %.3f GB/s\n", size / t / 1e9);
    else if (row == 1)
      printf("find %.3f GB/s\n", size / t / 1e9);
    else
      printf("random_get %.3f ns\n", t * 1e9 / GETS);
  }
  sink = sum;
  free(offsets);
  munmap((void *) map, size);
  close(fd);
  return 0;
}

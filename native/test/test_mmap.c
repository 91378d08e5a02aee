/*
 * mmap: a shared file map written through and read back with pread, msync, madvise, mremap
 * growing a file-backed map after ftruncate, a private (copy-on-write) map never reaching the
 * file, a memfd seen through two maps, the constants table, and -errno for bad arguments.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jasyncio_test.h"

int main(void) {
  int fds_before = test_open_fds();
  int page = jasyncio__mmap_page_size();
  CHECK(page >= 4096 && (page & (page - 1)) == 0);

  char path[] = "/tmp/jasyncio-mmap-XXXXXX";
  int tmp = mkstemp(path);
  CHECK(tmp >= 0);
  CHECK_EQ(close(tmp), 0);
  int fd = jasyncio__mmap_file_open(path, 1);
  CHECK(fd >= 0);
  CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  CHECK_EQ(jasyncio__mmap_file_truncate(fd, page), 0);
  CHECK_EQ(jasyncio__file_size(fd), page);

  /* Shared: a write through the map is in the file. */
  int64_t shared = jasyncio__mmap_map(page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  CHECK(shared > 0);
  memcpy(JASYNCIO__PTR(shared + 10), "hello", 5);
  CHECK_EQ(jasyncio__mmap_sync(shared, page, MS_SYNC), 0);
  char buf[8];
  CHECK_EQ(pread(fd, buf, 5, 10), 5);
  CHECK(memcmp(buf, "hello", 5) == 0);
  CHECK_EQ(jasyncio__mmap_advise(shared, page, MADV_SEQUENTIAL), 0);
  CHECK_EQ(jasyncio__mmap_sync(shared + 1, page - 1, MS_SYNC), JASYNCIO__ERR(EINVAL));

  /* Private: the map sees its own write, the file does not. */
  int64_t private_map = jasyncio__mmap_map(page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  CHECK(private_map > 0);
  memcpy(JASYNCIO__PTR(private_map + 10), "HELLO", 5);
  CHECK(memcmp(JASYNCIO__PTR(private_map + 10), "HELLO", 5) == 0);
  CHECK(memcmp(JASYNCIO__PTR(shared + 10), "hello", 5) == 0);
  CHECK_EQ(pread(fd, buf, 5, 10), 5);
  CHECK(memcmp(buf, "hello", 5) == 0);
  CHECK_EQ(jasyncio__mmap_unmap(private_map, page), 0);

  /* Grow: the file first, then the map, which keeps its bytes wherever it lands. */
  CHECK_EQ(jasyncio__mmap_file_truncate(fd, 3 * page), 0);
  int64_t grown = jasyncio__mmap_remap(shared, page, 3 * page);
  CHECK(grown > 0);
  CHECK(memcmp(JASYNCIO__PTR(grown + 10), "hello", 5) == 0);
  memcpy(JASYNCIO__PTR(grown + 2 * page), "end", 3);
  CHECK_EQ(pread(fd, buf, 3, 2 * page), 3);
  CHECK(memcmp(buf, "end", 3) == 0);
  CHECK_EQ(jasyncio__mmap_unmap(grown, 3 * page), 0);

  /* A memfd mapped twice: one memory. */
  int mfd = jasyncio__mmap_file_memfd("jasyncio-test", page);
  CHECK(mfd >= 0);
  CHECK_EQ(jasyncio__file_size(mfd), page);
  int dup = jasyncio__mmap_file_dup(mfd);
  CHECK(dup >= 0 && dup != mfd);
  int64_t a = jasyncio__mmap_map(page, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
  int64_t b = jasyncio__mmap_map(page, PROT_READ, MAP_SHARED, dup, 0);
  CHECK(a > 0 && b > 0 && a != b);
  ((char *) JASYNCIO__PTR(a))[7] = 'x';
  CHECK_EQ(((char *) JASYNCIO__PTR(b))[7], 'x');
  CHECK_EQ(jasyncio__mmap_unmap(a, page), 0);
  CHECK_EQ(jasyncio__mmap_unmap(b, page), 0);

  /* Anonymous: no descriptor needed. */
  int64_t anon = jasyncio__mmap_map(page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  CHECK(anon > 0);
  CHECK_EQ(((char *) JASYNCIO__PTR(anon))[0], 0);
  CHECK_EQ(jasyncio__mmap_unmap(anon, page), 0);

  /* Refusals, each before or from the kernel. */
  CHECK_EQ(jasyncio__mmap_map(0, PROT_READ, MAP_SHARED, fd, 0), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__mmap_map(page, PROT_READ, MAP_SHARED, fd, -1), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__mmap_map(page, PROT_READ, MAP_SHARED, fd, 1), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__mmap_map(page, PROT_READ, MAP_SHARED, -1, 0), JASYNCIO__ERR(EBADF));
  CHECK_EQ(jasyncio__mmap_unmap(0, page), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__mmap_sync(4096, -1, MS_SYNC), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__mmap_advise(0, page, MADV_NORMAL), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__mmap_remap(4096, 0, page), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__mmap_file_truncate(-1, 0), JASYNCIO__ERR(EBADF));
  CHECK_EQ(jasyncio__mmap_file_truncate(fd, -1), JASYNCIO__ERR(EINVAL));
  CHECK_EQ(jasyncio__mmap_file_dup(-1), JASYNCIO__ERR(EBADF));
  CHECK_EQ(jasyncio__mmap_file_open(NULL, 0), JASYNCIO__ERR(EFAULT));
  CHECK_EQ(jasyncio__mmap_file_open("", 0), JASYNCIO__ERR(ENOENT));
  CHECK_EQ(jasyncio__mmap_file_memfd(NULL, 0), JASYNCIO__ERR(EFAULT));

  /* The constants: the POSIX ones are real values, in the order Mmap.java reads them. */
  int values[64];
  int count = jasyncio__mmap_constants(values, 64);
  CHECK_EQ(count, 31);
  CHECK_EQ(values[0], PROT_READ);
  CHECK_EQ(values[3], MAP_SHARED);
  CHECK_EQ(values[5], MAP_ANONYMOUS);
  CHECK_EQ(values[12], MS_SYNC);
  CHECK_EQ(values[30], MADV_DODUMP);
  CHECK_EQ(jasyncio__mmap_constants(values, 2), 31); /* never writes past count */

  CHECK_EQ(close(fd), 0);
  CHECK_EQ(close(mfd), 0);
  CHECK_EQ(close(dup), 0);
  CHECK_EQ(unlink(path), 0);
  CHECK_EQ(test_open_fds(), fds_before);
  return 0;
}

/*
 * The plain C reference for bench/subprocess.sh: posix_spawn + waitpid of /bin/true N times
 * (spawns per second), or one child writing BYTES to a pipe read to the end (GB/s).
 *   spawn_wait spawn N
 *   spawn_wait pipe BYTES
 */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s spawn N | pipe BYTES\n", argv[0]);
    return 2;
  }
  long n = atol(argv[2]);
  if (strcmp(argv[1], "spawn") == 0) {
    char *args[] = {"/bin/true", NULL};
    double t0 = now();
    for (long i = 0; i < n; i++) {
      pid_t pid;
      int status;
      if (posix_spawn(&pid, args[0], NULL, NULL, args, environ) != 0 || waitpid(pid, &status, 0) != pid) {
        perror("spawn");
        return 1;
      }
    }
    double dt = now() - t0;
    printf("c spawn+wait: %.0f spawns/s (%ld in %.3f s)\n", n / dt, n, dt);
    return 0;
  }
  int fds[2];
  if (pipe(fds) != 0)
    return 1;
  char count[32];
  snprintf(count, sizeof count, "%ld", n);
  char *args[] = {"head", "-c", count, "/dev/zero", NULL};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  double t0 = now();
  pid_t pid;
  if (posix_spawnp(&pid, "head", &fa, NULL, args, environ) != 0)
    return 1;
  close(fds[1]);
  static char buf[256 * 1024];
  long total = 0;
  ssize_t r;
  while ((r = read(fds[0], buf, sizeof buf)) > 0)
    total += r;
  int status;
  waitpid(pid, &status, 0);
  double dt = now() - t0;
  printf("c pipe: %.2f GB/s (%ld bytes in %.3f s)\n", total / dt / 1e9, total, dt);
  return total == n ? 0 : 1;
}

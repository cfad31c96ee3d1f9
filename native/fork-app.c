/*
 * fork-app: the pre-forked app isobench runs on real engines (host, Docker, QEMU guest) for
 * scenarios with app.fork. busybox cannot do this: it needs one process that loads memory and
 * forks workers that share it copy-on-write.
 *
 *   fork-app PARENT_BYTES WORKERS WRITES_PER_MILLION
 *
 * The parent maps PARENT_BYTES of private anonymous memory and writes every page (so each is a real
 * page, not the shared zero page), then forks WORKERS children. Each child writes one byte into
 * each of the first WRITES_PER_MILLION/1e6 of the parent's pages (the same pages in every worker,
 * as workers of one server touch the same hot data), so the kernel copies exactly those pages,
 * and tells the parent through a pipe. Once every worker has written, the parent prints "ok" on
 * stdout; then every process sleeps until killed (workers die with the parent: PR_SET_PDEATHSIG).
 * Any failure prints "no <reason>" and exits 1. Built static by scripts/setup-engines.sh so the
 * same binary runs on the host, in a busybox container and in a busybox initramfs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

static void fail(const char *what) {
  printf("no %s: %s\n", what, strerror(errno));
  fflush(stdout);
  exit(1);
}

static unsigned long long number(const char *text, const char *what) {
  char *end;
  errno = 0;
  unsigned long long value = strtoull(text, &end, 10);
  if (errno != 0 || *end != '\0' || end == text) {
    printf("no %s: not a number: %s\n", what, text);
    fflush(stdout);
    exit(2);
  }
  return value;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    printf("no usage: fork-app PARENT_BYTES WORKERS WRITES_PER_MILLION\n");
    return 2;
  }
  unsigned long long bytes = number(argv[1], "parent bytes");
  unsigned long long workers = number(argv[2], "workers");
  unsigned long long perMillion = number(argv[3], "writes per million");
  if (perMillion > 1000000) perMillion = 1000000;
  long page = sysconf(_SC_PAGESIZE);
  unsigned long long pages = (bytes + page - 1) / page;
  /* Whole pages written by each worker: the share rounded up, as the model counts it. */
  unsigned long long written = (pages * perMillion + 999999) / 1000000;

  unsigned char *memory = NULL;
  if (pages > 0) {
    memory = mmap(NULL, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) fail("mmap");
    for (unsigned long long i = 0; i < pages; i++) memory[i * page] = 1;
  }

  int done[2];
  if (pipe(done) != 0) fail("pipe");
  pid_t parent = getpid();
  for (unsigned long long w = 0; w < workers; w++) {
    pid_t pid = fork();
    if (pid < 0) fail("fork");
    if (pid == 0) {
      if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail("prctl");
      if (getppid() != parent) _exit(0);
      close(done[0]);
      for (unsigned long long i = 0; i < written; i++) memory[i * page] = (unsigned char)(2 + w);
      if (write(done[1], "w", 1) != 1) fail("write");
      close(done[1]);
      for (;;) pause();
    }
  }
  close(done[1]);
  char signal;
  for (unsigned long long w = 0; w < workers; w++) {
    ssize_t got = read(done[0], &signal, 1);
    if (got != 1) {
      errno = got == 0 ? EPIPE : errno;
      fail("worker");
    }
  }
  close(done[0]);
  printf("ok\n");
  fflush(stdout);
  for (;;) pause();
}

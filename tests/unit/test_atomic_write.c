/* io/atomic_write: new and replaced contents; a writer killed in the middle of its write (by
 * SIGXFSZ from a file size limit, at a deterministic moment) leaves the old file and, where the
 * filesystem has O_TMPFILE, no temporary file; a write that fails (EFBIG, as a full disk) keeps
 * the old file, says why and cleans up; a missing directory is a clear error. */
#define _GNU_SOURCE /* O_TMPFILE */
#include "io/atomic_write.h"
#include "check.h"
#include "support.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256], target[320];

static int holds(const char *path, const char *text) {
  size_t n = 0;
  char *s = test_read_file(path, &n);
  int ok = s && n == strlen(text) && !memcmp(s, text, n);
  free(s);
  return ok;
}

/* Entries of dir other than "target"; the names go to list. */
static int others(char *list, size_t cap) {
  DIR *d = opendir(dir);
  int n = 0;
  list[0] = '\0';
  for (struct dirent *e; d && (e = readdir(d));) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "target"))
      continue;
    n++;
    if (strlen(list) + strlen(e->d_name) + 2 < cap) {
      strcat(list, e->d_name);
      strcat(list, " ");
    }
  }
  if (d) closedir(d);
  return n;
}

static int have_tmpfile(void) {
#ifdef O_TMPFILE
  int fd = open(dir, O_TMPFILE | O_WRONLY, 0600);
  if (fd >= 0) close(fd);
  return fd >= 0;
#else
  return 0;
#endif
}

static void test_plain(void) {
  qs_err err = {0};
  CHECK(atomic_write(target, "first", 5, 1, NULL, &err) == 0, "new file: %s", err.msg);
  CHECK(holds(target, "first"), "new contents");
  CHECK(atomic_write(target, "second, longer", 14, 0, NULL, &err) == 0, "replace: %s", err.msg);
  CHECK(holds(target, "second, longer"), "replaced contents");
  char list[512];
  CHECK(others(list, sizeof(list)) == 0, "nothing else in the directory: %s", list);
}

/* A child writes 1 MiB under a 64 KiB file size limit; sigxfsz: die by the signal (as kill -9
 * in the middle of the write), else ignore it and see the write fail with EFBIG. */
static int child_write(int sigxfsz) {
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit rl = {64 * 1024, 64 * 1024};
    setrlimit(RLIMIT_FSIZE, &rl);
    signal(SIGXFSZ, sigxfsz ? SIG_DFL : SIG_IGN);
    size_t len = 1 << 20;
    char *big = malloc(len);
    if (!big) _exit(3);
    memset(big, 'x', len);
    qs_err err = {0};
    int rc = atomic_write(target, big, len, 1, "; the previous checkpoint is kept", &err);
    free(big);
    /* only reached when the write failed cleanly: the message tells the parent it was right */
    _exit(rc && strstr(err.msg, "write failed (File too large); the previous checkpoint is kept")
              ? 42
              : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

static void test_killed_writer(void) {
  const int status = child_write(1);
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ, "the writer died by SIGXFSZ (%d)",
        status);
  CHECK(holds(target, "second, longer"), "the old contents survive the killed writer");
  char list[512];
  const int n = others(list, sizeof(list));
  if (have_tmpfile())
    CHECK(n == 0, "O_TMPFILE here, yet the killed writer left: %s", list);
  else
    printf("note: no O_TMPFILE in %s: the killed writer left %s\n", dir, list);
  for (DIR *d = opendir(dir); d; d = (closedir(d), NULL))
    for (struct dirent *e; (e = readdir(d));)
      if (strstr(e->d_name, ".tmp.")) {
        char p[600];
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        unlink(p);
      }
}

static void test_failed_write(void) {
  const int status = child_write(0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42, "EFBIG reported as a write failure (%d)",
        status);
  CHECK(holds(target, "second, longer"), "the old contents survive a failed write");
  char list[512];
  CHECK(others(list, sizeof(list)) == 0, "a failed write cleans up: %s", list);
}

static void test_no_directory(void) {
  qs_err err = {0};
  char p[400];
  snprintf(p, sizeof(p), "%s/no/such/dir/out.h5", dir);
  CHECK(atomic_write(p, "x", 1, 1, NULL, &err) == QS_ERR_FILE &&
            strstr(err.msg, "out.h5: cannot write: No such file or directory"),
        "missing directory: %s", err.msg);
}

int main(void) {
  snprintf(dir, sizeof(dir), "/tmp/qledsim_atomic_XXXXXX");
  CHECK(mkdtemp(dir) != NULL, "scratch directory");
  snprintf(target, sizeof(target), "%s/target", dir);
  test_plain();
  test_killed_writer();
  test_failed_write();
  test_no_directory();
  unlink(target);
  rmdir(dir);
  CHECK_DONE();
}

/* Replace a file with new contents atomically (see io/atomic_write.h).
 *
 * The bytes go to an unnamed file in the target's directory (O_TMPFILE) that is given a name
 * only when it is complete, just before the rename: a process killed while writing (kill -9, an
 * OOM kill, a job's time limit) leaves nothing behind. Before, a killed checkpoint left
 * OUT.h5.tmp.PID, as large as the output. Where the filesystem has no O_TMPFILE (NFS, older
 * kernels) or the unnamed file cannot be linked (no /proc), the named temporary file is used. */
#define _GNU_SOURCE /* O_TMPFILE, AT_EMPTY_PATH */
#include "io/atomic_write.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *dir_of(const char *path) {
  char *copy = strdup(path);
  if (!copy) return NULL;
  char *d = strdup(dirname(copy));
  free(copy);
  return d;
}

/* Make a rename in the directory of path durable (best effort). */
static void sync_directory(const char *path) {
  char *dir = dir_of(path);
  if (!dir) return;
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
  free(dir);
}

int write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Data, then (with sync) fsync; 0 or -1 with errno. EINVAL/EROFS from fsync: not syncable. */
static int fill(int fd, const void *buf, size_t len, int sync) {
  if (write_all(fd, buf, len)) return -1;
  if (sync && fsync(fd) != 0 && errno != EINVAL && errno != EROFS) return -1;
  return 0;
}

/* An unnamed file in path's directory, or -1 where the filesystem cannot make one. */
static int open_unnamed(const char *path) {
#ifdef O_TMPFILE
  char *dir = dir_of(path);
  if (!dir) return -1;
  int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
  free(dir);
  return fd;
#else
  (void)path;
  return -1;
#endif
}

/* Give the unnamed file fd the name tmp (replacing a stale tmp). */
static int link_unnamed(int fd, const char *tmp) {
  char proc[64];
  snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
  for (int attempt = 0; attempt < 2; attempt++) {
    if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0) return 0;
#ifdef AT_EMPTY_PATH
    if (errno != EEXIST && linkat(fd, "", AT_FDCWD, tmp, AT_EMPTY_PATH) == 0) return 0;
#endif
    if (errno != EEXIST || unlink(tmp) != 0) return -1;
  }
  return -1;
}

/* The unnamed way; 1: not available here (use the named way), 0: done, -1: failed (errno). */
static int write_unnamed(const char *path, const char *tmp, const void *buf, size_t len,
                         int sync) {
  int fd = open_unnamed(path);
  if (fd < 0) return 1;
  if (fill(fd, buf, len, sync)) {
    const int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  const int linked = link_unnamed(fd, tmp) == 0;
  if (close(fd) != 0 && linked) {
    const int e = errno;
    unlink(tmp);
    errno = e;
    return -1;
  }
  return linked ? 0 : 1;
}

/* The named way: tmp written in place. 0, -1 (errno) or -2 when tmp cannot be created. */
static int write_named(const char *tmp, const void *buf, size_t len, int sync) {
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return -2;
  int rc = fill(fd, buf, len, sync);
  const int e = errno;
  if (close(fd) != 0 && rc == 0) rc = -1;
  else errno = e;
  if (rc) {
    const int e2 = errno;
    unlink(tmp);
    errno = e2;
  }
  return rc;
}

int atomic_write(const char *path, const void *buf, size_t len, int sync, const char *keeps,
                 qs_err *err) {
  const size_t tl = strlen(path) + 32;
  char *tmp = malloc(tl);
  if (!tmp) return qs_fail(err, QS_ERR_FILE, "%s: out of memory", path);
  snprintf(tmp, tl, "%s.tmp.%ld", path, (long)getpid());
  int rc = write_unnamed(path, tmp, buf, len, sync);
  if (rc == 1) rc = write_named(tmp, buf, len, sync);
  if (rc == -2) {
    rc = qs_fail(err, QS_ERR_FILE, "%s: cannot write: %s", path, strerror(errno));
  } else if (rc) {
    rc = qs_fail(err, QS_ERR_FILE, "%s: write failed (%s)%s", path, strerror(errno),
                 keeps ? keeps : "");
  } else if (rename(tmp, path) != 0) {
    rc = qs_fail(err, QS_ERR_FILE, "%s: cannot rename %s over it: %s", path, tmp,
                 strerror(errno));
    unlink(tmp);
  } else if (sync) {
    sync_directory(path);
  }
  free(tmp);
  return rc;
}

/* The journal next to a sweep's output (OUT.h5.journal): every finished point is appended as a
 * checksummed record and fsync'd before anything else happens, so a point finished between two
 * HDF5 checkpoints is not lost when the run is killed. --resume replays it.
 *
 * Layout: "QLEDSIMJ", u32 version, u32 n, n bytes of the sweep's identity text, u32 CRC-32 of
 * them; then records: u32 magic "QSRJ", u32 length, u32 CRC-32 of the payload, payload (a packed
 * sw_result). Native byte order. Reading stops at the first short or corrupt record (a write cut
 * by the kill), which is then cut off before appending. The journal is removed when the sweep
 * file is complete. */
#include "app/sweep.h"
#include "io/atomic_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define J_VERSION 1u
#define J_RECORD 0x4A525351u /* "QSRJ" */
#define J_MAX_RECORD (1u << 30)

struct sw_journal {
  int fd;
  char *path;
};

static uint32_t crc32_of(const unsigned char *p, size_t n) {
  static uint32_t table[256];
  static int ready = 0;
  if (!ready) {
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
    ready = 1;
  }
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++)
    c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

/* Whole file into memory. */
static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char *buf = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? 2 * cap : 1 << 16;
      unsigned char *p = realloc(buf, cap);
      if (!p) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = p;
    }
    size_t r = fread(buf + n, 1, cap - n, f);
    n += r;
    if (r == 0) break;
  }
  fclose(f);
  *len = n;
  return buf;
}

static int header(const char *ident, unsigned char **out, size_t *len) {
  const uint32_t n = (uint32_t)strlen(ident), v = J_VERSION,
                 crc = crc32_of((const unsigned char *)ident, n);
  *len = 8 + 4 + 4 + n + 4;
  unsigned char *h = malloc(*len);
  if (!h) return 1;
  /* a binary header: magic, version, length, identity, CRC (no terminating NUL by design) */
  memcpy(h, "QLEDSIMJ", 8); // NOLINT(bugprone-not-null-terminated-result)
  memcpy(h + 8, &v, 4);
  memcpy(h + 12, &n, 4);
  memcpy(h + 16, ident, n); // NOLINT(bugprone-not-null-terminated-result)
  memcpy(h + 16 + n, &crc, 4);
  *out = h;
  return 0;
}

/* Replay the records of an existing journal; *valid = bytes up to the last good record (0 when
 * even the header is incomplete). */
static int replay(const char *path, const unsigned char *buf, size_t len, const char *ident,
                  int (*fn)(void *, const sw_result *), void *user, size_t *valid, qs_err *err) {
  unsigned char *h;
  size_t hl;
  *valid = 0;
  if (header(ident, &h, &hl)) return qs_fail(err, QS_ERR_OTHER, "out of memory");
  const int short_header = len < hl && memcmp(buf, h, len) == 0;
  const int same = len >= hl && memcmp(buf, h, hl) == 0;
  free(h);
  if (short_header) return 0; /* killed while writing the header: start afresh */
  if (!same)
    return qs_fail(err, QS_ERR_RANGE,
                   "%s belongs to a different sweep (its header does not match this sweep's "
                   "config, grid, PETSc options and chunk); remove it, or use --force to start "
                   "over",
                   path);
  size_t at = hl;
  *valid = hl;
  while (len - at >= 12) {
    uint32_t magic, n, crc;
    memcpy(&magic, buf + at, 4);
    memcpy(&n, buf + at + 4, 4);
    memcpy(&crc, buf + at + 8, 4);
    if (magic != J_RECORD || n > J_MAX_RECORD || n > len - at - 12) break;
    const unsigned char *payload = buf + at + 12;
    if (crc32_of(payload, n) != crc) break;
    sw_result r;
    if (sw_result_unpack(payload, n, &r)) break;
    int rc = fn(user, &r);
    sw_result_free(&r);
    if (rc) return rc;
    at += 12 + (size_t)n;
    *valid = at;
  }
  return 0;
}

int sw_journal_open(const char *path, const char *ident, int resume,
                    int (*fn)(void *user, const sw_result *r), void *user, sw_journal **out,
                    qs_err *err) {
  *out = NULL;
  size_t valid = 0;
  struct stat st;
  if (resume && stat(path, &st) == 0) {
    size_t len = 0;
    unsigned char *buf = slurp(path, &len);
    if (!buf) return qs_fail(err, QS_ERR_FILE, "%s: cannot read: %s", path, strerror(errno));
    int rc = replay(path, buf, len, ident, fn, user, &valid, err);
    free(buf);
    if (rc) return rc;
  }
  sw_journal *j = calloc(1, sizeof(*j));
  if (!j || !(j->path = strdup(path))) {
    free(j);
    return qs_fail(err, QS_ERR_OTHER, "out of memory");
  }
  if (valid > 0) {
    j->fd = open(path, O_WRONLY);
    if (j->fd >= 0 && (ftruncate(j->fd, (off_t)valid) != 0 || lseek(j->fd, 0, SEEK_END) < 0)) {
      close(j->fd);
      j->fd = -1;
    }
  } else {
    unsigned char *h;
    size_t hl;
    j->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (j->fd >= 0) {
      if (header(ident, &h, &hl)) {
        close(j->fd);
        j->fd = -1;
      } else {
        if (write_all(j->fd, h, hl) || fsync(j->fd) != 0) {
          close(j->fd);
          j->fd = -1;
        }
        free(h);
      }
    }
  }
  if (j->fd < 0) {
    int rc = qs_fail(err, QS_ERR_FILE, "%s: cannot write the journal: %s", path, strerror(errno));
    free(j->path);
    free(j);
    return rc;
  }
  *out = j;
  return 0;
}

int sw_journal_add(sw_journal *j, const unsigned char *buf, size_t len, qs_err *err) {
  if (len > J_MAX_RECORD) return qs_fail(err, QS_ERR_OTHER, "journal record too large");
  unsigned char *rec = malloc(12 + len);
  if (!rec) return qs_fail(err, QS_ERR_OTHER, "out of memory");
  const uint32_t magic = J_RECORD, n = (uint32_t)len, crc = crc32_of(buf, len);
  memcpy(rec, &magic, 4);
  memcpy(rec + 4, &n, 4);
  memcpy(rec + 8, &crc, 4);
  memcpy(rec + 12, buf, len);
  int bad = write_all(j->fd, rec, 12 + len) || fdatasync(j->fd) != 0;
  free(rec);
  if (bad) return qs_fail(err, QS_ERR_FILE, "%s: cannot append: %s", j->path, strerror(errno));
  return 0;
}

void sw_journal_close(sw_journal *j, int remove_file) {
  if (!j) return;
  close(j->fd);
  if (remove_file) unlink(j->path);
  free(j->path);
  free(j);
}

/* The last material database a config load opened, kept for the next load (see io/matdb.h).
 *
 * A sweep loads its config once per value check and once per point, and each load used to parse
 * all ~30 database files again: ~1.8 ms of a ~2 ms load. The cache is keyed by the directory and
 * by what its files hold (names, sizes and a 64-bit FNV-1a hash of their bytes, not time stamps,
 * whose coarse resolution could miss an edit made within a few milliseconds): an edited,
 * added or removed file is seen by the next load exactly as without the cache. Reading and
 * hashing the files costs ~0.1 ms. */
#define _POSIX_C_SOURCE 200809L
#include "io/matdb.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  char *dir;
  uint64_t hash; /* over names, sizes and bytes of the files, in name order */
  long nfiles;
} fingerprint;

typedef struct entry {
  matdb *db;
  fingerprint fp;
  int refs; /* loads still using db, plus one while it is the cached entry */
  struct entry *next;
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry *entries; /* the cached entry and retired ones still in use */
static entry *cached;  /* the one a new load may share, or NULL */

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * FNV_PRIME;
  return h;
}

static int db_file(const char *name) {
  size_t n = strlen(name);
  return name[0] != '.' && ((n > 5 && !strcmp(name + n - 5, ".yaml")) ||
                            (n > 4 && !strcmp(name + n - 4, ".yml")));
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Hash of one file's name, size and bytes; 1 if it cannot be read. */
static int hash_file(int dfd, const char *name, uint64_t *h) {
  int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 1;
  *h = fnv(*h, name, strlen(name) + 1);
  unsigned char buf[16384];
  uint64_t size = 0;
  ssize_t got;
  while ((got = read(fd, buf, sizeof(buf))) > 0) {
    *h = fnv(*h, buf, (size_t)got);
    size += (uint64_t)got;
  }
  close(fd);
  *h = fnv(*h, &size, sizeof(size));
  return got < 0;
}

/* The directory's fingerprint; 1 if it cannot be taken (then the cache is not used). */
static int take_fingerprint(const char *dir, fingerprint *fp) {
  memset(fp, 0, sizeof(*fp));
  DIR *d = opendir(dir);
  if (!d) return 1;
  char **names = NULL;
  long n = 0, cap = 0;
  int bad = 0;
  for (struct dirent *e; !bad && (e = readdir(d));) {
    if (!db_file(e->d_name)) continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 64;
      char **nn = realloc(names, (size_t)cap * sizeof(char *));
      if (!nn) bad = 1;
      else names = nn;
    }
    if (!bad && !(names[n++] = strdup(e->d_name))) bad = 1;
  }
  if (!bad && n > 1) qsort(names, (size_t)n, sizeof(char *), cmp_name);
  uint64_t h = FNV_OFFSET;
  for (long i = 0; !bad && i < n; i++)
    bad = hash_file(dirfd(d), names[i], &h);
  closedir(d);
  for (long i = 0; i < n; i++)
    free(names[i]);
  free(names);
  if (bad || !(fp->dir = strdup(dir))) return 1;
  fp->hash = h;
  fp->nfiles = n;
  return 0;
}

static int same(const fingerprint *a, const fingerprint *b) {
  return a->hash == b->hash && a->nfiles == b->nfiles && !strcmp(a->dir, b->dir);
}

static void drop_locked(entry *e) {
  if (--e->refs > 0) return;
  for (entry **p = &entries; *p; p = &(*p)->next)
    if (*p == e) {
      *p = e->next;
      break;
    }
  matdb_close(e->db);
  free(e->fp.dir);
  free(e);
}

/* The cached entry gives up its cache reference. */
static void uncache_locked(void) {
  entry *old = cached;
  cached = NULL;
  if (old) drop_locked(old);
}

/* Make (db, fp) the cached entry, retiring the old one; takes ownership of fp.dir. */
static void remember_locked(matdb *db, fingerprint *fp) {
  entry *e = calloc(1, sizeof(*e));
  if (!e) {
    free(fp->dir);
    return;
  }
  e->db = db;
  e->fp = *fp;
  e->refs = 2; /* the caller's load and the cache */
  e->next = entries;
  entries = e;
  uncache_locked();
  cached = e;
}

int matdb_acquire(const char *dir, matdb **db, qs_err *err) {
  fingerprint fp;
  const int have_fp = !take_fingerprint(dir, &fp);
  pthread_mutex_lock(&lock);
  entry *e = have_fp ? cached : NULL;
  if (e && same(&e->fp, &fp)) {
    e->refs++;
    *db = e->db;
    pthread_mutex_unlock(&lock);
    free(fp.dir);
    return 0;
  }
  pthread_mutex_unlock(&lock);
  int rc = matdb_open(dir, db, err);
  if (rc || !have_fp) {
    if (have_fp) free(fp.dir);
    return rc;
  }
  pthread_mutex_lock(&lock);
  remember_locked(*db, &fp);
  pthread_mutex_unlock(&lock);
  return 0;
}

void matdb_release(matdb *db) {
  if (!db) return;
  pthread_mutex_lock(&lock);
  entry *e = entries;
  while (e && e->db != db)
    e = e->next;
  if (e) drop_locked(e);
  pthread_mutex_unlock(&lock);
  if (!e) matdb_close(db); /* not cached (no fingerprint, or no memory for the entry) */
}

void matdb_cache_clear(void) {
  pthread_mutex_lock(&lock);
  uncache_locked();
  pthread_mutex_unlock(&lock);
}

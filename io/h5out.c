#include "io/h5out.h"
#include "io/atomic_write.h"

#include <errno.h>
#include <hdf5.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define H5OUT_CHUNK 256
#define H5OUT_STRLEN 64

/* Values appended to one extendible dataset since the last checkpoint. Appends are buffered
 * here and written as one block per dataset when a checkpoint (or the end) comes: the file on
 * disk changes only at checkpoints anyway, and one extend + write per dataset instead of one per
 * value takes the HDF5 cost of a 61-point run from ~15% of the run to noise. */
typedef struct {
  char *path, *units;
  hid_t type;        /* a copy */
  size_t size;       /* bytes per value */
  unsigned char *buf;
  size_t n, cap;     /* values pending, capacity */
} h5_pending;

struct h5out {
  hid_t file;
  char *path;
  size_t last_size;
  h5_pending *pend;
  int npend, cappend;
  int staged;       /* h5out_stage() was called: the target only ever holds a finished file */
  int keep_target;  /* staged and the target existed: checkpoints go to `partial` */
  char *partial;    /* "<path>.partial" (staged only) */
  int ncheckpoints; /* successful checkpoints so far */
  double last_sync; /* CLOCK_MONOTONIC time of the last checkpoint flushed to disk [s] */
};

/* Intermediate checkpoints are flushed to disk (fsync of the file and of its directory) at most
 * this often [s]; the final one always is. The rename alone already makes a checkpoint survive
 * kill -9 (the page cache outlives the process); fsync only adds survival of an OS crash or power
 * loss, and costs milliseconds per call: measured on the default red device (81 points, fields at
 * every point), 5 checkpoints spent ~35 ms of a 0.22 s run in fsync and rename. */
#define H5OUT_SYNC_INTERVAL 30.0

static double monotonic_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static void quiet_hdf5(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

static int directory_writable(const char *path, qs_err *err) {
  char *copy = strdup(path);
  if (!copy) return qs_fail(err, QS_ERR_FILE, "%s: out of memory", path);
  const char *dir = dirname(copy);
  struct stat st;
  int rc = 0;
  if (stat(dir, &st) != 0)
    rc = qs_fail(err, QS_ERR_FILE, "%s: output directory '%s' does not exist", path, dir);
  else if (!S_ISDIR(st.st_mode))
    rc = qs_fail(err, QS_ERR_FILE, "%s: '%s' is not a directory", path, dir);
  else if (access(dir, W_OK | X_OK) != 0)
    rc = qs_fail(err, QS_ERR_FILE, "%s: output directory '%s' is not writable: %s", path, dir,
                 strerror(errno));
  free(copy);
  return rc;
}

int h5out_open(const char *path, int force, h5out **h, qs_err *err) {
  *h = NULL;
  quiet_hdf5();
  struct stat st;
  if (!force && stat(path, &st) == 0)
    return qs_fail(err, QS_ERR_FILE, "%s: output file exists (use --force to overwrite)", path);
  if (directory_writable(path, err)) return err ? err->cls : QS_ERR_FILE;
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_fapl_core(fapl, 1 << 20, 0);
  hid_t f = H5Fcreate("qledsim-image", H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose(fapl);
  if (f < 0) return qs_fail(err, QS_ERR_FILE, "%s: cannot create an HDF5 file image", path);
  struct h5out *o = calloc(1, sizeof(*o));
  if (!o || !(o->path = strdup(path))) {
    free(o);
    H5Fclose(f);
    return qs_fail(err, QS_ERR_FILE, "%s: out of memory", path);
  }
  o->file = f;
  *h = o;
  return h5out_attr_int(o, "/", "complete", 0) ? qs_fail(err, QS_ERR_FILE, "%s: HDF5 error", path)
                                                : 0;
}

/* Open group path, creating it and its parents as needed. */
static hid_t open_group(hid_t file, const char *path) {
  if (strcmp(path, "/") == 0) return H5Gopen2(file, "/", H5P_DEFAULT);
  char buf[512];
  snprintf(buf, sizeof(buf), "%s", path);
  for (char *p = buf + 1;; p++) {
    const int end = *p == '\0';
    if (*p == '/' || end) {
      *p = '\0';
      if (H5Lexists(file, buf, H5P_DEFAULT) <= 0) {
        hid_t g = H5Gcreate2(file, buf, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (g < 0) return -1;
        H5Gclose(g);
      }
      if (end) break;
      *p = '/';
    }
  }
  return H5Gopen2(file, buf, H5P_DEFAULT);
}

/* Split "/a/b/name" into the parent group (opened, created if needed) and the leaf name. */
static hid_t open_parent(hid_t file, const char *path, const char **leaf) {
  const char *slash = strrchr(path, '/');
  if (!slash) return -1;
  *leaf = slash + 1;
  if (slash == path) return H5Gopen2(file, "/", H5P_DEFAULT);
  char buf[512];
  snprintf(buf, sizeof(buf), "%.*s", (int)(slash - path), path);
  return open_group(file, buf);
}

static int set_attr(hid_t obj, const char *name, hid_t type, const void *value) {
  if (H5Aexists(obj, name) > 0) H5Adelete(obj, name);
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  herr_t rc = a < 0 ? -1 : H5Awrite(a, type, value);
  if (a >= 0) H5Aclose(a);
  H5Sclose(space);
  return rc < 0;
}

/* Variable-length UTF-8 string attribute (h5py reads it as str). */
static int set_string_attr(hid_t obj, const char *name, const char *value) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  int rc = set_attr(obj, name, t, &value);
  H5Tclose(t);
  return rc;
}

int h5out_attr_string(h5out *h, const char *group, const char *name, const char *value) {
  hid_t g = open_group(h->file, group);
  if (g < 0) return 1;
  int rc = set_string_attr(g, name, value);
  H5Gclose(g);
  return rc;
}

int h5out_attr_double(h5out *h, const char *group, const char *name, double value,
                      const char *units) {
  hid_t g = open_group(h->file, group);
  if (g < 0) return 1;
  int rc = set_attr(g, name, H5T_NATIVE_DOUBLE, &value);
  if (!rc && units) {
    char uname[256];
    snprintf(uname, sizeof(uname), "%s_units", name);
    rc = set_string_attr(g, uname, units);
  }
  H5Gclose(g);
  return rc;
}

int h5out_attr_int(h5out *h, const char *group, const char *name, long value) {
  hid_t g = open_group(h->file, group);
  if (g < 0) return 1;
  int rc = set_attr(g, name, H5T_NATIVE_LONG, &value);
  H5Gclose(g);
  return rc;
}

/* One 1D dataset `leaf` in group g (replacing an existing one) with its units attribute. */
static int write_in_group(hid_t g, const char *leaf, hid_t type, hid_t space, const void *data,
                          size_t n, const char *units) {
  if (H5Lexists(g, leaf, H5P_DEFAULT) > 0) H5Ldelete(g, leaf, H5P_DEFAULT);
  hid_t d = H5Dcreate2(g, leaf, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  int rc = d < 0 || (n > 0 && H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0);
  if (!rc) rc = set_string_attr(d, "units", units ? units : "1");
  if (d >= 0) H5Dclose(d);
  return rc;
}

static int write_array(h5out *h, const char *path, hid_t type, const void *data, size_t n,
                       const char *units) {
  const char *leaf;
  hid_t g = open_parent(h->file, path, &leaf);
  if (g < 0) return 1;
  hsize_t dims = n;
  hid_t space = H5Screate_simple(1, &dims, NULL);
  const int rc = space < 0 || write_in_group(g, leaf, type, space, data, n, units);
  if (space >= 0) H5Sclose(space);
  H5Gclose(g);
  return rc;
}

int h5out_write_group_doubles(h5out *h, const char *group, int count, const char *const *names,
                              const double *const *data, size_t n, const char *const *units) {
  hid_t g = open_group(h->file, group);
  if (g < 0) return 1;
  hsize_t dims = n;
  hid_t space = H5Screate_simple(1, &dims, NULL);
  int rc = space < 0;
  for (int k = 0; k < count && !rc; k++)
    rc = write_in_group(g, names[k], H5T_NATIVE_DOUBLE, space, data[k], n, units[k]);
  if (space >= 0) H5Sclose(space);
  H5Gclose(g);
  return rc;
}

int h5out_write_doubles(h5out *h, const char *path, const double *data, size_t n,
                        const char *units) {
  return write_array(h, path, H5T_NATIVE_DOUBLE, data, n, units);
}

int h5out_write_ints(h5out *h, const char *path, const int *data, size_t n, const char *units) {
  return write_array(h, path, H5T_NATIVE_INT, data, n, units);
}

/* Open (or create, chunked and unlimited) an extendible 1D dataset of the given type. */
static hid_t open_extendible(h5out *h, const char *path, hid_t type, const char *units) {
  if (H5Lexists(h->file, path, H5P_DEFAULT) > 0) return H5Dopen2(h->file, path, H5P_DEFAULT);
  const char *leaf;
  hid_t g = open_parent(h->file, path, &leaf);
  if (g < 0) return -1;
  hsize_t dims = 0, maxdims = H5S_UNLIMITED, chunk = H5OUT_CHUNK;
  hid_t space = H5Screate_simple(1, &dims, &maxdims);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, 1, &chunk);
  hid_t d = H5Dcreate2(g, leaf, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  if (d >= 0 && units && set_string_attr(d, "units", units)) {
    H5Dclose(d);
    d = -1;
  }
  H5Pclose(dcpl);
  H5Sclose(space);
  H5Gclose(g);
  return d;
}

/* Write n values of one pending dataset at its end. */
static int write_block(h5out *h, const h5_pending *p) {
  hid_t d = open_extendible(h, p->path, p->type, p->units);
  if (d < 0) return 1;
  hid_t space = H5Dget_space(d);
  hsize_t n0, cnt = p->n;
  H5Sget_simple_extent_dims(space, &n0, NULL);
  H5Sclose(space);
  hsize_t newn = n0 + cnt;
  int rc = H5Dset_extent(d, &newn) < 0;
  if (!rc) {
    space = H5Dget_space(d);
    hid_t mem = H5Screate_simple(1, &cnt, NULL);
    rc = H5Sselect_hyperslab(space, H5S_SELECT_SET, &n0, NULL, &cnt, NULL) < 0 ||
         H5Dwrite(d, p->type, mem, space, H5P_DEFAULT, p->buf) < 0;
    H5Sclose(mem);
    H5Sclose(space);
  }
  H5Dclose(d);
  return rc;
}

static int flush_appends(h5out *h) {
  for (int k = 0; k < h->npend; k++) {
    h5_pending *p = &h->pend[k];
    if (!p->n) continue;
    if (write_block(h, p)) return 1;
    p->n = 0;
  }
  return 0;
}

int h5out_flush_appends(h5out *h) { return flush_appends(h); }

static void free_appends(h5out *h) {
  for (int k = 0; k < h->npend; k++) {
    free(h->pend[k].path);
    free(h->pend[k].units);
    free(h->pend[k].buf);
    H5Tclose(h->pend[k].type);
  }
  free(h->pend);
  h->pend = NULL;
  h->npend = h->cappend = 0;
}

/* The pending list of path, created on first use. */
static h5_pending *pending(h5out *h, const char *path, hid_t type, const char *units) {
  for (int k = 0; k < h->npend; k++)
    if (!strcmp(h->pend[k].path, path)) return &h->pend[k];
  if (h->npend == h->cappend) {
    const int cap = h->cappend ? 2 * h->cappend : 32;
    h5_pending *q = realloc(h->pend, sizeof(*q) * (size_t)cap);
    if (!q) return NULL;
    h->pend = q;
    h->cappend = cap;
  }
  h5_pending *p = &h->pend[h->npend];
  memset(p, 0, sizeof(*p));
  p->path = strdup(path);
  p->units = strdup(units ? units : "1");
  p->size = H5Tget_size(type);
  if (!p->path || !p->units || !p->size || (p->type = H5Tcopy(type)) < 0) {
    free(p->path);
    free(p->units);
    return NULL;
  }
  h->npend++;
  return p;
}

static int append_value(h5out *h, const char *path, hid_t type, const void *value,
                        const char *units) {
  h5_pending *p = pending(h, path, type, units);
  if (!p) return 1;
  if (p->n == p->cap) {
    const size_t cap = p->cap ? 2 * p->cap : 64;
    unsigned char *b = realloc(p->buf, cap * p->size);
    if (!b) return 1;
    p->buf = b;
    p->cap = cap;
  }
  memcpy(p->buf + p->n * p->size, value, p->size);
  p->n++;
  return 0;
}

int h5out_append_double(h5out *h, const char *path, double value, const char *units) {
  return append_value(h, path, H5T_NATIVE_DOUBLE, &value, units);
}

int h5out_append_int(h5out *h, const char *path, long value, const char *units) {
  return append_value(h, path, H5T_NATIVE_LONG, &value, units ? units : "1");
}

int h5out_append_string(h5out *h, const char *path, const char *value) {
  char buf[H5OUT_STRLEN];
  memset(buf, 0, sizeof(buf));
  snprintf(buf, sizeof(buf), "%s", value);
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5OUT_STRLEN);
  H5Tset_strpad(t, H5T_STR_NULLPAD);
  int rc = append_value(h, path, t, buf, "1");
  H5Tclose(t);
  return rc;
}

static hid_t vlen_string_type(void) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

int h5out_write_strings(h5out *h, const char *path, const char *const *s, size_t n) {
  const char **v = malloc(sizeof(char *) * (n ? n : 1));
  if (!v) return 1;
  for (size_t i = 0; i < n; i++)
    v[i] = (s && s[i]) ? s[i] : "";
  hid_t t = vlen_string_type();
  int rc = write_array(h, path, t, v, n, "1");
  H5Tclose(t);
  free(v);
  return rc;
}

/* Write one element of an existing 1D dataset from memory type mtype. */
static int set_element(h5out *h, const char *path, size_t i, hid_t mtype, const void *value) {
  if (flush_appends(h)) return 1; /* the element may be one still pending */
  hid_t d = H5Dopen2(h->file, path, H5P_DEFAULT);
  if (d < 0) return 1;
  hid_t space = H5Dget_space(d);
  hsize_t n = 0, at = i, one = 1;
  H5Sget_simple_extent_dims(space, &n, NULL);
  int rc = at >= n;
  if (!rc) {
    hid_t mem = H5Screate_simple(1, &one, NULL);
    rc = H5Sselect_hyperslab(space, H5S_SELECT_SET, &at, NULL, &one, NULL) < 0 ||
         H5Dwrite(d, mtype, mem, space, H5P_DEFAULT, value) < 0;
    H5Sclose(mem);
  }
  H5Sclose(space);
  H5Dclose(d);
  return rc;
}

int h5out_set_double(h5out *h, const char *path, size_t i, double value) {
  return set_element(h, path, i, H5T_NATIVE_DOUBLE, &value);
}

int h5out_set_int(h5out *h, const char *path, size_t i, long value) {
  return set_element(h, path, i, H5T_NATIVE_LONG, &value);
}

int h5out_set_string(h5out *h, const char *path, size_t i, const char *value) {
  const char *v = value ? value : "";
  hid_t t = vlen_string_type();
  int rc = set_element(h, path, i, t, &v);
  H5Tclose(t);
  return rc;
}

int h5out_stage(h5out *h) {
  size_t n = strlen(h->path) + sizeof(".partial");
  if (!(h->partial = malloc(n))) return 1;
  snprintf(h->partial, n, "%s.partial", h->path);
  struct stat st;
  h->staged = 1;
  h->keep_target = stat(h->path, &st) == 0;
  return 0;
}

/* Where checkpoints go now. */
static const char *ckpt_path(const h5out *h) { return h->keep_target ? h->partial : h->path; }

/* Write the image to the checkpoint path; final: always flushed to disk (see H5OUT_SYNC_INTERVAL). */
static int checkpoint(h5out *h, int final, qs_err *err) {
  if (flush_appends(h)) return qs_fail(err, QS_ERR_FILE, "%s: HDF5 write failed", h->path);
  if (H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0)
    return qs_fail(err, QS_ERR_FILE, "%s: HDF5 flush failed", h->path);
  ssize_t len = H5Fget_file_image(h->file, NULL, 0);
  if (len <= 0) return qs_fail(err, QS_ERR_FILE, "%s: cannot get the HDF5 file image", h->path);
  void *buf = malloc((size_t)len);
  if (!buf) return qs_fail(err, QS_ERR_FILE, "%s: out of memory (%zd bytes)", h->path, len);
  const double now = monotonic_now();
  const int sync = final || h->ncheckpoints == 0 || now - h->last_sync >= H5OUT_SYNC_INTERVAL;
  int rc = H5Fget_file_image(h->file, buf, (size_t)len) != len
               ? qs_fail(err, QS_ERR_FILE, "%s: cannot copy the HDF5 file image", h->path)
               : atomic_write(ckpt_path(h), buf, (size_t)len, sync,
                              h->staged || h->ncheckpoints == 0
                                  ? NULL
                                  : "; the previous checkpoint is kept",
                              err);
  free(buf);
  h->last_size = (size_t)len;
  if (!rc) h->ncheckpoints++;
  if (!rc && sync) h->last_sync = now;
  return rc;
}

int h5out_checkpoint(h5out *h, qs_err *err) { return checkpoint(h, 0, err); }

int h5out_finish(h5out *h, qs_err *err) {
  int rc = h5out_attr_int(h, "/", "complete", 1)
               ? qs_fail(err, QS_ERR_FILE, "%s: HDF5 error", h->path)
               : 0;
  if (!rc) {
    const int keep = h->keep_target;
    h->keep_target = 0; /* the finished file goes to the target */
    rc = checkpoint(h, 1, err);
    h->keep_target = keep;
    if (!rc && keep) unlink(h->partial);
  }
  if (rc) h5out_fail(h, err);
  else h5out_abandon(h);
  return rc;
}

void h5out_fail(h5out *h, qs_err *err) {
  if (!h) return;
  if (h->staged) {
    const char *kept = NULL;
    if (h->ncheckpoints > 0 && !h->keep_target) {
      /* the target holds this run's last checkpoint: move it aside */
      if (rename(h->path, h->partial) == 0) kept = h->partial;
      else kept = h->path;
    } else if (h->ncheckpoints > 0) {
      kept = h->partial;
    }
    if (err && err->cls != QS_OK) {
      size_t n = strlen(err->msg);
      if (kept && kept == h->partial)
        snprintf(err->msg + n, sizeof(err->msg) - n,
                 "\n  the last checkpoint (the points finished up to it) is in %s "
                 "(complete = 0); %s %s",
                 kept, h->path,
                 h->keep_target ? "still holds the previous file" : "was not written");
      else if (kept)
        snprintf(err->msg + n, sizeof(err->msg) - n,
                 "\n  %s holds the last checkpoint (the points finished up to it; complete = 0)",
                 kept);
      else
        snprintf(err->msg + n, sizeof(err->msg) - n, "\n  %s %s", h->path,
                 h->keep_target ? "still holds the previous file" : "was not written");
    }
  }
  h5out_abandon(h);
}

void h5out_abandon(h5out *h) {
  if (!h) return;
  free_appends(h);
  H5Fclose(h->file);
  free(h->path);
  free(h->partial);
  free(h);
}

size_t h5out_size(h5out *h) { return h->last_size; }
const char *h5out_path(const h5out *h) { return h->path; }

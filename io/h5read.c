#include "io/h5read.h"

#include <hdf5.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct h5read {
  hid_t file;
  char *path;
  char msg[QS_ERR_MAX];
};

static int fail(h5read *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(h5read *r, const char *fmt, ...) {
  char m[QS_ERR_MAX - 600];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m, sizeof(m), fmt, ap);
  va_end(ap);
  snprintf(r->msg, sizeof(r->msg), "%.500s: %s", r->path, m);
  return 1;
}

int h5read_open(const char *path, h5read **out, qs_err *err) {
  *out = NULL;
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  struct stat st;
  if (stat(path, &st) != 0) return qs_fail(err, QS_ERR_FILE, "%s: no such file", path);
  if (H5Fis_hdf5(path) <= 0) return qs_fail(err, QS_ERR_FILE, "%s: not an HDF5 file", path);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return qs_fail(err, QS_ERR_FILE, "%s: cannot open the HDF5 file", path);
  h5read *r = calloc(1, sizeof(*r));
  if (!r || !(r->path = strdup(path))) {
    free(r);
    H5Fclose(f);
    return qs_fail(err, QS_ERR_OTHER, "%s: out of memory", path);
  }
  r->file = f;
  *out = r;
  return 0;
}

void h5read_close(h5read *r) {
  if (!r) return;
  H5Fclose(r->file);
  free(r->path);
  free(r);
}

const char *h5read_path(const h5read *r) { return r->path; }
const char *h5read_error(const h5read *r) { return r->msg; }

/* Does every prefix of path exist (H5Lexists needs the parents)? */
int h5read_exists(h5read *r, const char *path) {
  if (!strcmp(path, "/")) return 1;
  char buf[1024];
  snprintf(buf, sizeof(buf), "%s", path);
  for (char *p = buf + 1;; p++) {
    const int end = *p == '\0';
    if (*p == '/' || end) {
      *p = '\0';
      if (H5Lexists(r->file, buf, H5P_DEFAULT) <= 0) return 0;
      if (end) break;
      *p = '/';
    }
  }
  return H5Oexists_by_name(r->file, path, H5P_DEFAULT) > 0;
}

static hid_t open_attr(h5read *r, const char *obj, const char *name) {
  if (!h5read_exists(r, obj)) {
    fail(r, "%s: no such group or dataset", obj);
    return -1;
  }
  if (H5Aexists_by_name(r->file, obj, name, H5P_DEFAULT) <= 0) {
    fail(r, "%s: no attribute '%s'", obj, name);
    return -1;
  }
  hid_t a = H5Aopen_by_name(r->file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) fail(r, "%s: cannot open attribute '%s'", obj, name);
  return a;
}

int h5read_attr_string(h5read *r, const char *obj, const char *name, char **value) {
  *value = NULL;
  hid_t a = open_attr(r, obj, name);
  if (a < 0) return 1;
  hid_t t = H5Aget_type(a);
  int rc = 1;
  if (H5Tget_class(t) != H5T_STRING) {
    fail(r, "%s: attribute '%s' is not a string", obj, name);
  } else if (H5Tis_variable_str(t) > 0) {
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5Tget_cset(t));
    char *s = NULL;
    if (H5Aread(a, mt, &s) >= 0 && s) {
      *value = strdup(s);
      rc = !*value;
      H5free_memory(s);
    }
    H5Tclose(mt);
  } else {
    size_t n = H5Tget_size(t);
    char *s = calloc(n + 1, 1);
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, n + 1);
    H5Tset_cset(mt, H5Tget_cset(t));
    if (s && H5Aread(a, mt, s) >= 0) {
      *value = s;
      rc = 0;
    } else {
      free(s);
    }
    H5Tclose(mt);
  }
  if (rc && H5Tget_class(t) == H5T_STRING) fail(r, "%s: cannot read attribute '%s'", obj, name);
  H5Tclose(t);
  H5Aclose(a);
  return rc;
}

static int read_scalar_attr(h5read *r, const char *obj, const char *name, hid_t mt, void *v) {
  hid_t a = open_attr(r, obj, name);
  if (a < 0) return 1;
  hid_t t = H5Aget_type(a);
  const H5T_class_t c = H5Tget_class(t);
  int rc = (c != H5T_INTEGER && c != H5T_FLOAT) || H5Aread(a, mt, v) < 0;
  if (rc) fail(r, "%s: attribute '%s' is not a number", obj, name);
  H5Tclose(t);
  H5Aclose(a);
  return rc;
}

int h5read_attr_long(h5read *r, const char *obj, const char *name, long *value) {
  return read_scalar_attr(r, obj, name, H5T_NATIVE_LONG, value);
}

int h5read_attr_double(h5read *r, const char *obj, const char *name, double *value) {
  return read_scalar_attr(r, obj, name, H5T_NATIVE_DOUBLE, value);
}

/* Open a 1D dataset and return its length in *n. */
static hid_t open_1d(h5read *r, const char *path, size_t *n) {
  if (!h5read_exists(r, path)) {
    fail(r, "%s: no such dataset", path);
    return -1;
  }
  hid_t d = H5Dopen2(r->file, path, H5P_DEFAULT);
  if (d < 0) {
    fail(r, "%s: not a dataset", path);
    return -1;
  }
  hid_t s = H5Dget_space(d);
  hsize_t dims[2] = {0, 0};
  int rank = H5Sget_simple_extent_ndims(s);
  if (rank == 1) H5Sget_simple_extent_dims(s, dims, NULL);
  H5Sclose(s);
  if (rank != 1) {
    H5Dclose(d);
    fail(r, "%s: expected a 1D dataset", path);
    return -1;
  }
  *n = (size_t)dims[0];
  return d;
}

int h5read_length(h5read *r, const char *path, size_t *n) {
  hid_t d = open_1d(r, path, n);
  if (d < 0) return 1;
  H5Dclose(d);
  return 0;
}

static int read_numbers(h5read *r, const char *path, hid_t mt, void *out, size_t n) {
  size_t len;
  hid_t d = open_1d(r, path, &len);
  if (d < 0) return 1;
  hid_t t = H5Dget_type(d);
  const H5T_class_t c = H5Tget_class(t);
  H5Tclose(t);
  int rc = 0;
  if (c != H5T_INTEGER && c != H5T_FLOAT)
    rc = fail(r, "%s: not a numeric dataset", path);
  else if (len != n)
    rc = fail(r, "%s: %zu elements, expected %zu", path, len, n);
  else if (n > 0 && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
    rc = fail(r, "%s: read failed", path);
  H5Dclose(d);
  return rc;
}

int h5read_doubles(h5read *r, const char *path, double *out, size_t n) {
  return read_numbers(r, path, H5T_NATIVE_DOUBLE, out, n);
}

int h5read_longs(h5read *r, const char *path, long *out, size_t n) {
  return read_numbers(r, path, H5T_NATIVE_LONG, out, n);
}

int h5read_strings(h5read *r, const char *path, char **out, size_t n) {
  size_t len;
  for (size_t i = 0; i < n; i++)
    out[i] = NULL;
  hid_t d = open_1d(r, path, &len);
  if (d < 0) return 1;
  hid_t t = H5Dget_type(d);
  int rc = 0;
  if (H5Tget_class(t) != H5T_STRING) {
    rc = fail(r, "%s: not a string dataset", path);
  } else if (len != n) {
    rc = fail(r, "%s: %zu elements, expected %zu", path, len, n);
  } else if (n > 0 && H5Tis_variable_str(t) > 0) {
    char **v = calloc(n, sizeof(char *));
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5Tget_cset(t));
    if (!v || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
      rc = fail(r, "%s: read failed", path);
    } else {
      for (size_t i = 0; i < n; i++) {
        out[i] = strdup(v[i] ? v[i] : "");
        if (!out[i]) rc = fail(r, "%s: out of memory", path);
      }
      hid_t s = H5Dget_space(d);
      H5Dvlen_reclaim(mt, s, H5P_DEFAULT, v);
      H5Sclose(s);
    }
    H5Tclose(mt);
    free(v);
  } else if (n > 0) {
    const size_t w = H5Tget_size(t);
    char *buf = calloc(n, w + 1);
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, w + 1);
    H5Tset_cset(mt, H5Tget_cset(t));
    if (!buf || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
      rc = fail(r, "%s: read failed", path);
    } else {
      for (size_t i = 0; i < n; i++) {
        buf[i * (w + 1) + w] = '\0';
        if (!(out[i] = strdup(buf + i * (w + 1)))) rc = fail(r, "%s: out of memory", path);
      }
    }
    H5Tclose(mt);
    free(buf);
  }
  H5Tclose(t);
  H5Dclose(d);
  if (rc) {
    for (size_t i = 0; i < n; i++) {
      free(out[i]);
      out[i] = NULL;
    }
  }
  return rc;
}

typedef struct {
  char **names;
  size_t n, cap;
  int oom;
} name_list;

static herr_t add_name(hid_t g, const char *name, const H5L_info_t *info, void *data) {
  (void)g;
  (void)info;
  name_list *l = data;
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 16;
    char **p = realloc(l->names, cap * sizeof(char *));
    if (!p) return (l->oom = 1), -1;
    l->names = p;
    l->cap = cap;
  }
  if (!(l->names[l->n] = strdup(name))) return (l->oom = 1), -1;
  l->n++;
  return 0;
}

int h5read_list(h5read *r, const char *group, char ***names, size_t *n) {
  *names = NULL;
  *n = 0;
  if (!h5read_exists(r, group)) return fail(r, "%s: no such group", group);
  hid_t g = H5Gopen2(r->file, group, H5P_DEFAULT);
  if (g < 0) return fail(r, "%s: not a group", group);
  name_list l = {NULL, 0, 0, 0};
  herr_t e = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, add_name, &l);
  H5Gclose(g);
  if (e < 0 || l.oom) {
    h5read_free_strings(l.names, l.n);
    return fail(r, "%s: cannot list the group", group);
  }
  *names = l.names;
  *n = l.n;
  return 0;
}

void h5read_free_strings(char **s, size_t n) {
  if (!s) return;
  for (size_t i = 0; i < n; i++)
    free(s[i]);
  free(s);
}

int h5read_units(h5read *r, const char *path, char **units) {
  return h5read_attr_string(r, path, "units", units);
}

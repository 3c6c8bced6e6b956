/* Reading a sweep file back (for --resume and merge) and comparing sweeps: the identity (base
 * config, grid, PETSc options, chunk), the grid rebuilt from the per-point arrays, and every
 * finished point as a result record, bit for bit as it was written. */
#include "app/sweep.h"
#include "io/h5read.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sw_ident_free(sw_ident *id) {
  free(id->config);
  free(id->config_file);
  free(id->petsc_options);
  for (int i = 0; i < id->nlayers; i++)
    free(id->layers[i]);
  free(id->layers);
  memset(id, 0, sizeof(*id));
}

/* The config text without its first line (a comment naming the source file). */
static const char *config_body(const char *c) {
  if (!c) return "";
  if (c[0] != '#') return c;
  const char *nl = strchr(c, '\n');
  return nl ? nl + 1 : "";
}

char *sw_ident_text(const sw_ident *id, const sw_grid *g) {
  const char *body = config_body(id->config), *po = id->petsc_options ? id->petsc_options : "";
  size_t len = strlen(body) + strlen(g->canonical) + strlen(po) + 128;
  char *s = malloc(len);
  if (s)
    snprintf(s, len, "config:\n%s\ngrid:\n%spetsc_options: %s\nchunk: %d/%d\n", body,
             g->canonical, po, id->chunk_i, id->chunk_n);
  return s;
}

int sw_in_chunk(const sw_ident *id, long k) {
  return id->chunk_n <= 1 || k % id->chunk_n == id->chunk_i;
}

void sw_file_free(sw_file *f) {
  for (long i = 0; i < f->nresults; i++)
    sw_result_free(&f->results[i]);
  free(f->results);
  sw_ident_free(&f->id);
  sw_grid_free(&f->grid);
  free(f->path);
  memset(f, 0, sizeof(*f));
}

/* Split "a\nb" into a malloc'd array. */
static int split_lines(const char *s, char ***out, int *n) {
  *out = NULL;
  *n = 0;
  if (!s[0]) return 0;
  int cnt = 1;
  for (const char *p = s; *p; p++)
    cnt += *p == '\n';
  char **v = calloc((size_t)cnt, sizeof(char *));
  if (!v) return 1;
  int i = 0;
  for (const char *p = s;; i++) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    if (!(v[i] = malloc(len + 1))) {
      for (int j = 0; j < i; j++)
        free(v[j]);
      free(v);
      return 1;
    }
    memcpy(v[i], p, len);
    v[i][len] = '\0';
    if (!nl) break;
    p = nl + 1;
  }
  *out = v;
  *n = i + 1;
  return 0;
}

/* The grid from /sweep/grid (keys and counts) and the per-point arrays: the values of axis a
 * are those of the points whose other indices are 0, at index i * stride(a). */
static int read_grid(h5read *r, long np, sw_grid *g) {
  long naxes;
  if (h5read_attr_long(r, "/sweep/grid", "naxes", &naxes) || naxes < 1 || naxes > 64) return 1;
  if (!(g->axes = calloc((size_t)naxes, sizeof(sw_axis)))) return 1;
  g->naxes = (int)naxes;
  long stride = np;
  for (int a = 0; a < g->naxes; a++) {
    sw_axis *ax = &g->axes[a];
    char name[32], path[600];
    long n;
    snprintf(name, sizeof(name), "key%d", a);
    if (h5read_attr_string(r, "/sweep/grid", name, &ax->key)) return 1;
    snprintf(name, sizeof(name), "n%d", a);
    if (h5read_attr_long(r, "/sweep/grid", name, &n) || n < 1 || stride % n) return 1;
    snprintf(name, sizeof(name), "spec%d", a);
    if (h5read_attr_string(r, "/sweep/grid", name, &ax->spec)) return 1;
    if (!(ax->origin = strdup("file"))) return 1;
    ax->n = (int)n;
    stride /= n;
    char **text = calloc((size_t)np, sizeof(char *));
    double *si = malloc(sizeof(double) * (size_t)np);
    ax->text = calloc((size_t)n, sizeof(char *));
    ax->si = malloc(sizeof(double) * (size_t)n);
    int rc = !text || !si || !ax->text || !ax->si;
    snprintf(path, sizeof(path), "/sweep/varied_text/%s", ax->key);
    rc = rc || h5read_strings(r, path, text, (size_t)np);
    snprintf(path, sizeof(path), "/sweep/varied/%s", ax->key);
    ax->numeric = h5read_exists(r, path);
    if (!rc && ax->numeric) {
      char *u = NULL;
      rc = h5read_doubles(r, path, si, (size_t)np) || h5read_units(r, path, &u);
      if (u) snprintf(ax->units, sizeof(ax->units), "%s", u);
      free(u);
    }
    for (long i = 0; !rc && i < n; i++) {
      ax->si[i] = ax->numeric ? si[i * stride] : NAN;
      rc = !(ax->text[i] = strdup(text[i * stride]));
    }
    if (text) h5read_free_strings(text, (size_t)np);
    free(si);
    if (rc) return 1;
  }
  return stride != 1 || sw_grid_finish(g);
}

static int read_results(h5read *r, sw_file *f, qs_err *err) {
  const long np = f->grid.npoints;
  const size_t n = (size_t)np;
  long *status = malloc(sizeof(long) * n), *ints[4] = {NULL, NULL, NULL, NULL};
  double *figs = malloc(sizeof(double) * n * SW_NFIG), *wall = malloc(sizeof(double) * n);
  double *layers = malloc(sizeof(double) * n * SW_NLQ * (size_t)(f->id.nlayers + 1));
  char **reason = calloc(n, sizeof(char *));
  static const char *const int_names[4] = {"n_bias", "n_converged", "newton_iterations", "rank"};
  int rc = !status || !figs || !wall || !layers || !reason;
  for (int q = 0; q < 4; q++)
    rc = rc || !(ints[q] = malloc(sizeof(long) * n));
  rc = rc || h5read_longs(r, "/sweep/status", status, n) ||
       h5read_strings(r, "/sweep/reason", reason, n) ||
       h5read_doubles(r, "/sweep/wall_time", wall, n);
  for (int q = 0; !rc && q < SW_NFIG; q++) {
    char p[128];
    snprintf(p, sizeof(p), "/sweep/%s", sw_figs[q].name);
    rc = h5read_doubles(r, p, figs + (size_t)q * n, n);
  }
  for (int q = 0; !rc && q < 4; q++) {
    char p[128];
    snprintf(p, sizeof(p), "/sweep/%s", int_names[q]);
    rc = h5read_longs(r, p, ints[q], n);
  }
  for (int l = 0; !rc && l < f->id.nlayers; l++)
    for (int q = 0; !rc && q < SW_NLQ; q++) {
      char p[256];
      snprintf(p, sizeof(p), "/sweep/layers/%s/%s", f->id.layers[l], sw_layerq[q].name);
      rc = h5read_doubles(r, p, layers + ((size_t)l * SW_NLQ + (size_t)q) * n, n);
    }
  long ndone = 0;
  for (size_t k = 0; !rc && k < n; k++)
    ndone += status[k] != SW_PENDING;
  if (!rc && !(f->results = calloc((size_t)ndone + 1, sizeof(sw_result)))) rc = 1;
  for (size_t k = 0; !rc && k < n; k++) {
    if (status[k] == SW_PENDING) continue;
    sw_result *x = &f->results[f->nresults++];
    const int nb = (int)ints[0][k];
    x->index = (long)k;
    x->status = (int)status[k];
    x->n_converged = (int)ints[1][k];
    x->newton_iterations = (int)ints[2][k];
    x->rank = (int)ints[3][k];
    x->wall_time = wall[k];
    for (int q = 0; q < SW_NFIG; q++)
      x->fig[q] = figs[(size_t)q * n + k];
    if (!(x->reason = strdup(reason[k])) || nb < 0 ||
        sw_result_alloc(x, nb, nb > 0 ? f->id.nlayers : 0)) {
      rc = 1;
      break;
    }
    for (int l = 0; l < x->nlayers; l++)
      for (int q = 0; q < SW_NLQ; q++)
        x->layer[l * SW_NLQ + q] = layers[((size_t)l * SW_NLQ + (size_t)q) * n + k];
    if (nb == 0) continue;
    char g[64], p[128];
    snprintf(g, sizeof(g), "/sweep/points/%06zu", k);
    for (int q = 0; !rc && q < SW_NCURVE; q++) {
      snprintf(p, sizeof(p), "%s/%s", g, sw_curves[q].name);
      rc = h5read_doubles(r, p, x->curve + (size_t)q * (size_t)nb, (size_t)nb);
    }
    long *tmp = malloc(sizeof(long) * (size_t)nb);
    char **br = calloc((size_t)nb, sizeof(char *));
    snprintf(p, sizeof(p), "%s/converged", g);
    rc = rc || !tmp || !br || h5read_longs(r, p, tmp, (size_t)nb);
    for (int i = 0; !rc && i < nb; i++)
      x->converged[i] = (int)tmp[i];
    snprintf(p, sizeof(p), "%s/newton_iterations", g);
    rc = rc || h5read_longs(r, p, tmp, (size_t)nb);
    for (int i = 0; !rc && i < nb; i++)
      x->iterations[i] = (int)tmp[i];
    snprintf(p, sizeof(p), "%s/reason", g);
    rc = rc || h5read_strings(r, p, br, (size_t)nb);
    for (int i = 0; !rc && i < nb; i++)
      snprintf(x->breason + (size_t)i * SW_REASON, SW_REASON, "%s", br[i]);
    if (br) h5read_free_strings(br, (size_t)nb);
    free(tmp);
  }
  if (rc) qs_fail(err, QS_ERR_FILE, "%s", h5read_error(r)[0] ? h5read_error(r) : "read failed");
  free(status);
  free(figs);
  free(wall);
  free(layers);
  if (reason) h5read_free_strings(reason, n);
  for (int q = 0; q < 4; q++)
    free(ints[q]);
  return rc;
}

int sw_file_read(const char *path, int with_results, sw_file *f, qs_err *err) {
  memset(f, 0, sizeof(*f));
  h5read *r;
  int rc = h5read_open(path, &r, err);
  if (rc) return rc;
  long complete = 0, np = 0, ci = 0, cn = 1;
  char *layers = NULL, *vary = NULL;
  if (!(f->path = strdup(path)) || h5read_attr_string(r, "/", "config", &f->id.config) ||
      h5read_attr_long(r, "/", "complete", &complete) ||
      h5read_attr_string(r, "/", "vary", &vary) ||
      h5read_attr_long(r, "/sweep", "points", &np) ||
      h5read_attr_long(r, "/sweep", "chunk_index", &ci) ||
      h5read_attr_long(r, "/sweep", "chunk_count", &cn) ||
      h5read_attr_string(r, "/sweep", "petsc_options", &f->id.petsc_options) ||
      h5read_attr_string(r, "/sweep", "layers", &layers)) {
    rc = qs_fail(err, QS_ERR_FILE, "%s (not a qledsim sweep file?)", h5read_error(r));
  } else if (h5read_attr_string(r, "/", "config_file", &f->id.config_file),
             np < 1 || cn < 1 || ci < 0 || ci >= cn) {
    rc = qs_fail(err, QS_ERR_FILE, "%s: inconsistent /sweep attributes", path);
  } else if (split_lines(layers, &f->id.layers, &f->id.nlayers)) {
    rc = qs_fail(err, QS_ERR_OTHER, "out of memory");
  } else if (read_grid(r, np, &f->grid) || f->grid.npoints != np ||
             strcmp(f->grid.canonical, vary) != 0) {
    rc = qs_fail(err, QS_ERR_FILE, "%s: the grid (/sweep/grid, /sweep/varied_text) is "
                 "inconsistent with the root attribute 'vary'%s%s", path,
                 h5read_error(r)[0] ? ": " : "", h5read_error(r));
  } else {
    f->complete = complete == 1;
    f->id.chunk_i = (int)ci;
    f->id.chunk_n = (int)cn;
    if (with_results) rc = read_results(r, f, err);
  }
  free(layers);
  free(vary);
  h5read_close(r);
  if (rc) sw_file_free(f);
  return rc;
}

/* Line number (1-based) and the two lines where texts a and b first differ. */
static void first_difference(const char *a, const char *b, int *line, char *la, char *lb,
                             size_t len) {
  *line = 1;
  const char *sa = a, *sb = b;
  while (*a && *a == *b) {
    if (*a == '\n') {
      (*line)++;
      sa = a + 1;
      sb = b + 1;
    }
    a++;
    b++;
  }
  const char *ea = strchr(sa, '\n'), *eb = strchr(sb, '\n');
  snprintf(la, len, "%.*s", (int)(ea ? ea - sa : (long)strlen(sa)), sa);
  snprintf(lb, len, "%.*s", (int)(eb ? eb - sb : (long)strlen(sb)), sb);
}

static void describe_axis(const sw_axis *ax, char *buf, size_t len) {
  if (ax->n == 1) snprintf(buf, len, "1 value (%s)", ax->text[0]);
  else snprintf(buf, len, "%d values (%s ... %s)", ax->n, ax->text[0], ax->text[ax->n - 1]);
}

int sw_same_sweep(const sw_ident *a, const sw_grid *ga, const sw_ident *b, const sw_grid *gb,
                  const char *wa, const char *wb, int compare_chunk, qs_err *err) {
  const char *ca = config_body(a->config), *cb = config_body(b->config);
  if (strcmp(ca, cb) != 0) {
    int line;
    char la[200], lb[200];
    first_difference(ca, cb, &line, la, lb, sizeof(la));
    return qs_fail(err, QS_ERR_RANGE,
                   "%s and %s are different sweeps: the base config differs (resolved config "
                   "line %d: %s has '%s', %s has '%s')",
                   wa, wb, line + 1, wa, la, wb, lb);
  }
  int same_keys = ga->naxes == gb->naxes;
  for (int i = 0; same_keys && i < ga->naxes; i++)
    same_keys = !strcmp(ga->axes[i].key, gb->axes[i].key);
  if (!same_keys) {
    char ka[600] = "", kb[600] = "";
    for (int i = 0; i < ga->naxes; i++)
      snprintf(ka + strlen(ka), sizeof(ka) - strlen(ka), "%s%s", i ? ", " : "", ga->axes[i].key);
    for (int i = 0; i < gb->naxes; i++)
      snprintf(kb + strlen(kb), sizeof(kb) - strlen(kb), "%s%s", i ? ", " : "", gb->axes[i].key);
    return qs_fail(err, QS_ERR_RANGE,
                   "%s and %s are different sweeps: the varied keys differ (%s varies %s; %s "
                   "varies %s)",
                   wa, wb, wa, ka, wb, kb);
  }
  for (int i = 0; i < ga->naxes; i++) {
    const sw_axis *x = &ga->axes[i], *y = &gb->axes[i];
    int same = x->n == y->n;
    for (int j = 0; same && j < x->n; j++)
      same = !strcmp(x->text[j], y->text[j]);
    if (!same) {
      char da[300], db[300];
      describe_axis(x, da, sizeof(da));
      describe_axis(y, db, sizeof(db));
      return qs_fail(err, QS_ERR_RANGE,
                     "%s and %s are different sweeps: the values of %s differ (%s has %s; %s has "
                     "%s)",
                     wa, wb, x->key, wa, da, wb, db);
    }
  }
  const char *pa = a->petsc_options ? a->petsc_options : "",
             *pb = b->petsc_options ? b->petsc_options : "";
  if (strcmp(pa, pb) != 0)
    return qs_fail(err, QS_ERR_RANGE,
                   "%s and %s are different sweeps: the command-line PETSc options differ (%s: "
                   "'%s'; %s: '%s')",
                   wa, wb, wa, pa, wb, pb);
  if (compare_chunk && (a->chunk_i != b->chunk_i || a->chunk_n != b->chunk_n)) {
    char xa[64] = "the whole sweep", xb[64] = "the whole sweep";
    if (a->chunk_n > 1) snprintf(xa, sizeof(xa), "chunk %d/%d", a->chunk_i, a->chunk_n);
    if (b->chunk_n > 1) snprintf(xb, sizeof(xb), "chunk %d/%d", b->chunk_i, b->chunk_n);
    return qs_fail(err, QS_ERR_RANGE, "%s and %s are different sweeps: %s holds %s, %s %s", wa,
                   wb, wa, xa, wb, xb);
  }
  return 0;
}

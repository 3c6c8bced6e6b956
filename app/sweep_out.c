/* The HDF5 file of a sweep (one writer: rank 0's main thread). Rows are preallocated for every
 * point of the grid (status 0 = pending) and filled in point-index order whatever the order of
 * completion; each finished point also gets its J-V under /sweep/points/NNNNNN. The file is
 * checkpointed with h5out (complete = 0 until the end). */
#include "app/output.h"
#include "app/sweep.h"
#include "app/version.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int fail(sw_out *o, const char *what) {
  return qs_fail(&o->err, QS_ERR_FILE, "%s: cannot write %s", h5out_path(o->h5), what);
}

/* "a\nb\nc" from n strings. malloc'd. */
static char *join(char *const *s, int n, const char *sep) {
  size_t len = 1;
  for (int i = 0; i < n; i++)
    len += strlen(s[i]) + strlen(sep);
  char *out = malloc(len);
  if (!out) return NULL;
  out[0] = '\0';
  for (int i = 0; i < n; i++) {
    if (i) strcat(out, sep);
    strcat(out, s[i]);
  }
  return out;
}

static int preallocate(sw_out *o) {
  const size_t np = (size_t)o->g->npoints;
  double *nan = malloc(sizeof(double) * (np ? np : 1));
  int *zero = calloc(np ? np : 1, sizeof(int));
  int *minus = malloc(sizeof(int) * (np ? np : 1));
  int rc = !nan || !zero || !minus;
  for (size_t i = 0; !rc && i < np; i++) {
    nan[i] = NAN;
    minus[i] = -1;
  }
  h5out *h = o->h5;
  rc = rc || h5out_write_ints(h, "/sweep/status", zero, np, "1") ||
       h5out_write_strings(h, "/sweep/reason", NULL, np);
  for (int q = 0; !rc && q < SW_NFIG; q++) {
    char p[128];
    snprintf(p, sizeof(p), "/sweep/%s", sw_figs[q].name);
    rc = h5out_write_doubles(h, p, nan, np, sw_figs[q].units);
  }
  rc = rc || h5out_write_ints(h, "/sweep/n_bias", zero, np, "1") ||
       h5out_write_ints(h, "/sweep/n_converged", zero, np, "1") ||
       h5out_write_ints(h, "/sweep/newton_iterations", zero, np, "1") ||
       h5out_write_doubles(h, "/sweep/wall_time", nan, np, "s") ||
       h5out_write_ints(h, "/sweep/rank", minus, np, "1");
  for (int l = 0; !rc && l < o->id->nlayers; l++)
    for (int q = 0; !rc && q < SW_NLQ; q++) {
      char p[256];
      snprintf(p, sizeof(p), "/sweep/layers/%s/%s", o->id->layers[l], sw_layerq[q].name);
      rc = h5out_write_doubles(h, p, nan, np, sw_layerq[q].units);
    }
  free(nan);
  free(zero);
  free(minus);
  return rc;
}

/* /sweep/grid, /sweep/varied, /sweep/varied_text, /sweep/axis_index. */
static int write_grid(sw_out *o) {
  const sw_grid *g = o->g;
  const size_t np = (size_t)g->npoints;
  h5out *h = o->h5;
  char **keys = malloc(sizeof(char *) * (size_t)g->naxes);
  const char **text = malloc(sizeof(char *) * (np ? np : 1));
  double *si = malloc(sizeof(double) * (np ? np : 1));
  int *ix = malloc(sizeof(int) * (np ? np : 1)), idx[64];
  int rc = !keys || !text || !si || !ix;
  for (int a = 0; !rc && a < g->naxes; a++)
    keys[a] = g->axes[a].key;
  char *kl = rc ? NULL : join(keys, g->naxes, "\n");
  rc = rc || !kl || h5out_attr_int(h, "/sweep/grid", "naxes", g->naxes) ||
       h5out_attr_string(h, "/sweep/grid", "keys", kl) ||
       h5out_attr_string(h, "/sweep/grid", "order",
                         "point k = sum over axes of index * stride; the last key varies fastest");
  free(kl);
  for (int a = 0; !rc && a < g->naxes; a++) {
    const sw_axis *ax = &g->axes[a];
    char name[32], p[600];
    snprintf(name, sizeof(name), "key%d", a);
    rc = h5out_attr_string(h, "/sweep/grid", name, ax->key);
    snprintf(name, sizeof(name), "n%d", a);
    rc = rc || h5out_attr_int(h, "/sweep/grid", name, ax->n);
    snprintf(name, sizeof(name), "spec%d", a);
    rc = rc || h5out_attr_string(h, "/sweep/grid", name, ax->spec);
    for (size_t k = 0; !rc && k < np; k++) {
      sw_grid_index(g, (long)k, idx);
      text[k] = ax->text[idx[a]];
      si[k] = ax->si ? ax->si[idx[a]] : NAN;
      ix[k] = idx[a];
    }
    snprintf(p, sizeof(p), "/sweep/varied_text/%s", ax->key);
    rc = rc || h5out_write_strings(h, p, text, np);
    snprintf(p, sizeof(p), "/sweep/axis_index/%s", ax->key);
    rc = rc || h5out_write_ints(h, p, ix, np, "1");
    snprintf(p, sizeof(p), "/sweep/varied/%s", ax->key);
    if (ax->numeric) rc = rc || h5out_write_doubles(h, p, si, np, ax->units);
  }
  free(keys);
  free(text);
  free(si);
  free(ix);
  return rc;
}

static int write_counts(sw_out *o) {
  h5out *h = o->h5;
  return h5out_attr_int(h, "/sweep", "done", o->ndone) ||
         h5out_attr_int(h, "/sweep", "failed", o->nfailed) ||
         h5out_attr_int(h, "/sweep", "unconverged", o->nunconverged);
}

int sw_out_begin(sw_out *o, const char *path, int force, const sw_grid *g, const sw_ident *id,
                 const char *command_line, const char *vary_spec, const char *merged_from) {
  memset(o, 0, sizeof(*o));
  o->g = g;
  o->id = id;
  if (!(o->have = calloc((size_t)g->npoints + 1, 1)))
    return qs_fail(&o->err, QS_ERR_OTHER, "out of memory");
  for (long k = 0; k < g->npoints; k++)
    o->nchunk += sw_in_chunk(id, k);
  if (h5out_open(path, force, &o->h5, &o->err)) {
    free(o->have);
    o->have = NULL;
    return o->err.cls;
  }
  char created[64], chunk[64] = "";
  time_t now = time(NULL);
  strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  if (id->chunk_n > 1) snprintf(chunk, sizeof(chunk), "%d/%d", id->chunk_i, id->chunk_n);
  char *layers = join(id->layers, id->nlayers, "\n");
  h5out *h = o->h5;
  int rc = !layers || h5out_attr_string(h, "/", "qledsim_version", QLEDSIM_VERSION) ||
           h5out_attr_string(h, "/", "git_commit", qledsim_git_commit) ||
           h5out_attr_string(h, "/", "config", id->config) ||
           h5out_attr_string(h, "/", "config_file", id->config_file ? id->config_file : "") ||
           h5out_attr_string(h, "/", "command_line", command_line) ||
           h5out_attr_string(h, "/", "created", created) ||
           h5out_attr_string(h, "/", "vary", g->canonical) ||
           (merged_from && h5out_attr_string(h, "/", "merged_from", merged_from)) ||
           h5out_attr_int(h, "/sweep", "points", g->npoints) ||
           h5out_attr_string(h, "/sweep", "chunk", chunk) ||
           h5out_attr_int(h, "/sweep", "chunk_index", id->chunk_n > 1 ? id->chunk_i : 0) ||
           h5out_attr_int(h, "/sweep", "chunk_count", id->chunk_n > 1 ? id->chunk_n : 1) ||
           h5out_attr_int(h, "/sweep", "chunk_points", o->nchunk) ||
           h5out_attr_string(h, "/sweep", "chunk_rule", "point k belongs to chunk k mod count") ||
           h5out_attr_string(h, "/sweep", "petsc_options",
                             id->petsc_options ? id->petsc_options : "") ||
           h5out_attr_string(h, "/sweep", "layers", layers) ||
           h5out_attr_string(h, "/sweep", "vary_spec", vary_spec ? vary_spec : "") ||
           h5out_attr_double(h, "/sweep", "V_ref", SW_V_REF, "V") ||
           h5out_attr_string(h, "/sweep", "status_codes",
                             "0 pending, 1 done, 2 done with some bias points not converged, "
                             "-1 failed (invalid config or solver error; see reason)") ||
           write_counts(o) || write_grid(o) || preallocate(o);
  free(layers);
  if (rc) {
    fail(o, "the sweep layout");
    sw_out_abandon(o);
    return QS_ERR_FILE;
  }
  o->last_ckpt_time = output_now();
  o->last_ckpt_cost = 0.0;
  return 0;
}

static int put_points(sw_out *o, const sw_result *r) {
  char g[64], p[128];
  snprintf(g, sizeof(g), "/sweep/points/%06ld", r->index);
  const size_t n = (size_t)r->n_bias;
  h5out *h = o->h5;
  for (int q = 0; q < SW_NCURVE; q++) {
    snprintf(p, sizeof(p), "%s/%s", g, sw_curves[q].name);
    if (h5out_write_doubles(h, p, r->curve + (size_t)q * n, n, sw_curves[q].units)) return 1;
  }
  const char **reasons = malloc(sizeof(char *) * (n ? n : 1));
  if (!reasons) return 1;
  for (size_t i = 0; i < n; i++)
    reasons[i] = r->breason + i * SW_REASON;
  snprintf(p, sizeof(p), "%s/reason", g);
  int rc = h5out_write_strings(h, p, reasons, n);
  free(reasons);
  snprintf(p, sizeof(p), "%s/converged", g);
  rc = rc || h5out_write_ints(h, p, r->converged, n, "1");
  snprintf(p, sizeof(p), "%s/newton_iterations", g);
  return rc || h5out_write_ints(h, p, r->iterations, n, "1");
}

int sw_out_put(sw_out *o, const sw_result *r) {
  if (r->index < 0 || r->index >= o->g->npoints)
    return qs_fail(&o->err, QS_ERR_OTHER, "internal error: point %ld outside the grid", r->index);
  if (o->have[r->index]) return 0;
  h5out *h = o->h5;
  const size_t k = (size_t)r->index;
  int rc = h5out_set_int(h, "/sweep/status", k, r->status) ||
           h5out_set_string(h, "/sweep/reason", k, r->reason ? r->reason : "");
  for (int q = 0; !rc && q < SW_NFIG; q++) {
    char p[128];
    snprintf(p, sizeof(p), "/sweep/%s", sw_figs[q].name);
    rc = h5out_set_double(h, p, k, r->fig[q]);
  }
  rc = rc || h5out_set_int(h, "/sweep/n_bias", k, r->n_bias) ||
       h5out_set_int(h, "/sweep/n_converged", k, r->n_converged) ||
       h5out_set_int(h, "/sweep/newton_iterations", k, r->newton_iterations) ||
       h5out_set_double(h, "/sweep/wall_time", k, r->wall_time) ||
       h5out_set_int(h, "/sweep/rank", k, r->rank);
  for (int l = 0; !rc && l < o->id->nlayers && l < r->nlayers; l++)
    for (int q = 0; !rc && q < SW_NLQ; q++) {
      char p[256];
      snprintf(p, sizeof(p), "/sweep/layers/%s/%s", o->id->layers[l], sw_layerq[q].name);
      rc = h5out_set_double(h, p, k, r->layer[(size_t)l * SW_NLQ + q]);
    }
  if (!rc && r->n_bias > 0) rc = put_points(o, r);
  if (rc) return fail(o, "a sweep point");
  o->have[k] = 1;
  o->dirty = 1;
  o->ndone++;
  o->nfailed += r->status == SW_FAILED;
  o->nunconverged += r->status == SW_UNCONVERGED;
  return 0;
}

/* As `run`: checkpoint when the time since the last one is at least 10x what one costs (output
 * stays below ~10% of the time), but at least every 5 s while a checkpoint costs under 1 s. */
int sw_out_checkpoint(sw_out *o, int now_flag) {
  const double now = output_now();
  double interval = 10.0 * o->last_ckpt_cost;
  if (interval > 5.0 && o->last_ckpt_cost < 1.0) interval = 5.0;
  if (!now_flag && (!o->dirty || now - o->last_ckpt_time < interval)) return 0;
  if (write_counts(o)) return fail(o, "/sweep attributes");
  if (h5out_checkpoint(o->h5, &o->err)) return o->err.cls;
  const double after = output_now();
  o->dirty = 0;
  o->last_ckpt_cost = after - now;
  o->last_ckpt_time = after;
  return 0;
}

int sw_out_finish(sw_out *o) {
  long in_chunk_done = 0;
  for (long k = 0; k < o->g->npoints; k++)
    in_chunk_done += o->have[k] && sw_in_chunk(o->id, k);
  int rc = 0;
  if (write_counts(o)) {
    rc = fail(o, "/sweep attributes");
  } else if (in_chunk_done == o->nchunk) {
    h5out *h = o->h5;
    o->h5 = NULL;
    rc = h5out_finish(h, &o->err);
  } else {
    rc = h5out_checkpoint(o->h5, &o->err);
  }
  sw_out_abandon(o);
  return rc;
}

void sw_out_abandon(sw_out *o) {
  if (o->h5) h5out_abandon(o->h5);
  o->h5 = NULL;
  free(o->have);
  o->have = NULL;
}

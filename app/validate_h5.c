/* The HDF5 file of `qledsim validate` (written through io/h5out: in memory, checkpointed by
 * "temporary file + rename", complete = 1 only at the end):
 *   /                         qledsim_version, git_commit, created, command_line,
 *                             validation_file, default_fraction, assumption_rule
 *   /validation/<column>      one row per selected entry, in file order (preallocated: status
 *                             "not run" until the entry is done), e.g. id, htl, colour, status,
 *                             reported/eqe, predicted/eqe, assumed, reason
 *   /validation/curves/<id>/  V, J, L, EQE, gamma, CE, PE, converged (attribute config: the
 *                             resolved device YAML)
 *   /validation/summary       attributes: mae_eqe, rho_eqe, n_eqe (and ce, pe), entry counts
 *   /validation/facts/<col>   one row per fact: id, kind, quantity, verdict, detail, predicted,
 *                             reported, units
 *   /validation/facts/reference/<fact id>/  curve of a ratio fact's reference device (the
 *                             entry with the host alone), attributes what, EQE_max, V_on
 * Every dataset has a units attribute. */
#include "app/validate.h"
#include "app/version.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Text columns of the entry rows: name and accessor. */
typedef const char *(*text_of_entry)(const vd_entry *e);
static const char *c_id(const vd_entry *e) { return e->id; }
static const char *c_htl(const vd_entry *e) { return e->htl; }
static const char *c_colour(const vd_entry *e) { return e->colour; }
static const char *c_colour_status(const vd_entry *e) { return e->colour_status; }
static const char *c_status(const vd_entry *e) { return vd_status_name(e->run.status); }
static const char *c_reason(const vd_entry *e) { return e->run.reason; }
static const char *c_assumed(const vd_entry *e) { return e->assumed; }
static const char *c_reference(const vd_entry *e) { return e->reference; }
static const char *c_fraction_kind(const vd_entry *e) { return e->fraction_kind; }
static const char *c_fraction_status(const vd_entry *e) { return e->fraction_status; }
static const char *c_model(const vd_entry *e) { return e->model; }
static const char *c_model_rule(const vd_entry *e) { return e->model_rule; }
static const char *c_levels(const vd_entry *e) { return e->levels; }
static const char *c_levels_status(const vd_entry *e) { return e->levels_status; }
static const char *c_levels_check(const vd_entry *e) { return e->levels_check; }

static const struct {
  const char *name;
  text_of_entry get;
} TEXT[] = {{"id", c_id},
            {"htl", c_htl},
            {"colour", c_colour},
            {"colour_status", c_colour_status},
            {"status", c_status},
            {"reason", c_reason},
            {"assumed", c_assumed},
            {"reference", c_reference},
            {"fraction_kind", c_fraction_kind},
            {"fraction_status", c_fraction_status},
            {"blend_model", c_model},
            {"blend_model_rule", c_model_rule},
            {"levels", c_levels},
            {"levels_status", c_levels_status},
            {"levels_check", c_levels_check}};
#define NTEXT (sizeof(TEXT) / sizeof(TEXT[0]))

/* Number columns (SI, as in the run). */
static const struct {
  const char *name, *units;
} NUM[] = {{"fraction", "1"},        {"gamma_at_eqe_max", "1"}, {"v_at_eqe_max", "V"},
           {"l_max", "cd/m^2"},      {"gamma_max", "1"},        {"mu_n", "m^2/(V s)"},
           {"wall_time", "s"}};
#define NNUM (sizeof(NUM) / sizeof(NUM[0]))

static double num_of(const vd_entry *e, size_t k) {
  const vd_run *r = &e->run;
  const double v[NNUM] = {e->fraction, r->gamma_at_eqe_max, r->v_at_eqe_max, r->l_max,
                          r->gamma_max, r->mu_n, r->wall_time};
  return v[k];
}

/* The row of entry e: its position among the selected entries. */
static size_t row_of(const vd_file *vf, const vd_entry *e) {
  size_t k = 0;
  for (int i = 0; i < vf->n && &vf->e[i] != e; i++)
    k += vf->e[i].selected != 0;
  return k;
}

static void timestamp(char *buf, size_t len) {
  time_t now = time(NULL);
  strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
}

int vd_h5_begin(h5out *h, const vd_file *vf, const char *command_line) {
  char created[64], frac[64];
  timestamp(created, sizeof(created));
  snprintf(frac, sizeof(frac), "%g", VD_DEFAULT_FRACTION);
  size_t n = 0;
  for (int i = 0; i < vf->n; i++)
    n += vf->e[i].selected != 0;
  int rc = h5out_attr_string(h, "/", "qledsim_version", QLEDSIM_VERSION) ||
           h5out_attr_string(h, "/", "git_commit", qledsim_git_commit) ||
           h5out_attr_string(h, "/", "created", created) ||
           h5out_attr_string(h, "/", "command_line", command_line) ||
           h5out_attr_string(h, "/", "validation_file", vf->path) ||
           h5out_attr_double(h, "/", "default_fraction", VD_DEFAULT_FRACTION, "1 (weight fraction)") ||
           h5out_attr_string(h, "/", "assumption_rule",
                             "values a source does not report are filled by one documented rule "
                             "for every entry (cross-linker fraction, levels of the host, the "
                             "colour's default stack) and listed in /validation/assumed");
  const char **empty = calloc(n ? n : 1, sizeof(char *));
  double *nan = malloc(sizeof(double) * (n ? n : 1));
  rc = rc || !empty || !nan;
  for (size_t i = 0; !rc && i < n; i++)
    nan[i] = NAN;
  for (size_t k = 0; !rc && k < NTEXT; k++) {
    char p[128];
    snprintf(p, sizeof(p), "/validation/%s", TEXT[k].name);
    rc = h5out_write_strings(h, p, empty, n);
  }
  for (size_t k = 0; !rc && k < NNUM; k++) {
    char p[128];
    snprintf(p, sizeof(p), "/validation/%s", NUM[k].name);
    rc = h5out_write_doubles(h, p, nan, n, NUM[k].units);
  }
  for (int q = 0; !rc && q < VQ_COUNT; q++) {
    char p[128];
    snprintf(p, sizeof(p), "/validation/reported/%s", q == VQ_V_ON ? "v_on_min" : vd_qname(q));
    rc = h5out_write_doubles(h, p, nan, n, vd_qunits(q));
    snprintf(p, sizeof(p), "/validation/predicted/%s", vd_qname(q));
    rc = rc || h5out_write_doubles(h, p, nan, n, vd_qunits(q));
  }
  int *rows = calloc(n ? n : 1, sizeof(int));
  for (int i = 0, k = 0; rows && i < vf->n; i++)
    if (vf->e[i].selected) rows[k++] = vf->e[i].table1_row;
  rc = rc || !rows || h5out_write_ints(h, "/validation/table1_row", rows, n, "1");
  /* the ids are known now: a killed run still says which entries it was running */
  for (int i = 0, k = 0; !rc && i < vf->n; i++)
    if (vf->e[i].selected) rc = h5out_set_string(h, "/validation/id", (size_t)k++, vf->e[i].id);
  rc = rc || h5out_attr_string(h, "/validation", "rows", "one per selected entry, in file order; "
                                                        "status 'not run' until it is done");
  free(rows);
  free(empty);
  free(nan);
  return rc;
}

static int put_curve(h5out *h, const char *g, const vd_run *r) {
  const struct {
    const char *name;
    const double *v;
    const char *units;
  } c[] = {{"V", r->V, "V"},         {"J", r->J, "A/m^2"}, {"L", r->L, "cd/m^2"},
           {"EQE", r->EQE, "1"},     {"gamma", r->gamma, "1"}, {"CE", r->CE, "cd/A"},
           {"PE", r->PE, "lm/W"}};
  char p[320];
  for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
    snprintf(p, sizeof(p), "%s/%s", g, c[k].name);
    if (h5out_write_doubles(h, p, c[k].v, (size_t)r->n, c[k].units)) return 1;
  }
  snprintf(p, sizeof(p), "%s/converged", g);
  return h5out_write_ints(h, p, r->converged, (size_t)r->n, "1") ||
         h5out_attr_string(h, g, "config", r->config ? r->config : "") ||
         h5out_attr_string(h, g, "status", vd_status_name(r->status));
}

int vd_h5_entry(h5out *h, const vd_file *vf, const vd_entry *e) {
  const size_t k = row_of(vf, e);
  int rc = 0;
  for (size_t c = 0; !rc && c < NTEXT; c++) {
    char p[128];
    snprintf(p, sizeof(p), "/validation/%s", TEXT[c].name);
    const char *v = TEXT[c].get(e);
    rc = h5out_set_string(h, p, k, v ? v : "");
  }
  for (size_t c = 0; !rc && c < NNUM; c++) {
    char p[128];
    snprintf(p, sizeof(p), "/validation/%s", NUM[c].name);
    rc = h5out_set_double(h, p, k, num_of(e, c));
  }
  for (int q = 0; !rc && q < VQ_COUNT; q++) {
    char p[128];
    snprintf(p, sizeof(p), "/validation/reported/%s", q == VQ_V_ON ? "v_on_min" : vd_qname(q));
    rc = h5out_set_double(h, p, k, e->rep[q]);
    snprintf(p, sizeof(p), "/validation/predicted/%s", vd_qname(q));
    rc = rc || h5out_set_double(h, p, k, e->run.pred[q]);
  }
  char g[256];
  snprintf(g, sizeof(g), "/validation/curves/%s", e->id);
  if (!rc && e->run.n > 0 && e->run.V) rc = put_curve(h, g, &e->run);
  return rc;
}

static int put_summary(h5out *h, const vd_summary *s) {
  static const char *const fig[3] = {"eqe", "ce", "pe"};
  static const char *const unit[3] = {"percentage points", "cd/A", "lm/W"};
  const char *g = "/validation/summary";
  int rc = 0;
  for (int k = 0; !rc && k < 3; k++) {
    char name[32];
    snprintf(name, sizeof(name), "mae_%s", fig[k]);
    rc = h5out_attr_double(h, g, name, s->mae[k], unit[k]);
    snprintf(name, sizeof(name), "rho_%s", fig[k]);
    rc = rc || h5out_attr_double(h, g, name, s->rho[k], "1");
    snprintf(name, sizeof(name), "n_%s", fig[k]);
    rc = rc || h5out_attr_int(h, g, name, s->n[k]);
  }
  return rc || h5out_attr_int(h, g, "entries", s->n_entries) ||
         h5out_attr_int(h, g, "ok", s->n_ok) ||
         h5out_attr_int(h, g, "unconverged", s->n_unconverged) ||
         h5out_attr_int(h, g, "failed", s->n_failed) ||
         h5out_attr_double(h, g, "wall_time", s->wall_time, "s") ||
         h5out_attr_string(h, g, "statistics",
                           "mean absolute error and Spearman rank correlation (average ranks for "
                           "ties; values within 1e-6 relative count as tied) over the entries "
                           "with both a reported and a predicted value");
}

/* Unit of a fact's predicted/reported numbers: a ratio is "1"; order (the difference), bound,
 * values (the mean absolute error) and info are in the quantity's unit. */
static const char *fact_units(const vd_fact *f) {
  const int q = vd_qparse(f->quantity);
  if (!strcmp(f->kind, "ratio")) return "1";
  return q >= 0 ? vd_qunits((vd_quantity)q) : "";
}

static int put_facts(h5out *h, const vd_file *vf) {
  const size_t n = (size_t)vf->nfacts;
  if (!n) return 0;
  const char **s = malloc(sizeof(char *) * n);
  double *a = malloc(sizeof(double) * n), *b = malloc(sizeof(double) * n);
  int rc = !s || !a || !b;
  static const char *const col[] = {"id", "kind", "quantity", "verdict", "detail", "check"};
  for (size_t c = 0; !rc && c < sizeof(col) / sizeof(col[0]); c++) {
    for (size_t i = 0; i < n; i++) {
      const vd_fact *f = &vf->f[i];
      const char *v[] = {f->id, f->kind, f->quantity, f->verdict, f->detail, f->check};
      s[i] = v[c] ? v[c] : "";
    }
    char p[128];
    snprintf(p, sizeof(p), "/validation/facts/%s", col[c]);
    rc = h5out_write_strings(h, p, s, n);
  }
  for (size_t i = 0; !rc && i < n; i++) {
    a[i] = vf->f[i].predicted;
    b[i] = vf->f[i].reported;
  }
  for (size_t i = 0; !rc && i < n; i++)
    s[i] = fact_units(&vf->f[i]);
  rc = rc || h5out_write_strings(h, "/validation/facts/units", s, n) ||
       h5out_write_doubles(h, "/validation/facts/predicted", a, n, "see /validation/facts/units") ||
       h5out_write_doubles(h, "/validation/facts/reported", b, n, "see /validation/facts/units");
  free(s);
  free(a);
  free(b);
  return rc;
}

/* The reference devices of ratio facts (the entry with the host alone), with their figures. */
static int put_references(h5out *h, const vd_file *vf) {
  int rc = 0;
  for (int i = 0; !rc && i < vf->nfacts; i++) {
    const vd_fact *f = &vf->f[i];
    if (f->ref.status == VD_PENDING || f->ref.n <= 0 || !f->ref.V) continue;
    char g[256];
    snprintf(g, sizeof(g), "/validation/facts/reference/%s", f->id);
    rc = put_curve(h, g, &f->ref) ||
         h5out_attr_string(h, g, "what", f->ref_what ? f->ref_what : "") ||
         h5out_attr_double(h, g, "EQE_max", f->ref.pred[VQ_EQE], "1") ||
         h5out_attr_double(h, g, "V_on", f->ref.pred[VQ_V_ON], "V");
  }
  return rc;
}

int vd_h5_finish(h5out *h, const vd_file *vf, const vd_summary *s) {
  return put_summary(h, s) || put_facts(h, vf) || put_references(h, vf);
}

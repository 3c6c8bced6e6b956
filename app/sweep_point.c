/* One sweep point: the config with the point's overrides, the simulation of its bias sweep, the
 * figures of merit and the effective layer parameters; and the record's byte form, used both for
 * MPI messages and for the journal. */
#include "app/output.h"
#include "app/sweep.h"
#include "physics/fom.h"
#include "solver/simulate.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const sw_name sw_figs[SW_NFIG] = {
    {"V_on", "V"},           {"J_at_V_on", "A/m^2"},       {"EQE_max", "1"},
    {"V_at_EQE_max", "V"},   {"J_at_EQE_max", "A/m^2"},    {"L_at_EQE_max", "cd/m^2"},
    {"gamma_at_EQE_max", "1"}, {"gamma_max", "1"},         {"CE_max", "cd/A"},
    {"PE_max", "lm/W"},      {"L_max", "cd/m^2"},          {"J_at_V_ref", "A/m^2"},
    {"L_at_V_ref", "cd/m^2"}, {"EQE_at_1000_cd", "1"},     {"rolloff_1000_cd", "1"},
    {"J_half_EQE", "A/m^2"}};
const sw_name sw_curves[SW_NCURVE] = {{"V", "V"},   {"J", "A/m^2"},    {"J_rad", "A/m^2"},
                                      {"gamma", "1"}, {"EQE", "1"},    {"L", "cd/m^2"},
                                      {"CE", "cd/A"}, {"PE", "lm/W"}};
const sw_name sw_layerq[SW_NLQ] = {
    {"thickness", "m"}, {"homo", "J"}, {"lumo", "J"}, {"mu_n", "m^2/(V s)"}, {"mu_p", "m^2/(V s)"}};

static void figs_from(const fom_summary *s, double *f) {
  const double v[SW_NFIG] = {s->V_on,         s->J_at_V_on,        s->EQE_max,
                             s->V_at_EQE_max, s->J_at_EQE_max,     s->L_at_EQE_max,
                             s->gamma_at_EQE_max, s->gamma_max,   s->CE_max,
                             s->PE_max,       s->L_max,            s->J_at_V_ref,
                             s->L_at_V_ref,   s->EQE_at_1000,      s->rolloff_1000,
                             s->J_half};
  memcpy(f, v, sizeof(v));
}

int sw_result_alloc(sw_result *r, int n_bias, int nlayers) {
  r->n_bias = n_bias;
  r->nlayers = nlayers;
  r->layer = calloc((size_t)nlayers * SW_NLQ + 1, sizeof(double));
  r->curve = calloc((size_t)n_bias * SW_NCURVE + 1, sizeof(double));
  r->converged = calloc((size_t)n_bias + 1, sizeof(int));
  r->iterations = calloc((size_t)n_bias + 1, sizeof(int));
  r->breason = calloc((size_t)n_bias * SW_REASON + 1, 1);
  return !r->layer || !r->curve || !r->converged || !r->iterations || !r->breason;
}

void sw_result_free(sw_result *r) {
  free(r->reason);
  free(r->layer);
  free(r->curve);
  free(r->converged);
  free(r->iterations);
  free(r->breason);
  memset(r, 0, sizeof(*r));
}

typedef struct {
  sw_result *r;
  sw_tick_fn tick;
  void *tick_user;
  int stopped;
} collect_ctx;

/* sim_point_fn: keep the bias point in the result; let rank 0 do its I/O in between. */
static int collect(void *user, const sim_point *pt, const sim_fields *f) {
  (void)f;
  collect_ctx *c = user;
  sw_result *r = c->r;
  const int i = pt->index, n = r->n_bias;
  if (i >= 0 && i < n) {
    const double v[SW_NCURVE] = {pt->V,       pt->J,      pt->fom.J_rad, pt->fom.gamma,
                                 pt->fom.EQE, pt->fom.L,  pt->fom.CE,    pt->fom.PE};
    for (int q = 0; q < SW_NCURVE; q++)
      r->curve[q * n + i] = v[q];
    r->converged[i] = pt->converged;
    r->iterations[i] = pt->iterations;
    snprintf(r->breason + (size_t)i * SW_REASON, SW_REASON, "%s", pt->reason);
  }
  if (c->tick && c->tick(c->tick_user)) {
    c->stopped = 1;
    return 1;
  }
  return 0;
}

static int set_reason(sw_result *r, const char *msg) {
  free(r->reason);
  r->reason = strdup(msg ? msg : "");
  return !r->reason;
}

static void no_figures(sw_result *r) {
  for (int q = 0; q < SW_NFIG; q++)
    r->fig[q] = NAN;
}

int sw_compute(const char *config_path, const sw_grid *g, const char *const *sets, int nsets,
               long k, int rank, sw_tick_fn tick, void *tick_user, sw_result *r) {
  memset(r, 0, sizeof(*r));
  r->index = k;
  r->rank = rank;
  no_figures(r);
  const double t0 = output_now();
  char **ps = NULL;
  int nps = 0;
  if (sw_point_sets(g, k, sets, nsets, &ps, &nps)) return 1;
  cfg_config cfg;
  qs_err err;
  int rc = cfg_load(config_path, (const char *const *)ps, nps, &cfg, &err);
  sw_point_sets_free(g, ps, nps);
  if (rc) {
    r->status = SW_FAILED;
    r->wall_time = output_now() - t0;
    return set_reason(r, err.msg);
  }
  cfg.output.fields = CFG_FIELDS_NONE; /* fields are not stored in a sweep: do not compute them */
  const dev_device *d = &cfg.dev;
  int oom = sw_result_alloc(r, cfg.nV, d->nlayers);
  for (int l = 0; !oom && l < d->nlayers; l++) {
    const dev_layer *L = &d->layers[l];
    const double v[SW_NLQ] = {L->thickness, L->E_homo, L->E_lumo, L->cb.mu0, L->vb.mu0};
    memcpy(r->layer + (size_t)l * SW_NLQ, v, sizeof(v));
  }
  for (int q = 0; !oom && q < SW_NCURVE; q++)
    for (int i = 0; i < cfg.nV; i++)
      r->curve[q * cfg.nV + i] = q == 0 ? cfg.V[i] : NAN;
  mesh_t m;
  char why[256];
  if (oom) {
    cfg_free(&cfg);
    return 1;
  }
  if (sim_build_mesh(&cfg, &m, why, sizeof(why))) {
    char msg[400];
    snprintf(msg, sizeof(msg), "mesh: %s", why);
    r->status = SW_FAILED;
    cfg_free(&cfg);
    r->wall_time = output_now() - t0;
    return set_reason(r, msg);
  }
  mesh_free(&m);
  collect_ctx c = {r, tick, tick_user, 0};
  sim_summary sum;
  memset(&sum, 0, sizeof(sum));
  PetscErrorCode ierr = sim_run(&cfg, collect, &c, &sum);
  if (c.stopped) {
    cfg_free(&cfg);
    sw_result_free(r);
    return 2;
  }
  char msg[400] = "";
  if (ierr) {
    r->status = SW_FAILED;
    snprintf(msg, sizeof(msg), "solver error (PETSc error %d)", (int)ierr);
  } else {
    const int n = r->n_bias;
    const fom_curve curve = {n, r->curve, r->curve + n, r->curve + 5 * n, r->curve + 4 * n,
                             r->curve + 3 * n, r->curve + 6 * n, r->curve + 7 * n, r->converged};
    fom_summary fs;
    fom_summarise(&curve, SW_V_REF, &fs);
    figs_from(&fs, r->fig);
    r->n_converged = sum.nconverged;
    r->newton_iterations = sum.newton_total;
    r->status = sum.nconverged == n ? SW_OK : SW_UNCONVERGED;
    for (int i = 0; i < n && r->status == SW_UNCONVERGED; i++)
      if (!r->converged[i]) {
        snprintf(msg, sizeof(msg), "%d of %d bias points did not converge (first at V = %g V: %s)",
                 n - sum.nconverged, n, r->curve[i], r->breason + (size_t)i * SW_REASON);
        break;
      }
  }
  cfg_free(&cfg);
  r->wall_time = output_now() - t0;
  return set_reason(r, msg);
}

/* ---- byte form ------------------------------------------------------------------------------ */

#define PACK_MAGIC 0x31525753u /* "SWR1" */

typedef struct {
  unsigned char *p;
  size_t len, cap;
  int oom;
} wbuf;

static void put(wbuf *b, const void *v, size_t n) {
  if (b->oom || n == 0) return;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + n)
      cap *= 2;
    unsigned char *p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, v, n);
  b->len += n;
}

static void put_i32(wbuf *b, int32_t v) { put(b, &v, sizeof(v)); }

int sw_result_pack(const sw_result *r, unsigned char **buf, size_t *len) {
  wbuf b = {NULL, 0, 0, 0};
  const int64_t index = r->index;
  const uint32_t magic = PACK_MAGIC;
  put(&b, &magic, sizeof(magic));
  put(&b, &index, sizeof(index));
  const int32_t ints[6] = {r->status, r->rank, r->n_bias, r->n_converged, r->newton_iterations,
                           r->nlayers};
  put(&b, ints, sizeof(ints));
  put(&b, &r->wall_time, sizeof(double));
  put(&b, r->fig, sizeof(r->fig));
  const char *reason = r->reason ? r->reason : "";
  const uint32_t rl = (uint32_t)strlen(reason);
  put(&b, &rl, sizeof(rl));
  put(&b, reason, rl);
  const size_t n = (size_t)r->n_bias;
  put(&b, r->layer, sizeof(double) * (size_t)r->nlayers * SW_NLQ);
  put(&b, r->curve, sizeof(double) * n * SW_NCURVE);
  for (size_t i = 0; i < n; i++)
    put_i32(&b, r->converged[i]);
  for (size_t i = 0; i < n; i++)
    put_i32(&b, r->iterations[i]);
  put(&b, r->breason, n * SW_REASON);
  if (b.oom) {
    free(b.p);
    return 1;
  }
  *buf = b.p;
  *len = b.len;
  return 0;
}

typedef struct {
  const unsigned char *p;
  size_t len, at;
  int bad;
} rbuf;

static void get(rbuf *b, void *v, size_t n) {
  if (n == 0) return;
  if (b->bad || n > b->len - b->at) {
    b->bad = 1;
    memset(v, 0, n);
    return;
  }
  memcpy(v, b->p + b->at, n);
  b->at += n;
}

int sw_result_unpack(const unsigned char *buf, size_t len, sw_result *r) {
  memset(r, 0, sizeof(*r));
  rbuf b = {buf, len, 0, 0};
  uint32_t magic;
  int64_t index;
  int32_t ints[6];
  get(&b, &magic, sizeof(magic));
  get(&b, &index, sizeof(index));
  get(&b, ints, sizeof(ints));
  if (b.bad || magic != PACK_MAGIC || ints[2] < 0 || ints[5] < 0 || ints[2] > 10000000 ||
      ints[5] > 100000)
    return 1;
  r->index = index;
  r->status = ints[0];
  r->rank = ints[1];
  r->n_converged = ints[3];
  r->newton_iterations = ints[4];
  get(&b, &r->wall_time, sizeof(double));
  get(&b, r->fig, sizeof(r->fig));
  uint32_t rl;
  get(&b, &rl, sizeof(rl));
  if (b.bad || rl > len - b.at || !(r->reason = malloc((size_t)rl + 1))) return 1;
  get(&b, r->reason, rl);
  r->reason[rl] = '\0';
  if (sw_result_alloc(r, ints[2], ints[5])) {
    sw_result_free(r);
    return 1;
  }
  const size_t n = (size_t)r->n_bias;
  get(&b, r->layer, sizeof(double) * (size_t)r->nlayers * SW_NLQ);
  get(&b, r->curve, sizeof(double) * n * SW_NCURVE);
  for (size_t i = 0; i < n; i++) {
    int32_t v;
    get(&b, &v, sizeof(v));
    r->converged[i] = v;
  }
  for (size_t i = 0; i < n; i++) {
    int32_t v;
    get(&b, &v, sizeof(v));
    r->iterations[i] = v;
  }
  get(&b, r->breason, n * SW_REASON);
  if (b.bad || b.at != len) {
    sw_result_free(r);
    return 1;
  }
  for (size_t i = 0; i < n; i++)
    r->breason[i * SW_REASON + SW_REASON - 1] = '\0';
  return 0;
}

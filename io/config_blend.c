/* The `blend` map of a layer: a cross-linker in the layer's material (the host), e.g.
 *   blend: {crosslinker: BPO6, fraction: 6 %, fraction_kind: weight, model: hoesterey-letson}
 * The cross-linker's levels, molar mass and DOS width come from the material database unless given
 * inline (crosslinker_homo, crosslinker_lumo, crosslinker_molar_mass, crosslinker_sigma); the
 * host's molar mass likewise (host_molar_mass). The models themselves are in physics/blend.c. */
#define _POSIX_C_SOURCE 200809L
#include "io/config_impl.h"
#include "physics/blend.h"
#include "physics/constants.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PATHLEN 512
#define INF INFINITY

static const char *const KINDS[] = {"weight", "site", NULL};
static const char *const LEVELS[] = {"linear", "host", "table", NULL};
static const char *const MODELS[] = {"none", "hoesterey-letson", "dilution", "disorder", "table",
                                     NULL};

enum {
  BK_CROSSLINKER, BK_FRACTION, BK_KIND, BK_LEVELS, BK_MODEL, BK_TRAPS, BK_LOC, BK_CN, BK_CP,
  BK_MU_TAB, BK_HOMO_TAB, BK_LUMO_TAB, BK_XHOMO, BK_XLUMO, BK_XMM, BK_XSIGMA, BK_HMM, BK_COUNT
};
static const char *const KEYS[BK_COUNT] = {
    "crosslinker", "fraction", "fraction_kind", "levels", "model", "traps", "localization_length",
    "c_n", "c_p", "mobility_table", "homo_table", "lumo_table", "crosslinker_homo",
    "crosslinker_lumo", "crosslinker_molar_mass", "crosslinker_sigma", "host_molar_mass"};

static const cfgi_key K_NAME = {"crosslinker", CK_STR, UNIT_NONE, CFGI_REQ, -INF, INF, 0, NULL,
                                "a cross-linker from the material database, e.g. 'BPO6'"};
static const cfgi_key K_FRACTION = {"fraction", CK_QTY, UNIT_NONE, CFGI_REQ | CFGI_HI_OPEN, 0, 1, 0,
                                    NULL, "a fraction >= 0 and < 1, e.g. '6 %' or '0.06'"};
static const cfgi_key K_KIND = {"fraction_kind", CK_ENUM, UNIT_NONE, 0, -INF, INF, 0, KINDS,
                                "weight (default) or site"};
static const cfgi_key K_LEVELS = {"levels", CK_ENUM, UNIT_NONE, 0, -INF, INF, 0, LEVELS,
                                  "linear (default), host or table"};
static const cfgi_key K_MODEL = {"model", CK_ENUM, UNIT_NONE, 0, -INF, INF, 0, MODELS,
                                 "none, hoesterey-letson, dilution, disorder or table (or a list)"};
static const cfgi_key K_TRAPS = {"traps", CK_BOOL, UNIT_NONE, 0, -INF, INF, 0, NULL, "true or false"};
static const cfgi_key K_LOC = {"localization_length", CK_QTY, UNIT_LENGTH, CFGI_LO_OPEN, 0, 1e-8,
                               1.2e-10, NULL,
                               "a wave-function decay length > 0, e.g. '0.12 nm' (Borsenberger)"};
static const cfgi_key K_C = {"c", CK_QTY, UNIT_RATE_BIMOLECULAR, CFGI_LO_OPEN, 0, 1e-6, 1e-18, NULL,
                             "a capture coefficient > 0, e.g. '1e-12 cm^3/s'"};
static const cfgi_key K_LEVEL = {"level", CK_QTY, UNIT_ENERGY, CFGI_LEVEL | CFGI_LO_OPEN | CFGI_HI_OPEN,
                                 -12 * PHYS_EV, 0, 0, NULL, "an energy level, e.g. '-5.6 eV'"};
static const cfgi_key K_MM = {"molar_mass", CK_QTY, UNIT_MOLAR_MASS, CFGI_LO_OPEN, 0, INF, 0, NULL,
                              "a molar mass per site or repeat unit > 0, e.g. '400 g/mol'"};
static const cfgi_key K_SIGMA = {"sigma", CK_QTY, UNIT_ENERGY, 0, 0, 0.3 * PHYS_EV, 0, NULL,
                                 "a DOS width >= 0, e.g. '0.1 eV'"};
static const cfgi_key K_MU = {"mobility", CK_QTY, UNIT_MOBILITY, CFGI_LO_OPEN, 0, 1, 0, NULL,
                              "a mobility > 0, e.g. '1e-4 cm^2/Vs'"};

/* `model`: one name or a list of names -> DEV_BLEND_MOB_* bits. */
static int read_models(const yt_node *v, const char *path, int *bits, qs_err *err) {
  *bits = 0;
  const yt_node *items = v;
  if (v->kind == YT_SCALAR) items = NULL;
  else if (v->kind != YT_SEQ)
    return cfgi_fail_at(err, QS_ERR_TYPE, v, 0, path, "expected %s", K_MODEL.expect);
  for (const yt_node *m = items ? items->first : v; m; m = items ? m->next : NULL) {
    cfgi_val r;
    int rc = cfgi_read(&K_MODEL, m, path, &r, err);
    if (rc) return rc;
    if (r.i > 0) *bits |= 1 << (r.i - 1);
    if (!items) break;
  }
  if ((*bits & DEV_BLEND_MOB_TABLE) && *bits != DEV_BLEND_MOB_TABLE)
    return cfgi_fail_at(err, QS_ERR_RANGE, v, 0, path,
                        "model 'table' gives the measured mobility itself and cannot be combined "
                        "with other mobility models");
  return 0;
}

/* A table [[fraction, value], ...] with increasing fractions. */
static int read_table(const yt_node *v, const char *path, const cfgi_key *vk,
                      double (*tab)[2], int *n, qs_err *err) {
  *n = 0;
  if (v->kind != YT_SEQ || v->nchildren < 1 || v->nchildren > DEV_BLEND_TABLE_MAX)
    return cfgi_fail_at(err, QS_ERR_TYPE, v, 0, path,
                        "expected a list of 1 to %d [fraction, value] pairs, e.g. "
                        "'[[0, 1e-4 cm^2/Vs], [0.1, 5e-5 cm^2/Vs]]'",
                        DEV_BLEND_TABLE_MAX);
  for (const yt_node *row = v->first; row; row = row->next) {
    if (row->kind != YT_SEQ || row->nchildren != 2)
      return cfgi_fail_at(err, QS_ERR_TYPE, row, 0, path, "expected a [fraction, value] pair");
    cfgi_val f, x;
    int rc = cfgi_read(&K_FRACTION, row->first, path, &f, err);
    if (rc || (rc = cfgi_read(vk, row->last, path, &x, err))) return rc;
    if (*n > 0 && !(f.d > tab[*n - 1][0]))
      return cfgi_fail_at(err, QS_ERR_RANGE, row, 0, path, "fractions must increase");
    tab[*n][0] = f.d;
    tab[*n][1] = x.d;
    (*n)++;
  }
  return 0;
}

/* Cross-linker properties: inline keys first, else the database entry. */
static int crosslinker_properties(cfgi_ctx *ctx, const yt_node *map, const char *path,
                                  dev_blend *b, qs_err *err) {
  const yt_node *nodes[4] = {yt_get(map, KEYS[BK_XHOMO]), yt_get(map, KEYS[BK_XLUMO]),
                             yt_get(map, KEYS[BK_XMM]), yt_get(map, KEYS[BK_XSIGMA])};
  const cfgi_key *spec[4] = {&K_LEVEL, &K_LEVEL, &K_MM, &K_SIGMA};
  double *dst[4] = {&b->xl_homo, &b->xl_lumo, &b->xl_molar_mass, &b->xl_sigma};
  const char *dbkey[4] = {"homo", "lumo", "molar_mass", "sigma_p"};
  const matdb_material *m = NULL;
  const int all_inline = nodes[0] && nodes[1]; /* levels given: the database is not needed */
  char kp[PATHLEN];
  for (int k = 0; k < 4; k++) {
    *dst[k] = 0.0;
    cfgi_val v;
    if (!nodes[k] && all_inline) continue;
    if (nodes[k]) {
      int rc = cfgi_read(spec[k], nodes[k], cfgi_join(kp, sizeof(kp), path, KEYS[BK_XHOMO + k]),
                         &v, err);
      if (rc) return rc;
      *dst[k] = v.d;
      continue;
    }
    if (!m) {
      int rc = cfgi_lookup(ctx, yt_get(map, "crosslinker"),
                           cfgi_join(kp, sizeof(kp), path, "crosslinker"), &m, err);
      if (rc) return rc;
    }
    const matdb_param *p = matdb_param_get(m, dbkey[k]);
    if (p) *dst[k] = p->si;
    else if (k < 2)
      return cfgi_fail_at(err, QS_ERR_MATERIAL, yt_get(map, "crosslinker"), 0, path,
                          "cross-linker '%s' (%s) has no %s; give %s in the blend", m->name,
                          m->file, dbkey[k], KEYS[BK_XHOMO + k]);
  }
  return 0;
}

/* Read every key of the blend map into b. */
static int read_blend(cfgi_ctx *ctx, const yt_node *map, const char *path, dev_blend *b,
                      qs_err *err) {
  char kp[PATHLEN];
  cfgi_val v;
  int rc = cfgi_need_map(map, path, "a map such as '{crosslinker: BPO6, fraction: 6 %}'", err);
  if (rc || (rc = cfgi_check_keys(map, KEYS, BK_COUNT, path, err))) return rc;
  const yt_node *x = yt_get(map, "crosslinker");
  if (!x) return cfgi_missing(map, path, "crosslinker", K_NAME.expect, err);
  if ((rc = cfgi_read(&K_NAME, x, cfgi_join(kp, sizeof(kp), path, "crosslinker"), &v, err)))
    return rc;
  snprintf(b->crosslinker, sizeof(b->crosslinker), "%s", v.s);
  const yt_node *f = yt_get(map, "fraction");
  if (!f) return cfgi_missing(map, path, "fraction", K_FRACTION.expect, err);
  if ((rc = cfgi_read(&K_FRACTION, f, cfgi_join(kp, sizeof(kp), path, "fraction"), &v, err)))
    return rc;
  b->fraction = v.d;
  struct {
    const cfgi_key *k;
    int key;
    double *d;
    int *i;
  } simple[] = {{&K_KIND, BK_KIND, NULL, &b->fraction_weight},
                {&K_LEVELS, BK_LEVELS, NULL, (int *)&b->levels},
                {&K_TRAPS, BK_TRAPS, NULL, &b->traps},
                {&K_LOC, BK_LOC, &b->loc_length, NULL},
                {&K_C, BK_CN, &b->c_n, NULL},
                {&K_C, BK_CP, &b->c_p, NULL},
                {&K_MM, BK_HMM, &b->host_molar_mass, NULL}};
  for (size_t k = 0; k < sizeof(simple) / sizeof(simple[0]); k++) {
    const yt_node *n = yt_get(map, KEYS[simple[k].key]);
    if (!n) {
      if (simple[k].d && simple[k].key != BK_HMM) *simple[k].d = simple[k].k->def;
      if (simple[k].i) *simple[k].i = (int)simple[k].k->def;
      continue;
    }
    if ((rc = cfgi_read(simple[k].k, n, cfgi_join(kp, sizeof(kp), path, KEYS[simple[k].key]), &v,
                        err)))
      return rc;
    if (simple[k].d) *simple[k].d = v.d;
    else *simple[k].i = v.i;
  }
  b->fraction_weight = b->fraction_weight == 0; /* enum index 0 = weight */
  const yt_node *mm = yt_get(map, "model");
  b->mobility_models = 0;
  if (mm && (rc = read_models(mm, cfgi_join(kp, sizeof(kp), path, "model"), &b->mobility_models, err)))
    return rc;
  const struct {
    int key;
    const cfgi_key *vk;
    double (*tab)[2];
    int *n;
  } tabs[] = {{BK_MU_TAB, &K_MU, b->mu_tab, &b->n_mu},
              {BK_HOMO_TAB, &K_LEVEL, b->homo_tab, &b->n_homo},
              {BK_LUMO_TAB, &K_LEVEL, b->lumo_tab, &b->n_lumo}};
  for (size_t k = 0; k < 3; k++) {
    const yt_node *t = yt_get(map, KEYS[tabs[k].key]);
    *tabs[k].n = 0;
    if (t && (rc = read_table(t, cfgi_join(kp, sizeof(kp), path, KEYS[tabs[k].key]), tabs[k].vk,
                              tabs[k].tab, tabs[k].n, err)))
      return rc;
  }
  if ((b->mobility_models & DEV_BLEND_MOB_TABLE) && !b->n_mu)
    return cfgi_missing(map, path, "mobility_table", "the measured hole mobility vs fraction", err);
  if (b->levels == DEV_BLEND_LEVELS_TABLE && !b->n_homo && !b->n_lumo)
    return cfgi_missing(map, path, "homo_table", "measured levels vs fraction for levels: table",
                        err);
  return crosslinker_properties(ctx, map, path, b, err);
}

/* No `model` given: chosen from the level alignment, the rule of the blend physics
 * (../shared/reference/parameters.md, blend models): a cross-linker whose HOMO is shallower than
 * the host's captures holes, so its sites are explicit Gaussian hole traps (traps: true unless
 * the config says otherwise; the trapping itself lowers the effective mobility, no extra
 * mobility formula on top); one that is deeper (or level) is an inert site holes hop around:
 * dilution. */
static void auto_model(dev_blend *b, double host_homo, int traps_given) {
  b->model_auto = 1;
  if (b->xl_homo > host_homo) {
    b->mobility_models = 0;
    if (!traps_given) b->traps = 1;
  } else {
    b->mobility_models = DEV_BLEND_MOB_DILUTION;
  }
}

int cfgi_build_blend(cfgi_ctx *ctx, const yt_node *layer, const matdb_material *host,
                     dev_layer *L, qs_err *err) {
  const yt_node *map = yt_get(layer, "blend");
  const double host_mm = L->blend.host_molar_mass;
  memset(&L->blend, 0, sizeof(L->blend));
  L->host.E_homo = L->E_homo;
  L->host.E_lumo = L->E_lumo;
  L->host.mu_n = L->cb.mu0;
  L->host.mu_p = L->vb.mu0;
  L->host.sigma_n = L->cb.sigma;
  L->host.sigma_p = L->vb.sigma;
  L->host.ntraps = L->ntraps;
  if (!map) return 0;
  (void)host;
  char path[PATHLEN];
  cfgi_path(map, path, sizeof(path));
  dev_blend *b = &L->blend;
  b->host_molar_mass = host_mm;
  int rc = read_blend(ctx, map, path, b, err);
  if (rc) return rc;
  if (!yt_get(map, "model")) auto_model(b, L->host.E_homo, yt_get(map, "traps") != NULL);
  char why[256];
  b->active = 1;
  if (blend_apply(b, ctx->T, L, why, sizeof(why)))
    return cfgi_fail_at(err, QS_ERR_RANGE, map, 0, path, "%s", why);
  return 0;
}

/* The device section of a config: contacts, and layers with their materials resolved (database
 * entry, then inline material map, then keys written in the layer itself) into dev_device. */
#define _POSIX_C_SOURCE 200809L
#include "io/config_impl.h"
#include "physics/constants.h"
#include "physics/gaussfermi.h"
#include "physics/mobility.h"
#include "physics/photometry.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATHLEN 512

/* Where each material key of a layer comes from. */
typedef struct {
  const yt_node *node[MK_COUNT_];
  char path[MK_COUNT_][PATHLEN];
} layer_src;

int cfgi_db(cfgi_ctx *ctx, matdb **db, qs_err *err) {
  if (!ctx->db) {
    qs_err e2;
    int rc = matdb_acquire(ctx->mdir, &ctx->db, &e2);
    if (rc == QS_ERR_FILE && ctx->mdnode)
      return cfgi_fail_at(err, QS_ERR_FILE, ctx->mdnode, 0, "materials_dir", "%s", e2.msg);
    if (rc) return qs_fail(err, (qs_errclass)rc, "%s", e2.msg);
  }
  *db = ctx->db;
  return 0;
}

/* Look a material name up in the database; errors at the node that names it. */
int cfgi_lookup(cfgi_ctx *ctx, const yt_node *v, const char *path, const matdb_material **m,
                  qs_err *err) {
  cfgi_val val;
  int rc = cfgi_read(&cfgi_key_material_label, v, path, &val, err);
  if (rc) return rc;
  matdb *db = NULL;
  if ((rc = cfgi_db(ctx, &db, err))) return rc;
  qs_err e2;
  if ((rc = matdb_lookup(db, val.s, m, &e2)))
    return cfgi_fail_at(err, rc, v, 0, path, "%s", e2.msg);
  return 0;
}

/* Text of a value for messages: as written, plus its value in eV when written without unit. */
static const char *show(const yt_node *v, double si, unit_dim d, char *buf, size_t len) {
  int has_letter = 0;
  for (const char *p = v->text; *p; p++)
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) has_letter = 1;
  if (has_letter || d == UNIT_NONE) {
    snprintf(buf, len, "%s", v->text);
  } else {
    char f[64];
    snprintf(buf, len, "%s (%s)", v->text, units_format(si, d, f, sizeof(f)));
  }
  return buf;
}

/* ---- contacts -------------------------------------------------------------------------- */

static int build_contact(cfgi_ctx *ctx, const yt_node *device, const char *which, dev_contact *c,
                         qs_err *err) {
  static const char *const keys[] = {"work_function", "material", "image_force", "S_n", "S_p"};
  char path[PATHLEN], kp[PATHLEN];
  snprintf(path, sizeof(path), "device.%s", which);
  const yt_node *map = yt_get(device, which);
  if (!map)
    return cfgi_missing(device, "device", which,
                        "a map with the contact's work_function, e.g. '{work_function: 5.1 eV}'",
                        err);
  int rc = cfgi_need_map(map, path, "a map such as '{work_function: 5.1 eV}'", err);
  if (rc || (rc = cfgi_check_keys(map, keys, 5, path, err))) return rc;
  const yt_node *wf = yt_get(map, "work_function"), *mat = yt_get(map, "material");
  char wfpath[PATHLEN + 96];
  cfgi_join(wfpath, sizeof(wfpath), path, "work_function");
  if (mat) {
    const matdb_material *m;
    cfgi_join(kp, sizeof(kp), path, "material");
    if ((rc = cfgi_lookup(ctx, mat, kp, &m, err))) return rc;
    const matdb_param *p = matdb_param_get(m, "work_function");
    if (!p)
      return cfgi_fail_at(err, QS_ERR_MATERIAL, mat, 0, kp,
                          "material '%s' (%s, role %s) has no work_function; a contact needs an "
                          "electrode material or an explicit work_function",
                          mat->text, m->file, matdb_role_name(m->role));
    if (!wf) {
      wf = p->value;
      snprintf(wfpath, sizeof(wfpath), "%s.material (%s).work_function", path, m->name);
    }
  }
  if (!wf)
    return cfgi_missing(map, path, "work_function",
                        "a work function such as '5.1 eV', or 'material: NAME' of an electrode",
                        err);
  cfgi_val v;
  if ((rc = cfgi_read(&cfgi_key_wf, wf, wfpath, &v, err))) return rc;
  c->work_function = v.d;
  const yt_node *n;
  c->image_force = 0;
  if ((n = yt_get(map, "image_force"))) {
    if ((rc = cfgi_read(&cfgi_key_image_force, n, cfgi_join(kp, sizeof(kp), path, "image_force"),
                        &v, err)))
      return rc;
    c->image_force = v.i;
  }
  c->S_n = c->S_p = INFINITY;
  for (int k = 0; k < 2; k++) {
    const char *key = k ? "S_p" : "S_n";
    if (!(n = yt_get(map, key))) continue;
    if ((rc = cfgi_read(&cfgi_key_S, n, cfgi_join(kp, sizeof(kp), path, key), &v, err))) return rc;
    *(k ? &c->S_p : &c->S_n) = v.d;
  }
  return 0;
}

/* ---- layers ---------------------------------------------------------------------------- */

static int valid_layer_name(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 63) return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '_' || *s == '+' || *s == '-'))
      return 0;
  return 1;
}

static void take_db(layer_src *src, const matdb_material *m, const char *matpath) {
  for (const yt_node *p = m->params_map->first; p; p = p->next) {
    int k = cfgi_matkey_index(p->key);
    if (k < 0) continue;
    src->node[k] = p;
    if (snprintf(src->path[k], PATHLEN, "%s (%s).%s", matpath, m->name, p->key) < 0)
      src->path[k][0] = '\0';
  }
}

/* Material keys written directly in map (the layer or an inline material map). */
static int take_map(layer_src *src, const yt_node *map, qs_err *err) {
  for (const yt_node *p = map->first; p; p = p->next) {
    int k = cfgi_matkey_index(p->key);
    if (k < 0) continue;
    cfgi_path(p, src->path[k], PATHLEN);
    if (cfgi_matkeys[k].flags & CFGI_DBONLY)
      return cfgi_fail_at(err, QS_ERR_KEY, p, 1, src->path[k],
                          "'%s' belongs in the material database only; it has no effect in a "
                          "layer%s",
                          p->key,
                          k == MK_WORK_FUNCTION ? " (contacts take "
                                                  "'work_function' or 'material')"
                                                : "");
    src->node[k] = p;
  }
  return 0;
}

/* Collect the material of one layer into src; label gets the material's name or "inline". */
static int resolve_material(cfgi_ctx *ctx, const yt_node *layer, const char *lpath, layer_src *src,
                            char *label, const matdb_material **dbm, qs_err *err) {
  const char *inline_keys[MK_COUNT_ + 2] = {"base", "name"};
  for (int i = 0; i < MK_COUNT_; i++)
    inline_keys[i + 2] = cfgi_matkey_names[i];
  const yt_node *mat = yt_get(layer, "material");
  char mpath[PATHLEN];
  cfgi_join(mpath, sizeof(mpath), lpath, "material");
  *dbm = NULL;
  if (!mat)
    return cfgi_missing(layer, lpath, "material",
                        "a material name from the database, e.g. 'TFB', or an inline map of "
                        "material keys",
                        err);
  int rc;
  if (mat->kind == YT_SCALAR) {
    if ((rc = cfgi_lookup(ctx, mat, mpath, dbm, err))) return rc;
    take_db(src, *dbm, mpath);
    snprintf(label, DEV_NAME_MAX, "%s", (*dbm)->name);
  } else if (mat->kind == YT_MAP) {
    if ((rc = cfgi_check_keys(mat, inline_keys, MK_COUNT_ + 2, mpath, err))) return rc;
    const yt_node *base = yt_get(mat, "base"), *nm = yt_get(mat, "name");
    snprintf(label, DEV_NAME_MAX, "inline");
    if (base) {
      char bpath[PATHLEN];
      if ((rc = cfgi_lookup(ctx, base, cfgi_join(bpath, sizeof(bpath), mpath, "base"), dbm, err)))
        return rc;
      take_db(src, *dbm, mpath);
      snprintf(label, DEV_NAME_MAX, "%s", (*dbm)->name);
    }
    if (nm) {
      cfgi_val v;
      char npath[PATHLEN];
      if ((rc = cfgi_read(&cfgi_key_material_label, nm,
                          cfgi_join(npath, sizeof(npath), mpath, "name"), &v, err)))
        return rc;
      if (!cfgi_valid_material_name(v.s))
        return cfgi_fail_at(err, QS_ERR_RANGE, nm, 0, npath,
                            "invalid material name '%s' "
                            "(expected %s)",
                            v.s, cfgi_key_material_label.expect);
      snprintf(label, DEV_NAME_MAX, "%s", v.s);
    }
    if ((rc = take_map(src, mat, err))) return rc;
  } else {
    return cfgi_fail_at(err, QS_ERR_TYPE, mat, 0, mpath,
                        "found a list, expected a material name or a map of material keys");
  }
  return take_map(src, layer, err);
}

/* Read every material key (value or default) and check the layer as a whole. */
static int read_material(const yt_node *layer, const char *lpath, const layer_src *src,
                         const matdb_material *dbm, double val[MK_COUNT_], qs_err *err) {
  /* a key missing from an inline material map is reported at that map */
  const yt_node *mat = yt_get(layer, "material"), *at = layer;
  char mpath[PATHLEN];
  snprintf(mpath, sizeof(mpath), "%s", lpath);
  if (mat && mat->kind == YT_MAP) {
    at = mat;
    cfgi_path(mat, mpath, sizeof(mpath));
  }
  for (int k = 0; k < MK_COUNT_; k++) {
    const cfgi_key *key = &cfgi_matkeys[k];
    if (!src->node[k]) {
      if (key->flags & CFGI_REQ) {
        if (dbm)
          return cfgi_fail_at(err, QS_ERR_KEY, at, 0, mpath,
                              "missing material key '%s': material %s (%s) does not define it; "
                              "add it to the layer (expected %s)",
                              key->key, dbm->name, dbm->file, key->expect);
        return cfgi_missing(at, mpath, key->key, key->expect, err);
      }
      val[k] = key->def;
      continue;
    }
    cfgi_val v;
    int rc = cfgi_read(key, src->node[k], src->path[k], &v, err);
    if (rc) return rc;
    val[k] = v.d;
  }
  char a[128], b[128], c[128];
  const yt_node *h = src->node[MK_HOMO], *l = src->node[MK_LUMO];
  if (!(val[MK_HOMO] < val[MK_LUMO]))
    return cfgi_fail_at(err, QS_ERR_RANGE, layer, 0, lpath,
                        "HOMO %s is %s LUMO %s (HOMO from %s:%d, LUMO from %s:%d; expected "
                        "HOMO < LUMO < 0, e.g. HOMO '-5.4 eV', LUMO '-2.4 eV')",
                        show(h, val[MK_HOMO], UNIT_ENERGY, a, sizeof(a)),
                        val[MK_HOMO] > val[MK_LUMO] ? "above" : "equal to",
                        show(l, val[MK_LUMO], UNIT_ENERGY, b, sizeof(b)), h->file, h->line, l->file,
                        l->line);
  if (isnan(val[MK_E_T])) {
    val[MK_E_T] = 0.5 * (val[MK_HOMO] + val[MK_LUMO]);
  } else if (!(val[MK_E_T] > val[MK_HOMO] && val[MK_E_T] < val[MK_LUMO])) {
    const yt_node *t = src->node[MK_E_T];
    return cfgi_fail_at(err, QS_ERR_RANGE, t, 0, src->path[MK_E_T],
                        "trap level %s is not between HOMO %s and LUMO %s (expected %s)",
                        show(t, val[MK_E_T], UNIT_ENERGY, c, sizeof(c)),
                        show(h, val[MK_HOMO], UNIT_ENERGY, a, sizeof(a)),
                        show(l, val[MK_LUMO], UNIT_ENERGY, b, sizeof(b)),
                        cfgi_matkeys[MK_E_T].expect);
  }
  for (int s = 0; s < 2; s++) {
    int g = s ? MK_PF_GAMMA_P : MK_PF_GAMMA_N, m = s ? MK_MOBILITY_P : MK_MOBILITY_N;
    if (val[g] != 0 && val[m] != DEV_MOB_POOLE_FRENKEL)
      return cfgi_fail_at(err, QS_ERR_RANGE, src->node[g], 0, src->path[g],
                          "%s %s needs '%s: poole-frenkel' (the %s mobility model is constant)",
                          cfgi_matkey_names[g], src->node[g]->text, cfgi_matkey_names[m],
                          s ? "hole" : "electron");
  }
  for (int s = 0; s < 2; s++) {
    const int m = s ? MK_MOBILITY_P : MK_MOBILITY_N;
    if ((val[m] == DEV_MOB_EGDM || val[m] == DEV_MOB_GDM) &&
        val[MK_STATISTICS] != DEV_STAT_GAUSS_FERMI)
      return cfgi_fail_at(err, QS_ERR_RANGE, src->node[m], 0, src->path[m],
                          "%s %s is a Gaussian-disorder model: it needs 'statistics: gauss-fermi' "
                          "with %s (the DOS width it is built on)",
                          cfgi_matkey_names[m], src->node[m]->text, s ? "sigma_p" : "sigma_n");
  }
  if (val[MK_STATISTICS] == DEV_STAT_GAUSS_FERMI) {
    for (int s = 0; s < 2; s++) {
      int k = s ? MK_SIGMA_P : MK_SIGMA_N;
      if (!src->node[k])
        return cfgi_fail_at(err, QS_ERR_KEY, layer, 0, lpath,
                            "missing key '%s': statistics gauss-fermi needs the Gaussian DOS "
                            "width (expected %s)",
                            cfgi_matkey_names[k], cfgi_matkeys[k].expect);
      if (!(val[k] > 0))
        return cfgi_fail_at(err, QS_ERR_RANGE, src->node[k], 0, src->path[k],
                            "%s %s must be > 0 for statistics gauss-fermi (expected %s)",
                            cfgi_matkey_names[k], src->node[k]->text, cfgi_matkeys[k].expect);
    }
  }
  if (val[MK_EMISSIVE]) {
    for (int k = MK_PEAK_WAVELENGTH; k <= MK_FWHM; k++)
      if (!src->node[k])
        return cfgi_fail_at(err, QS_ERR_KEY, at, 0, mpath,
                            "missing key '%s': an emissive layer needs it (expected %s)",
                            cfgi_matkey_names[k], cfgi_matkeys[k].expect);
    /* the Gaussian spectrum's +-10 sigma window stays at positive wavelength and energy only up
     * to this width (physics/photometry.h); found by fuzzing: 302 nm at 620 nm passed here and
     * failed when the run built the spectrum */
    const double max_fwhm = PHOT_MAX_REL_FWHM * val[MK_PEAK_WAVELENGTH];
    if (val[MK_FWHM] > max_fwhm)
      return cfgi_fail_at(err, QS_ERR_RANGE, src->node[MK_FWHM], 0, src->path[MK_FWHM],
                          "fwhm %s is too wide for the peak wavelength %s: a Gaussian emission "
                          "spectrum allows at most %g %% of it (%.4g nm)",
                          src->node[MK_FWHM]->text, src->node[MK_PEAK_WAVELENGTH]->text,
                          100 * PHOT_MAX_REL_FWHM, max_fwhm / 1e-9);
  }
  return 0;
}

/* ---- traps ------------------------------------------------------------------------------ */

static const char *const TRAP_CARRIERS[] = {"electron", "hole", NULL};
static const char *const TRAP_SHAPES[] = {"discrete", "gaussian", "exponential", NULL};

/* One trap map: {carrier, density, depth, distribution, width, c_n, c_p}. per_area: density in
 * m^-2 (interface traps). gap: the band gap the depth must fit in [J]. */
static int build_trap(const yt_node *map, int per_area, double gap, dev_trap *t, qs_err *err) {
  static const char *const keys[] = {"carrier", "density", "depth", "distribution", "width",
                                     "c_n", "c_p"};
  const cfgi_key spec[] = {
      {"carrier", CK_ENUM, UNIT_NONE, CFGI_REQ, -INFINITY, INFINITY, 0, TRAP_CARRIERS,
       "electron or hole"},
      {"density", CK_QTY, per_area ? UNIT_AREAL_DENSITY : UNIT_DENSITY, CFGI_REQ | CFGI_LO_OPEN,
       0, per_area ? 1e20 : 1e28, 0, NULL,
       per_area ? "an interface trap density > 0, e.g. '1e12 cm^-2'"
                : "a trap density > 0, e.g. '1e17 cm^-3'"},
      {"depth", CK_QTY, UNIT_ENERGY, CFGI_REQ, 0, gap, 0, NULL,
       "a depth >= 0 into the gap from the trap's band edge (LUMO for electron traps, HOMO for "
       "hole traps), e.g. '0.3 eV'"},
      {"distribution", CK_ENUM, UNIT_NONE, 0, -INFINITY, INFINITY, 0, TRAP_SHAPES,
       "discrete, gaussian or exponential"},
      {"width", CK_QTY, UNIT_ENERGY, 0, 0, 0.5 * PHYS_EV, 0, NULL,
       "the Gaussian sigma or exponential characteristic energy, e.g. '0.05 eV'"},
      {"c_n", CK_QTY, UNIT_RATE_BIMOLECULAR, CFGI_LO_OPEN, 0, 1e-6, 1e-18, NULL,
       "an electron capture coefficient > 0, e.g. '1e-12 cm^3/s'"},
      {"c_p", CK_QTY, UNIT_RATE_BIMOLECULAR, CFGI_LO_OPEN, 0, 1e-6, 1e-18, NULL,
       "a hole capture coefficient > 0, e.g. '1e-12 cm^3/s'"}};
  char path[PATHLEN], kp[PATHLEN];
  cfgi_path(map, path, sizeof(path));
  int rc = cfgi_need_map(map, path, "a trap such as '{carrier: hole, density: 1e17 cm^-3, depth: 0.3 eV}'", err);
  if (rc || (rc = cfgi_check_keys(map, keys, 7, path, err))) return rc;
  double val[7];
  for (int k = 0; k < 7; k++) {
    const yt_node *v = yt_get(map, keys[k]);
    cfgi_val r;
    val[k] = spec[k].def;
    if (!v) {
      if (spec[k].flags & CFGI_REQ) return cfgi_missing(map, path, keys[k], spec[k].expect, err);
      continue;
    }
    if ((rc = cfgi_read(&spec[k], v, cfgi_join(kp, sizeof(kp), path, keys[k]), &r, err))) return rc;
    val[k] = spec[k].kind == CK_ENUM ? r.i : r.d;
  }
  t->hole = (int)val[0];
  t->density = val[1];
  t->depth = val[2];
  t->shape = (dev_trap_shape)(int)val[3];
  t->width = val[4];
  t->c_n = val[5];
  t->c_p = val[6];
  if (t->shape != DEV_TRAP_DISCRETE && !(t->width > 0))
    return cfgi_fail_at(err, QS_ERR_KEY, map, 0, path,
                        "a %s trap distribution needs 'width' > 0 (%s)", TRAP_SHAPES[t->shape],
                        spec[4].expect);
  return 0;
}

static int build_traps(const yt_node *list, int per_area, double gap, dev_trap *traps, int *n,
                       qs_err *err) {
  *n = 0;
  if (!list) return 0;
  char path[PATHLEN];
  cfgi_path(list, path, sizeof(path));
  if (list->kind != YT_SEQ)
    return cfgi_fail_at(err, QS_ERR_TYPE, list, 0, path,
                        "expected a list of traps (each '- {carrier: hole, density: ..., depth: "
                        "...}')");
  if (list->nchildren > DEV_MAX_TRAPS)
    return cfgi_fail_at(err, QS_ERR_RANGE, list, 0, path, "%d traps given, at most %d allowed",
                        list->nchildren, DEV_MAX_TRAPS);
  for (const yt_node *m = list->first; m; m = m->next) {
    int rc = build_trap(m, per_area, gap, &traps[*n], err);
    if (rc) return rc;
    (*n)++;
  }
  return 0;
}

static int build_layer(cfgi_ctx *ctx, const yt_node *layer, dev_layer *L, qs_err *err) {
  const char *layer_keys[MK_COUNT_ + 5] = {"name", "thickness", "material", "traps", "blend"};
  for (int i = 0; i < MK_COUNT_; i++)
    layer_keys[i + 5] = cfgi_matkey_names[i];
  char lpath[PATHLEN], kp[PATHLEN];
  cfgi_path(layer, lpath, sizeof(lpath));
  int rc = cfgi_need_map(layer, lpath, "a layer map with name, thickness and material", err);
  if (rc) return rc;
  const yt_node *nm = yt_get(layer, "name");
  if (!nm) return cfgi_missing(layer, lpath, "name", cfgi_key_layer_name.expect, err);
  cfgi_val v;
  if ((rc = cfgi_read(&cfgi_key_layer_name, nm, cfgi_join(kp, sizeof(kp), lpath, "name"), &v, err)))
    return rc;
  if (!valid_layer_name(v.s))
    return cfgi_fail_at(err, QS_ERR_RANGE, nm, 0, kp,
                        "invalid layer name '%s' (expected at most 63 letters, digits, '_', '+' "
                        "or '-', e.g. 'HTL')",
                        v.s);
  snprintf(L->name, sizeof(L->name), "%s", v.s);
  if ((rc = cfgi_check_keys(layer, layer_keys, MK_COUNT_ + 5, lpath, err))) return rc;
  const yt_node *th = yt_get(layer, "thickness");
  if (!th) return cfgi_missing(layer, lpath, "thickness", cfgi_key_thickness.expect, err);
  if ((rc = cfgi_read(&cfgi_key_thickness, th, cfgi_join(kp, sizeof(kp), lpath, "thickness"), &v,
                      err)))
    return rc;
  L->thickness = v.d;

  layer_src *src = calloc(1, sizeof(*src));
  if (!src) return qs_fail(err, QS_ERR_OTHER, "out of memory");
  const matdb_material *dbm;
  double val[MK_COUNT_];
  rc = resolve_material(ctx, layer, lpath, src, L->material, &dbm, err);
  if (!rc) rc = read_material(layer, lpath, src, dbm, val, err);
  free(src);
  if (rc) return rc;
  L->blend.host_molar_mass = dbm && matdb_param_get(dbm, "molar_mass")
                                 ? matdb_param_get(dbm, "molar_mass")->si
                                 : 0.0;
  L->eps_r = val[MK_EPS_R];
  L->E_homo = val[MK_HOMO];
  L->E_lumo = val[MK_LUMO];
  L->statistics = (dev_statistics)(int)val[MK_STATISTICS];
  L->cb.N = val[MK_NC];
  L->vb.N = val[MK_NV];
  L->cb.sigma = val[MK_SIGMA_N];
  L->vb.sigma = val[MK_SIGMA_P];
  L->cb.mu0 = val[MK_MU_N];
  L->vb.mu0 = val[MK_MU_P];
  L->cb.mobility = (dev_mobility_model)(int)val[MK_MOBILITY_N];
  L->vb.mobility = (dev_mobility_model)(int)val[MK_MOBILITY_P];
  L->cb.pf_gamma = val[MK_PF_GAMMA_N];
  L->vb.pf_gamma = val[MK_PF_GAMMA_P];
  L->cb.T_ref = L->vb.T_ref = val[MK_MU_T_REF];
  L->cb.gdm_Sigma = val[MK_GDM_SIGMA_N];
  L->vb.gdm_Sigma = val[MK_GDM_SIGMA_P];
  L->cb.gdm_C = L->vb.gdm_C = val[MK_GDM_C];
  L->N_D = val[MK_N_D];
  L->N_A = val[MK_N_A];
  L->langevin = val[MK_LANGEVIN];
  L->tau_n = val[MK_TAU_N];
  L->tau_p = val[MK_TAU_P];
  L->E_t = val[MK_E_T];
  L->C_n = val[MK_C_N];
  L->C_p = val[MK_C_P];
  L->emissive = val[MK_EMISSIVE] != 0;
  L->plqy = val[MK_PLQY];
  L->peak_wavelength = val[MK_PEAK_WAVELENGTH];
  L->fwhm = val[MK_FWHM];
  if ((rc = build_traps(yt_get(layer, "traps"), 0, L->E_lumo - L->E_homo, L->traps, &L->ntraps,
                       err)))
    return rc;
  return cfgi_build_blend(ctx, layer, dbm, L, err);
}

/* ---- heterointerfaces ------------------------------------------------------------------ */

/* `between: [A, B]` must name two adjacent layers, A on the anode side; sets *left. */
static int interface_layers(const dev_device *dev, const yt_node *map, const char *path,
                            int *left, qs_err *err) {
  char kp[PATHLEN];
  const yt_node *b = yt_get(map, "between");
  if (!b) return cfgi_missing(map, path, "between", "the two adjacent layers, e.g. '[HTL, EML]'", err);
  cfgi_join(kp, sizeof(kp), path, "between");
  if (b->kind != YT_SEQ || b->nchildren != 2 || b->first->kind != YT_SCALAR ||
      b->last->kind != YT_SCALAR)
    return cfgi_fail_at(err, QS_ERR_TYPE, b, 0, kp,
                        "expected the names of two adjacent layers, e.g. '[HTL, EML]'");
  const int a = dev_find_layer(dev, b->first->text), c = dev_find_layer(dev, b->last->text);
  const yt_node *bad = a < 0 ? b->first : (c < 0 ? b->last : NULL);
  if (bad) {
    char names[PATHLEN] = "";
    for (int i = 0; i < dev->nlayers; i++)
      snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? ", " : "",
               dev->layers[i].name);
    return cfgi_fail_at(err, QS_ERR_KEY, bad, 0, kp, "no layer named '%s' (layers: %s)",
                        bad->text, names);
  }
  if (c != a + 1)
    return cfgi_fail_at(err, QS_ERR_RANGE, b, 0, kp,
                        "'%s' and '%s' are not adjacent in that order (list the anode-side layer "
                        "first)",
                        b->first->text, b->last->text);
  *left = a;
  return 0;
}

static int build_interface(const yt_node *map, dev_device *dev, dev_interface *f, qs_err *err) {
  static const char *const keys[] = {"between", "prefactor", "width", "emissive", "plqy", "traps"};
  const cfgi_key *spec[] = {NULL, &cfgi_key_if_prefactor, &cfgi_key_if_width, &cfgi_key_if_emissive,
                            &cfgi_key_if_plqy};
  char path[PATHLEN], kp[PATHLEN];
  cfgi_path(map, path, sizeof(path));
  int rc = cfgi_need_map(map, path, "a map such as '{between: [HTL, EML], prefactor: 1e-3}'", err);
  if (rc || (rc = cfgi_check_keys(map, keys, 6, path, err))) return rc;
  if ((rc = interface_layers(dev, map, path, &f->left, err))) return rc;
  const dev_layer *A = &dev->layers[f->left], *B = &dev->layers[f->left + 1];
  const double gap = fmin(A->E_lumo, B->E_lumo) - fmax(A->E_homo, B->E_homo);
  if (yt_get(map, "traps") && gap <= 0)
    return cfgi_fail_at(err, QS_ERR_RANGE, map, 0, path,
                        "the interface %s/%s has no gap (one side's LUMO lies below the other's "
                        "HOMO), so it cannot be modelled",
                        A->name, B->name);
  if ((rc = build_traps(yt_get(map, "traps"), 1, gap, f->traps, &f->ntraps, err))) return rc;
  double val[5];
  for (int k = 1; k < 5; k++) {
    val[k] = spec[k]->def;
    const yt_node *v = yt_get(map, keys[k]);
    cfgi_val r;
    if (!v) continue;
    if ((rc = cfgi_read(spec[k], v, cfgi_join(kp, sizeof(kp), path, keys[k]), &r, err))) return rc;
    val[k] = spec[k]->kind == CK_BOOL ? r.i : r.d;
  }
  f->prefactor = val[1];
  f->width = val[2];
  f->emissive = val[3] != 0;
  f->plqy = val[4];
  if (f->emissive && !dev->layers[f->left].emissive && !dev->layers[f->left + 1].emissive)
    return cfgi_fail_at(err, QS_ERR_RANGE, yt_get(map, "emissive"), 0, path,
                        "an emissive interface takes its spectrum from an emissive neighbour, but "
                        "neither %s nor %s is emissive",
                        dev->layers[f->left].name, dev->layers[f->left + 1].name);
  for (int i = 0; i < dev->ninterfaces; i++)
    if (dev->interfaces[i].left == f->left)
      return cfgi_fail_at(err, QS_ERR_KEY, yt_get(map, "between"), 0, path,
                          "the interface %s/%s is listed twice", dev->layers[f->left].name,
                          dev->layers[f->left + 1].name);
  return 0;
}

static int build_interfaces(const yt_node *device, dev_device *dev, qs_err *err) {
  const yt_node *list = yt_get(device, "interfaces");
  if (!list) return 0;
  if (list->kind != YT_SEQ)
    return cfgi_fail_at(err, QS_ERR_TYPE, list, 0, "device.interfaces",
                        "expected a list of interfaces (each '- {between: [HTL, EML], ...}')");
  dev->interfaces = calloc((size_t)list->nchildren + 1, sizeof(dev_interface));
  if (!dev->interfaces) return qs_fail(err, QS_ERR_OTHER, "out of memory");
  for (const yt_node *m = list->first; m; m = m->next) {
    int rc = build_interface(m, dev, &dev->interfaces[dev->ninterfaces], err);
    if (rc) return rc;
    dev->ninterfaces++;
  }
  return 0;
}

int cfgi_build_device(cfgi_ctx *ctx, const yt_node *root, dev_device *dev, qs_err *err) {
  static const char *const keys[] = {"anode", "cathode", "layers", "outcoupling", "interfaces"};
  const yt_node *device = yt_get(root, "device");
  if (!device) return cfgi_missing(root, "", "device", "a map with anode, cathode and layers", err);
  int rc = cfgi_need_map(device, "device", "a map with anode, cathode and layers", err);
  if (rc || (rc = cfgi_check_keys(device, keys, 5, "device", err))) return rc;
  if ((rc = build_contact(ctx, device, "anode", &dev->anode, err))) return rc;
  if ((rc = build_contact(ctx, device, "cathode", &dev->cathode, err))) return rc;
  const yt_node *layers = yt_get(device, "layers"), *oc = yt_get(device, "outcoupling");
  if (!layers)
    return cfgi_missing(device, "device", "layers",
                        "a list of layers from anode to cathode, e.g. '- {name: HTL, thickness: "
                        "35 nm, material: TFB}'",
                        err);
  if (layers->kind != YT_SEQ)
    return cfgi_fail_at(err, QS_ERR_TYPE, layers, 0, "device.layers",
                        "found %s, expected a list of layers (each '- name: ...')",
                        layers->kind == YT_MAP ? "a map" : "a scalar");
  if (layers->nchildren == 0)
    return cfgi_fail_at(err, QS_ERR_KEY, layers, 0, "device.layers",
                        "no layers (expected at least one layer, listed from anode to cathode)");
  dev->layers = calloc((size_t)layers->nchildren, sizeof(dev_layer));
  if (!dev->layers) return qs_fail(err, QS_ERR_OTHER, "out of memory");
  int i = 0;
  for (const yt_node *l = layers->first; l; l = l->next, i++) {
    if ((rc = build_layer(ctx, l, &dev->layers[i], err))) return rc;
    dev->nlayers = i + 1;
    for (int j = 0; j < i; j++) {
      if (strcmp(dev->layers[j].name, dev->layers[i].name)) continue;
      const yt_node *nm = yt_get(l, "name"), *other = yt_get(yt_child(layers, j), "name");
      char p[PATHLEN];
      return cfgi_fail_at(err, QS_ERR_KEY, nm, 0, cfgi_path(nm, p, sizeof(p)),
                          "duplicate layer name '%s' (also used by device.layers[%d] at line %d; "
                          "layer names must be unique)",
                          nm->text, j, other->line);
    }
  }
  if ((rc = cfgi_check_layer_models(dev, layers, err))) return rc;
  dev->outcoupling = cfgi_key_outcoupling.def;
  if (oc) {
    cfgi_val v;
    if ((rc = cfgi_read(&cfgi_key_outcoupling, oc, "device.outcoupling", &v, err))) return rc;
    dev->outcoupling = v.d;
  }
  return build_interfaces(device, dev, err);
}

/* The resolved configuration as YAML: every material expanded inline, every value with its unit,
 * written so that loading it again gives bit-for-bit the same cfg_config without the database. */
#define _POSIX_C_SOURCE 200809L
#include "io/config_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int oom;
} emitter;

static yt_node *add(emitter *e, yt_node *map, const char *key, yt_node *v) {
  if (!v || !map) {
    yt_free(v);
    e->oom = 1;
    return NULL;
  }
  if (!yt_map_set(map, key, v)) e->oom = 1;
  return v;
}
static yt_node *str(const char *s) {
  return yt_new(YT_SCALAR, s, "<resolved>", 0, 0);
}
static yt_node *qstr(const char *s) {
  yt_node *n = str(s);
  if (n) n->quoted = 1;
  return n;
}
static yt_node *map(void) {
  return yt_new(YT_MAP, NULL, "<resolved>", 0, 0);
}
static yt_node *seq(void) {
  return yt_new(YT_SEQ, NULL, "<resolved>", 0, 0);
}
static yt_node *num_int(int i) {
  char b[32];
  snprintf(b, sizeof(b), "%d", i);
  return str(b);
}
static void qty(emitter *e, yt_node *m, const char *key, double v, unit_dim d) {
  add(e, m, key, cfgi_qty_node(v, d));
}
static yt_node *vlist(emitter *e, const double *V, int n) {
  yt_node *s = seq();
  for (int i = 0; s && i < n; i++) {
    yt_node *v = cfgi_qty_node(V[i], UNIT_VOLTAGE);
    if (!v) e->oom = 1;
    yt_seq_append(s, v);
  }
  if (!s) e->oom = 1;
  return s;
}

static void contact(emitter *e, yt_node *dev, const char *which, const dev_contact *c) {
  yt_node *m = add(e, dev, which, map());
  qty(e, m, "work_function", c->work_function, UNIT_ENERGY);
  add(e, m, "image_force", str(c->image_force ? "true" : "false"));
  qty(e, m, "S_n", c->S_n, UNIT_VELOCITY);
  qty(e, m, "S_p", c->S_p, UNIT_VELOCITY);
}

static void traps(emitter *e, yt_node *parent, const dev_trap *t, int n, int per_area) {
  static const char *const shape[] = {"discrete", "gaussian", "exponential"};
  if (n == 0) return;
  yt_node *list = add(e, parent, "traps", seq());
  for (int k = 0; list && k < n; k++) {
    yt_node *m = map();
    if (!m) {
      e->oom = 1;
      return;
    }
    yt_seq_append(list, m);
    add(e, m, "carrier", str(t[k].hole ? "hole" : "electron"));
    qty(e, m, "density", t[k].density, per_area ? UNIT_AREAL_DENSITY : UNIT_DENSITY);
    qty(e, m, "depth", t[k].depth, UNIT_ENERGY);
    add(e, m, "distribution", str(shape[t[k].shape]));
    qty(e, m, "width", t[k].width, UNIT_ENERGY);
    qty(e, m, "c_n", t[k].c_n, UNIT_RATE_BIMOLECULAR);
    qty(e, m, "c_p", t[k].c_p, UNIT_RATE_BIMOLECULAR);
  }
}

/* The blend map with every key resolved (cross-linker properties inline, so no database is
 * needed to load it again). */
static void blend(emitter *e, yt_node *layer, const dev_blend *b) {
  static const char *const lev[] = {"linear", "host", "table"};
  static const char *const mods[] = {"hoesterey-letson", "dilution", "disorder", "table"};
  yt_node *m = add(e, layer, "blend", map());
  if (!m) return;
  add(e, m, "crosslinker", str(b->crosslinker));
  qty(e, m, "fraction", b->fraction, UNIT_NONE);
  add(e, m, "fraction_kind", str(b->fraction_weight ? "weight" : "site"));
  add(e, m, "levels", str(lev[b->levels]));
  yt_node *ml = add(e, m, "model", seq());
  for (int k = 0; ml && k < 4; k++)
    if (b->mobility_models & (1 << k)) yt_seq_append(ml, str(mods[k]));
  if (ml && ml->nchildren == 0) yt_seq_append(ml, str("none"));
  add(e, m, "traps", str(b->traps ? "true" : "false"));
  qty(e, m, "localization_length", b->loc_length, UNIT_LENGTH);
  qty(e, m, "c_n", b->c_n, UNIT_RATE_BIMOLECULAR);
  qty(e, m, "c_p", b->c_p, UNIT_RATE_BIMOLECULAR);
  const struct {
    const char *key;
    const double (*tab)[2];
    int n;
    unit_dim d;
  } tabs[] = {{"mobility_table", (const double(*)[2])b->mu_tab, b->n_mu, UNIT_MOBILITY},
              {"homo_table", (const double(*)[2])b->homo_tab, b->n_homo, UNIT_ENERGY},
              {"lumo_table", (const double(*)[2])b->lumo_tab, b->n_lumo, UNIT_ENERGY}};
  for (int k = 0; k < 3; k++) {
    if (!tabs[k].n) continue;
    yt_node *t = add(e, m, tabs[k].key, seq());
    for (int r = 0; t && r < tabs[k].n; r++) {
      yt_node *row = seq();
      if (!row) {
        e->oom = 1;
        return;
      }
      yt_seq_append(t, row);
      yt_seq_append(row, cfgi_qty_node(tabs[k].tab[r][0], UNIT_NONE));
      yt_seq_append(row, cfgi_qty_node(tabs[k].tab[r][1], tabs[k].d));
    }
  }
  qty(e, m, "crosslinker_homo", b->xl_homo, UNIT_ENERGY);
  qty(e, m, "crosslinker_lumo", b->xl_lumo, UNIT_ENERGY);
  if (b->xl_molar_mass > 0) qty(e, m, "crosslinker_molar_mass", b->xl_molar_mass, UNIT_MOLAR_MASS);
  if (b->xl_sigma > 0) qty(e, m, "crosslinker_sigma", b->xl_sigma, UNIT_ENERGY);
  if (b->host_molar_mass > 0) qty(e, m, "host_molar_mass", b->host_molar_mass, UNIT_MOLAR_MASS);
}

static void material(emitter *e, yt_node *layer, const dev_layer *L) {
  static const char *const mob[] = {"constant", "poole-frenkel", "egdm", "gdm"};
  static const char *const stat[] = {"boltzmann", "gauss-fermi"};
  yt_node *m = add(e, layer, "material", map());
  if (strcmp(L->material, "inline") != 0) add(e, m, "name", str(L->material));
  double val[MK_COUNT_] = {0};
  val[MK_EPS_R] = L->eps_r;
  val[MK_HOMO] = L->E_homo;
  val[MK_LUMO] = L->E_lumo;
  val[MK_NC] = L->cb.N;
  val[MK_NV] = L->vb.N;
  val[MK_MU_N] = L->cb.mu0;
  val[MK_MU_P] = L->vb.mu0;
  val[MK_PF_GAMMA_N] = L->cb.pf_gamma;
  val[MK_PF_GAMMA_P] = L->vb.pf_gamma;
  val[MK_SIGMA_N] = L->cb.sigma;
  val[MK_SIGMA_P] = L->vb.sigma;
  val[MK_N_D] = L->N_D;
  val[MK_N_A] = L->N_A;
  val[MK_LANGEVIN] = L->langevin;
  val[MK_TAU_N] = L->tau_n;
  val[MK_TAU_P] = L->tau_p;
  val[MK_E_T] = L->E_t;
  val[MK_C_N] = L->C_n;
  val[MK_C_P] = L->C_p;
  val[MK_PLQY] = L->plqy;
  val[MK_PEAK_WAVELENGTH] = L->peak_wavelength;
  val[MK_FWHM] = L->fwhm;
  val[MK_MU_T_REF] = L->vb.T_ref;
  val[MK_GDM_SIGMA_N] = L->cb.gdm_Sigma;
  val[MK_GDM_SIGMA_P] = L->vb.gdm_Sigma;
  val[MK_GDM_C] = L->vb.gdm_C;
  for (int k = 0; k < MK_COUNT_; k++) {
    const cfgi_key *key = &cfgi_matkeys[k];
    if (key->flags & CFGI_DBONLY) continue;
    switch (k) {
    case MK_MOBILITY_N:
      add(e, m, key->key, str(mob[L->cb.mobility]));
      break;
    case MK_MOBILITY_P:
      add(e, m, key->key, str(mob[L->vb.mobility]));
      break;
    case MK_STATISTICS:
      add(e, m, key->key, str(stat[L->statistics == DEV_STAT_GAUSS_FERMI]));
      break;
    case MK_EMISSIVE:
      add(e, m, key->key, str(L->emissive ? "true" : "false"));
      break;
    case MK_PEAK_WAVELENGTH:
    case MK_FWHM:
      if (val[k] > 0) qty(e, m, key->key, val[k], key->dim); /* absent on dark layers */
      break;
    default:
      qty(e, m, key->key, val[k], key->dim);
      break;
    }
  }
}

char *cfg_resolved_yaml(const cfg_config *cfg) {
  emitter e = {0};
  yt_node *root = map();
  if (!root) return NULL;
  const dev_device *d = &cfg->dev;
  qty(&e, root, "temperature", d->T, UNIT_TEMPERATURE);
  yt_node *dev = add(&e, root, "device", map());
  contact(&e, dev, "anode", &d->anode);
  contact(&e, dev, "cathode", &d->cathode);
  qty(&e, dev, "outcoupling", d->outcoupling, UNIT_NONE);
  yt_node *layers = add(&e, dev, "layers", seq());
  for (int i = 0; layers && i < d->nlayers; i++) {
    const dev_layer *L = &d->layers[i];
    yt_node *l = map();
    if (!l) {
      e.oom = 1;
      break;
    }
    yt_seq_append(layers, l);
    add(&e, l, "name", str(L->name));
    qty(&e, l, "thickness", L->thickness, UNIT_LENGTH);
    dev_layer H = *L; /* a blended layer is written as its host plus the blend */
    if (L->blend.active) {
      H.E_homo = L->host.E_homo;
      H.E_lumo = L->host.E_lumo;
      H.cb.mu0 = L->host.mu_n;
      H.vb.mu0 = L->host.mu_p;
      H.cb.sigma = L->host.sigma_n;
      H.vb.sigma = L->host.sigma_p;
      H.ntraps = L->host.ntraps;
    }
    material(&e, l, &H);
    traps(&e, l, H.traps, H.ntraps, 0);
    if (L->blend.active) blend(&e, l, &L->blend);
  }
  yt_node *ifs = d->ninterfaces ? add(&e, dev, "interfaces", seq()) : NULL;
  for (int i = 0; ifs && i < d->ninterfaces; i++) {
    const dev_interface *f = &d->interfaces[i];
    yt_node *m = map(), *b = seq();
    if (!m || !b) {
      yt_free(m);
      yt_free(b);
      e.oom = 1;
      break;
    }
    yt_seq_append(ifs, m);
    yt_seq_append(b, str(d->layers[f->left].name));
    yt_seq_append(b, str(d->layers[f->left + 1].name));
    add(&e, m, "between", b);
    qty(&e, m, "prefactor", f->prefactor, UNIT_NONE);
    qty(&e, m, "width", f->width, UNIT_LENGTH);
    add(&e, m, "emissive", str(f->emissive ? "true" : "false"));
    qty(&e, m, "plqy", f->plqy, UNIT_NONE);
    traps(&e, m, f->traps, f->ntraps, 1);
  }
  yt_node *sw = add(&e, root, "sweep", map());
  if (cfg->sweep.mode == CFG_SWEEP_RANGE) {
    qty(&e, sw, "from", cfg->sweep.from, UNIT_VOLTAGE);
    qty(&e, sw, "to", cfg->sweep.to, UNIT_VOLTAGE);
    qty(&e, sw, "step", cfg->sweep.step, UNIT_VOLTAGE);
  } else {
    add(&e, sw, "points", vlist(&e, cfg->V, cfg->nV));
  }
  yt_node *mesh = add(&e, root, "mesh", map());
  add(&e, mesh, "nodes", num_int(cfg->mesh.nodes));
  qty(&e, mesh, "h_min", cfg->mesh.h_min, UNIT_LENGTH);
  qty(&e, mesh, "max_ratio", cfg->mesh.max_ratio, UNIT_NONE);
  yt_node *sol = add(&e, root, "solver", map());
  add(&e, sol, "max_halvings", num_int(cfg->solver.max_halvings));
  add(&e, sol, "max_newton", num_int(cfg->solver.max_newton));
  qty(&e, sol, "max_update", cfg->solver.max_update, UNIT_NONE);
  qty(&e, sol, "max_step", cfg->solver.max_step, UNIT_VOLTAGE);
  if (cfg->solver.petsc_options) add(&e, sol, "petsc_options", qstr(cfg->solver.petsc_options));
  yt_node *out = add(&e, root, "output", map());
  if (cfg->output.file) add(&e, out, "file", qstr(cfg->output.file));
  if (cfg->output.fields == CFG_FIELDS_LIST)
    add(&e, out, "fields", vlist(&e, cfg->output.field_V, cfg->output.nfield_V));
  else
    add(&e, out, "fields", str(cfg->output.fields == CFG_FIELDS_NONE ? "none" : "all"));
  char *body = e.oom ? NULL : yt_emit_string(root);
  yt_free(root);
  if (!body) return NULL;
  char *src = strdup(cfg->path ? cfg->path : "<string>");
  if (!src) {
    free(body);
    return NULL;
  }
  for (char *p = src; *p; p++)
    if ((unsigned char)*p < 0x20) *p = '?'; /* keep the comment on one line */
  size_t n = strlen(body) + strlen(src) + 128;
  char *text = malloc(n);
  if (text)
    snprintf(text, n, "# qledsim resolved configuration of %s (materials expanded, SI-exact)\n%s",
             src, body);
  free(src);
  free(body);
  return text;
}

/* Set-up, scaling, boundary values and post-processing of the drift-diffusion system. */
#include "solver/dd.h"
#include "solver/dd_record.h"
#include "physics/bernoulli.h"
#include "physics/constants.h"
#include "physics/mobility.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DD_LOGSCALE_MAX 700.0 /* keep exp(L) representable */

static double clamp_log(double L) {
  if (!(L > -DD_LOGSCALE_MAX)) return -DD_LOGSCALE_MAX; /* also catches NaN */
  return L < DD_LOGSCALE_MAX ? L : DD_LOGSCALE_MAX;
}

static int layer_constants(const dev_device *dev, const dev_layer *ly, double kT, dd_layer *d) {
  const double Wc = dev->cathode.work_function;
  const double chi = -ly->E_lumo, ip = -ly->E_homo;
  const int gauss = ly->statistics == DEV_STAT_GAUSS_FERMI;
  if (stat_band_init(&d->sn, ly->cb.N, gauss ? ly->cb.sigma / kT : 0.0) ||
      stat_band_init(&d->sp, ly->vb.N, gauss ? ly->vb.sigma / kT : 0.0))
    return 1;
  d->cn = (chi - Wc) / kT;
  d->cp0 = (Wc - ip) / kT;
  d->an = d->sn.lnN + d->cn;
  d->ap0 = d->sp.lnN + d->cp0;
  d->eps = PHYS_EPS0 * ly->eps_r;
  d->dop = ly->N_D - ly->N_A;
  char why[128];
  if (mob_band_init(&d->mobn, &ly->cb, dev->T, why, sizeof(why)) ||
      mob_band_init(&d->mobp, &ly->vb, dev->T, why, sizeof(why)))
    return 1; /* the config reader validates the same models and reports why */
  d->mun = d->mobn.mu0T;
  d->mup = d->mobp.mu0T;
  d->rec.kL = rec_langevin_coefficient(ly->langevin, d->mun, d->mup, d->eps);
  d->rec.tau_n = ly->tau_n;
  d->rec.tau_p = ly->tau_p;
  /* n1, p1: densities with the Fermi level at the trap level (band-relative, so constant) */
  double g;
  d->rec.n1 = exp(d->sn.lnN + stat_eval(&d->sn, (ly->E_t - ly->E_lumo) / kT, &g, NULL));
  d->rec.p1 = exp(d->sp.lnN + stat_eval(&d->sp, (ly->E_homo - ly->E_t) / kT, &g, NULL));
  d->rec.C_n = ly->C_n;
  d->rec.C_p = ly->C_p;
  return trap_set_build(ly->traps, ly->ntraps, ly->E_lumo - ly->E_homo, kT, &d->traps);
}

/* Interface traps: levels measured from the lower LUMO (electrons) and the higher HOMO (holes)
 * of the two sides, whose carriers they exchange with. */
static int set_interface_traps(dd_ctx *c) {
  const dev_device *dev = c->dev;
  c->iftraps = calloc((size_t)c->n, sizeof(trap_set));
  c->if_eside = calloc((size_t)c->n, sizeof(int));
  c->if_hside = calloc((size_t)c->n, sizeof(int));
  if (!c->iftraps || !c->if_eside || !c->if_hside) return 1;
  for (int k = 0; k < dev->ninterfaces; k++) {
    const dev_interface *f = &dev->interfaces[k];
    if (f->ntraps == 0) continue;
    const int i = c->mesh->layer_first[f->left + 1];
    const dev_layer *L = &dev->layers[f->left], *R = &dev->layers[f->left + 1];
    c->if_eside[i] = R->E_lumo < L->E_lumo;
    c->if_hside[i] = R->E_homo > L->E_homo;
    const double ec = fmin(L->E_lumo, R->E_lumo), ev = fmax(L->E_homo, R->E_homo);
    if (trap_set_build(f->traps, f->ntraps, ec - ev, c->kT, &c->iftraps[i])) return 1;
    /* levels were built against the gap ec - ev; shift them to the sides' own band edges */
    const dev_layer *es = c->if_eside[i] ? R : L, *hs = c->if_hside[i] ? R : L;
    for (int q = 0; q < c->iftraps[i].n; q++) {
      trap_level *lv = &c->iftraps[i].lv[q];
      lv->a -= (es->E_lumo - ec) / c->kT;
      lv->b -= (ev - hs->E_homo) / c->kT;
    }
  }
  return 0;
}

/* Cross-interface Langevin coefficients times width at the heterointerface nodes. */
static void set_interface_coefficients(dd_ctx *c) {
  const dev_device *dev = c->dev;
  for (int k = 0; k < dev->ninterfaces; k++) {
    const dev_interface *f = &dev->interfaces[k];
    const int i = c->mesh->layer_first[f->left + 1];
    const dd_layer *L = &c->lay[f->left], *R = &c->lay[f->left + 1];
    const double eps = 0.5 * (L->eps + R->eps), w = f->prefactor * f->width;
    c->kx_RL[i] = w * rec_langevin_coefficient(1.0, R->mun, L->mup, eps);
    c->kx_LR[i] = w * rec_langevin_coefficient(1.0, L->mun, R->mup, eps);
  }
}

static double *alloc_doubles(int n) { return calloc((size_t)n, sizeof(double)); }

int dd_create(const dev_device *dev, const mesh_t *mesh, dd_ctx *c) {
  memset(c, 0, sizeof(*c));
  const int n = mesh->n;
  c->dev = dev;
  c->mesh = mesh;
  c->n = n;
  c->kT = PHYS_KB * dev->T;
  c->Vt = c->kT / PHYS_Q;
  c->v_builtin = (dev->cathode.work_function - dev->anode.work_function) / c->kT;
  c->lay = calloc((size_t)dev->nlayers, sizeof(dd_layer));
  double **arrays[] = {&c->volL, &c->volR, &c->Kn0, &c->Kp0, &c->pois_scale, &c->cont_n,
                       &c->cont_p, &c->Ln, &c->Lp, &c->sn, &c->sp, &c->ntL, &c->ntR,
                       &c->ptL, &c->ptR, &c->kx_RL, &c->kx_LR, &c->zeL, &c->zeR, &c->zhL,
                       &c->zhR, &c->geL, &c->geR, &c->ghL, &c->ghR};
  int ok = c->lay != NULL && dd_record_alloc(&c->rec, n) == 0;
  for (size_t k = 0; k < sizeof(arrays) / sizeof(arrays[0]); k++) {
    *arrays[k] = alloc_doubles(n);
    ok = ok && *arrays[k];
  }
  if (!ok) {
    dd_free(c);
    return 1;
  }
  for (int l = 0; l < dev->nlayers; l++)
    if (layer_constants(dev, &dev->layers[l], c->kT, &c->lay[l])) {
      dd_free(c);
      return 1;
    }
  for (int i = 0; i < n; i++) {
    double pmax = 0.0, kn = 0.0, kp = 0.0;
    for (int s = 0; s < 2; s++) {
      const int cell = s == 0 ? i - 1 : i;
      if (cell < 0 || cell >= n - 1) continue;
      const dd_layer *ly = &c->lay[mesh->cell_layer[cell]];
      const double h = mesh->h[cell];
      if (s == 0) c->volL[i] = 0.5 * h;
      else c->volR[i] = 0.5 * h;
      pmax = fmax(pmax, ly->eps * c->Vt / h);
      kn = fmax(kn, ly->mun * c->kT / h);
      kp = fmax(kp, ly->mup * c->kT / h);
    }
    c->pois_scale[i] = 1.0 / pmax;
    c->cont_n[i] = 1.0 / kn;
    c->cont_p[i] = 1.0 / kp;
  }
  for (int cell = 0; cell < n - 1; cell++) {
    const dd_layer *ly = &c->lay[mesh->cell_layer[cell]];
    c->Kn0[cell] = ly->mun * c->kT / mesh->h[cell];
    c->Kp0[cell] = ly->mup * c->kT / mesh->h[cell];
  }
  for (int i = 0; i < n; i++) c->sn[i] = c->sp[i] = 1.0;
  set_interface_coefficients(c);
  if (set_interface_traps(c)) {
    dd_free(c);
    return 1;
  }
  dd_set_bias(c, 0.0);
  return 0;
}

void dd_free(dd_ctx *c) {
  for (int l = 0; c->lay && c->dev && l < c->dev->nlayers; l++) {
    stat_band_free(&c->lay[l].sn);
    stat_band_free(&c->lay[l].sp);
    trap_set_free(&c->lay[l].traps);
  }
  for (int i = 0; c->iftraps && i < c->n; i++) trap_set_free(&c->iftraps[i]);
  free(c->iftraps);
  free(c->if_eside);
  free(c->if_hside);
  free(c->lay);
  dd_record_free(c->rec);
  double *arrays[] = {c->volL, c->volR, c->Kn0, c->Kp0, c->pois_scale, c->cont_n, c->cont_p,
                      c->Ln, c->Lp, c->sn, c->sp, c->ntL, c->ntR, c->ptL, c->ptR,
                      c->kx_RL, c->kx_LR, c->zeL, c->zeR, c->zhL, c->zhR, c->geL, c->geR,
                      c->ghL, c->ghR};
  for (size_t k = 0; k < sizeof(arrays) / sizeof(arrays[0]); k++) free(arrays[k]);
  memset(c, 0, sizeof(*c));
}

void dd_set_bias(dd_ctx *c, double V) { c->V = V; }

void dd_boundary(const dd_ctx *c, dd_field *anode, dd_field *cathode) {
  const double u = c->V / c->Vt;
  anode->v = c->v_builtin + u;
  anode->zn = -u;
  anode->zp = 0.0;
  cathode->v = 0.0;
  cathode->zn = 0.0;
  cathode->zp = u;
}

/* Layer on side s of node i (the existing side at a contact). */
static const dd_layer *side_layer(const dd_ctx *c, int i, int s) {
  int cell = s == 0 ? i - 1 : i;
  if (cell < 0) cell = 0;
  if (cell > c->n - 2) cell = c->n - 2;
  return &c->lay[c->mesh->cell_layer[cell]];
}

/* Log of the (unscaled) electron and hole density on side s of node i. */
static void log_densities(const dd_ctx *c, const dd_field *x, int i, int s, double *lnn,
                          double *lnp) {
  const dd_layer *ly = side_layer(c, i, s);
  double g;
  *lnn = ly->sn.lnN + stat_eval(&ly->sn, x[i].zn + x[i].v + ly->cn, &g, NULL);
  *lnp = ly->sp.lnN + stat_eval(&ly->sp, -x[i].zp - x[i].v + ly->cp0 + c->V / c->Vt, &g, NULL);
}

void dd_node_zeta(const dd_ctx *c, const dd_field *x, int i, int s, double *zeta_n,
                  double *zeta_p) {
  const dd_layer *ly = side_layer(c, i, s);
  double g;
  const double en = x[i].zn + x[i].v + ly->cn, ep = -x[i].zp - x[i].v + ly->cp0 + c->V / c->Vt;
  *zeta_n = en - stat_eval(&ly->sn, en, &g, NULL);
  *zeta_p = ep - stat_eval(&ly->sp, ep, &g, NULL);
}

/* Per-node density scales: the larger density of the node's two sides (they differ only at a
 * heterojunction; inside a layer one evaluation serves both, with the same result). */
void dd_freeze_scales(dd_ctx *c, const dd_field *x) {
  for (int i = 0; i < c->n; i++) {
    double n0, p0, n1, p1;
    log_densities(c, x, i, 0, &n0, &p0);
    if (side_layer(c, i, 1) == side_layer(c, i, 0)) {
      n1 = n0;
      p1 = p0;
    } else {
      log_densities(c, x, i, 1, &n1, &p1);
    }
    c->Ln[i] = clamp_log(fmax(n0, n1));
    c->Lp[i] = clamp_log(fmax(p0, p1));
    c->sn[i] = exp(c->Ln[i]);
    c->sp[i] = exp(c->Lp[i]);
  }
}

void dd_node_densities(const dd_ctx *c, const dd_field *x, int i, int s, double *n, double *p) {
  double lnn, lnp;
  log_densities(c, x, i, s, &lnn, &lnp);
  *n = exp(lnn);
  *p = exp(lnp);
}

void dd_initial_guess(const dd_ctx *c, dd_field *x) {
  dd_field a, k;
  dd_boundary(c, &a, &k);
  const double L = c->mesh->x[c->n - 1];
  for (int i = 0; i < c->n; i++) {
    const double t = c->mesh->x[i] / L;
    x[i].v = a.v + t * (k.v - a.v);
    x[i].zn = a.zn + t * (k.zn - a.zn);
    x[i].zp = a.zp + t * (k.zp - a.zp);
  }
}

void dd_residual_physical(const dd_ctx *c, const dd_field *f, double *fkt, double *jsum) {
  const int n = c->n;
  double m = 0.0, sum = 0.0;
  for (int i = 0; i < n; i++) {
    m = fmax(m, fabs(f[i].v));
    if (i == 0 || i == n - 1) {
      m = fmax(m, fmax(fabs(f[i].zn), fabs(f[i].zp)));
      continue;
    }
    sum += fabs(f[i].zn) * c->sn[i] / c->cont_n[i] + fabs(f[i].zp) * c->sp[i] / c->cont_p[i];
  }
  *fkt = m;
  *jsum = sum;
}

int dd_jac_alloc(dd_jac *J, int n) {
  J->n = n;
  J->D = calloc((size_t)n, sizeof(*J->D));
  J->Lo = calloc((size_t)n, sizeof(*J->Lo));
  J->Up = calloc((size_t)n, sizeof(*J->Up));
  if (!J->D || !J->Lo || !J->Up) {
    dd_jac_free(J);
    return 1;
  }
  return 0;
}

void dd_jac_free(dd_jac *J) {
  free(J->D);
  free(J->Lo);
  free(J->Up);
  memset(J, 0, sizeof(*J));
}

int dd_currents_alloc(dd_currents *cur, int n) {
  cur->Jn = calloc((size_t)n, sizeof(double));
  cur->Jp = calloc((size_t)n, sizeof(double));
  if (!cur->Jn || !cur->Jp) {
    dd_currents_free(cur);
    return 1;
  }
  return 0;
}

void dd_currents_free(dd_currents *cur) {
  free(cur->Jn);
  free(cur->Jp);
  cur->Jn = cur->Jp = NULL;
}

/* Densities [m^-3], excess chemical potentials and g = d ln n / d eta of both carriers on side s
 * of node i, from one statistics evaluation each. */
typedef struct {
  double n, p, zeta_n, zeta_p, g_n, g_p;
} side_carriers;

static side_carriers carriers_at(const dd_ctx *c, const dd_field *x, int i, int s) {
  const dd_layer *ly = side_layer(c, i, s);
  side_carriers k;
  const double en = x[i].zn + x[i].v + ly->cn, ep = -x[i].zp - x[i].v + ly->cp0 + c->V / c->Vt;
  const double ln_ = stat_eval(&ly->sn, en, &k.g_n, NULL), lp = stat_eval(&ly->sp, ep, &k.g_p, NULL);
  k.n = exp(ly->sn.lnN + ln_);
  k.p = exp(ly->sp.lnN + lp);
  k.zeta_n = en - ln_;
  k.zeta_p = ep - lp;
  return k;
}

/* Currents of one cell from its conductances Gn, Gp and quasi-Fermi-level factors En =
 * expm1(zn_j - zn_i), Ep = expm1(-(zp_j - zp_i)); the cell becomes J_cell if its rounding bound
 * G (1 + |z_i| + |z_j|) is the smallest so far (*best). */
static void cell_currents(const dd_field *x, int cell, double Gn, double Gp, double En, double Ep,
                          double *best, dd_currents *cur) {
  const int i = cell, j = cell + 1;
  cur->Jn[cell] = Gn * En;
  cur->Jp[cell] = -Gp * Ep;
  const double err = Gn * (1.0 + fabs(x[i].zn) + fabs(x[j].zn)) +
                     Gp * (1.0 + fabs(x[i].zp) + fabs(x[j].zp));
  if (err < *best) {
    *best = err;
    cur->J_cell = cell;
  }
}

/* dd_compute_currents from the record of the assembly at this state. */
static void recorded_currents(const dd_ctx *c, const dd_field *x, dd_currents *cur) {
  double best = INFINITY;
  cur->J_cell = 0;
  for (int cell = 0; cell < c->n - 1; cell++) {
    const double *r = c->rec->cell + (size_t)cell * DD_REC_NCELL;
    cell_currents(x, cell, r[0], r[1], r[2], r[3], &best, cur);
  }
  cur->J = cur->Jn[cur->J_cell] + cur->Jp[cur->J_cell];
}

/* Cell currents from the Scharfetter-Gummel flux in quasi-Fermi form. The terminal current is
 * read at the cell whose rounding error is smallest: a cell flux is G expm1(dz) with conductance
 * G = K n B; rounding of z (about eps |z|) perturbs it by G eps |z|. The carriers on the right of
 * a node inside a layer are those on its left: evaluated once (this runs at every bias point). */
void dd_compute_currents(const dd_ctx *c, const dd_field *x, dd_currents *cur) {
  if (dd_record_matches(c, x)) {
    recorded_currents(c, x, cur);
    return;
  }
  const mesh_t *m = c->mesh;
  double best = INFINITY;
  cur->J_cell = 0;
  side_carriers L = carriers_at(c, x, 0, 1);
  for (int cell = 0; cell < c->n - 1; cell++) {
    const int i = cell, j = cell + 1;
    const double a = x[j].v - x[i].v;
    const side_carriers R = carriers_at(c, x, j, 0);
    double Bp, Bm, dBp, dBm, Cp, Cm;
    bern_pair(a - (R.zeta_n - L.zeta_n), &Bp, &Bm, &dBp, &dBm); /* electrons: potential v - zeta_n */
    bern_pair(a + (R.zeta_p - L.zeta_p), &Cp, &Cm, &dBp, &dBm); /* holes: potential v + zeta_p */
    const dd_layer *dl = &c->lay[m->cell_layer[cell]];
    const double E = -c->Vt * a / m->h[cell];
    double d1, d2, d3;
    const double fn = mob_face_factor(&dl->mobn, L.n, R.n, E, &d1, &d2, &d3);
    const double fp = mob_face_factor(&dl->mobp, L.p, R.p, E, &d1, &d2, &d3);
    const double Gn = fn * c->Kn0[cell] * L.n * Bm, Gp = fp * c->Kp0[cell] * L.p * Cp;
    cell_currents(x, cell, Gn, Gp, expm1(x[j].zn - x[i].zn), expm1(-(x[j].zp - x[i].zp)), &best,
                  cur);
    L = mesh_is_interface(m, j) ? carriers_at(c, x, j, 1) : R;
  }
  cur->J = cur->Jn[cur->J_cell] + cur->Jp[cur->J_cell];
}

double dd_interface_recombination(const dd_ctx *c, const dd_field *x, int i) {
  if (c->kx_RL[i] == 0.0 && c->kx_LR[i] == 0.0) return 0.0;
  double nL, pL, nR, pR;
  dd_node_densities(c, x, i, 0, &nL, &pL);
  dd_node_densities(c, x, i, 1, &nR, &pR);
  const double X = -expm1(-(x[i].zn - x[i].zp + c->V / c->Vt));
  return (c->kx_RL[i] * nR * pL + c->kx_LR[i] * nL * pR) * X;
}

void dd_trap_state(const dd_ctx *c, const dd_field *x, int i, int s, trap_state *ts) {
  const dd_layer *ly = side_layer(c, i, s);
  const side_carriers k = carriers_at(c, x, i, s);
  ts->n = k.n;
  ts->p = k.p;
  ts->zeta_n = k.zeta_n;
  ts->zeta_p = k.zeta_p;
  ts->g_n = k.g_n;
  ts->g_p = k.g_p;
  ts->lnNn = ly->sn.lnN;
  ts->lnNp = ly->sp.lnN;
  ts->X = -expm1(-(x[i].zn - x[i].zp + c->V / c->Vt));
}

double dd_side_rate_at(const dd_ctx *c, int i, int s, const trap_state *ts, rec_channels *ch,
                       double *trap) {
  const dd_layer *ly = side_layer(c, i, s);
  double R, d1, d2, d3;
  rec_eval(&ly->rec, ts->n, ts->p, ts->X, &R, &d1, &d2, &d3, ch);
  double rt = 0.0;
  if (ly->traps.n) {
    trap_out o;
    trap_eval(&ly->traps, ts, &o);
    rt = o.R;
  }
  if (trap) *trap = rt;
  return R + rt;
}

double dd_side_rate(const dd_ctx *c, const dd_field *x, int i, int s, rec_channels *ch,
                    double *trap) {
  trap_state ts;
  dd_trap_state(c, x, i, s, &ts);
  return dd_side_rate_at(c, i, s, &ts, ch, trap);
}

double dd_interface_trap_recombination(const dd_ctx *c, const dd_field *x, int i) {
  if (!c->iftraps || c->iftraps[i].n == 0) return 0.0;
  trap_state te, th;
  dd_trap_state(c, x, i, c->if_eside[i], &te);
  dd_trap_state(c, x, i, c->if_hside[i], &th);
  te.p = th.p, te.zeta_p = th.zeta_p, te.g_p = th.g_p, te.lnNp = th.lnNp;
  trap_out o;
  trap_eval(&c->iftraps[i], &te, &o);
  return o.R;
}

/* Net rate of side s of node i: from the record when rec (checked by the caller), else
 * evaluated. */
static double side_rate(const dd_ctx *c, const dd_field *x, int i, int s, int rec) {
  return rec ? dd_recorded_side_rate(c, i, s) : dd_side_rate(c, x, i, s, NULL, NULL);
}

/* dd_node_recombination with the record's rates when rec (the caller checked that the record
 * is of state x). */
static double node_recombination(const dd_ctx *c, const dd_field *x, int i, int rec) {
  double total = rec ? c->rec->iface[2 * i] + c->rec->iface[2 * i + 1]
                     : dd_interface_recombination(c, x, i) + dd_interface_trap_recombination(c, x, i);
  if (i > 0 && i < c->n - 1 && !mesh_is_interface(c->mesh, i)) /* one rate for both halves */
    return total + side_rate(c, x, i, 0, rec) * (c->volL[i] + c->volR[i]);
  for (int s = 0; s < 2; s++) {
    const int cell = s == 0 ? i - 1 : i;
    if (cell < 0 || cell > c->n - 2) continue;
    total += side_rate(c, x, i, s, rec) * (s == 0 ? c->volL[i] : c->volR[i]);
  }
  return total;
}

double dd_node_recombination(const dd_ctx *c, const dd_field *x, int i) {
  return node_recombination(c, x, i, 0);
}

void dd_conserved_currents(const dd_ctx *c, const dd_field *x, dd_currents *cur) {
  const int c0 = cur->J_cell, ncell = c->n - 1, rec = dd_record_matches(c, x);
  for (int cell = c0 + 1; cell < ncell; cell++)
    cur->Jn[cell] = cur->Jn[cell - 1] + PHYS_Q * node_recombination(c, x, cell, rec);
  for (int cell = c0 - 1; cell >= 0; cell--)
    cur->Jn[cell] = cur->Jn[cell + 1] - PHYS_Q * node_recombination(c, x, cell + 1, rec);
  for (int cell = 0; cell < ncell; cell++) cur->Jp[cell] = cur->J - cur->Jn[cell];
}

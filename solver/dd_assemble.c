/* Residual and exact Jacobian of the scaled Poisson/drift-diffusion system (see dd.h).
 * Sign convention (diagonal entries positive):
 *   F_v,i = sum_cells eps (psi_i - psi_j)/h - rho_i vol_i
 *   F_n,i = Jn(left cell) - Jn(right cell) + q R_i vol_i
 *   F_p,i = Jp(left cell) - Jp(right cell) - q R_i vol_i
 * Contact rows: see dd_contacts.c.
 *
 * Statistics enter through the excess chemical potential zeta = eta - ln(n/N) and
 * g = d ln n / d eta: with phi_n = v - zeta_n and phi_p = v + zeta_p the densities are
 * n = N exp(zn + phi_n + cn), p = N exp(-zp - phi_p + cp), exactly the Boltzmann form, so the
 * Scharfetter-Gummel flux in quasi-Fermi form keeps its shape with the potential step
 * a = dv replaced by a_n = d(phi_n), a_p = d(phi_p) (excess-chemical-potential scheme; zero flux
 * at equilibrium, classical SG when zeta = 0). d phi_n / d zn = -(1 - g_n), d phi_n / dv = g_n,
 * d phi_p / d zp = -(1 - g_p), d phi_p / dv = g_p. */
#include "solver/dd.h"
#include "solver/dd_record.h"
#include "physics/bernoulli.h"
#include "physics/constants.h"
#include "physics/mobility.h"

#include <math.h>
#include <string.h>

enum { V_ = 0, N_ = 1, P_ = 2 };
#define IDX(r, col) ((r) * 3 + (col))

/* Scaled density, excess chemical potential and g of one carrier for layer ly. */
static inline void carrier(const stat_band *b, double eta, double lnscale, double *nt,
                           double *zeta, double *g) {
  const double lnrel = stat_eval(b, eta, g, NULL);
  *nt = exp(b->lnN + lnrel - lnscale);
  *zeta = eta - lnrel;
}

/* Scaled densities, zeta and g on both sides of node i. */
static void side_densities(dd_ctx *c, const dd_field *x, int i) {
  const mesh_t *m = c->mesh;
  const double u = c->V / c->Vt;
  const int lL = i > 0 ? m->cell_layer[i - 1] : m->cell_layer[0];
  const int lR = i < c->n - 1 ? m->cell_layer[i] : lL;
  const dd_layer *a = &c->lay[lL];
  const double en = x[i].zn + x[i].v, ep = -x[i].zp - x[i].v + u;
  carrier(&a->sn, en + a->cn, c->Ln[i], &c->ntL[i], &c->zeL[i], &c->geL[i]);
  carrier(&a->sp, ep + a->cp0, c->Lp[i], &c->ptL[i], &c->zhL[i], &c->ghL[i]);
  if (lR == lL) {
    c->ntR[i] = c->ntL[i];
    c->ptR[i] = c->ptL[i];
    c->zeR[i] = c->zeL[i];
    c->zhR[i] = c->zhL[i];
    c->geR[i] = c->geL[i];
    c->ghR[i] = c->ghL[i];
  } else {
    const dd_layer *b = &c->lay[lR];
    carrier(&b->sn, en + b->cn, c->Ln[i], &c->ntR[i], &c->zeR[i], &c->geR[i]);
    carrier(&b->sp, ep + b->cp0, c->Lp[i], &c->ptR[i], &c->zhR[i], &c->ghR[i]);
  }
}

/* One Scharfetter-Gummel flux term T = s k dens B(sa * a') E, added to row r of node `row`
 * (other node `oth`), with its derivatives. The term's dependences: ln dens on the row node's
 * z (dlz) and v (dlv); a' = phi_j - phi_i with d phi / dz and d phi / dv of both nodes; E =
 * expm1(se * (z_j - z_i)) of carrier variable r. */
typedef struct {
  double T;          /* value */
  double dz_row, dz_oth, dv_row, dv_oth; /* derivatives */
} flux_term;

/* expm1(-d) given E = expm1(d). For d > -1 it is -E / (1 + E), without a second exponential and
 * without cancellation (1 + E = exp(d) > 0.37). Below, 1 + E loses the digits of exp(d) (relative
 * error 1e-16 exp(|d|); 1 + E = 0 exactly below d = -37, which made the flux Inf and the residual
 * NaN where a minority quasi-Fermi level jumps by ~40 kT between nodes): the direct expm1(-d). */
static inline double expm1_neg(double d, double E) {
  if (d > -1.0) return isinf(E) ? -1.0 : -E / (1.0 + E);
  return expm1(-d);
}

/* Electron and hole flux terms of a cell, for rows i (left) and j (right); their derivatives only
 * with jac (a residual without Jacobian, the last evaluation of most Newton solves, skips them). */
typedef struct {
  double Bm, Cp, E1, E3; /* B(-a_n), B(a_p), expm1(zn_j - zn_i), expm1(-(zp_j - zp_i)) */
} sg_values;

static void cell_fluxes(const dd_ctx *c, const dd_field *x, int cell, double ki, double kj,
                        double qi, double qj, int jac, flux_term tn[2], flux_term tp[2],
                        sg_values *sg) {
  const int i = cell, j = cell + 1;
  const double a = x[j].v - x[i].v;
  const double gi = c->geR[i], gj = c->geL[j], hi = c->ghR[i], hj = c->ghL[j];
  double Bp, Bm, dBp, dBm, Cp, Cm, dCp, dCm;
  const double an = a - (c->zeL[j] - c->zeR[i]), ap = a + (c->zhL[j] - c->zhR[i]);
  bern_pair(an, &Bp, &Bm, &dBp, &dBm); /* electrons: B(a_n), B(-a_n) */
  if (ap == an) { /* Boltzmann (or equal steps): same Bernoulli values */
    Cp = Bp, Cm = Bm, dCp = dBp, dCm = dBm;
  } else {
    bern_pair(ap, &Cp, &Cm, &dCp, &dCm); /* holes: B(a_p), B(-a_p) */
  }
  const double dzn = x[j].zn - x[i].zn, dzp = x[j].zp - x[i].zp;
  const double E1 = expm1(dzn), E4 = expm1(dzp);
  const double E2 = expm1_neg(dzn, E1), E3 = expm1_neg(dzp, E4);
  const double ni = c->ntR[i], nj = c->ntL[j], pi = c->ptR[i], pj = c->ptL[j];
  sg->Bm = Bm, sg->Cp = Cp, sg->E1 = E1, sg->E3 = E3;
  if (!jac) {
    tn[0].T = -ki * ni * Bm * E1;
    tn[1].T = -kj * nj * Bp * E2;
    tp[0].T = qi * pi * Cp * E3;
    tp[1].T = qj * pj * Cm * E4;
    return;
  }
  /* electrons, row i: T = -ki ni B(-a_n) E1 */
  double t = -ki * ni;
  tn[0].T = t * Bm * E1;
  tn[0].dz_row = t * (gi * Bm * E1 - dBm * (1.0 - gi) * E1 - Bm * (E1 + 1.0));
  tn[0].dz_oth = t * (Bm * (E1 + 1.0) + dBm * (1.0 - gj) * E1);
  tn[0].dv_row = t * E1 * gi * (Bm + dBm);
  tn[0].dv_oth = -t * E1 * dBm * gj;
  /* electrons, row j: T = -kj nj B(a_n) E2 */
  t = -kj * nj;
  tn[1].T = t * Bp * E2;
  tn[1].dz_row = t * (gj * Bp * E2 - dBp * (1.0 - gj) * E2 - Bp * (E2 + 1.0));
  tn[1].dz_oth = t * (dBp * (1.0 - gi) * E2 + Bp * (E2 + 1.0));
  tn[1].dv_row = t * E2 * gj * (Bp + dBp);
  tn[1].dv_oth = -t * E2 * dBp * gi;
  /* holes, row i: T = qi pi B(a_p) E3 */
  t = qi * pi;
  tp[0].T = t * Cp * E3;
  tp[0].dz_row = t * (-hi * Cp * E3 + dCp * (1.0 - hi) * E3 + Cp * (E3 + 1.0));
  tp[0].dz_oth = t * (-dCp * (1.0 - hj) * E3 - Cp * (E3 + 1.0));
  tp[0].dv_row = -t * E3 * hi * (Cp + dCp);
  tp[0].dv_oth = t * E3 * dCp * hj;
  /* holes, row j: T = qj pj B(-a_p) E4 */
  t = qj * pj;
  tp[1].T = t * Cm * E4;
  tp[1].dz_row = t * (-hj * Cm * E4 + dCm * (1.0 - hj) * E4 + Cm * (E4 + 1.0));
  tp[1].dz_oth = t * (-dCm * (1.0 - hi) * E4 - Cm * (E4 + 1.0));
  tp[1].dv_row = -t * E4 * hj * (Cm + dCm);
  tp[1].dv_oth = t * E4 * dCm * hi;
}

/* The cell's conductances and quasi-Fermi-level factors for the record (the currents follow in
 * dd_compute_currents, once per bias point instead of once per assembly). */
static void record_cell(const dd_ctx *c, int cell, double kn, double kp, const sg_values *sg) {
  double *r = c->rec->cell + (size_t)cell * DD_REC_NCELL;
  r[0] = kn * (c->ntR[cell] * c->sn[cell]) * sg->Bm;
  r[1] = kp * (c->ptR[cell] * c->sp[cell]) * sg->Cp;
  r[2] = sg->E1;
  r[3] = sg->E3;
}

/* Flux terms of one cell into the rows of its two nodes i (left) and j = i + 1 (right). */
static void assemble_cell(const dd_ctx *c, const dd_field *x, int cell, dd_field *f, dd_jac *J) {
  const int i = cell, j = cell + 1;
  const dd_layer *ly = &c->lay[c->mesh->cell_layer[cell]];
  const double h = c->mesh->h[cell];
  const double a = x[j].v - x[i].v;
  /* mobilities: K = K0 f(E, c_i, c_j), E = -Vt a / h; kfac = d ln K / da; dci, dcj =
   * d ln f / d ln c at the two nodes (EGDM) */
  const double E = -c->Vt * a / h;
  double dln_n, dln_p, dni, dnj, dpi, dpj;
  const double fn = mob_face_factor(&ly->mobn, c->ntR[i] * c->sn[i], c->ntL[j] * c->sn[j], E,
                                    &dln_n, &dni, &dnj);
  const double fp = mob_face_factor(&ly->mobp, c->ptR[i] * c->sp[i], c->ptL[j] * c->sp[j], E,
                                    &dln_p, &dpi, &dpj);
  const double kfac_n = -dln_n * c->Vt / h, kfac_p = -dln_p * c->Vt / h;
  const double ki = fn * c->Kn0[cell] * c->cont_n[i], kj = fn * c->Kn0[cell] * c->cont_n[j];
  const double qi = fp * c->Kp0[cell] * c->cont_p[i], qj = fp * c->Kp0[cell] * c->cont_p[j];
  const double ei = ly->eps * c->Vt / h * c->pois_scale[i];
  const double ej = ly->eps * c->Vt / h * c->pois_scale[j];
  flux_term tn[2], tp[2];
  sg_values sg;
  cell_fluxes(c, x, cell, ki, kj, qi, qj, J != NULL, tn, tp, &sg);
  record_cell(c, cell, fn * c->Kn0[cell], fp * c->Kp0[cell], &sg);

  f[i].v += ei * (x[i].v - x[j].v);
  f[j].v += ej * (x[j].v - x[i].v);
  f[i].zn += tn[0].T;
  f[j].zn += tn[1].T;
  f[i].zp += tp[0].T;
  f[j].zp += tp[1].T;
  if (!J) return;

  double *Di = J->D[i], *Dj = J->D[j], *Ui = J->Up[i], *Lj = J->Lo[j];
  Di[IDX(V_, V_)] += ei;
  Ui[IDX(V_, V_)] -= ei;
  Dj[IDX(V_, V_)] += ej;
  Lj[IDX(V_, V_)] -= ej;
  /* row i: own node i, other node j; row j: own node j, other node i. The mobility factor
   * depends on a = v_j - v_i: d T / d v_i += -T kfac, d T / d v_j += T kfac. */
  Di[IDX(N_, N_)] += tn[0].dz_row;
  Ui[IDX(N_, N_)] += tn[0].dz_oth;
  Di[IDX(N_, V_)] += tn[0].dv_row - tn[0].T * kfac_n;
  Ui[IDX(N_, V_)] += tn[0].dv_oth + tn[0].T * kfac_n;
  Dj[IDX(N_, N_)] += tn[1].dz_row;
  Lj[IDX(N_, N_)] += tn[1].dz_oth;
  Dj[IDX(N_, V_)] += tn[1].dv_row + tn[1].T * kfac_n;
  Lj[IDX(N_, V_)] += tn[1].dv_oth - tn[1].T * kfac_n;
  Di[IDX(P_, P_)] += tp[0].dz_row;
  Ui[IDX(P_, P_)] += tp[0].dz_oth;
  Di[IDX(P_, V_)] += tp[0].dv_row - tp[0].T * kfac_p;
  Ui[IDX(P_, V_)] += tp[0].dv_oth + tp[0].T * kfac_p;
  Dj[IDX(P_, P_)] += tp[1].dz_row;
  Lj[IDX(P_, P_)] += tp[1].dz_oth;
  Dj[IDX(P_, V_)] += tp[1].dv_row + tp[1].T * kfac_p;
  Lj[IDX(P_, V_)] += tp[1].dv_oth - tp[1].T * kfac_p;
  if (dni != 0.0 || dnj != 0.0) { /* density-dependent electron mobility: ln n_k has slope g_k
                                      in zn_k and v_k */
    const double ai = tn[0].T * dni * c->geR[i], aj = tn[0].T * dnj * c->geL[j];
    const double bi = tn[1].T * dni * c->geR[i], bj = tn[1].T * dnj * c->geL[j];
    Di[IDX(N_, N_)] += ai, Di[IDX(N_, V_)] += ai, Ui[IDX(N_, N_)] += aj, Ui[IDX(N_, V_)] += aj;
    Dj[IDX(N_, N_)] += bj, Dj[IDX(N_, V_)] += bj, Lj[IDX(N_, N_)] += bi, Lj[IDX(N_, V_)] += bi;
  }
  if (dpi != 0.0 || dpj != 0.0) { /* holes: ln p_k has slope -g_k in zp_k and v_k */
    const double ai = -tp[0].T * dpi * c->ghR[i], aj = -tp[0].T * dpj * c->ghL[j];
    const double bi = -tp[1].T * dpi * c->ghR[i], bj = -tp[1].T * dpj * c->ghL[j];
    Di[IDX(P_, P_)] += ai, Di[IDX(P_, V_)] += ai, Ui[IDX(P_, P_)] += aj, Ui[IDX(P_, V_)] += aj;
    Dj[IDX(P_, P_)] += bj, Dj[IDX(P_, V_)] += bj, Lj[IDX(P_, P_)] += bi, Lj[IDX(P_, V_)] += bi;
  }
}

/* Space charge and recombination of one side (half cell) of node i. */
static void assemble_side(const dd_ctx *c, const dd_field *x, int i, int side, double vol,
                          dd_field *f, dd_jac *J) {
  const int cell = side == 0 ? i - 1 : i;
  const dd_layer *ly = &c->lay[c->mesh->cell_layer[cell]];
  const double nt = side == 0 ? c->ntL[i] : c->ntR[i];
  const double pt = side == 0 ? c->ptL[i] : c->ptR[i];
  const double gn = side == 0 ? c->geL[i] : c->geR[i];
  const double gp = side == 0 ? c->ghL[i] : c->ghR[i];
  const double n = nt * c->sn[i], p = pt * c->sp[i];
  const double ps = c->pois_scale[i] * PHYS_Q * vol;
  f[i].v -= ps * (p - n + ly->dop);

  const double split = x[i].zn - x[i].zp + c->V / c->Vt;
  const double X = -expm1(-split), dX = 1.0 - X; /* dX/dzn = -dX/dzp = exp(-split) */
  double R, Rn, Rp, RX;
  rec_channels ch;
  rec_eval(&ly->rec, n, p, X, &R, &Rn, &Rp, &RX, &ch);
  double *rc = dd_record_side(c->rec, i, side);
  rc[DD_REC_LANGEVIN] = ch.langevin;
  rc[DD_REC_SRH] = ch.srh;
  rc[DD_REC_AUGER] = ch.auger;
  const double wn = PHYS_Q * vol * c->cont_n[i] / c->sn[i];
  const double wp = PHYS_Q * vol * c->cont_p[i] / c->sp[i];
  f[i].zn += wn * R;
  f[i].zp -= wp * R;
  if (!J) return;
  double *D = J->D[i];
  /* d ln n / d(zn, v) = g_n; d ln p / d(zp, v) = -g_p */
  D[IDX(V_, V_)] += ps * (p * gp + n * gn);
  D[IDX(V_, N_)] += ps * n * gn;
  D[IDX(V_, P_)] += ps * p * gp;
  const double dRdzn = Rn * gn + RX * dX, dRdzp = -Rp * gp - RX * dX, dRdv = Rn * gn - Rp * gp;
  D[IDX(N_, V_)] += wn * dRdv;
  D[IDX(N_, N_)] += wn * dRdzn;
  D[IDX(N_, P_)] += wn * dRdzp;
  D[IDX(P_, V_)] -= wp * dRdv;
  D[IDX(P_, N_)] -= wp * dRdzn;
  D[IDX(P_, P_)] -= wp * dRdzp;
}

/* Trapped charge and trap-assisted recombination of trap set ts with carrier state st, added to
 * node i with weights ps (Poisson: q vol or q per area, times the row scale) and wn, wp
 * (continuity: q vol (or q) times row scale / density scale). eta_n has slope +1 in zn and v,
 * eta_p slope -1 in zp and v. */
static double assemble_traps(const trap_set *ts, const trap_state *st, int i, double ps,
                             double wn, double wp, dd_field *f, dd_jac *J) {
  trap_out o;
  trap_eval(ts, st, &o);
  const double dX = 1.0 - st->X;
  f[i].v -= ps * o.rho;
  f[i].zn += wn * o.R;
  f[i].zp -= wp * o.R;
  if (!J) return o.R;
  double *D = J->D[i];
  D[IDX(V_, N_)] -= ps * o.drho_den;
  D[IDX(V_, P_)] += ps * o.drho_dep;
  D[IDX(V_, V_)] -= ps * (o.drho_den - o.drho_dep);
  const double dzn = o.dR_den + o.dR_dX * dX, dzp = -o.dR_dep - o.dR_dX * dX;
  const double dv = o.dR_den - o.dR_dep;
  D[IDX(N_, N_)] += wn * dzn;
  D[IDX(N_, P_)] += wn * dzp;
  D[IDX(N_, V_)] += wn * dv;
  D[IDX(P_, N_)] -= wp * dzn;
  D[IDX(P_, P_)] -= wp * dzp;
  D[IDX(P_, V_)] -= wp * dv;
  return o.R;
}

/* Carrier state of one side of node i from the work arrays. */
static void side_state(const dd_ctx *c, const dd_field *x, int i, int side, trap_state *st) {
  const dd_layer *ly = &c->lay[c->mesh->cell_layer[side == 0 ? i - 1 : i]];
  st->n = (side == 0 ? c->ntL[i] : c->ntR[i]) * c->sn[i];
  st->p = (side == 0 ? c->ptL[i] : c->ptR[i]) * c->sp[i];
  st->zeta_n = side == 0 ? c->zeL[i] : c->zeR[i];
  st->zeta_p = side == 0 ? c->zhL[i] : c->zhR[i];
  st->g_n = side == 0 ? c->geL[i] : c->geR[i];
  st->g_p = side == 0 ? c->ghL[i] : c->ghR[i];
  st->lnNn = ly->sn.lnN;
  st->lnNp = ly->sp.lnN;
  st->X = -expm1(-(x[i].zn - x[i].zp + c->V / c->Vt));
}

static void assemble_side_traps(const dd_ctx *c, const dd_field *x, int i, int side, double vol,
                                dd_field *f, dd_jac *J) {
  const dd_layer *ly = &c->lay[c->mesh->cell_layer[side == 0 ? i - 1 : i]];
  if (ly->traps.n == 0) return; /* the record's trap rate stays 0 (calloc) */
  trap_state st;
  side_state(c, x, i, side, &st);
  const double R = assemble_traps(&ly->traps, &st, i, c->pois_scale[i] * PHYS_Q * vol,
                                  PHYS_Q * vol * c->cont_n[i] / c->sn[i],
                                  PHYS_Q * vol * c->cont_p[i] / c->sp[i], f, J);
  dd_record_side(c->rec, i, side)[DD_REC_TRAPS] = R;
}

/* Interface traps at heterointerface node i: electrons of one side, holes of the other. */
static void assemble_interface_traps(const dd_ctx *c, const dd_field *x, int i, dd_field *f,
                                     dd_jac *J) {
  trap_state se, sh;
  side_state(c, x, i, c->if_eside[i], &se);
  side_state(c, x, i, c->if_hside[i], &sh);
  se.p = sh.p, se.zeta_p = sh.zeta_p, se.g_p = sh.g_p, se.lnNp = sh.lnNp;
  c->rec->iface[2 * i + 1] =
      assemble_traps(&c->iftraps[i], &se, i, c->pois_scale[i] * PHYS_Q,
                     PHYS_Q * c->cont_n[i] / c->sn[i], PHYS_Q * c->cont_p[i] / c->sp[i], f, J);
}

/* Recombination across a heterointerface node (electron on one side, hole on the other). */
static void assemble_interface(const dd_ctx *c, const dd_field *x, int i, dd_field *f, dd_jac *J) {
  const double P1 = c->kx_RL[i] * c->ntR[i] * c->sn[i] * c->ptL[i] * c->sp[i];
  const double P2 = c->kx_LR[i] * c->ntL[i] * c->sn[i] * c->ptR[i] * c->sp[i];
  const double split = x[i].zn - x[i].zp + c->V / c->Vt;
  const double X = -expm1(-split), dX = 1.0 - X;
  const double wn = PHYS_Q * c->cont_n[i] / c->sn[i], wp = PHYS_Q * c->cont_p[i] / c->sp[i];
  const double R = (P1 + P2) * X;
  c->rec->iface[2 * i] = R;
  f[i].zn += wn * R;
  f[i].zp -= wp * R;
  if (!J) return;
  /* R = sum P X with d ln P / dzn = g_n(side), d ln P / dzp = -g_p(side) */
  const double dzn = (P1 * c->geR[i] + P2 * c->geL[i]) * X + (P1 + P2) * dX;
  const double dzp = -(P1 * c->ghL[i] + P2 * c->ghR[i]) * X - (P1 + P2) * dX;
  const double dv = (P1 * (c->geR[i] - c->ghL[i]) + P2 * (c->geL[i] - c->ghR[i])) * X;
  J->D[i][IDX(N_, N_)] += wn * dzn;
  J->D[i][IDX(N_, P_)] += wn * dzp;
  J->D[i][IDX(N_, V_)] += wn * dv;
  J->D[i][IDX(P_, N_)] -= wp * dzn;
  J->D[i][IDX(P_, P_)] -= wp * dzp;
  J->D[i][IDX(P_, V_)] -= wp * dv;
}

/* Residual row and Jacobian block row of node i set to zero. */
static void clear_row(dd_field *f, dd_jac *J, int i) {
  f[i].v = f[i].zn = f[i].zp = 0.0;
  if (!J) return;
  memset(J->D[i], 0, sizeof(J->D[i]));
  memset(J->Lo[i], 0, sizeof(J->Lo[i]));
  memset(J->Up[i], 0, sizeof(J->Up[i]));
}

/* Node terms (recombination, traps, interface channels) into row i only. */
static void assemble_node(const dd_ctx *c, const dd_field *x, int i, dd_field *f, dd_jac *J) {
  /* Inside a layer both half cells see the same densities and parameters, and every side term
   * is proportional to its volume: one evaluation with the node's whole control volume. */
  if (c->mesh->cell_layer[i - 1] == c->mesh->cell_layer[i]) {
    const double vol = c->volL[i] + c->volR[i];
    assemble_side(c, x, i, 0, vol, f, J);
    assemble_side_traps(c, x, i, 0, vol, f, J);
  } else {
    assemble_side(c, x, i, 0, c->volL[i], f, J);
    assemble_side(c, x, i, 1, c->volR[i], f, J);
    assemble_side_traps(c, x, i, 0, c->volL[i], f, J);
    assemble_side_traps(c, x, i, 1, c->volR[i], f, J);
  }
  /* nodes without these channels keep the record's 0 (calloc): the channels are fixed */
  if (c->kx_RL[i] != 0.0 || c->kx_LR[i] != 0.0) assemble_interface(c, x, i, f, J);
  if (c->iftraps[i].n) assemble_interface_traps(c, x, i, f, J);
}

/* OpenMP: every loop writes disjoint rows (cells in two passes, even then odd, so the two rows
 * of a cell are never shared within a pass); the team is only started for meshes of at least
 * dd_omp_min_nodes nodes, below which the fork/join costs more than it saves (measured with
 * benchmarks/bench_assembly). */
int dd_omp_min_nodes = 20000;

int dd_assemble(dd_ctx *c, const dd_field *x, dd_field *f, dd_jac *J) {
  const int n = c->n;
  int bad = 0;
  c->rec->valid = 0;
  c->rec->V = c->V;
#pragma omp parallel if (n >= dd_omp_min_nodes) reduction(| : bad)
  {
#pragma omp for schedule(static)
    for (int i = 0; i < n; i++) {
      clear_row(f, J, i);
      side_densities(c, x, i);
      c->rec->x[i] = x[i];
    }
    for (int pass = 0; pass < 2; pass++) {
#pragma omp for schedule(static)
      for (int cell = pass; cell < n - 1; cell += 2) assemble_cell(c, x, cell, f, J);
    }
#pragma omp for schedule(static)
    for (int i = 1; i < n - 1; i++) assemble_node(c, x, i, f, J);
#pragma omp single
    {
      /* contact half cells: used by Robin contact rows */
      assemble_side(c, x, 0, 1, c->volR[0], f, J);
      assemble_side(c, x, n - 1, 0, c->volL[n - 1], f, J);
      assemble_side_traps(c, x, 0, 1, c->volR[0], f, J);
      assemble_side_traps(c, x, n - 1, 0, c->volL[n - 1], f, J);
      dd_assemble_contacts(c, x, f, J);
    }
#pragma omp for schedule(static)
    for (int i = 0; i < n; i++)
      if (!isfinite(f[i].v) || !isfinite(f[i].zn) || !isfinite(f[i].zp)) bad |= 1;
  }
  c->rec->valid = !bad;
  return bad;
}

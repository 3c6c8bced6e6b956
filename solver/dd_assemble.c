/* Residual and exact Jacobian of the scaled Poisson/drift-diffusion system (see dd.h).
 * Sign convention (diagonal entries positive):
 *   F_v,i = sum_cells eps (psi_i - psi_j)/h - rho_i vol_i
 *   F_n,i = Jn(left cell) - Jn(right cell) + q R_i vol_i
 *   F_p,i = Jp(left cell) - Jp(right cell) - q R_i vol_i
 * Contact rows: see dd_contacts.c. */
#include "solver/dd.h"
#include "physics/bernoulli.h"
#include "physics/constants.h"
#include "physics/mobility.h"

#include <math.h>
#include <string.h>

enum { V_ = 0, N_ = 1, P_ = 2 };
#define IDX(r, col) ((r) * 3 + (col))

/* Scaled densities on both sides of every node. */
static void side_densities(dd_ctx *c, const dd_field *x) {
  const mesh_t *m = c->mesh;
  const double u = c->V / c->Vt;
  double drift = 0.0;
  for (int i = 0; i < c->n; i++) {
    const int lL = i > 0 ? m->cell_layer[i - 1] : m->cell_layer[0];
    const int lR = i < c->n - 1 ? m->cell_layer[i] : lL;
    const dd_layer *a = &c->lay[lL];
    const double en = x[i].zn + x[i].v - c->Ln[i];
    const double ep = -x[i].zp - x[i].v + u - c->Lp[i];
    c->ntL[i] = exp(en + a->an);
    c->ptL[i] = exp(ep + a->ap0);
    drift = fmax(drift, fmax(fabs(en + a->an), fabs(ep + a->ap0)));
    if (lR == lL) {
      c->ntR[i] = c->ntL[i];
      c->ptR[i] = c->ptL[i];
    } else {
      const dd_layer *b = &c->lay[lR];
      c->ntR[i] = exp(en + b->an);
      c->ptR[i] = exp(ep + b->ap0);
    }
  }
  c->scale_drift = drift;
}

/* Flux terms of one cell into the rows of its two nodes i (left) and j = i + 1 (right). */
static void assemble_cell(const dd_ctx *c, const dd_field *x, int cell, dd_field *f, dd_jac *J) {
  const int i = cell, j = cell + 1;
  const dd_layer *ly = &c->lay[c->mesh->cell_layer[cell]];
  const double h = c->mesh->h[cell];
  const double a = x[j].v - x[i].v;
  double Bp, Bm, dBp, dBm; /* B(a), B(-a), B'(a), B'(-a) */
  bern_pair(a, &Bp, &Bm, &dBp, &dBm);
  const double dzn = x[j].zn - x[i].zn, dzp = x[j].zp - x[i].zp;
  const double E1 = expm1(dzn), E2 = expm1(-dzn), E3 = expm1(-dzp), E4 = expm1(dzp);
  /* field-dependent mobilities: K = K0 f(E), E = -Vt a / h; kfac = d ln K / da */
  const dev_layer *dl = &c->dev->layers[c->mesh->cell_layer[cell]];
  const double E = -c->Vt * a / h;
  double dln_n, dln_p;
  const double fn = mob_field_factor(&dl->cb, E, &dln_n), fp = mob_field_factor(&dl->vb, E, &dln_p);
  const double kfac_n = -dln_n * c->Vt / h, kfac_p = -dln_p * c->Vt / h;
  const double ki = fn * c->Kn0[cell] * c->cont_n[i], kj = fn * c->Kn0[cell] * c->cont_n[j];
  const double qi = fp * c->Kp0[cell] * c->cont_p[i], qj = fp * c->Kp0[cell] * c->cont_p[j];
  const double ni = c->ntR[i], nj = c->ntL[j], pi = c->ptR[i], pj = c->ptL[j];
  const double ei = ly->eps * c->Vt / h * c->pois_scale[i];
  const double ej = ly->eps * c->Vt / h * c->pois_scale[j];

  f[i].v += ei * (x[i].v - x[j].v);
  f[j].v += ej * (x[j].v - x[i].v);
  const double Tni = -ki * ni * Bm * E1; /* -Jn/scale in row i */
  const double Tnj = -kj * nj * Bp * E2; /* +Jn/scale in row j */
  const double Tpi = qi * pi * Bp * E3;  /* -Jp/scale in row i */
  const double Tpj = qj * pj * Bm * E4;  /* +Jp/scale in row j */
  f[i].zn += Tni;
  f[j].zn += Tnj;
  f[i].zp += Tpi;
  f[j].zp += Tpj;
  if (!J) return;
  if (kfac_n != 0.0 || kfac_p != 0.0) { /* d/da through the mobility: a = v_j - v_i */
    J->D[i][IDX(N_, V_)] -= Tni * kfac_n;
    J->Up[i][IDX(N_, V_)] += Tni * kfac_n;
    J->Lo[j][IDX(N_, V_)] -= Tnj * kfac_n;
    J->D[j][IDX(N_, V_)] += Tnj * kfac_n;
    J->D[i][IDX(P_, V_)] -= Tpi * kfac_p;
    J->Up[i][IDX(P_, V_)] += Tpi * kfac_p;
    J->Lo[j][IDX(P_, V_)] -= Tpj * kfac_p;
    J->D[j][IDX(P_, V_)] += Tpj * kfac_p;
  }

  double *Di = J->D[i], *Dj = J->D[j], *Ui = J->Up[i], *Lj = J->Lo[j];
  /* Poisson */
  Di[IDX(V_, V_)] += ei;
  Ui[IDX(V_, V_)] -= ei;
  Dj[IDX(V_, V_)] += ej;
  Lj[IDX(V_, V_)] -= ej;
  /* electrons, row i: -ki ni B(-a) E1 */
  Di[IDX(N_, N_)] += ki * ni * Bm;
  Ui[IDX(N_, N_)] -= ki * ni * Bm * (E1 + 1.0);
  Di[IDX(N_, V_)] -= ki * E1 * ni * (Bm + dBm);
  Ui[IDX(N_, V_)] += ki * E1 * ni * dBm;
  /* electrons, row j: -kj nj B(a) E2 */
  Dj[IDX(N_, N_)] += kj * nj * Bp;
  Lj[IDX(N_, N_)] -= kj * nj * Bp * (E2 + 1.0);
  Dj[IDX(N_, V_)] -= kj * E2 * nj * (Bp + dBp);
  Lj[IDX(N_, V_)] += kj * E2 * nj * dBp;
  /* holes, row i: qi pi B(a) E3 */
  Di[IDX(P_, P_)] += qi * pi * Bp;
  Ui[IDX(P_, P_)] -= qi * pi * Bp * (E3 + 1.0);
  Di[IDX(P_, V_)] -= qi * E3 * pi * (Bp + dBp);
  Ui[IDX(P_, V_)] += qi * E3 * pi * dBp;
  /* holes, row j: qj pj B(-a) E4 */
  Dj[IDX(P_, P_)] += qj * pj * Bm;
  Lj[IDX(P_, P_)] -= qj * pj * Bm * (E4 + 1.0);
  Dj[IDX(P_, V_)] -= qj * E4 * pj * (Bm + dBm);
  Lj[IDX(P_, V_)] += qj * E4 * pj * dBm;
}

/* Space charge and recombination of one side (half cell) of node i. */
static void assemble_side(const dd_ctx *c, const dd_field *x, int i, int side, dd_field *f,
                          dd_jac *J) {
  const int cell = side == 0 ? i - 1 : i;
  const dd_layer *ly = &c->lay[c->mesh->cell_layer[cell]];
  const double vol = side == 0 ? c->volL[i] : c->volR[i];
  const double nt = side == 0 ? c->ntL[i] : c->ntR[i];
  const double pt = side == 0 ? c->ptL[i] : c->ptR[i];
  const double n = nt * c->sn[i], p = pt * c->sp[i];
  const double ps = c->pois_scale[i] * PHYS_Q * vol;
  f[i].v -= ps * (p - n + ly->dop);

  const double split = x[i].zn - x[i].zp + c->V / c->Vt;
  const double X = -expm1(-split), dX = 1.0 - X; /* dX/dzn = -dX/dzp = exp(-split) */
  double R, Rn, Rp, RX;
  rec_eval(&ly->rec, n, p, X, &R, &Rn, &Rp, &RX, NULL);
  const double wn = PHYS_Q * vol * c->cont_n[i] / c->sn[i];
  const double wp = PHYS_Q * vol * c->cont_p[i] / c->sp[i];
  f[i].zn += wn * R;
  f[i].zp -= wp * R;
  if (!J) return;
  double *D = J->D[i];
  D[IDX(V_, V_)] += ps * (p + n);
  D[IDX(V_, N_)] += ps * n;
  D[IDX(V_, P_)] += ps * p; /* p ~ exp(-zp): d(-p)/dzp = +p */
  const double dRdzn = Rn + RX * dX, dRdzp = -Rp - RX * dX, dRdv = Rn - Rp;
  D[IDX(N_, V_)] += wn * dRdv;
  D[IDX(N_, N_)] += wn * dRdzn;
  D[IDX(N_, P_)] += wn * dRdzp;
  D[IDX(P_, V_)] -= wp * dRdv;
  D[IDX(P_, N_)] -= wp * dRdzn;
  D[IDX(P_, P_)] -= wp * dRdzp;
}

/* Recombination across a heterointerface node (electron on one side, hole on the other). */
static void assemble_interface(const dd_ctx *c, const dd_field *x, int i, dd_field *f, dd_jac *J) {
  const double P = c->kx_RL[i] * c->ntR[i] * c->sn[i] * c->ptL[i] * c->sp[i] +
                   c->kx_LR[i] * c->ntL[i] * c->sn[i] * c->ptR[i] * c->sp[i];
  const double split = x[i].zn - x[i].zp + c->V / c->Vt;
  const double X = -expm1(-split);
  const double wn = PHYS_Q * c->cont_n[i] / c->sn[i], wp = PHYS_Q * c->cont_p[i] / c->sp[i];
  f[i].zn += wn * P * X;
  f[i].zp -= wp * P * X;
  if (!J) return;
  /* d(P X)/dzn = P, d(P X)/dzp = -P, independent of v (n p does not depend on psi) */
  J->D[i][IDX(N_, N_)] += wn * P;
  J->D[i][IDX(N_, P_)] -= wn * P;
  J->D[i][IDX(P_, N_)] -= wp * P;
  J->D[i][IDX(P_, P_)] += wp * P;
}

int dd_assemble(dd_ctx *c, const dd_field *x, dd_field *f, dd_jac *J) {
  const int n = c->n;
  memset(f, 0, sizeof(dd_field) * (size_t)n);
  if (J) {
    memset(J->D, 0, sizeof(*J->D) * (size_t)n);
    memset(J->Lo, 0, sizeof(*J->Lo) * (size_t)n);
    memset(J->Up, 0, sizeof(*J->Up) * (size_t)n);
  }
  side_densities(c, x);
  for (int cell = 0; cell < n - 1; cell++) assemble_cell(c, x, cell, f, J);
  assemble_side(c, x, 0, 1, f, J); /* contact half cells: used by Robin contact rows */
  assemble_side(c, x, n - 1, 0, f, J);
  for (int i = 1; i < n - 1; i++) {
    assemble_side(c, x, i, 0, f, J);
    assemble_side(c, x, i, 1, f, J);
    if (c->kx_RL[i] != 0.0 || c->kx_LR[i] != 0.0) assemble_interface(c, x, i, f, J);
  }
  dd_assemble_contacts(c, x, f, J);
  for (int i = 0; i < n; i++)
    if (!isfinite(f[i].v) || !isfinite(f[i].zn) || !isfinite(f[i].zp)) return 1;
  return 0;
}


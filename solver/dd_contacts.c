/* Contact rows of the drift-diffusion system (node 0 = anode, node n-1 = cathode).
 * Potential: Dirichlet, psi(0) - psi(L) = (W_c - W_a)/q + V.
 * Each carrier: with infinite surface recombination velocity, its quasi-Fermi level equals the
 * metal's (thermionic limit); with image-force lowering the equilibrium density rises by
 * exp(dphi/kT), i.e. the boundary value of z shifts by dphi/kT. With finite S the row is the
 * half-cell balance with a Robin flux, electrons q S_n (n - n_eq) and holes q S_p (p_eq - p) in
 * the sign convention of the continuity rows at both contacts. */
#include "solver/dd.h"
#include "physics/constants.h"
#include "physics/contact.h"

#include <math.h>
#include <string.h>

enum { V_ = 0, N_ = 1, P_ = 2 };
#define IDX(r, col) ((r) * 3 + (col))

typedef struct {
  int k, m;            /* contact node and its neighbour */
  double *Dk, *Nk;     /* Jacobian blocks: row k w.r.t. node k and w.r.t. node m */
  double E, dE_dvk, dE_dvm; /* field in the contact cell [V/m] and its derivatives */
  double eps;          /* permittivity of the contact layer */
  double dphi[2], ddphi[2]; /* lowering [J] for electrons (0) and holes (1) and d/dE */
  const stat_band *sn, *sp; /* statistics of the contact layer */
  double eta_neq, eta_peq;  /* reduced Fermi levels at equilibrium with the metal */
} contact_geom;

static void geometry(const dd_ctx *c, const dd_field *x, int side, dd_jac *J, contact_geom *g) {
  const int n = c->n;
  const dev_contact *ct = side == 0 ? &c->dev->anode : &c->dev->cathode;
  const int cell = side == 0 ? 0 : n - 2;
  const dd_layer *ly = &c->lay[c->mesh->cell_layer[cell]];
  g->k = side == 0 ? 0 : n - 1;
  g->m = side == 0 ? 1 : n - 2;
  g->Dk = J ? J->D[g->k] : NULL;
  g->Nk = J ? (side == 0 ? J->Up[0] : J->Lo[n - 1]) : NULL;
  const double h = c->mesh->h[cell];
  g->E = -c->Vt * (x[cell + 1].v - x[cell].v) / h;
  g->dE_dvk = side == 0 ? c->Vt / h : -c->Vt / h;
  g->dE_dvm = -g->dE_dvk;
  g->eps = ly->eps;
  /* carriers are pulled in by E > 0 (holes at the anode, electrons at the cathode) */
  const double sn = side == 0 ? -1.0 : 1.0, sp = -sn;
  g->dphi[0] = g->dphi[1] = g->ddphi[0] = g->ddphi[1] = 0.0;
  if (ct->image_force) {
    g->dphi[0] = contact_image_force(sn * g->E, g->eps, &g->ddphi[0]);
    g->ddphi[0] *= sn;
    g->dphi[1] = contact_image_force(sp * g->E, g->eps, &g->ddphi[1]);
    g->ddphi[1] *= sp;
  }
  const double vbc = side == 0 ? c->v_builtin : 0.0; /* v at the contact minus V/Vt */
  g->sn = &ly->sn;
  g->sp = &ly->sp;
  g->eta_neq = vbc + ly->cn;
  g->eta_peq = -vbc + ly->cp0;
}

/* Dirichlet row for carrier r (N_ or P_): z = z_metal +- dphi/kT. */
static void dirichlet(const dd_ctx *c, const dd_field *x, const contact_geom *g, int r, double z0,
                      dd_field *f) {
  const int e = r == N_ ? 0 : 1;
  const double sign = r == N_ ? 1.0 : -1.0; /* n ~ exp(zn), p ~ exp(-zp) */
  const double zbc = z0 + sign * g->dphi[e] / c->kT;
  ((double *)&f[g->k])[r] = ((const double *)&x[g->k])[r] - zbc;
  if (!g->Dk) return;
  for (int col = 0; col < 3; col++) g->Dk[IDX(r, col)] = g->Nk[IDX(r, col)] = 0.0;
  g->Dk[IDX(r, r)] = 1.0;
  const double dz = sign * g->ddphi[e] / c->kT;
  g->Dk[IDX(r, V_)] -= dz * g->dE_dvk;
  g->Nk[IDX(r, V_)] -= dz * g->dE_dvm;
}

/* Robin terms added to the assembled half-cell balance of carrier r. */
static void robin(const dd_ctx *c, const contact_geom *g, int r, double S, dd_field *f) {
  const int k = g->k;
  const int e = r == N_ ? 0 : 1;
  const double cont = r == N_ ? c->cont_n[k] : c->cont_p[k];
  const double dens = r == N_ ? (k == 0 ? c->ntR[k] : c->ntL[k]) : (k == 0 ? c->ptR[k] : c->ptL[k]);
  /* equilibrium density with the barrier lowered by dphi: eta raised by dphi/kT */
  const stat_band *b = r == N_ ? g->sn : g->sp;
  double geq, gd;
  const double lnrel = stat_eval(b, (r == N_ ? g->eta_neq : g->eta_peq) + g->dphi[e] / c->kT, &geq, NULL);
  const double eq = exp(b->lnN + lnrel - (r == N_ ? c->Ln[k] : c->Lp[k]));
  gd = r == N_ ? (k == 0 ? c->geR[k] : c->geL[k]) : (k == 0 ? c->ghR[k] : c->ghL[k]);
  const double w = PHYS_Q * S * cont;
  if (r == N_) f[k].zn += w * (dens - eq);
  else f[k].zp += w * (eq - dens);
  if (!g->Dk) return;
  /* d ln n / d(zn, v) = g, d ln p / d(zp, v) = -g: both terms give +w dens g */
  g->Dk[IDX(r, r)] += w * dens * gd;
  g->Dk[IDX(r, V_)] += w * dens * gd;
  const double deq = eq * geq * g->ddphi[e] / c->kT * (r == N_ ? -1.0 : 1.0);
  g->Dk[IDX(r, V_)] += w * deq * g->dE_dvk;
  g->Nk[IDX(r, V_)] += w * deq * g->dE_dvm;
}

void dd_assemble_contacts(dd_ctx *c, const dd_field *x, dd_field *f, dd_jac *J) {
  dd_field bc[2];
  dd_boundary(c, &bc[0], &bc[1]);
  for (int side = 0; side < 2; side++) {
    const dev_contact *ct = side == 0 ? &c->dev->anode : &c->dev->cathode;
    contact_geom g;
    geometry(c, x, side, J, &g);
    f[g.k].v = x[g.k].v - bc[side].v;
    if (J) {
      for (int col = 0; col < 3; col++) g.Dk[IDX(V_, col)] = g.Nk[IDX(V_, col)] = 0.0;
      g.Dk[IDX(V_, V_)] = 1.0;
    }
    if (isfinite(ct->S_n)) robin(c, &g, N_, ct->S_n, f);
    else dirichlet(c, x, &g, N_, bc[side].zn, f);
    if (isfinite(ct->S_p)) robin(c, &g, P_, ct->S_p, f);
    else dirichlet(c, x, &g, P_, bc[side].zp, f);
  }
}

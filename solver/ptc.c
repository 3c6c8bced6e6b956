#include "solver/ptc.h"
#include "physics/constants.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Continuity rows (dd_assemble.c): q vol dn/dt = -F_n and q vol dp/dt = +F_p, so implicit Euler
 * adds +q vol (n - n_old)/dt to the electron row and -q vol (p - p_old)/dt to the hole row, both
 * in the rows' scaling (cont / density scale). d ln n / d(zn, v) = g_n, d ln p / d(zp, v) = -g_p:
 * both diagonals grow. */
static void add_side(const ptc_mass *m, const dd_ctx *c, int i, int side, dd_field *f, dd_jac *J) {
  const double vol = side == 0 ? c->volL[i] : c->volR[i];
  const double nt = side == 0 ? c->ntL[i] : c->ntR[i], pt = side == 0 ? c->ptL[i] : c->ptR[i];
  const double gn = side == 0 ? c->geL[i] : c->geR[i], gp = side == 0 ? c->ghL[i] : c->ghR[i];
  const double nold = side == 0 ? m->nL[i] : m->nR[i], pold = side == 0 ? m->pL[i] : m->pR[i];
  const double wn = PHYS_Q * vol * c->cont_n[i] / m->dt, wp = PHYS_Q * vol * c->cont_p[i] / m->dt;
  f[i].zn += wn * (nt - nold / c->sn[i]);
  f[i].zp -= wp * (pt - pold / c->sp[i]);
  if (!J) return;
  double *D = J->D[i];
  D[3] += wn * nt * gn; /* (zn, v) */
  D[4] += wn * nt * gn; /* (zn, zn) */
  D[6] += wp * pt * gp; /* (zp, v) */
  D[8] += wp * pt * gp; /* (zp, zp) */
}

void ptc_add_transient(const ptc_mass *m, const dd_ctx *c, dd_field *f, dd_jac *J) {
  for (int i = 1; i < c->n - 1; i++) {
    add_side(m, c, i, 0, f, J);
    add_side(m, c, i, 1, f, J);
  }
}

/* Densities of state x at the bias set in c become the previous time level. */
static void store_level(ptc_mass *m, const dd_ctx *c, const dd_field *x) {
  for (int i = 0; i < c->n; i++) {
    dd_node_densities(c, x, i, 0, &m->nL[i], &m->pL[i]);
    dd_node_densities(c, x, i, 1, &m->nR[i], &m->pR[i]);
  }
}

/* 2-norm of the steady-state residual at x, rows scaled as Newton would start from x. */
static double steady_norm(dd_ctx *c, const dd_field *x, dd_field *f) {
  dd_freeze_scales(c, x);
  if (dd_assemble(c, x, f, NULL)) return INFINITY;
  double s = 0.0;
  for (int i = 0; i < c->n; i++) s += f[i].v * f[i].v + f[i].zn * f[i].zn + f[i].zp * f[i].zp;
  return sqrt(s);
}

static double env_or(const char *name, double def) {
  const char *s = getenv(name);
  return s ? atof(s) : def;
}

/* Plain Newton at the target bias from the transient state xt (copied to x first). */
static PetscErrorCode try_steady(nt_solver *nt, const dd_field *xt, dd_field *x, nt_result *r) {
  PetscFunctionBeginUser;
  memcpy(x, xt, sizeof(dd_field) * (size_t)nt->dd->n);
  PetscCall(nt_solve(nt, x, r));
  if (!r->converged && getenv("QLED_PTC_SHIFTED")) {
    memcpy(x, xt, sizeof(dd_field) * (size_t)nt->dd->n);
    nt->shift = 1.0;
    const PetscErrorCode ierr = nt_solve(nt, x, r);
    nt->shift = 0.0;
    PetscCall(ierr);
  }
  PetscFunctionReturn(0);
}

/* One implicit-Euler step of length m->dt from xt (in place on success). */
static PetscErrorCode time_step(nt_solver *nt, ptc_mass *m, dd_field *xt, dd_field *work,
                                nt_result *r) {
  PetscFunctionBeginUser;
  memcpy(work, xt, sizeof(dd_field) * (size_t)nt->dd->n);
  nt->transient = m;
  const PetscErrorCode ierr = nt_solve(nt, work, r);
  nt->transient = NULL;
  PetscCall(ierr);
  if (r->converged) memcpy(xt, work, sizeof(dd_field) * (size_t)nt->dd->n);
  PetscFunctionReturn(0);
}

PetscErrorCode ptc_solve(nt_solver *nt, const dd_field *x0, double V0, double V1, int max_solves,
                         dd_field *x, nt_result *r, int *solves) {
  dd_ctx *c = nt->dd;
  const int n = c->n;
  ptc_mass m;
  dd_field *xt, *work;
  PetscFunctionBeginUser;
  PetscCall(PetscMalloc4(n, &m.nL, n, &m.nR, n, &m.pL, n, &m.pR));
  PetscCall(PetscMalloc2(n, &xt, n, &work));
  dd_set_bias(c, V0);
  store_level(&m, c, x0);
  dd_set_bias(c, V1);
  memcpy(xt, x0, sizeof(dd_field) * (size_t)n);
  m.dt = env_or("QLED_PTC_DT0", 1e-12);
  const double growth = env_or("QLED_PTC_GROWTH", 10.0), tryfrac = env_or("QLED_PTC_TRY", 1e-2);
  const double mingrow = env_or("QLED_PTC_MINGROW", 2.0), tryspace = env_or("QLED_PTC_TRYSPACE", 10.0);
  const int fastits = (int)env_or("QLED_PTC_FASTITS", 4.0);
  const int verbose = getenv("QLED_PTC_VERBOSE") != NULL;
  double f0 = steady_norm(c, xt, work), fprev = f0;
  *solves = 0;
  r->converged = 0;
  snprintf(r->reason, sizeof(r->reason), "ptc-no-progress");
  int its = 0;
  double dt_tried = 0.0;
  while (*solves < max_solves && m.dt < 1e6) {
    nt_result rs;
    PetscCall(time_step(nt, &m, xt, work, &rs));
    ++*solves;
    its += rs.iterations;
    if (!rs.converged) {
      if (verbose) fprintf(stderr, "ptc V=%.4g dt=%.3g step failed (%s)\n", V1, m.dt, rs.reason);
      m.dt *= 0.25;
      if (m.dt < 1e-20) break;
      continue;
    }
    store_level(&m, c, xt);
    const double f = steady_norm(c, xt, work);
    if (verbose)
      fprintf(stderr, "ptc V=%.4g dt=%.3g its=%d |F|=%.3g (f0 %.3g)\n", V1, m.dt, rs.iterations, f, f0);
    if ((f < tryfrac * fmin(f0, 1.0) || m.dt >= tryspace * dt_tried) && *solves < max_solves) {
      dt_tried = m.dt;
      PetscCall(try_steady(nt, xt, x, r));
      ++*solves;
      its += r->iterations;
      if (verbose) fprintf(stderr, "ptc V=%.4g steady: %s\n", V1, r->reason);
      if (r->converged) break;
    }
    m.dt *= rs.iterations <= fastits ? growth : fmin(growth, fmax(mingrow, fprev / f)); /* switched evolution relaxation */
    fprev = f;
  }
  r->iterations = its;
  PetscCall(PetscFree2(xt, work));
  PetscCall(PetscFree4(m.nL, m.nR, m.pL, m.pR));
  PetscFunctionReturn(0);
}

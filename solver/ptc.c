#include "solver/ptc.h"
#include "physics/constants.h"

#include <math.h>
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

/* The transient term into f (and J) right after dd_assemble(c, x, f, J): it reads the densities
 * dd_assemble left in c's work arrays. Contact rows are left alone. */
static void add_transient(const ptc_mass *m, const dd_ctx *c, dd_field *f, dd_jac *J) {
  for (int i = 1; i < c->n - 1; i++) {
    add_side(m, c, i, 0, f, J);
    add_side(m, c, i, 1, f, J);
  }
}

int ptc_assemble(const ptc_mass *m, dd_ctx *c, const dd_field *x, dd_field *f, dd_jac *J) {
  const int bad = dd_assemble(c, x, f, J);
  if (!bad && m) add_transient(m, c, f, J);
  return bad;
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

/* The steady state at the target bias from the transient state xt: plain Newton, then the
 * shifted solve (nt_solver.shift, the same retry as continuation.c), both with the normal
 * convergence test, so what is accepted is a steady state, never a transient one. Plain Newton
 * alone converged in 0 of 131 tries on robustness device 233 (it wanders in the quasi-Fermi
 * levels of the absent carriers although the transient had brought |F| from 5e-2 to 2e-5);
 * with the shifted solve 5 of 35 tries converged, and the device 5/25 -> 25/25 points. */
static PetscErrorCode try_steady(nt_solver *nt, const dd_field *xt, dd_field *x, nt_result *r) {
  const size_t bytes = sizeof(dd_field) * (size_t)nt->dd->n;
  PetscFunctionBeginUser;
  memcpy(x, xt, bytes);
  PetscCall(nt_solve(nt, x, r));
  if (r->converged) PetscFunctionReturn(0);
  const int plain_its = r->iterations;
  memcpy(x, xt, bytes);
  nt->shift = 1.0;
  const PetscErrorCode ierr = nt_solve(nt, x, r);
  nt->shift = 0.0;
  PetscCall(ierr);
  r->iterations += plain_its; /* both solves count in the point's Newton iterations */
  PetscFunctionReturn(0);
}

/* One implicit-Euler step of length m->dt from xt (xt advanced on success). */
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

/* Time-step control. The devices' time scales span 1e-16 s (h^2/D for mu = 4e-3 m^2/Vs on a
 * 0.1 nm cell) to seconds (transit through 100 nm at mu = 1e-14 m^2/Vs), so dt starts at 1e-12 s
 * and grows by up to 10x per step: 10x after an easy step (at most 4 Newton iterations), else by
 * the drop of the steady residual (switched evolution relaxation) but at least 2x, since on the
 * slow devices |F| stays flat over 9 decades of dt (device 233: 4.6e-2 from 1e-12 to 1e-4 s) and
 * only falls once dt reaches the slow transit (2e-5 at 90 s). A failed step is retried at dt/4. */
enum { PTC_FAST_ITS = 4 };
static const double PTC_DT0 = 1e-12, PTC_DT_MIN = 1e-20, PTC_DT_MAX = 1e6, PTC_GROWTH = 10.0,
                    PTC_MIN_GROWTH = 2.0;

static double next_dt(double dt, int its, double fprev, double f) {
  if (its <= PTC_FAST_ITS) return dt * PTC_GROWTH;
  return dt * fmin(PTC_GROWTH, fmax(PTC_MIN_GROWTH, fprev / f));
}

/* Try the steady state once the residual is small, or at every 100x of dt: a failed try costs a
 * full Newton solve (up to max_newton iterations), a try per step used the whole allowance on
 * device 52 before dt had reached 1e-7 s. */
static int steady_due(double f, double f0, double dt, double dt_tried) {
  return f < 1e-3 * fmin(f0, 1.0) || dt >= 100.0 * dt_tried;
}

PetscErrorCode ptc_solve(nt_solver *nt, const dd_field *x0, int max_solves, dd_field *x,
                         nt_result *r, int *solves) {
  dd_ctx *c = nt->dd;
  const int n = c->n;
  ptc_mass m;
  dd_field *xt, *work;
  PetscFunctionBeginUser;
  PetscCall(PetscMalloc4(n, &m.nL, n, &m.nR, n, &m.pL, n, &m.pR));
  PetscCall(PetscMalloc2(n, &xt, n, &work));
  memcpy(xt, x0, sizeof(dd_field) * (size_t)n);
  store_level(&m, c, xt);
  m.dt = PTC_DT0;
  const double f0 = steady_norm(c, xt, work);
  double fprev = f0, dt_tried = 0.0;
  int its = 0;
  *solves = 0;
  r->converged = 0;
  snprintf(r->reason, sizeof(r->reason), "pseudo-transient gave up");
  while (*solves < max_solves && m.dt >= PTC_DT_MIN && m.dt <= PTC_DT_MAX && !r->converged) {
    nt_result rs;
    PetscCall(time_step(nt, &m, xt, work, &rs));
    ++*solves;
    its += rs.iterations;
    if (!rs.converged) {
      m.dt *= 0.25;
      continue;
    }
    store_level(&m, c, xt);
    const double f = steady_norm(c, xt, work);
    PetscCall(PetscInfo(nt->snes, "PTC dt %g s: %d iterations, steady |F| %g (start %g)\n", m.dt,
                        rs.iterations, f, f0));
    if (steady_due(f, f0, m.dt, dt_tried) && *solves < max_solves) {
      dt_tried = m.dt;
      PetscCall(try_steady(nt, xt, x, r));
      ++*solves; /* the allowance counts tries: plain + shifted count once */
      its += r->iterations;
    }
    m.dt = next_dt(m.dt, rs.iterations, fprev, f);
    fprev = f;
  }
  r->iterations = its;
  PetscCall(PetscFree2(xt, work));
  PetscCall(PetscFree4(m.nL, m.nR, m.pL, m.pR));
  PetscFunctionReturn(0);
}

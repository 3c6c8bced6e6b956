/* Thermal equilibrium by Poisson's equation alone (see equilibrium.h).
 *
 * At zero bias both contacts share one Fermi level, so in the scaled unknowns the exact
 * equilibrium has zn = zp = 0 everywhere and only the potential is unknown: the continuity rows
 * vanish identically and the problem is the nonlinear Poisson equation -div(eps grad psi) =
 * rho(psi), with rho decreasing in psi (free carriers, traps, doping are all monotone). Its
 * Jacobian is the potential block of the full one, a tridiagonal M-matrix, and the equation is
 * the gradient of a convex functional, so Newton with a backtracking line search on the residual
 * converges from any start. The coupled Newton from a linear guess does not: on devices with
 * tens of kT/q of band bending between thick layers it ran out of iterations (11 of the first 100
 * robustness-matrix devices failed at equilibrium, and with it every bias point). */
#include "solver/equilibrium.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { VV = 0 }; /* index of the potential-potential entry in a 3x3 block */

typedef struct {
  dd_field *f, *xt;
  double *dv, *cp; /* Newton update; scratch for the tridiagonal solve */
  dd_jac J;
} eq_work;

static void eq_work_free(eq_work *w) {
  free(w->f);
  free(w->xt);
  free(w->dv);
  free(w->cp);
  dd_jac_free(&w->J);
}

static int eq_work_alloc(eq_work *w, int n) {
  memset(w, 0, sizeof(*w));
  w->f = malloc(sizeof(dd_field) * (size_t)n);
  w->xt = malloc(sizeof(dd_field) * (size_t)n);
  w->dv = malloc(sizeof(double) * (size_t)n);
  w->cp = malloc(sizeof(double) * (size_t)n);
  if (!w->f || !w->xt || !w->dv || !w->cp || dd_jac_alloc(&w->J, n)) {
    eq_work_free(w);
    return 1;
  }
  return 0;
}

/* 2-norm of the Poisson rows of the residual at x (Jacobian into J when J != NULL); NaN when a
 * Poisson row is not finite. The density scales follow x, so no density overflows its scale. */
static double poisson_residual(dd_ctx *c, const dd_field *x, dd_field *f, dd_jac *J) {
  dd_freeze_scales(c, x);
  (void)dd_assemble(c, x, f, J); /* continuity rows are not used: only the Poisson rows count */
  double s = 0.0;
  for (int i = 0; i < c->n; i++) s += f[i].v * f[i].v;
  return isfinite(s) ? sqrt(s) : NAN;
}

/* Solve the tridiagonal potential block J_vv dv = -f_v (Thomas algorithm; J_vv is an M-matrix,
 * so no pivoting is needed). Returns 1 on a zero pivot. */
static int solve_potential_block(const dd_jac *J, const dd_field *f, int n, double *dv, double *cp) {
  double b = J->D[0][VV];
  if (b == 0.0) return 1;
  cp[0] = J->Up[0][VV] / b;
  dv[0] = -f[0].v / b;
  for (int i = 1; i < n; i++) {
    const double a = J->Lo[i][VV];
    b = J->D[i][VV] - a * cp[i - 1];
    if (b == 0.0 || !isfinite(b)) return 1;
    cp[i] = i < n - 1 ? J->Up[i][VV] / b : 0.0;
    dv[i] = (-f[i].v - a * dv[i - 1]) / b;
  }
  for (int i = n - 2; i >= 0; i--) dv[i] -= cp[i] * dv[i + 1];
  return 0;
}

/* Backtracking along dv (first scaled so no node moves more than max_dv kT/q): the first step
 * length that lowers the residual norm below fnorm is taken. Returns the new norm, or NAN when
 * 30 halvings did not lower it. */
static double line_search(dd_ctx *c, dd_field *x, eq_work *w, double fnorm, double max_dv,
                          double *step) {
  const int n = c->n;
  double big = 0.0;
  for (int i = 0; i < n; i++) big = fmax(big, fabs(w->dv[i]));
  double lambda = big > max_dv ? max_dv / big : 1.0;
  for (int k = 0; k < 30; k++, lambda *= 0.5) {
    memcpy(w->xt, x, sizeof(dd_field) * (size_t)n);
    for (int i = 0; i < n; i++) w->xt[i].v += lambda * w->dv[i];
    const double fn = poisson_residual(c, w->xt, w->f, NULL);
    if (fn < fnorm) {
      memcpy(x, w->xt, sizeof(dd_field) * (size_t)n);
      *step = lambda * big;
      return fn;
    }
  }
  return NAN;
}

int dd_equilibrium_poisson(dd_ctx *c, dd_field *x, int max_it, eq_result *res) {
  const int n = c->n;
  eq_work w;
  memset(res, 0, sizeof(*res));
  if (eq_work_alloc(&w, n)) return 1;
  for (int i = 0; i < n; i++) x[i].zn = x[i].zp = 0.0;
  double fnorm = poisson_residual(c, x, w.f, &w.J);
  for (int it = 0; it < max_it && isfinite(fnorm); it++) {
    double step = 0.0;
    if (solve_potential_block(&w.J, w.f, n, w.dv, w.cp)) break;
    const double fnew = line_search(c, x, &w, fnorm, 10.0, &step);
    res->iterations = it + 1;
    res->fnorm = fnorm;
    /* converged: an update below 1e-10 kT/q, or the residual at its rounding floor */
    if (step < 1e-10 || !(fnew < fnorm)) {
      res->converged = step < 1e-10 || fnorm < 1e-9;
      break;
    }
    fnorm = poisson_residual(c, x, w.f, &w.J);
    res->fnorm = fnorm;
  }
  eq_work_free(&w);
  return 0;
}

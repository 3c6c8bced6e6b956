/* Decoupled solves of the drift-diffusion system (see decoupled.h).
 *
 * The Poisson rows are solved for the potential alone, the quasi-Fermi levels held fixed. Their
 * Jacobian is the (v, v) entry of every 3x3 block of the full Jacobian: a tridiagonal M-matrix
 * (the charge falls with the potential), solved by the Thomas algorithm. The Newton update is
 * scaled so no node moves more than DC_MAX_STEP kT/q and then backtracked until the Poisson
 * residual falls (the Newton direction is a descent direction of |F_v|^2), so the iteration
 * converges from any start.
 *
 * Thermal equilibrium is the Poisson block alone: at zero bias both contacts share one Fermi
 * level, so zn = zp = 0 exactly and the continuity rows vanish. The coupled Newton from a linear
 * guess does not converge there on devices with tens of kT/q of band bending between thick layers
 * (11 of the first 100 robustness-matrix devices failed, and with them every bias point).
 *
 * Away from equilibrium the same step for each unknown in turn (Poisson, electron and hole
 * continuity) is Gummel's iteration. Tried as a retry after a failed coupled Newton step (50
 * sweeps, then Newton): on the hard robustness devices it
 * oscillated at |F| ~ 0.1 where an interface carries both strong space charge and recombination,
 * cost up to 60 s per device and converged no extra bias point, so it is not used.
 */
#include "solver/decoupled.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DC_MAX_STEP 10.0 /* largest move of one unknown per block Newton step [kT/q] */

typedef struct {
  dd_field *f, *xt;
  double *dx, *cp; /* Newton update; scratch of the tridiagonal solve */
  dd_jac J;
} dc_work;

static void dc_work_free(dc_work *w) {
  free(w->f);
  free(w->xt);
  free(w->dx);
  free(w->cp);
  dd_jac_free(&w->J);
}

static int dc_work_alloc(dc_work *w, int n) {
  memset(w, 0, sizeof(*w));
  w->f = malloc(sizeof(dd_field) * (size_t)n);
  w->xt = malloc(sizeof(dd_field) * (size_t)n);
  w->dx = malloc(sizeof(double) * (size_t)n);
  w->cp = malloc(sizeof(double) * (size_t)n);
  if (!w->f || !w->xt || !w->dx || !w->cp || dd_jac_alloc(&w->J, n)) {
    dc_work_free(w);
    return 1;
  }
  return 0;
}

/* 2-norm of the Poisson rows of the residual at x with the density scales as frozen; NaN when
 * one of them is not finite. */
static double poisson_norm(dd_ctx *c, const dd_field *x, dd_field *f, dd_jac *J) {
  (void)dd_assemble(c, x, f, J); /* only the Poisson rows are used: the others may be anything */
  double s = 0.0;
  for (int i = 0; i < c->n; i++) s += f[i].v * f[i].v;
  return isfinite(s) ? sqrt(s) : NAN;
}

/* Solve the tridiagonal (v, v) block J_vv dx = -f_v. Returns 1 on a zero or non-finite pivot. */
static int solve_potential_block(const dd_jac *J, const dd_field *f, int n, double *dx, double *cp) {
  double b = J->D[0][0];
  if (b == 0.0 || !isfinite(b)) return 1;
  cp[0] = J->Up[0][0] / b;
  dx[0] = -f[0].v / b;
  for (int i = 1; i < n; i++) {
    const double a = J->Lo[i][0];
    b = J->D[i][0] - a * cp[i - 1];
    if (b == 0.0 || !isfinite(b)) return 1;
    cp[i] = i < n - 1 ? J->Up[i][0] / b : 0.0;
    dx[i] = (-f[i].v - a * dx[i - 1]) / b;
  }
  for (int i = n - 2; i >= 0; i--) dx[i] -= cp[i] * dx[i + 1];
  for (int i = 0; i < n; i++)
    if (!isfinite(dx[i])) return 1;
  return 0;
}

/* Backtracking along dx in the potential: the first step length that lowers |F_v| below fnorm
 * is taken (x updated). Returns the new norm, or NAN (x unchanged) when 30 halvings did not. */
static double line_search(dd_ctx *c, dd_field *x, dc_work *w, double fnorm, double *moved) {
  const int n = c->n;
  double big = 0.0;
  for (int i = 0; i < n; i++) big = fmax(big, fabs(w->dx[i]));
  double lambda = big > DC_MAX_STEP ? DC_MAX_STEP / big : 1.0;
  for (int k = 0; k < 30; k++, lambda *= 0.5) {
    memcpy(w->xt, x, sizeof(dd_field) * (size_t)n);
    for (int i = 0; i < n; i++) w->xt[i].v += lambda * w->dx[i];
    const double fn = poisson_norm(c, w->xt, w->f, NULL);
    if (fn < fnorm) {
      memcpy(x, w->xt, sizeof(dd_field) * (size_t)n);
      *moved = lambda * big;
      return fn;
    }
  }
  return NAN;
}

/* Newton on the Poisson rows for the potential, up to max_it steps; stops when a step moves no
 * node more than step_tol kT/q or the residual can no longer be lowered. Returns the steps
 * taken; *fnorm is the last |F_v| and *settled says whether it stopped on step_tol. */
static int potential_newton(dd_ctx *c, dd_field *x, dc_work *w, int max_it, double step_tol,
                            double *fnorm, int *settled) {
  int it = 0;
  *settled = 0;
  for (; it < max_it; it++) {
    dd_freeze_scales(c, x); /* densities near 1 in their scale: no overflow, O(1) rows */
    const double f0 = poisson_norm(c, x, w->f, &w->J);
    *fnorm = f0;
    if (!isfinite(f0) || f0 == 0.0) {
      *settled = f0 == 0.0;
      break;
    }
    double moved = 0.0;
    if (solve_potential_block(&w->J, w->f, c->n, w->dx, w->cp)) break;
    const double f1 = line_search(c, x, w, f0, &moved);
    if (!(f1 < f0)) break; /* at the rounding floor, or no descent */
    *fnorm = f1;
    if (moved < step_tol) {
      *settled = 1;
      it++;
      break;
    }
  }
  return it;
}

int dd_equilibrium_poisson(dd_ctx *c, dd_field *x, int max_it, eq_result *res) {
  dc_work w;
  int settled;
  memset(res, 0, sizeof(*res));
  if (dc_work_alloc(&w, c->n)) return 1;
  for (int i = 0; i < c->n; i++) x[i].zn = x[i].zp = 0.0;
  res->iterations = potential_newton(c, x, &w, max_it, 1e-10, &res->fnorm, &settled);
  res->converged = settled || res->fnorm < 1e-9;
  dc_work_free(&w);
  return 0;
}

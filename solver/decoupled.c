/* Decoupled solves of the drift-diffusion system (see decoupled.h).
 *
 * A block step solves the rows of one unknown r (Poisson for v, electron continuity for zn,
 * hole continuity for zp) for that unknown alone, the other two held fixed. Its Jacobian is the
 * (r, r) entry of every 3x3 block of the full Jacobian: a tridiagonal matrix, solved by the
 * Thomas algorithm. The Newton update is scaled so no node moves more than DC_MAX_STEP kT/q and
 * then backtracked until the residual of rows r falls (the Newton direction is a descent
 * direction of |F_r|^2 whenever the block is nonsingular), so each block step converges from any
 * start. The Poisson block is an M-matrix (the charge falls with the potential); the continuity
 * blocks are for Boltzmann carriers linear in exp(z) apart from recombination.
 *
 * Thermal equilibrium is the Poisson block alone: at zero bias both contacts share one Fermi
 * level, so zn = zp = 0 exactly and the continuity rows vanish. The coupled Newton from a linear
 * guess does not converge there on devices with tens of kT/q of band bending between thick layers
 * (11 of the first 100 robustness-matrix devices failed, and with them every bias point).
 *
 * Away from equilibrium the three blocks in turn are Gummel's iteration. Tried as a retry after
 * a failed coupled Newton step (50 sweeps, then Newton): on the hard robustness devices it
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

static double *comp(dd_field *x, int r) { return (double *)x + r; }
static double get(const dd_field *x, int i, int r) { return ((const double *)&x[i])[r]; }

/* 2-norm of rows r of the residual at x with the density scales as frozen;
 * NaN when one of them is not finite. */
static double residual_norm(dd_ctx *c, const dd_field *x, dd_field *f, dd_jac *J, int r) {
  (void)dd_assemble(c, x, f, J); /* only rows r are used: others may be anything */
  double s = 0.0;
  for (int i = 0; i < c->n; i++) s += get(f, i, r) * get(f, i, r);
  return isfinite(s) ? sqrt(s) : NAN;
}

/* Solve the tridiagonal (r, r) block J_rr dx = -f_r. Returns 1 on a zero or non-finite pivot. */
static int solve_block(const dd_jac *J, const dd_field *f, int n, int r, double *dx, double *cp) {
  const int e = r * 3 + r;
  double b = J->D[0][e];
  if (b == 0.0 || !isfinite(b)) return 1;
  cp[0] = J->Up[0][e] / b;
  dx[0] = -get(f, 0, r) / b;
  for (int i = 1; i < n; i++) {
    const double a = J->Lo[i][e];
    b = J->D[i][e] - a * cp[i - 1];
    if (b == 0.0 || !isfinite(b)) return 1;
    cp[i] = i < n - 1 ? J->Up[i][e] / b : 0.0;
    dx[i] = (-get(f, i, r) - a * dx[i - 1]) / b;
  }
  for (int i = n - 2; i >= 0; i--) dx[i] -= cp[i] * dx[i + 1];
  for (int i = 0; i < n; i++)
    if (!isfinite(dx[i])) return 1;
  return 0;
}

/* Backtracking along dx in unknown r: the first step length that lowers |F_r| below fnorm is
 * taken (x updated). Returns the new norm, or NAN (x unchanged) when 30 halvings did not. */
static double line_search(dd_ctx *c, dd_field *x, dc_work *w, int r, double fnorm, double *moved) {
  const int n = c->n;
  double big = 0.0;
  for (int i = 0; i < n; i++) big = fmax(big, fabs(w->dx[i]));
  double lambda = big > DC_MAX_STEP ? DC_MAX_STEP / big : 1.0;
  for (int k = 0; k < 30; k++, lambda *= 0.5) {
    memcpy(w->xt, x, sizeof(dd_field) * (size_t)n);
    for (int i = 0; i < n; i++) *comp(&w->xt[i], r) += lambda * w->dx[i];
    const double fn = residual_norm(c, w->xt, w->f, NULL, r);
    if (fn < fnorm) {
      memcpy(x, w->xt, sizeof(dd_field) * (size_t)n);
      *moved = lambda * big;
      return fn;
    }
  }
  return NAN;
}

/* Newton on rows r for unknown r, up to max_it steps; stops when a step moves no node more than
 * step_tol kT/q or the residual can no longer be lowered. Returns the steps taken; *fnorm is
 * the last |F_r| and *settled says whether it stopped on step_tol. */
static int block_newton(dd_ctx *c, dd_field *x, dc_work *w, int r, int max_it, double step_tol,
                        double *fnorm, int *settled) {
  int it = 0;
  *settled = 0;
  for (; it < max_it; it++) {
    dd_freeze_scales(c, x); /* densities near 1 in their scale: no overflow, O(1) rows */
    const double f0 = residual_norm(c, x, w->f, &w->J, r);
    *fnorm = f0;
    if (!isfinite(f0) || f0 == 0.0) {
      *settled = f0 == 0.0;
      break;
    }
    double moved = 0.0;
    if (solve_block(&w->J, w->f, c->n, r, w->dx, w->cp)) break;
    const double f1 = line_search(c, x, w, r, f0, &moved);
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

int dd_equilibrium_poisson(dd_ctx *c, dd_field *x, int max_it, gm_result *res) {
  dc_work w;
  int settled;
  memset(res, 0, sizeof(*res));
  if (dc_work_alloc(&w, c->n)) return 1;
  for (int i = 0; i < c->n; i++) x[i].zn = x[i].zp = 0.0;
  res->iterations = block_newton(c, x, &w, 0, max_it, 1e-10, &res->fnorm, &settled);
  res->converged = settled || res->fnorm < 1e-9;
  dc_work_free(&w);
  return 0;
}

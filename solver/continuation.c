#include "solver/continuation.h"
#include "solver/decoupled.h"
#include "solver/ptc.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

PetscErrorCode ct_create(dd_ctx *dd, nt_solver *nt, int max_halvings, double max_step, ct_state *s) {
  PetscFunctionBeginUser;
  memset(s, 0, sizeof(*s));
  s->dd = dd;
  s->nt = nt;
  s->n = dd->n;
  s->max_halvings = max_halvings;
  s->max_step = max_step;
  PetscBool lin = PETSC_FALSE;
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-qled_linear_predictor", &lin, NULL));
  s->linear_only = lin == PETSC_TRUE;
  /* separate blocks: accept() swaps the three pointers */
  PetscCall(PetscMalloc1(s->n, &s->x));
  PetscCall(PetscMalloc1(s->n, &s->xprev));
  PetscCall(PetscMalloc1(s->n, &s->xtry));
  PetscCall(PetscMalloc1(s->n, &s->tangent));
  PetscFunctionReturn(0);
}

PetscErrorCode ct_destroy(ct_state *s) {
  PetscFunctionBeginUser;
  PetscCall(PetscFree(s->x));
  PetscCall(PetscFree(s->xprev));
  PetscCall(PetscFree(s->xtry));
  PetscCall(PetscFree(s->tangent));
  memset(s, 0, sizeof(*s));
  PetscFunctionReturn(0);
}

/* The coupled Newton solve from guess xtry failed: solve again from the same guess with the
 * continuity rows' diagonal raised by |F| (nt_solver.shift). Where a carrier is all but absent
 * over a layer its quasi-Fermi level barely enters any equation; plain Newton then takes steps
 * of ~1 kT/q in thousands of such unknowns and wanders at |F| ~ 1e-2..1e-5 without converging
 * (measured on a 5-layer robustness device with an exact Jacobian, verified against finite
 * differences, and linear solves accurate to 1e-12). The shift damps exactly those directions
 * while |F| is large and vanishes as |F| -> 0, so the solution is unchanged. On the first 100
 * robustness devices: 57.5% -> 88.5% of bias points as a retry; as the first choice (69.7%) it
 * cost devices that plain Newton solves. x may be guess itself. */
static PetscErrorCode retry_shifted(nt_solver *nt, dd_field *guess, dd_field *x, int n, nt_result *r,
                                    int *iterations) {
  PetscFunctionBeginUser;
  const nt_result first = *r;
  if (x != guess) memcpy(x, guess, sizeof(dd_field) * (size_t)n);
  nt->shift = 1.0;
  const PetscErrorCode ierr = nt_solve(nt, x, r);
  nt->shift = 0.0;
  PetscCall(ierr);
  *iterations += r->iterations;
  if (!r->converged) *r = first; /* report plain Newton's reason */
  PetscFunctionReturn(0);
}

/* The regularisation of CT_SLOPE_REGULARISED (nt_tangent_regularised): measured on the
 * robustness matrix as the only slope (not on the ladder), mu = 1e-4 gained devices 0153
 * 13 -> 24, 0155 14 -> 23 and 0240 1 -> 9 points, mu = 0.1 lost 38 points over 116 devices. */
static const double SLOPE_MU = 1e-4;

/* The secant (x - xprev) / (V - Vprev) of the last two converged states; the exact slope when
 * there is only one. */
static PetscErrorCode secant_slope(ct_state *s) {
  PetscFunctionBeginUser;
  if (!s->have_prev || s->V == s->Vprev) {
    PetscCall(nt_tangent_exact(s->nt, s->x, s->tangent));
    PetscFunctionReturn(0);
  }
  const double idV = 1.0 / (s->V - s->Vprev);
  for (int i = 0; i < s->n; i++) {
    s->tangent[i].v = (s->x[i].v - s->xprev[i].v) * idV;
    s->tangent[i].zn = (s->x[i].zn - s->xprev[i].zn) * idV;
    s->tangent[i].zp = (s->x[i].zp - s->xprev[i].zp) * idV;
  }
  PetscFunctionReturn(0);
}

/* dx/dV at the converged state s->x (bias s->V, set in s->dd) with the slope of s->slope. */
static PetscErrorCode slope_at_state(ct_state *s) {
  PetscFunctionBeginUser;
  switch (s->slope) {
  case CT_SLOPE_REUSED: PetscCall(nt_tangent(s->nt, s->x, s->tangent)); break;
  case CT_SLOPE_EXACT: PetscCall(nt_tangent_exact(s->nt, s->x, s->tangent)); break;
  case CT_SLOPE_REGULARISED: PetscCall(nt_tangent_regularised(s->nt, s->x, SLOPE_MU, s->tangent)); break;
  default: PetscCall(secant_slope(s)); break;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode ct_equilibrium(ct_state *s, ct_result *res) {
  nt_result r;
  PetscFunctionBeginUser;
  eq_result eq;
  dd_set_bias(s->dd, 0.0);
  dd_initial_guess(s->dd, s->xtry);
  /* Poisson alone first (globally convergent, see decoupled.c); the coupled solve then only
   * polishes. Should it fail from there, the shifted solve tries (see retry_shifted), then the
   * linear guess as before. xprev (no state yet) keeps the Poisson solution. */
  PetscCheck(dd_equilibrium_poisson(s->dd, s->xtry, 200, &eq) == 0, PETSC_COMM_SELF, PETSC_ERR_MEM,
             "out of memory");
  memcpy(s->xprev, s->xtry, sizeof(dd_field) * (size_t)s->n);
  int its = eq.iterations;
  PetscCall(nt_solve(s->nt, s->xtry, &r));
  its += r.iterations;
  if (!r.converged) PetscCall(retry_shifted(s->nt, s->xprev, s->xtry, s->n, &r, &its));
  if (!r.converged) {
    dd_initial_guess(s->dd, s->xtry);
    PetscCall(nt_solve(s->nt, s->xtry, &r));
    its += r.iterations;
  }
  r.iterations = its;
  memset(res, 0, sizeof(*res));
  res->converged = r.converged;
  res->iterations = r.iterations;
  snprintf(res->reason, sizeof(res->reason), "%s", r.reason);
  if (r.converged) {
    memcpy(s->x, s->xtry, sizeof(dd_field) * (size_t)s->n);
    s->V = 0.0;
    s->have_state = 1;
    s->have_prev = 0;
    PetscCall(slope_at_state(s));
  }
  PetscFunctionReturn(0);
}

/* One component of the Euler step, bounded: a nearly singular Jacobian (a layer where a
 * carrier is absent and its quasi-Fermi level is all but undetermined) can give tangent
 * components of 1e30 and more, and such a guess makes the first residual Inf/NaN at any step
 * size. No unknown can physically move by more than the bias step itself (|dV|/Vt, in kT/q)
 * plus what one Newton update may do (max_update): beyond that the tangent is not trusted. */
static double bounded_step(double step, double bound) {
  if (!isfinite(step)) return 0.0;
  return fabs(step) <= bound ? step : copysign(bound, step);
}

/* Initial guess at bias V: Euler step along the tangent of the solution branch, plus with quad
 * the quadratic term of the Hermite interpolant through the previous state (x(V) = x + dV t +
 * dV^2 c with c from xprev = x + h t + h^2 c, h = Vprev - V). */
static void predict(ct_state *s, double V, int quad) {
  const double dV = V - s->V;
  const double bound = 2.0 * fabs(dV) / s->dd->Vt + s->nt->opt.max_update;
  const double h = s->Vprev - s->V, q = quad ? dV * dV / (h * h) : 0.0;
  for (int i = 0; i < s->n; i++) {
    const dd_field *x = &s->x[i], *t = &s->tangent[i];
    double cv = 0.0, cn = 0.0, cp = 0.0;
    if (quad) {
      cv = q * (s->xprev[i].v - x->v - h * t->v);
      cn = q * (s->xprev[i].zn - x->zn - h * t->zn);
      cp = q * (s->xprev[i].zp - x->zp - h * t->zp);
    }
    s->xtry[i].v = x->v + bounded_step(dV * t->v + cv, bound);
    s->xtry[i].zn = x->zn + bounded_step(dV * t->zn + cn, bound);
    s->xtry[i].zp = x->zp + bounded_step(dV * t->zp + cp, bound);
  }
}

/* Is the quadratic term worth a try at this step? Only at the first solve of a bias point
 * right after a point that was easy (one solve, at most 3 Newton iterations: the branch is
 * smooth there), on the default (reused) slope, and when the last step was at least half as
 * long as this one (no extrapolation far beyond the data). Everywhere else, and whenever the
 * quadratic guess fails, the step is the linear one as before, so a device whose points take
 * halvings or many iterations meets the same solves as without it. Gated only on the last
 * solve (at most 2 iterations, inside halving sequences too) it cost robustness device 0084
 * 19 -> 12 of 21 points; used at every step, 97.6% of the matrix's points against 98.3%
 * (devices 0037 23 -> 17, 0084 19 -> 12, 0125 21 -> 9, 0167 19 -> 7). */
static int quadratic_ok(const ct_state *s, double dV, int first_solve) {
  /* last_easy implies the last solve's <= 3 iterations; dV != 0, so the length test also keeps
   * h = Vprev - V away from 0 */
  return !s->linear_only && first_solve && s->last_easy && s->have_prev &&
         s->slope == CT_SLOPE_REUSED && fabs(s->Vprev - s->V) >= 0.5 * fabs(dV);
}

static void accept(ct_state *s, double V, int its) {
  dd_field *tmp = s->xprev;
  s->xprev = s->x;
  s->x = s->xtry;
  s->xtry = tmp;
  s->Vprev = s->V;
  s->V = V;
  s->have_prev = 1;
  s->last_its = its;
}

/* Continuation is about to give bias point V up: one pseudo-transient solve (solver/ptc.h) from
 * the predictor's guess at V. Only here, as the last resort: tried at every failed step instead
 * (after the shifted retry, before halving) it accepted states from which later points failed on
 * devices that converge today (0173 22/25 -> 3/25 points, 0072 13/13 -> 5/13, 0151 17/17 ->
 * 10/17, 0080 12/12 -> 6/12). Here a point that converges today never reaches it, so those
 * devices keep their results bit for bit. Started from the last converged state instead of the
 * guess, the first time steps met the whole bias jump at the contacts (device 52: |F| = 1.6e13,
 * steps failed down to dt = 6e-14 s). Each try costs up to PTC_MAX_SOLVES solves; after
 * PTC_MAX_FAILURES failed tries in a sweep there are no more, which bounds what it adds to a
 * device it cannot help (the slowest robustness device, 0091, already gives up 18 points). */
enum { PTC_MAX_SOLVES = 40, PTC_MAX_FAILURES = 2 };

static PetscErrorCode last_resort(ct_state *s, double V, ct_result *res) {
  nt_result r;
  int used = 0;
  PetscFunctionBeginUser;
  res->converged = 0;
  if (s->ptc_failures >= PTC_MAX_FAILURES) {
    dd_set_bias(s->dd, s->V);
    PetscFunctionReturn(0);
  }
  predict(s, V, 0);
  dd_set_bias(s->dd, V);
  PetscCall(ptc_solve(s->nt, s->xtry, PTC_MAX_SOLVES, s->xtry, &r, &used));
  res->iterations += r.iterations;
  if (!r.converged) {
    s->ptc_failures++;
    dd_set_bias(s->dd, s->V);
    PetscFunctionReturn(0);
  }
  res->converged = 1;
  snprintf(res->reason, sizeof(res->reason), "pseudo-transient: %.40s", r.reason);
  accept(s, V, INT_MAX); /* reached the hard way: the next step is linear */
  PetscCall(slope_at_state(s));
  PetscFunctionReturn(0);
}

/* Halving continuation from the last converged state towards V with the present slope; returns
 * with res->converged = 0 when it gives up (max_halvings failures in a row, or the budget). */
static PetscErrorCode continue_to(ct_state *s, double V, ct_result *res) {
  nt_result r;
  PetscFunctionBeginUser;
  /* first try the whole step (up to max_step); after a failure halve it, after a success grow it
   * by 1.5 up to max_step; give up after max_halvings failures in a row */
  double step = fabs(V - s->V) < s->max_step ? V - s->V : copysign(s->max_step, V - s->V);
  int failures = 0;
  /* A bound on the solves for this point: a hard device can otherwise crawl towards V with
   * steps near max_step/2^max_halvings (each success resets the failure count), for hours.
   * 32 tries per max_step of distance plus 8 per allowed halving is far above what a device
   * that converges needs (one solve per max_step); a smaller solver.max_step or a larger
   * solver.max_halvings raises it. */
  const double nmin = ceil(fabs(V - s->V) / s->max_step);
  const double budget = 32.0 * nmin + 8.0 * s->max_halvings + 64.0;
  int solves = 0;
  res->converged = 0;
  snprintf(res->reason, sizeof(res->reason), "already there");
  while (s->V != V) {
    if (++solves > budget) {
      snprintf(res->reason, sizeof(res->reason), "continuation-budget (%d solves, reached %.4g V)",
               solves - 1, s->V);
      PetscFunctionReturn(0);
    }
    const double Vtry = fabs(V - s->V) <= fabs(step) * (1.0 + 1e-12) ? V : s->V + step;
    dd_set_bias(s->dd, Vtry);
    r.converged = 0;
    if (quadratic_ok(s, Vtry - s->V, solves == 1)) {
      predict(s, Vtry, 1);
      PetscCall(nt_solve(s->nt, s->xtry, &r));
      res->iterations += r.iterations;
      s->quad_tries++;
      s->quad_hits += r.converged;
    }
    if (!r.converged) { /* the linear step, as without the quadratic term */
      predict(s, Vtry, 0);
      PetscCall(nt_solve(s->nt, s->xtry, &r));
      res->iterations += r.iterations;
      if (!r.converged) /* a failed nt_solve leaves xtry at the guess */
        PetscCall(retry_shifted(s->nt, s->xtry, s->xtry, s->n, &r, &res->iterations));
    }
    snprintf(res->reason, sizeof(res->reason), "%s", r.reason);
    if (r.converged) {
      accept(s, Vtry, r.iterations);
      PetscCall(slope_at_state(s));
      failures = 0;
      step = copysign(fmin(1.5 * fabs(step), s->max_step), step);
      continue;
    }
    if (failures >= s->max_halvings) PetscFunctionReturn(0);
    failures++;
    res->halvings++;
    step *= 0.5;
  }
  res->converged = 1;
  PetscFunctionReturn(0);
}

static const char *const SLOPE_NAME[CT_SLOPE_COUNT] = {"reused", "exact", "regularised", "secant"};

/* The continuation gave V up with the present slope, and so did the pseudo-transient last
 * resort: go on from the last converged state with the other slopes of the ladder, in turn
 * (reused factors, exact, regularised, secant, and round again; see ct_slope). The one that
 * reaches V stays for the following points. Each slope fails on other devices of the
 * robustness matrix (README "Hard devices"): the exact or the regularised slope alone lost
 * points on devices that converge with the reused factors. Here only a point given up with
 * the present slope reaches another, so every point that converges today keeps its result
 * bit for bit. Going round (rather than stopping at the last slope) gained device 0052 2 -> 8
 * points; the secant 8 -> 15. */
static PetscErrorCode other_slopes(ct_state *s, double V, ct_result *res) {
  PetscFunctionBeginUser;
  const int first = (int)s->slope;
  for (int k = 1; !res->converged && k < CT_SLOPE_COUNT; k++) {
    s->slope = (ct_slope)((first + k) % CT_SLOPE_COUNT);
    dd_set_bias(s->dd, s->V);
    PetscCall(slope_at_state(s));
    ct_result again;
    memset(&again, 0, sizeof(again));
    PetscCall(continue_to(s, V, &again));
    res->iterations += again.iterations;
    res->halvings += again.halvings;
    res->converged = again.converged;
    if (again.converged)
      snprintf(res->reason, sizeof(res->reason), "%s slope: %.40s", SLOPE_NAME[s->slope],
               again.reason);
  }
  if (!res->converged) dd_set_bias(s->dd, s->V);
  PetscFunctionReturn(0);
}

PetscErrorCode ct_goto(ct_state *s, double V, ct_result *res) {
  PetscFunctionBeginUser;
  memset(res, 0, sizeof(*res));
  PetscCheck(s->have_state, PETSC_COMM_SELF, PETSC_ERR_ORDER, "no converged state to continue from");
  PetscCall(continue_to(s, V, res));
  s->last_easy = res->converged && res->halvings == 0 && res->iterations <= 3 &&
                 res->iterations == s->last_its;
  if (res->converged) PetscFunctionReturn(0);
  PetscCall(last_resort(s, V, res));
  if (!res->converged) PetscCall(other_slopes(s, V, res));
  PetscFunctionReturn(0);
}

#include "solver/newton.h"
#include "solver/newton_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The update dx just applied was below 1e-6 and below 10 times the square of the previous one:
 * quadratic convergence is visible and the error left is ~10 dx^2 < 1e-11 kT/q. */
static int quadratic_stop(double dx, double dx_prev) { return dx < 1e-6 && dx < 10.0 * dx_prev * dx_prev; }

/* Limit the Newton update: no unknown moves more than max_update kT/q. */
static PetscErrorCode limit_update(SNESLineSearch ls, Vec X, Vec Y, PetscBool *changed, void *ptr) {
  nt_solver *s = ptr;
  PetscReal norm;
  (void)ls;
  (void)X;
  PetscFunctionBeginUser;
  PetscCall(VecNorm(Y, NORM_INFINITY, &norm));
  s->damped = 0;
  *changed = PETSC_FALSE;
  if (norm > s->opt.max_update) {
    /* clip each component on its own: a quasi-Fermi level where its carrier is negligible can
     * move by tens of kT/q between bias points without consequence, and scaling the whole
     * update to its size would stall the unknowns that matter (measured: 15-20% fewer Newton
     * iterations on the QD-LEDs, and no failures at 200 K where scaling had none either) */
    PetscScalar *y;
    PetscInt n;
    const double m = s->opt.max_update;
    PetscCall(VecGetLocalSize(Y, &n));
    PetscCall(VecGetArray(Y, &y));
    for (PetscInt k = 0; k < n; k++)
      if (fabs(y[k]) > m) y[k] = copysign(m, y[k]);
    PetscCall(VecRestoreArray(Y, &y));
    s->damped = 1;
    *changed = PETSC_TRUE;
  }
  /* this update will pass the quadratic-convergence test (converged_test): the residual at the
   * new iterate is then the last one, and its Jacobian would never be factored */
  s->final_eval = !s->damped && quadratic_stop(norm, s->dx_prev);
  PetscFunctionReturn(0);
}

/* Largest |dx_i| / (step_tol + step_rtol |x_i|): below 1 every unknown has settled. The relative
 * part matters where |x| is large (a potential of 1000 kT/q is only known to ~1e-13 relative, so
 * an absolute tolerance alone can sit below the rounding floor). */
static PetscErrorCode scaled_step(nt_solver *s, Vec X, Vec Y, double *worst) {
  const double *x, *y;
  PetscInt n;
  PetscFunctionBeginUser;
  PetscCall(VecGetLocalSize(X, &n));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArrayRead(Y, &y));
  double w = 0.0;
  for (PetscInt k = 0; k < n; k++) {
    const double r = fabs(y[k]) / (s->opt.step_tol + s->opt.step_rtol * fabs(x[k]));
    if (!(r <= w)) w = r; /* NaN propagates */
  }
  PetscCall(VecRestoreArrayRead(Y, &y));
  PetscCall(VecRestoreArrayRead(X, &x));
  *worst = w;
  PetscFunctionReturn(0);
}

/* The residual says the solve is done although the update does not: the scaled residual (every
 * row in kT/q, or relative to the local drift-diffusion flux scale) is below f_abs and either
 * fell by more than 1e3 in the last iteration (Newton in its quadratic regime) or was already
 * within 10 f_abs before it (the rounding floor: measured between 1e-13 and 2e-9 on hard
 * devices). The error left in the unknowns is then of order f_abs kT/q, not far below it: a
 * state accepted here and solved again moved v by 3e-11..1e-8 kT/q (measured with log-density
 * updates), which changes J by < 1e-6 relative. This happens where a carrier is absent over a layer: its quasi-Fermi level
 * there hardly enters any equation, the Jacobian is nearly singular in it and its update stays
 * large (measured: a 4-layer robustness device reached |F| = 1e-9 and then wandered for 5
 * iterations at the rounding floor until an update of such an unknown blew the residual up to
 * 1e16). */
static int residual_floor(const nt_solver *s, double fnorm) {
  return fnorm < s->opt.f_abs && (fnorm < 1e-3 * s->fnorm_prev || s->fnorm_prev < 10.0 * s->opt.f_abs);
}

/* Newton has stalled (the residual fell by less than 10x in the last iteration, so it is not in
 * its quadratic regime) at a state that already solves the equations for everything qledsim
 * reports: the Poisson and contact rows are below f_abs (kT/q), the continuity rows, converted
 * back to physical units, add up to at most 1e-8 of the terminal current or 1e-20 A/m^2, and the
 * last update was undamped and below 1e-2 kT/q in every unknown. The scaled criteria cannot be
 * met where a carrier is absent over a layer: its quasi-Fermi level is all but undetermined and
 * updates of 1e-4..0.4 kT/q in it wander forever while the scaled rows sit at their rounding
 * floor (3e-8 on a 5-layer robustness device, f_abs is 1e-8) or higher (|F| ~ 12 on robustness
 * device 257, whose continuity rows then add up to 4e-25 A/m^2 at J = 6e-32 A/m^2).
 * The floor of 1e-20 A/m^2 is far below any measurable current; measured on the 300 devices of
 * the robustness matrix, 1e-12 and 1e-16 A/m^2 let devices with currents of 1e-15..1e-29 A/m^2
 * accept states from which the next bias points then failed (e.g. 24/24 -> 6/24 points), and no
 * floor at all lost the devices that pass no current (22/22 -> 1/22). See
 * tests/unit/test_newton_settled.c. */
static PetscErrorCode physically_settled(nt_solver *s, SNES snes, Vec X, double dx, double fnorm,
                                         int *settled) {
  Vec F;
  const dd_field *f, *x;
  PetscFunctionBeginUser;
  *settled = 0;
  if (s->damped || !(dx < 1e-2) || fnorm < 0.1 * s->fnorm_prev) PetscFunctionReturn(0);
  double rphys, fkt;
  PetscCall(SNESGetFunction(snes, &F, NULL, NULL));
  PetscCall(VecGetArrayRead(F, (const PetscScalar **)&f));
  dd_residual_physical(s->dd, f, &fkt, &rphys);
  PetscCall(VecRestoreArrayRead(F, (const PetscScalar **)&f));
  if (!(fkt <= s->opt.f_abs) || !isfinite(rphys)) PetscFunctionReturn(0);
  if (rphys <= 1e-20) {
    *settled = 1;
    PetscFunctionReturn(0);
  }
  PetscCall(VecGetArrayRead(X, (const PetscScalar **)&x));
  dd_compute_currents(s->dd, x, &s->cur);
  PetscCall(VecRestoreArrayRead(X, (const PetscScalar **)&x));
  *settled = rphys <= 1e-8 * fabs(s->cur.J);
  PetscFunctionReturn(0);
}

/* Converged when an undamped Newton update is below tolerance in every unknown (kT/q units), or
 * when quadratic convergence is visible and the update just taken leaves an error below 1e-11.
 * At the rounding floor the update stops shrinking; two tiny undamped updates without a drop in
 * the residual also count. */
static PetscErrorCode converged_test(SNES snes, PetscInt it, PetscReal xnorm, PetscReal ynorm,
                                     PetscReal fnorm, SNESConvergedReason *reason, void *ptr) {
  nt_solver *s = ptr;
  (void)xnorm;
  (void)ynorm;
  PetscFunctionBeginUser;
  *reason = SNES_CONVERGED_ITERATING;
  if (!isfinite(fnorm)) {
    *reason = SNES_DIVERGED_FNORM_NAN;
    PetscFunctionReturn(0);
  }
  if (it == 0) {
    s->fnorm_prev = fnorm;
    s->tiny_steps = 0;
    s->dx_prev = INFINITY;
    s->accepted = NT_ACCEPT_NONE;
    if (fnorm == 0.0) {
      *reason = SNES_CONVERGED_FNORM_ABS;
      s->accepted = NT_ACCEPT_FLOOR;
    }
    PetscFunctionReturn(0);
  }
  Vec X, Y;
  double worst = INFINITY;
  PetscCall(SNESGetSolution(snes, &X));
  PetscCall(SNESGetSolutionUpdate(snes, &Y));
  PetscCall(scaled_step(s, X, Y, &worst));
  PetscReal dx;
  PetscCall(VecNorm(Y, NORM_INFINITY, &dx));
  const int quadratic = !s->damped && quadratic_stop(dx, s->dx_prev);
  s->dx_prev = s->damped ? INFINITY : dx;
  const int tiny = !s->damped && worst < 1e3;
  s->tiny_steps = tiny && fnorm > 0.5 * s->fnorm_prev ? s->tiny_steps + 1 : 0;
  const int floor = residual_floor(s, fnorm);
  int settled = 0;
  if (!floor) PetscCall(physically_settled(s, snes, X, dx, fnorm, &settled));
  s->fnorm_prev = fnorm;
  if ((!s->damped && worst < 1.0) || quadratic) {
    *reason = SNES_CONVERGED_SNORM_RELATIVE;
    s->accepted = NT_ACCEPT_STEP;
  } else if (floor || settled) {
    *reason = SNES_CONVERGED_FNORM_ABS;
    s->accepted = floor ? NT_ACCEPT_FLOOR : NT_ACCEPT_SETTLED;
  } else if (s->tiny_steps >= 2) {
    *reason = SNES_CONVERGED_ITS;
    s->accepted = NT_ACCEPT_TINY;
  } else if (it >= s->opt.max_it) {
    *reason = SNES_DIVERGED_MAX_IT;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode nt_create(dd_ctx *dd, const nt_options *opt, nt_solver *s) {
  SNESLineSearch ls;
  PetscFunctionBeginUser;
  memset(s, 0, sizeof(*s));
  s->dd = dd;
  s->opt = *opt;
  PetscCheck(dd_jac_alloc(&s->jac, dd->n) == 0, PETSC_COMM_SELF, PETSC_ERR_MEM, "out of memory");
  PetscCall(PetscMalloc2(dd->n, &s->fwork, dd->n, &s->jac_x));
  PetscCheck(dd_currents_alloc(&s->cur, dd->n) == 0, PETSC_COMM_SELF, PETSC_ERR_MEM, "out of memory");
  PetscCall(DMDACreate1d(PETSC_COMM_SELF, DM_BOUNDARY_NONE, dd->n, 3, 1, NULL, &s->da));
  PetscCall(DMSetFromOptions(s->da));
  PetscCall(DMSetUp(s->da));
  PetscCall(DMDASetFieldName(s->da, 0, "v"));
  PetscCall(DMDASetFieldName(s->da, 1, "zn"));
  PetscCall(DMDASetFieldName(s->da, 2, "zp"));
  PetscCall(DMCreateGlobalVector(s->da, &s->X));
  PetscCall(SNESCreate(PETSC_COMM_SELF, &s->snes));
  PetscCall(SNESSetDM(s->snes, s->da));
  PetscCall(DMDASNESSetFunctionLocal(s->da, INSERT_VALUES, (DMDASNESFunction)nt_form_function, s));
  PetscCall(DMDASNESSetJacobianLocal(s->da, (DMDASNESJacobian)nt_form_jacobian, s));
  /* opt-in, off by default (see newton.h: exact_tangent, accurate); read before the linear
   * set-up, which creates the refinement solver only when it is wanted */
  PetscBool on = PETSC_FALSE;
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-qled_exact_tangent", &on, NULL));
  s->exact_tangent = on == PETSC_TRUE;
  on = PETSC_FALSE;
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-qled_refine_linear", &on, NULL));
  s->accurate = on == PETSC_TRUE;
  PetscCall(nt_setup_linear(s));
  PetscCall(SNESSetType(s->snes, SNESNEWTONLS));
  PetscCall(SNESGetLineSearch(s->snes, &ls));
  PetscCall(SNESLineSearchSetType(ls, SNESLINESEARCHBASIC));
  PetscCall(SNESLineSearchSetPreCheck(ls, limit_update, s));
  PetscCall(SNESSetTolerances(s->snes, PETSC_DEFAULT, PETSC_DEFAULT, PETSC_DEFAULT,
                              opt->max_it + 1, 100 * opt->max_it));
  PetscCall(SNESSetConvergenceTest(s->snes, converged_test, s, NULL));
  PetscCall(SNESSetFromOptions(s->snes));
  PetscFunctionReturn(0);
}

static void describe_reason(SNESConvergedReason r, int domain_error, int singular, char *buf,
                            size_t len) {
  if (singular && r == SNES_DIVERGED_LINEAR_SOLVE) snprintf(buf, len, "singular-jacobian");
  else if (domain_error && r < 0) snprintf(buf, len, "nan-in-residual");
  else snprintf(buf, len, "%s", SNESConvergedReasons[r]);
}

PetscErrorCode nt_solve(nt_solver *s, dd_field *x, nt_result *res) {
  SNESConvergedReason reason;
  PetscInt its;
  dd_field *xa;
  const PetscInt n = s->dd->n;
  PetscFunctionBeginUser;
  dd_freeze_scales(s->dd, x);
  s->jac_valid = 0; /* the scales changed: cached assemblies and factors are stale */
  s->fac_ok = 0;
  s->final_eval = 0;
  s->dx_prev = INFINITY;
  s->domain_error = 0;
  s->singular = 0;
  PetscCall(VecGetArray(s->X, (PetscScalar **)&xa));
  memcpy(xa, x, sizeof(dd_field) * (size_t)n);
  PetscCall(VecRestoreArray(s->X, (PetscScalar **)&xa));
  PetscCall(SNESSolve(s->snes, NULL, s->X));
  PetscCall(SNESGetConvergedReason(s->snes, &reason));
  PetscCall(SNESGetIterationNumber(s->snes, &its));
  res->converged = reason > 0;
  res->iterations = (int)its;
  describe_reason(reason, s->domain_error, s->singular, res->reason, sizeof(res->reason));
  if (res->converged) {
    PetscCall(VecGetArrayRead(s->X, (const PetscScalar **)&xa));
    for (PetscInt i = 0; i < n; i++)
      if (!isfinite(xa[i].v) || !isfinite(xa[i].zn) || !isfinite(xa[i].zp)) {
        res->converged = 0;
        snprintf(res->reason, sizeof(res->reason), "nan-in-solution");
        break;
      }
    if (res->converged) memcpy(x, xa, sizeof(dd_field) * (size_t)n);
    PetscCall(VecRestoreArrayRead(s->X, (const PetscScalar **)&xa));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode nt_destroy(nt_solver *s) {
  PetscFunctionBeginUser;
  PetscCall(SNESDestroy(&s->snes));
  PetscCall(KSPDestroy(&s->refine));
  PetscCall(VecDestroy(&s->ref_b));
  PetscCall(VecDestroy(&s->ref_x));
  PetscCall(MatDestroy(&s->J));
  PetscCall(VecDestroy(&s->X));
  PetscCall(DMDestroy(&s->da));
  PetscCall(PetscFree2(s->fwork, s->jac_x));
  dd_currents_free(&s->cur);
  bt_free(&s->fac);
  dd_jac_free(&s->jac);
  PetscFunctionReturn(0);
}

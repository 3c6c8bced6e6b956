#include "solver/newton.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static PetscErrorCode form_function(DMDALocalInfo *info, dd_field *x, dd_field *f, void *ptr) {
  nt_solver *s = ptr;
  (void)info;
  PetscFunctionBeginUser;
  if (dd_assemble(s->dd, x, f, NULL)) {
    s->domain_error = 1;
    PetscCall(SNESSetFunctionDomainError(s->snes));
  }
  PetscFunctionReturn(0);
}

/* Insert the block-tridiagonal Jacobian row by row as 3x9 blocks. */
static PetscErrorCode insert_jacobian(const dd_jac *J, Mat P) {
  PetscFunctionBeginUser;
  const PetscInt n = J->n;
  for (PetscInt i = 0; i < n; i++) {
    PetscInt cols[3], nc = 0;
    PetscScalar vals[27];
    const double *blocks[3];
    if (i > 0) { cols[nc] = i - 1; blocks[nc++] = J->Lo[i]; }
    cols[nc] = i; blocks[nc++] = J->D[i];
    if (i < n - 1) { cols[nc] = i + 1; blocks[nc++] = J->Up[i]; }
    for (int r = 0; r < 3; r++)
      for (int b = 0; b < nc; b++)
        for (int k = 0; k < 3; k++) vals[r * 3 * nc + b * 3 + k] = blocks[b][r * 3 + k];
    PetscCall(MatSetValuesBlocked(P, 1, &i, nc, cols, vals, INSERT_VALUES));
  }
  PetscCall(MatAssemblyBegin(P, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(P, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(0);
}

static PetscErrorCode form_jacobian(DMDALocalInfo *info, dd_field *x, Mat A, Mat P, void *ptr) {
  nt_solver *s = ptr;
  dd_field *f;
  (void)info;
  PetscFunctionBeginUser;
  PetscCall(PetscMalloc1(s->dd->n, &f));
  int bad = dd_assemble(s->dd, x, f, &s->jac);
  PetscCall(PetscFree(f));
  if (bad) {
    s->domain_error = 1;
    PetscCall(SNESSetJacobianDomainError(s->snes));
  }
  PetscCall(insert_jacobian(&s->jac, P));
  if (A != P) {
    PetscCall(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
  }
  PetscFunctionReturn(0);
}

/* Limit the Newton update: scale the whole step so no unknown moves more than max_update kT/q. */
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
    PetscCall(VecScale(Y, s->opt.max_update / norm));
    s->damped = 1;
    *changed = PETSC_TRUE;
  }
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

/* Converged when an undamped Newton update is below tolerance in every unknown (kT/q units):
 * quadratic convergence then leaves an error far below that. At the rounding floor the update
 * stops shrinking; two tiny undamped updates without a drop in the residual also count. */
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
    if (fnorm == 0.0) *reason = SNES_CONVERGED_FNORM_ABS;
    PetscFunctionReturn(0);
  }
  Vec X, Y;
  double worst = INFINITY;
  PetscCall(SNESGetSolution(snes, &X));
  PetscCall(SNESGetSolutionUpdate(snes, &Y));
  PetscCall(scaled_step(s, X, Y, &worst));
  const int tiny = !s->damped && worst < 1e3;
  s->tiny_steps = tiny && fnorm > 0.5 * s->fnorm_prev ? s->tiny_steps + 1 : 0;
  s->fnorm_prev = fnorm;
  if (!s->damped && worst < 1.0) *reason = SNES_CONVERGED_SNORM_RELATIVE;
  else if (s->tiny_steps >= 2) *reason = SNES_CONVERGED_ITS;
  else if (it >= s->opt.max_it) *reason = SNES_DIVERGED_MAX_IT;
  PetscFunctionReturn(0);
}

/* Block-tridiagonal BAIJ (3x3 blocks) unless the user chose a matrix type with -dm_mat_type
 * (DMDA in 1D cannot create BAIJ itself). */
static PetscErrorCode create_matrix(nt_solver *s) {
  PetscBool user_type;
  const PetscInt n = s->dd->n;
  PetscFunctionBeginUser;
  PetscCall(PetscOptionsHasName(NULL, NULL, "-dm_mat_type", &user_type));
  if (user_type) PetscFunctionReturn(0);
  PetscCall(MatCreateSeqBAIJ(PETSC_COMM_SELF, 3, 3 * n, 3 * n, 3, NULL, &s->J));
  PetscCall(MatSetOption(s->J, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_TRUE));
  PetscCall(SNESSetJacobian(s->snes, s->J, s->J, NULL, NULL));
  PetscFunctionReturn(0);
}

PetscErrorCode nt_create(dd_ctx *dd, const nt_options *opt, nt_solver *s) {
  KSP ksp;
  PC pc;
  SNESLineSearch ls;
  PetscFunctionBeginUser;
  memset(s, 0, sizeof(*s));
  s->dd = dd;
  s->opt = *opt;
  PetscCheck(dd_jac_alloc(&s->jac, dd->n) == 0, PETSC_COMM_SELF, PETSC_ERR_MEM, "out of memory");
  PetscCall(DMDACreate1d(PETSC_COMM_SELF, DM_BOUNDARY_NONE, dd->n, 3, 1, NULL, &s->da));
  PetscCall(DMSetFromOptions(s->da));
  PetscCall(DMSetUp(s->da));
  PetscCall(DMDASetFieldName(s->da, 0, "v"));
  PetscCall(DMDASetFieldName(s->da, 1, "zn"));
  PetscCall(DMDASetFieldName(s->da, 2, "zp"));
  PetscCall(DMCreateGlobalVector(s->da, &s->X));
  PetscCall(SNESCreate(PETSC_COMM_SELF, &s->snes));
  PetscCall(SNESSetDM(s->snes, s->da));
  PetscCall(DMDASNESSetFunctionLocal(s->da, INSERT_VALUES, (DMDASNESFunction)form_function, s));
  PetscCall(DMDASNESSetJacobianLocal(s->da, (DMDASNESJacobian)form_jacobian, s));
  PetscCall(create_matrix(s));
  PetscCall(SNESSetType(s->snes, SNESNEWTONLS));
  PetscCall(SNESGetLineSearch(s->snes, &ls));
  PetscCall(SNESLineSearchSetType(ls, SNESLINESEARCHBASIC));
  PetscCall(SNESLineSearchSetPreCheck(ls, limit_update, s));
  PetscCall(SNESSetTolerances(s->snes, PETSC_DEFAULT, PETSC_DEFAULT, PETSC_DEFAULT,
                              opt->max_it + 1, 100 * opt->max_it));
  PetscCall(SNESSetConvergenceTest(s->snes, converged_test, s, NULL));
  PetscCall(SNESGetKSP(s->snes, &ksp));
  PetscCall(KSPSetType(ksp, KSPPREONLY));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCLU));
  PetscCall(PCFactorSetMatOrderingType(pc, MATORDERINGNATURAL));
  PetscCall(SNESSetFromOptions(s->snes));
  PetscFunctionReturn(0);
}

static void describe_reason(SNESConvergedReason r, int domain_error, char *buf, size_t len) {
  if (domain_error && r < 0) snprintf(buf, len, "nan-in-residual");
  else snprintf(buf, len, "%s", SNESConvergedReasons[r]);
}

PetscErrorCode nt_solve(nt_solver *s, dd_field *x, nt_result *res) {
  SNESConvergedReason reason;
  PetscInt its;
  dd_field *xa;
  const PetscInt n = s->dd->n;
  PetscFunctionBeginUser;
  dd_freeze_scales(s->dd, x);
  s->domain_error = 0;
  PetscCall(VecGetArray(s->X, (PetscScalar **)&xa));
  memcpy(xa, x, sizeof(dd_field) * (size_t)n);
  PetscCall(VecRestoreArray(s->X, (PetscScalar **)&xa));
  PetscCall(SNESSolve(s->snes, NULL, s->X));
  PetscCall(SNESGetConvergedReason(s->snes, &reason));
  PetscCall(SNESGetIterationNumber(s->snes, &its));
  res->converged = reason > 0;
  res->iterations = (int)its;
  describe_reason(reason, s->domain_error, res->reason, sizeof(res->reason));
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

/* dx/dV at the converged state x: V enters every interior equation exactly as a uniform shift
 * of zp by -V/Vt (densities and splitting depend on -zp + V/Vt only), so dx/dV = e_zp/Vt + c with
 * J c = b, b zero except the anode's Dirichlet rows, (1, -1, -1)/Vt; the cathode boundary values
 * of x and of e_zp/Vt already agree. One Jacobian factorisation and solve. */
PetscErrorCode nt_tangent(nt_solver *s, const dd_field *x, dd_field *t) {
  Vec B, C;
  Mat A, P;
  KSP ksp;
  dd_field *b;
  const PetscInt n = s->dd->n;
  const double iVt = 1.0 / s->dd->Vt;
  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(s->X, &B));
  PetscCall(VecDuplicate(s->X, &C));
  PetscCall(VecGetArray(s->X, (PetscScalar **)&b));
  memcpy(b, x, sizeof(dd_field) * (size_t)n);
  PetscCall(VecRestoreArray(s->X, (PetscScalar **)&b));
  PetscCall(SNESGetJacobian(s->snes, &A, &P, NULL, NULL));
  PetscCall(SNESComputeJacobian(s->snes, s->X, A, P));
  PetscCall(SNESGetKSP(s->snes, &ksp));
  PetscCall(KSPSetOperators(ksp, A, P));
  PetscCall(VecSet(B, 0.0));
  PetscCall(VecGetArray(B, (PetscScalar **)&b));
  b[0].v = iVt; /* Robin (finite S) rows behave like interior rows: zero */
  b[0].zn = isfinite(s->dd->dev->anode.S_n) ? 0.0 : -iVt;
  b[0].zp = isfinite(s->dd->dev->anode.S_p) ? 0.0 : -iVt;
  PetscCall(VecRestoreArray(B, (PetscScalar **)&b));
  PetscCall(KSPSolve(ksp, B, C));
  PetscCall(VecGetArray(C, (PetscScalar **)&b));
  for (PetscInt i = 0; i < n; i++) {
    t[i] = b[i];
    t[i].zp += iVt;
  }
  PetscCall(VecRestoreArray(C, (PetscScalar **)&b));
  PetscCall(VecDestroy(&B));
  PetscCall(VecDestroy(&C));
  PetscFunctionReturn(0);
}

PetscErrorCode nt_destroy(nt_solver *s) {
  PetscFunctionBeginUser;
  PetscCall(SNESDestroy(&s->snes));
  PetscCall(MatDestroy(&s->J));
  PetscCall(VecDestroy(&s->X));
  PetscCall(DMDestroy(&s->da));
  dd_jac_free(&s->jac);
  PetscFunctionReturn(0);
}

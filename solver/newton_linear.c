/* The linear algebra of the Newton solver.
 * Default: residual and Jacobian are assembled together (one pass, cached against the iterate),
 * the Jacobian stays in block-tridiagonal form (dd_jac) and is factored directly
 * (solver/blocktri.c) behind a MATSHELL (for MatMult, e.g. -snes_test_jacobian) and a PCSHELL.
 * When the user selects PETSc linear algebra (-pc_type, -ksp_type, -mat_type, -dm_mat_type or
 * -qled_assembled) the Jacobian is assembled into a BAIJ matrix (or the DM's type) instead and
 * every PETSc option applies. */
#include "solver/newton.h"
#include "solver/newton_impl.h"
#include "solver/ptc.h"

#include <math.h>
#include <string.h>

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

/* Add mu to the diagonal of the continuity rows of s->jac. s->jac is then no longer the
 * Jacobian: the cache is marked stale. */
static void regularise_continuity(nt_solver *s, double mu) {
  for (int i = 0; i < s->dd->n; i++) {
    s->jac.D[i][4] += mu; /* (zn, zn) */
    s->jac.D[i][8] += mu; /* (zp, zp) */
  }
  s->jac_valid = 0;
}

/* Add shift |F| to the diagonal of the continuity rows (see nt_solver.shift). |F| is SNES's norm
 * of the residual at the iterate whose Jacobian this is. */
static PetscErrorCode shift_continuity(nt_solver *s) {
  PetscReal fnorm;
  PetscFunctionBeginUser;
  PetscCall(SNESGetFunctionNorm(s->snes, &fnorm));
  const double mu = s->shift * fnorm;
  if (mu > 0.0) regularise_continuity(s, mu);
  PetscFunctionReturn(0);
}

PetscErrorCode nt_form_function(DMDALocalInfo *info, dd_field *x, dd_field *f, void *ptr) {
  nt_solver *s = ptr;
  (void)info;
  PetscFunctionBeginUser;
  /* the last evaluation of a solve (see limit_update) skips the Jacobian: nothing factors it */
  const int with_jac = !(s->blocktri && s->final_eval);
  s->final_eval = 0;
  const int bad = ptc_assemble(s->transient, s->dd, x, f, with_jac ? &s->jac : NULL);
  memcpy(s->jac_x, x, sizeof(dd_field) * (size_t)s->dd->n);
  s->jac_valid = !bad && with_jac;
  if (bad) {
    s->domain_error = 1;
    PetscCall(SNESSetFunctionDomainError(s->snes));
  }
  PetscFunctionReturn(0);
}

/* Make s->jac the Jacobian at x (reusing the assembly done with the residual when possible). */
static int ensure_jacobian(nt_solver *s, const dd_field *x) {
  if (s->jac_valid && !memcmp(x, s->jac_x, sizeof(dd_field) * (size_t)s->dd->n)) return 0;
  const int bad = ptc_assemble(s->transient, s->dd, x, s->fwork, &s->jac);
  memcpy(s->jac_x, x, sizeof(dd_field) * (size_t)s->dd->n);
  s->jac_valid = !bad;
  return bad;
}

PetscErrorCode nt_form_jacobian(DMDALocalInfo *info, dd_field *x, Mat A, Mat P, void *ptr) {
  nt_solver *s = ptr;
  (void)info;
  PetscFunctionBeginUser;
  int bad = ensure_jacobian(s, x);
  if (!bad && s->shift > 0.0) PetscCall(shift_continuity(s));
  /* the regularised slope on a PETSc matrix (nt_tangent assembles through here; 0 in solves) */
  if (!bad && s->tangent_mu > 0.0) regularise_continuity(s, s->tangent_mu);
  if (s->blocktri && !bad) {
    bad = bt_factorize(&s->fac, (const double(*)[9])s->jac.D, (const double(*)[9])s->jac.Lo,
                       (const double(*)[9])s->jac.Up) != 0;
    s->fac_ok = !bad;
    s->fac_exact = !bad && !(s->shift > 0.0) && !s->transient;
    if (bad) s->singular = 1;
  }
  if (bad) {
    s->domain_error = 1;
    PetscCall(SNESSetJacobianDomainError(s->snes));
  }
  if (!s->blocktri) {
    PetscCall(insert_jacobian(&s->jac, P));
    if (A != P) {
      PetscCall(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
      PetscCall(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
    }
  } else { /* a new operator state for the KSP (the shell's data changed in place) */
    PetscCall(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
  }
  PetscFunctionReturn(0);
}

/* y = J x with the last assembled Jacobian (s->jac). */
static void jac_matvec(const nt_solver *s, const double *x, double *y) {
  bt_matvec(s->dd->n, (const double(*)[9])s->jac.D, (const double(*)[9])s->jac.Lo,
            (const double(*)[9])s->jac.Up, x, y);
}

/* MATSHELL: y = J x with the last assembled Jacobian. */
static PetscErrorCode shell_mult(Mat A, Vec x, Vec y) {
  nt_solver *s;
  const PetscScalar *xa;
  PetscScalar *ya;
  PetscFunctionBeginUser;
  PetscCall(MatShellGetContext(A, &s));
  PetscCall(VecGetArrayRead(x, &xa));
  PetscCall(VecGetArray(y, &ya));
  jac_matvec(s, xa, ya);
  PetscCall(VecRestoreArray(y, &ya));
  PetscCall(VecRestoreArrayRead(x, &xa));
  PetscFunctionReturn(0);
}

/* A solve with the block-tridiagonal factors whose residual exceeds LIN_RTOL |b| is refined
 * (solve_accurate) down to LIN_RTOL_REFINED |b|. */
static const double LIN_RTOL = 1e-10, LIN_RTOL_REFINED = 1e-12;

/* PCSHELL of the refinement KSP: the factors alone. */
static PetscErrorCode factor_apply(PC pc, Vec b, Vec x) {
  nt_solver *s;
  const PetscScalar *ba;
  PetscScalar *xa;
  PetscFunctionBeginUser;
  PetscCall(PCShellGetContext(pc, &s));
  PetscCall(VecGetArrayRead(b, &ba));
  PetscCall(VecGetArray(x, &xa));
  bt_solve(&s->fac, ba, xa);
  PetscCall(VecRestoreArray(x, &xa));
  PetscCall(VecRestoreArrayRead(b, &ba));
  PetscFunctionReturn(0);
}

/* r = b - J x with the Jacobian in s->jac; returns |r|_2 and |b|_2. */
static void lin_residual(const nt_solver *s, const double *b, const double *x, double *r,
                         double *rnorm, double *bnorm) {
  const int n3 = 3 * s->dd->n;
  jac_matvec(s, x, r);
  double rn = 0.0, bn = 0.0;
  for (int k = 0; k < n3; k++) {
    r[k] = b[k] - r[k];
    rn += r[k] * r[k];
    bn += b[k] * b[k];
  }
  *rnorm = sqrt(rn);
  *bnorm = sqrt(bn);
}

/* x = J^{-1} b (s->jac, factored in s->fac; x may not alias b). Block LU without pivoting
 * between block rows is not stable on the Jacobians of hard devices: where a carrier's density
 * spans tens of decades between neighbouring nodes the quasi-Fermi-level columns are far from
 * diagonally dominant, and on robustness device 295 the solves' relative residuals had a 90th
 * percentile of 1e-6 and reached 1e26 (Newton then wandered at |F| ~ 1e18 for thousands of
 * iterations). Iterative refinement diverged there; GMRES preconditioned with the same factors
 * (right-preconditioned, so it measures the true residual) reaches LIN_RTOL_REFINED. Solves
 * already below LIN_RTOL are returned as they are, bit for bit. */
static PetscErrorCode solve_accurate(nt_solver *s, const double *b, double *x) {
  const int n3 = 3 * s->dd->n;
  double rn, bn;
  PetscScalar *ra;
  const PetscScalar *da;
  PetscFunctionBeginUser;
  bt_solve(&s->fac, b, x);
  if (!s->accurate) PetscFunctionReturn(0);
  PetscCall(VecGetArray(s->ref_b, &ra));
  lin_residual(s, b, x, ra, &rn, &bn);
  PetscCall(VecRestoreArray(s->ref_b, &ra));
  if (!(rn > LIN_RTOL * bn) || !isfinite(rn)) PetscFunctionReturn(0);
  PetscCall(KSPSetTolerances(s->refine, LIN_RTOL_REFINED * bn / rn, 0.0, PETSC_DEFAULT,
                             PETSC_DEFAULT));
  PetscCall(KSPSolve(s->refine, s->ref_b, s->ref_x));
  PetscCall(VecGetArrayRead(s->ref_x, &da));
  int finite = 1;
  for (int k = 0; k < n3 && finite; k++) finite = isfinite(da[k]);
  if (finite)
    for (int k = 0; k < n3; k++) x[k] += da[k];
  PetscCall(VecRestoreArrayRead(s->ref_x, &da));
  PetscFunctionReturn(0);
}

/* PCSHELL: x = J^{-1} b with the block-tridiagonal factors (solve_accurate). */
static PetscErrorCode shell_apply(PC pc, Vec b, Vec x) {
  nt_solver *s;
  const PetscScalar *ba;
  PetscScalar *xa;
  PetscFunctionBeginUser;
  PetscCall(PCShellGetContext(pc, &s));
  if (!s->fac_ok) {
    s->singular = 1;
    /* A singular Jacobian is a failed Newton step of this bias point, not an error of the run:
     * report it as a failed preconditioner, so KSP and SNES stop with DIVERGED_PC_FAILED /
     * DIVERGED_LINEAR_SOLVE and continuation halves the step or flags the point. (SNES only
     * looks at the Jacobian domain error set above with -snes_check_jacobian_domain_error.) */
    PetscCall(VecSet(x, 0.0));
    PetscCall(PCSetFailedReason(pc, PC_FACTOR_NUMERIC_ZEROPIVOT));
    PetscFunctionReturn(0);
  }
  /* the PC keeps a failure recorded for an earlier Jacobian until it is told otherwise (PETSc
   * never resets a PCSHELL's failed reason): KSP would report DIVERGED_PC_FAILED for every later
   * solve of the run (measured: after one singular Jacobian every later Newton solve of a
   * robustness device failed at iteration 0, although every later factorisation was regular) */
  PetscCall(PCSetFailedReason(pc, PC_NOERROR));
  PetscCall(VecGetArrayRead(b, &ba));
  PetscCall(VecGetArray(x, &xa));
  PetscCall(solve_accurate(s, ba, xa));
  PetscCall(VecRestoreArray(x, &xa));
  PetscCall(VecRestoreArrayRead(b, &ba));
  PetscFunctionReturn(0);
}

/* The refinement KSP of solve_accurate: GMRES on the Jacobian shell, preconditioned on the right
 * with the factors (options prefix -qled_refine_). */
static PetscErrorCode setup_refine(nt_solver *s) {
  PC pc;
  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(s->X, &s->ref_b));
  PetscCall(VecDuplicate(s->X, &s->ref_x));
  PetscCall(KSPCreate(PETSC_COMM_SELF, &s->refine));
  PetscCall(KSPSetOptionsPrefix(s->refine, "qled_refine_"));
  PetscCall(KSPSetType(s->refine, KSPGMRES));
  PetscCall(KSPSetPCSide(s->refine, PC_RIGHT));
  PetscCall(KSPSetTolerances(s->refine, LIN_RTOL_REFINED, 0.0, PETSC_DEFAULT, 30));
  PetscCall(KSPSetOperators(s->refine, s->J, s->J));
  PetscCall(KSPGetPC(s->refine, &pc));
  PetscCall(PCSetType(pc, PCSHELL));
  PetscCall(PCShellSetContext(pc, s));
  PetscCall(PCShellSetApply(pc, factor_apply));
  PetscCall(PCShellSetName(pc, "qledsim block-tridiagonal LU factors"));
  PetscCall(KSPSetFromOptions(s->refine));
  PetscFunctionReturn(0);
}

/* Does the user want PETSc's own linear algebra? */
static PetscErrorCode wants_assembled(PetscBool *yes) {
  const char *opts[] = {"-pc_type", "-ksp_type", "-mat_type", "-dm_mat_type", "-qled_assembled",
                        "-pc_factor_mat_solver_type"};
  PetscFunctionBeginUser;
  *yes = PETSC_FALSE;
  for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]) && !*yes; k++)
    PetscCall(PetscOptionsHasName(NULL, NULL, opts[k], yes));
  PetscFunctionReturn(0);
}

PetscErrorCode nt_setup_linear(nt_solver *s) {
  const PetscInt n = s->dd->n;
  PetscBool assembled, user_type;
  KSP ksp;
  PC pc;
  PetscFunctionBeginUser;
  PetscCall(wants_assembled(&assembled));
  s->blocktri = !assembled;
  PetscCall(SNESGetKSP(s->snes, &ksp));
  PetscCall(KSPSetType(ksp, KSPPREONLY));
  PetscCall(KSPGetPC(ksp, &pc));
  if (s->blocktri) {
    PetscCheck(bt_alloc(&s->fac, (int)n) == 0, PETSC_COMM_SELF, PETSC_ERR_MEM, "out of memory");
    PetscCall(MatCreateShell(PETSC_COMM_SELF, 3 * n, 3 * n, 3 * n, 3 * n, s, &s->J));
    PetscCall(MatShellSetOperation(s->J, MATOP_MULT, (void (*)(void))shell_mult));
    PetscCall(SNESSetJacobian(s->snes, s->J, s->J, NULL, NULL));
    PetscCall(PCSetType(pc, PCSHELL));
    PetscCall(PCShellSetContext(pc, s));
    PetscCall(PCShellSetApply(pc, shell_apply));
    PetscCall(PCShellSetName(pc, "qledsim block-tridiagonal LU"));
    if (s->accurate) PetscCall(setup_refine(s));
    PetscFunctionReturn(0);
  }
  /* BAIJ (3x3 blocks) unless the user chose a matrix type (DMDA in 1D cannot create BAIJ) */
  PetscCall(PetscOptionsHasName(NULL, NULL, "-dm_mat_type", &user_type));
  if (!user_type) {
    PetscCall(MatCreateSeqBAIJ(PETSC_COMM_SELF, 3, 3 * n, 3 * n, 3, NULL, &s->J));
    PetscCall(MatSetOption(s->J, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_TRUE));
    PetscCall(SNESSetJacobian(s->snes, s->J, s->J, NULL, NULL));
  }
  PetscCall(PCSetType(pc, PCLU));
  PetscCall(PCFactorSetMatOrderingType(pc, MATORDERINGNATURAL));
  PetscFunctionReturn(0);
}

/* Right-hand side of the tangent system (see nt_tangent). */
static void tangent_rhs(const nt_solver *s, dd_field *b) {
  const double iVt = 1.0 / s->dd->Vt;
  memset(b, 0, sizeof(dd_field) * (size_t)s->dd->n);
  b[0].v = iVt; /* Robin (finite S) rows behave like interior rows: zero */
  b[0].zn = isfinite(s->dd->dev->anode.S_n) ? 0.0 : -iVt;
  b[0].zp = isfinite(s->dd->dev->anode.S_p) ? 0.0 : -iVt;
}

/* dx/dV at the converged state x: V enters every interior equation exactly as a uniform shift
 * of zp by -V/Vt (densities and splitting depend on -zp + V/Vt only), so dx/dV = e_zp/Vt + c with
 * J c = b, b zero except the anode's Dirichlet rows, (1, -1, -1)/Vt; the cathode boundary values
 * of x and of e_zp/Vt already agree. One factorisation (of the assembly SNES did last, at x) and
 * one solve. */
PetscErrorCode nt_tangent(nt_solver *s, const dd_field *x, dd_field *t) {
  const PetscInt n = s->dd->n;
  const double iVt = 1.0 / s->dd->Vt;
  PetscFunctionBeginUser;
  /* b lives in s->fwork, which ensure_jacobian overwrites with the residual: it is filled after
   * any factorisation (until it was, a tangent from fresh factors solved J t = F(x) ~ 0 and the
   * predictor was the bare shift of zp; measured with the test of -qled_exact_tangent) */
  dd_field *b = s->fwork;
  if (s->blocktri) {
    /* The factors of the last Newton iteration belong to an iterate within ~1e-6 kT/q of x
     * when the solve was accepted by its update (NT_ACCEPT_STEP) without shift: accurate enough
     * for a predictor, and one factorisation fewer per bias point. By default they are reused
     * after any solve, also when they are the factors of the shifted Jacobian (retry_shifted in
     * continuation.c) or of an iterate up to ~1 kT/q from x (residual-floor and settled rules):
     * such a tangent sent the predictor of robustness device 295 astray (2/19 points; 19/19
     * with -qled_exact_tangent), but the devices that converge today depend on their present
     * predictors (device 134: 11/11 -> 3/11 with the exact tangent). */
    int bad = 0;
    const int stale = !(s->fac_exact && s->accepted == NT_ACCEPT_STEP);
    if (!s->fac_ok || s->tangent_refactor || (s->exact_tangent && stale)) {
      bad = ensure_jacobian(s, x);
      if (!bad && s->tangent_mu > 0.0) regularise_continuity(s, s->tangent_mu);
      if (!bad)
        bad = bt_factorize(&s->fac, (const double(*)[9])s->jac.D, (const double(*)[9])s->jac.Lo,
                           (const double(*)[9])s->jac.Up);
      s->fac_ok = !bad;
      s->fac_exact = !bad && !(s->tangent_mu > 0.0);
    }
    tangent_rhs(s, b);
    /* singular (or NaN) Jacobian at the converged state: no Euler predictor for this step
     * (t = 0 below gives the plain shift), rather than an error that ends the whole run */
    if (bad) memset(t, 0, sizeof(dd_field) * (size_t)n);
    else bt_solve(&s->fac, (const double *)b, (double *)t);
  } else {
    Vec B, C, X;
    Mat A, P;
    KSP ksp;
    dd_field *a;
    PetscCall(VecDuplicate(s->X, &B));
    PetscCall(VecDuplicate(s->X, &C));
    PetscCall(VecDuplicate(s->X, &X));
    PetscCall(VecGetArray(X, (PetscScalar **)&a));
    memcpy(a, x, sizeof(dd_field) * (size_t)n);
    PetscCall(VecRestoreArray(X, (PetscScalar **)&a));
    PetscCall(SNESGetJacobian(s->snes, &A, &P, NULL, NULL));
    PetscCall(SNESComputeJacobian(s->snes, X, A, P));
    PetscCall(SNESGetKSP(s->snes, &ksp));
    PetscCall(KSPSetOperators(ksp, A, P));
    tangent_rhs(s, b);
    PetscCall(VecGetArray(B, (PetscScalar **)&a));
    memcpy(a, b, sizeof(dd_field) * (size_t)n);
    PetscCall(VecRestoreArray(B, (PetscScalar **)&a));
    PetscCall(KSPSolve(ksp, B, C));
    PetscCall(VecGetArray(C, (PetscScalar **)&a));
    memcpy(t, a, sizeof(dd_field) * (size_t)n);
    PetscCall(VecRestoreArray(C, (PetscScalar **)&a));
    PetscCall(VecDestroy(&B));
    PetscCall(VecDestroy(&C));
    PetscCall(VecDestroy(&X));
  }
  for (PetscInt i = 0; i < n; i++)
    if (!isfinite(t[i].v) || !isfinite(t[i].zn) || !isfinite(t[i].zp)) {
      memset(t, 0, sizeof(dd_field) * (size_t)n); /* a failed solve: no predictor */
      break;
    }
  for (PetscInt i = 0; i < n; i++) t[i].zp += iVt;
  PetscFunctionReturn(0);
}

PetscErrorCode nt_tangent_regularised(nt_solver *s, const dd_field *x, double mu, dd_field *t) {
  PetscFunctionBeginUser;
  s->tangent_refactor = 1;
  s->tangent_mu = mu;
  s->jac_valid = 0; /* the cached assembly may be of the same state at another bias */
  const PetscErrorCode ierr = nt_tangent(s, x, t);
  s->tangent_refactor = 0;
  s->tangent_mu = 0.0;
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

PetscErrorCode nt_tangent_exact(nt_solver *s, const dd_field *x, dd_field *t) {
  PetscFunctionBeginUser;
  PetscCall(nt_tangent_regularised(s, x, 0.0, t));
  PetscFunctionReturn(0);
}

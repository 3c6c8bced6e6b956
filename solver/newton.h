/* Newton solution of the drift-diffusion system at one bias point with PETSc SNES on a 1D DMDA
 * (dof 3: v, zn, zp). Defaults: Newton with a basic line search, updates limited to max_update
 * (in kT/q) per iteration, a direct block-tridiagonal LU of the Jacobian (solver/blocktri.c,
 * behind PCSHELL/MATSHELL); all of it can be overridden with PETSc options (-snes_*, and -ksp_*,
 * -pc_*, -mat_type, -qled_assembled switch to an assembled BAIJ matrix with PETSc's LU/KSP). */
#ifndef QLEDSIM_NEWTON_H
#define QLEDSIM_NEWTON_H

#include <petscsnes.h>
#include <petscdmda.h>
#include "solver/blocktri.h"
#include "solver/dd.h"

typedef struct {
  int max_it;         /* Newton iterations per solve */
  double max_update;  /* largest update of any scaled unknown per iteration [kT/q] */
  double step_tol;    /* converged when every undamped update |dx| < step_tol + step_rtol |x| */
  double step_rtol;   /*   (x in kT/q units) */
  double f_abs;       /* also converged when the scaled residual norm is below f_abs while Newton
                         still converges fast (see newton.c) */
} nt_options;

typedef struct {
  int converged;      /* 1 if converged */
  int iterations;     /* Newton iterations taken */
  char reason[64];    /* PETSc converged/diverged reason, or "nan-in-residual" */
} nt_result;

struct ptc_mass;

/* Which test accepted the last converged solve (newton.c, converged_test). */
typedef enum {
  NT_ACCEPT_NONE = 0,
  NT_ACCEPT_STEP,    /* update below tolerance, or quadratic convergence visible */
  NT_ACCEPT_FLOOR,   /* scaled residual below f_abs after a fast drop (or at its rounding floor) */
  NT_ACCEPT_SETTLED, /* stalled, with the residual negligible in physical units */
  NT_ACCEPT_TINY     /* two tiny undamped updates without a residual decrease */
} nt_accept;

typedef struct {
  dd_ctx *dd;
  DM da;
  SNES snes;
  Vec X;
  Mat J;              /* Jacobian (NULL when the DM creates it) */
  dd_jac jac;          /* Jacobian of the last assembly, at jac_x */
  dd_field *jac_x;     /* state of the last assembly */
  int jac_valid;       /* jac (and the residual) belong to jac_x */
  dd_field *fwork;     /* scratch residual / right-hand side */
  dd_currents cur;     /* scratch currents (physically_settled in newton.c) */
  int blocktri;        /* 1: block-tridiagonal direct solver; 0: PETSc matrix and KSP/PC */
  bt_factor fac;       /* block-tridiagonal factors */
  int fac_ok;          /* fac holds the factors of a Jacobian of the current solve */
  /* Opt-in numerics (PETSc options, off by default; measured on the robustness matrix, each
   * gains points on failing devices and loses points on devices that converge today along
   * their present path only, see README "Hard devices"):
   * -qled_refine_linear: block-tridiagonal solves with a relative residual above 1e-10 are
   *   refined by GMRES preconditioned with the factors (newton_linear.c, solve_accurate);
   * -qled_exact_tangent: nt_tangent factors the Jacobian at the converged state unless the
   *   solve was accepted by its update without shift. */
  int accurate;
  int exact_tangent;
  int tangent_refactor; /* nt_tangent factors the Jacobian at x even if it has factors */
  double tangent_mu;    /* ... with this added to the continuity rows' diagonal (0: none) */
  KSP refine;          /* GMRES with the factors, for solves they leave inaccurate */
  Vec ref_b, ref_x;    /* its right-hand side and solution */
  int fac_exact;       /* ... of the steady-state Jacobian itself (no shift, no transient term) */
  int final_eval;      /* the next residual evaluation is the last of the solve: no Jacobian */
  nt_options opt;
  int damped;         /* last update was damped */
  int domain_error;   /* a residual evaluation produced NaN/Inf */
  int singular;       /* the block-tridiagonal factorisation met a zero pivot */
  double fnorm_prev;  /* residual norm of the previous iteration */
  double shift;       /* 0: Newton. > 0: the continuity rows' diagonal is raised by shift |F(x)|
                         (a Levenberg-Marquardt-like regularisation that fades as |F| -> 0, so
                         the converged state is the same; see continuation.c for when) */
  const struct ptc_mass *transient; /* non-NULL: an implicit-Euler time step (solver/ptc.h)
                                       instead of the steady state */
  int tiny_steps;     /* consecutive tiny updates without residual decrease */
  nt_accept accepted; /* how the last solve was accepted (NT_ACCEPT_NONE while iterating) */
  double dx_prev;     /* largest update of the previous undamped iteration */
} nt_solver;

/* Create the DMDA, SNES and work storage for the problem in dd (PETSC_COMM_SELF). */
PetscErrorCode nt_create(dd_ctx *dd, const nt_options *opt, nt_solver *s);
/* Solve at the bias currently set in s->dd, starting from x; x holds the result on success and
 * is left unchanged on failure. */
PetscErrorCode nt_solve(nt_solver *s, dd_field *x, nt_result *res);
/* Tangent dx/dV [kT/q per V] of the solution branch at the converged state x (at the bias set
 * in s->dd), for the continuation predictor. */
PetscErrorCode nt_tangent(nt_solver *s, const dd_field *x, dd_field *t);
/* The same with the Jacobian factored at x itself (nt_tangent may reuse the factors of the last
 * Newton iteration, which can be of the shifted Jacobian or of an iterate near x). */
PetscErrorCode nt_tangent_exact(nt_solver *s, const dd_field *x, dd_field *t);
/* The same with mu added to the diagonal of the continuity rows before factoring: a regularised
 * slope, whose components in the quasi-Fermi levels of absent carriers (where the Jacobian is
 * nearly singular) stay small. mu is in the units of the scaled Jacobian (newton.c). */
PetscErrorCode nt_tangent_regularised(nt_solver *s, const dd_field *x, double mu, dd_field *t);
PetscErrorCode nt_destroy(nt_solver *s);

#endif

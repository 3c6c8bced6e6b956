/* Pseudo-transient continuation (PTC): the last resort of continuation.c for a bias point that
 * Newton, the shifted retry and every step halving failed. The device is stepped in physical
 * time with implicit Euler at the target bias (Poisson rows stay steady), the time step growing
 * from 1e-12 s as the steps get easy or the steady-state residual falls, until a Newton solve of
 * the steady state converges from the transient state. Only that steady-state solve, with the
 * normal convergence test, is accepted. */
#ifndef QLEDSIM_PTC_H
#define QLEDSIM_PTC_H

#include "solver/newton.h"

/* The implicit-Euler term q vol (n - n_old) / dt of the continuity rows (nt_solver.transient):
 * densities of the previous time level on the two sides of each node [m^-3]. */
typedef struct ptc_mass {
  double dt;                 /* time step [s] */
  double *nL, *nR, *pL, *pR; /* [m^-3] */
} ptc_mass;

/* dd_assemble(c, x, f, J) plus, when m is not NULL, the transient term: the residual (and
 * Jacobian) Newton solves, a steady state or one time step. Returns dd_assemble's status. */
int ptc_assemble(const ptc_mass *m, dd_ctx *c, const dd_field *x, dd_field *f, dd_jac *J);

/* From the state x0 (the continuation predictor's guess, at the bias set in nt->dd) to the
 * steady state at that bias in implicit-Euler time steps, x0's densities the initial condition;
 * at most max_solves time steps and steady-state tries. On success x holds the steady state and
 * r->converged = 1; *solves counts the time steps and tries spent. */
PetscErrorCode ptc_solve(nt_solver *nt, const dd_field *x0, int max_solves, dd_field *x,
                         nt_result *r, int *solves);

#endif

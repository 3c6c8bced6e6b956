/* Pseudo-transient continuation (PTC): the fallback of continuation.c for a bias step that
 * plain and shifted Newton both failed. The device is stepped in time with implicit Euler from
 * the last converged state, at the new bias, with the time step growing as the steady-state
 * residual falls (switched evolution relaxation), until a plain Newton solve at that bias
 * converges from the transient state. Only that steady-state solve is accepted. */
#ifndef QLEDSIM_PTC_H
#define QLEDSIM_PTC_H

#include "solver/newton.h"

/* The implicit-Euler term q vol (n - n_old) / dt of the continuity rows (nt_solver.transient):
 * densities of the previous time level on the two sides of each node [m^-3]. */
typedef struct ptc_mass {
  double dt;                 /* time step [s] */
  double *nL, *nR, *pL, *pR; /* [m^-3] */
} ptc_mass;

/* Add the transient term to f (and J) right after dd_assemble(c, x, f, J): it reads the
 * densities dd_assemble left in c's work arrays. Contact rows are left alone. */
void ptc_add_transient(const ptc_mass *m, const dd_ctx *c, dd_field *f, dd_jac *J);

/* From the converged state x0 at bias V0 towards the steady state at bias V1 (set in nt->dd on
 * return) in time steps; at most max_solves Newton solves. On success x holds the steady state
 * (from a plain Newton solve) and r->converged = 1; *solves counts the solves spent. */
PetscErrorCode ptc_solve(nt_solver *nt, const dd_field *x0, double V0, double V1, int max_solves,
                         dd_field *x, nt_result *r, int *solves);

#endif

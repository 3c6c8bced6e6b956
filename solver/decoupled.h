/* Decoupled solves of the drift-diffusion system: one unknown at a time, by a globally convergent
 * Newton iteration on its own rows (a tridiagonal system). Used where the coupled Newton solve
 * has no good start: thermal equilibrium. */
#ifndef QLEDSIM_DECOUPLED_H
#define QLEDSIM_DECOUPLED_H

#include "solver/dd.h"

typedef struct {
  int converged;  /* 1 if the iteration settled */
  int iterations; /* block Newton iterations, all unknowns */
  double fnorm;   /* last scaled residual norm of the rows solved */
} gm_result;

/* At the bias already set (0 V: one Fermi level), set zn = zp = 0 and solve Poisson's equation
 * for the potential, starting from x. x holds the best state reached even when not converged.
 * Returns 1 only when out of memory. */
int dd_equilibrium_poisson(dd_ctx *c, dd_field *x, int max_it, gm_result *res);

#endif

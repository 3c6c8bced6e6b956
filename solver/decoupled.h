/* Decoupled solve of the drift-diffusion system: Poisson's equation for the potential alone, by a
 * globally convergent Newton iteration on a tridiagonal system. Used where the coupled Newton
 * solve has no good start: thermal equilibrium. */
#ifndef QLEDSIM_DECOUPLED_H
#define QLEDSIM_DECOUPLED_H

#include "solver/dd.h"

typedef struct {
  int converged;  /* 1 if the iteration settled */
  int iterations; /* Newton iterations on the potential */
  double fnorm;   /* last scaled norm of the Poisson rows */
} eq_result;

/* At the bias already set (0 V: one Fermi level), set zn = zp = 0 and solve Poisson's equation
 * for the potential, starting from x. x holds the best state reached even when not converged.
 * Returns 1 only when out of memory. */
int dd_equilibrium_poisson(dd_ctx *c, dd_field *x, int max_it, eq_result *res);

#endif

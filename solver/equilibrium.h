/* Thermal equilibrium (zero bias) from Poisson's equation alone: a globally convergent start for
 * the coupled Newton solve at 0 V. */
#ifndef QLEDSIM_EQUILIBRIUM_H
#define QLEDSIM_EQUILIBRIUM_H

#include "solver/dd.h"

typedef struct {
  int converged;  /* 1 if the potential settled */
  int iterations; /* Newton iterations on the potential */
  double fnorm;   /* last scaled Poisson residual norm */
} eq_result;

/* At the bias already set (0 V: one Fermi level), set zn = zp = 0 and solve Poisson's equation
 * for the potential, starting from x. x holds the best state reached even when not converged.
 * Returns 1 only when out of memory. */
int dd_equilibrium_poisson(dd_ctx *c, dd_field *x, int max_it, eq_result *res);

#endif

/* Bias continuation: equilibrium at V = 0 from a neutral-ish guess, then steps in V with an
 * extrapolated initial guess; a failed step is halved (a bounded number of times) and retried
 * from the last converged state. */
#ifndef QLEDSIM_CONTINUATION_H
#define QLEDSIM_CONTINUATION_H

#include "solver/newton.h"

/* The slope dx/dV of the continuation's predictor (see continuation.c, other_slopes). */
typedef enum {
  CT_SLOPE_REUSED,      /* factors of the last Newton iteration (nt_tangent) */
  CT_SLOPE_EXACT,       /* the Jacobian factored at the converged state (nt_tangent_exact) */
  CT_SLOPE_REGULARISED, /* ... with the continuity diagonal raised (nt_tangent_regularised) */
  CT_SLOPE_SECANT,      /* (x - xprev) / (V - Vprev) of the last two converged states */
  CT_SLOPE_COUNT
} ct_slope;

typedef struct {
  dd_ctx *dd;
  nt_solver *nt;
  int n;
  dd_field *x;      /* last converged state */
  dd_field *xprev;  /* the one before (for extrapolation) */
  dd_field *xtry;
  dd_field *tangent; /* dx/dV at x */
  double V, Vprev;  /* biases of x and xprev [V] */
  int have_state, have_prev;
  int max_halvings;  /* failed attempts in a row before a point is given up */
  double max_step;   /* largest bias step [V] */
  int ptc_failures;  /* failed pseudo-transient last resorts of this sweep (see continuation.c) */
  ct_slope slope;    /* the predictor's slope; the next on the ladder when a point is given up */
  int last_its;      /* Newton iterations of the last accepted solve */
  int last_easy;     /* the last bias point took one solve of at most 3 Newton iterations */
  int linear_only;   /* -qled_linear_predictor: no quadratic term (continuation.c, quadratic_ok) */
  int quad_tries, quad_hits; /* first solves from the quadratic guess; of them, converged */
} ct_state;

/* Outcome of reaching one bias point. */
typedef struct {
  int converged;
  int iterations;   /* Newton iterations spent on this point, all attempts */
  int halvings;     /* step halvings (failed attempts) on the way */
  char reason[64];  /* last failure reason, or the converged reason */
} ct_result;

PetscErrorCode ct_create(dd_ctx *dd, nt_solver *nt, int max_halvings, double max_step, ct_state *s);
PetscErrorCode ct_destroy(ct_state *s);
/* Solve the equilibrium (V = 0) from the initial guess. */
PetscErrorCode ct_equilibrium(ct_state *s, ct_result *res);
/* Continue from the last converged state to bias V in steps of at most max_step, halving after
 * a failure and growing by 1.5 after a success; give up after max_halvings failures in a row, or
 * when the solves for this point exceed 32 per max_step of distance + 8 max_halvings + 64; before
 * giving up, one pseudo-transient solve at V (solver/ptc.h), then the same continuation with
 * each other predictor slope in turn (ct_slope) as the last resorts.
 * On failure the state stays at the last converged bias and res->converged = 0. */
PetscErrorCode ct_goto(ct_state *s, double V, ct_result *res);

#endif

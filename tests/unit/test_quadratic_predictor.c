/* The quadratic term of the continuation's predictor (solver/continuation.c, predict and
 * quadratic_ok) against the linear (Euler) predictor alone (-qled_linear_predictor).
 * Device: the hole-only device of the core issue (100 nm, 1000 nodes), 0 -> 6 V in 0.1 V steps,
 * the sweep of benchmark case (a). Checks:
 * - both walks converge at every point;
 * - the quadratic guess is tried after easy points and nearly always converges (it must be
 *   exercised, else this test checks nothing), and it saves Newton iterations (measured
 *   137 -> 113 in `qledsim run`);
 * - -qled_linear_predictor never tries it;
 * - the two walks give the same J at every point to 1e-6 relative: both states are converged
 *   to the solver's tolerance (measured difference: 5e-7 at most). */
#include "check.h"
#include "support.h"

#include <math.h>
#include <stdio.h>

enum { NPTS = 61 };

/* Walk 0.1 ... 6 V; J at every point, Newton iterations, quadratic tries and hits. */
static void walk(double J[NPTS], int *its, int *tries, int *hits) {
  tdev t;
  *its = *tries = *hits = 0;
  CHECK(tdev_create(&t, tdev_hole_only_yaml, NULL, 0) == 0, "set-up");
  for (int k = 1; k < NPTS; k++) {
    const double V = 0.1 * k;
    ct_result r;
    const int ok = ct_goto(&t.ct, V, &r) == 0 && r.converged;
    CHECK(ok, "%.1f V did not converge: %s", V, r.reason);
    if (!ok) break;
    dd_compute_currents(&t.dd, t.ct.x, &t.cur);
    J[k] = tdev_J(&t);
    *its += r.iterations;
  }
  *tries = t.ct.quad_tries;
  *hits = t.ct.quad_hits;
  tdev_destroy(&t);
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  double Jq[NPTS] = {0}, Jl[NPTS] = {0};
  int itq, itl, tq, hq, tl, hl;
  walk(Jq, &itq, &tq, &hq);
  PetscCall(PetscOptionsSetValue(NULL, "-qled_linear_predictor", "1"));
  walk(Jl, &itl, &tl, &hl);
  PetscCall(PetscOptionsClearValue(NULL, "-qled_linear_predictor"));
  printf("quadratic: %d Newton iterations, quadratic guess tried %d times, converged %d\n", itq,
         tq, hq);
  printf("linear:    %d Newton iterations (quadratic guess tried %d times)\n", itl, tl);
  CHECK(tl == 0, "-qled_linear_predictor still tried the quadratic term %d times", tl);
  CHECK(tq >= 20 && hq >= tq * 9 / 10, "quadratic guess tried %d times, converged %d", tq, hq);
  CHECK(itq < itl, "no iterations saved: %d vs %d", itq, itl);
  double worst = 0.0;
  for (int k = 1; k < NPTS; k++) {
    const double rel = fabs(Jq[k] - Jl[k]) / fmax(fabs(Jl[k]), 1e-300);
    worst = fmax(worst, rel);
    CHECK(rel <= 1e-6, "%.1f V: J = %.10e (quadratic) vs %.10e A/m^2", 0.1 * k, Jq[k], Jl[k]);
  }
  printf("largest relative difference of J: %.2e\n", worst);
  PetscCall(PetscFinalize());
  CHECK_DONE();
}

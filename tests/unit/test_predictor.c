/* The continuation's predictor on a hard device: the default slope ladder (continuation.c,
 * other_slopes) and the opt-in numerics of the Newton solver (newton.h): -qled_exact_tangent
 * (the tangent from the Jacobian factored at the converged state, not from the reused factors
 * of a shifted solve or of an iterate up to ~1 kT/q away) and -qled_refine_linear
 * (block-tridiagonal solves refined by GMRES where their relative residual is above 1e-10).
 * Device: robustness device 295 (seed 2026): 196 K, 25 nm of a transport material with
 * mobilities near 1e-13 m^2/Vs, a thin emitter and a 116 nm layer with an electron trap. With
 * the reused factors' slope alone Newton wanders from 2 V on (DIVERGED_MAX_IT, 2 of 19 points of
 * its sweep): the tangent at 1 V came from the factors of the shifted Jacobian, and plain block
 * LU solves had relative residuals up to 1e26. The ladder gives 2 V up with that slope and goes
 * on with the exact one (checked: the walk ends on another slope); with both options the exact
 * tangent is used throughout. Both reach 19 of 19 points.
 * Checks at every point up to 4 V, on both walks: converged; a fresh assembly of the residual
 * (scales frozen at the state) has Poisson and contact rows below 1e-8 kT/q, and continuity
 * rows, in A/m^2 summed over the nodes, below 1e-5 A/m^2 (the bound of test_ptc_fallback.c:
 * 1 nA/cm^2); Jn + Jp is the same in every cell to 1e-6 of J once J is above 1e-10 A/m^2 (it is
 * 1e-35..1e-18 A/m^2 up to 2 V, below the solver's resolution, see README). The two walks give
 * the same J at 3 and 4 V to 1e-6. At 4 V the exact tangent predicts the solution at 4.001 V to
 * 1e-3 of the change of the potential. */
#include "check.h"
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *yaml =
    "temperature: 195.9 K\n"
    "device:\n"
    "  anode: {work_function: 6.978 eV}\n"
    "  cathode: {work_function: 3.887 eV}\n"
    "  layers:\n"
    "    - {name: L0, thickness: 24.72 nm, material: {eps_r: 9.192, homo: -7.019 eV,\n"
    "       lumo: -5.187 eV, Nc: 3.051e+24 m^-3, Nv: 2.318e+26 m^-3, mu_n: 1.565e-13 m^2/Vs,\n"
    "       mu_p: 7.774e-14 m^2/Vs, mobility_p: poole-frenkel,\n"
    "       pf_gamma_p: 0.0002927 (cm/V)^0.5}}\n"
    "    - {name: L1, thickness: 7.605 nm, material: {eps_r: 5.924, homo: -6.141 eV,\n"
    "       lumo: -3.618 eV, Nc: 1.003e+25 m^-3, Nv: 5.902e+24 m^-3, mu_n: 6.328e-05 m^2/Vs,\n"
    "       mu_p: 8.067e-11 m^2/Vs, N_D: 2.166e+22 m^-3, tau_n: 2.687e-06 s,\n"
    "       tau_p: 5.275e-09 s, emissive: true, plqy: 0.1326, peak_wavelength: 540.9 nm,\n"
    "       fwhm: 32.8 nm}}\n"
    "    - {name: L2, thickness: 115.7 nm, material: {eps_r: 4.906, homo: -7.043 eV,\n"
    "       lumo: -3.749 eV, Nc: 1.646e+25 m^-3, Nv: 2.49e+24 m^-3, mu_n: 2.261e-08 m^2/Vs,\n"
    "       mu_p: 4.598e-08 m^2/Vs, tau_n: 9.528e-07 s, tau_p: 3.816e-07 s},\n"
    "       traps: [{carrier: electron, density: 3.668e+22 m^-3, depth: 0.3143 eV,\n"
    "       distribution: discrete}]}\n"
    "mesh: {nodes: 850}\n";

/* Largest Poisson/contact row (kT/q) and summed interior continuity rows (A/m^2) at x. */
static void physical_residual(tdev *t, const dd_field *x, double *fkt, double *rphys) {
  dd_field *f = calloc((size_t)t->dd.n, sizeof(*f));
  dd_freeze_scales(&t->dd, x);
  *fkt = *rphys = INFINITY;
  CHECK(f && dd_assemble(&t->dd, x, f, NULL) == 0, "residual not finite");
  if (f) dd_residual_physical(&t->dd, f, fkt, rphys);
  free(f);
}

/* Largest |Jn + Jp - J| over the cells [A/m^2]. */
static double current_spread(const tdev *t) {
  double m = 0.0;
  for (int c = 0; c < t->dd.n - 1; c++) m = fmax(m, fabs(t->cur.Jn[c] + t->cur.Jp[c] - t->cur.J));
  return m;
}

/* The exact tangent at the state at V against the secant to V + dV. */
static void check_tangent(tdev *t, double V, double dV) {
  const int n = t->dd.n;
  dd_field *x0 = malloc(sizeof(dd_field) * (size_t)n), *tg = malloc(sizeof(dd_field) * (size_t)n);
  CHECK(x0 && tg, "out of memory");
  if (!x0 || !tg) return;
  memcpy(x0, t->ct.x, sizeof(dd_field) * (size_t)n);
  dd_set_bias(&t->dd, V);
  CHECK(nt_tangent_exact(&t->nt, x0, tg) == 0, "tangent");
  CHECK(tdev_goto(t, V + dV), "%g V", V + dV);
  double err = 0.0, dv = 0.0;
  for (int i = 0; i < n; i++) {
    err = fmax(err, fabs(t->ct.x[i].v - x0[i].v - dV * tg[i].v));
    dv = fmax(dv, fabs(t->ct.x[i].v - x0[i].v));
  }
  printf("tangent at %g V: potential change %.3e kT/q over %g V, predicted to %.3e\n", V, dv, dV,
         err);
  CHECK(dv > 0.0 && err <= 1e-3 * dv, "tangent error %.3e against a change of %.3e", err, dv);
  free(x0);
  free(tg);
}

/* Walk device 295 to 1, 2, 3, 4 V with the physical checks at every point; the tangent check
 * at 4 V when the exact tangent is on. Returns the slope the continuation ended with. */
static ct_slope walk(int exact, double J[4]) {
  tdev t;
  CHECK(tdev_create(&t, yaml, NULL, 0) == 0, "set-up");
  for (int k = 1; k <= 4; k++) {
    const double V = k;
    const int ok = tdev_goto(&t, V);
    CHECK(ok, "%g V did not converge", V);
    if (!ok) break;
    double fkt, rphys;
    physical_residual(&t, t.ct.x, &fkt, &rphys);
    const double Jk = J[k - 1] = tdev_J(&t), spread = current_spread(&t);
    printf("%g V (slope %d): J = %.4e A/m^2, Poisson rows %.2e kT/q, continuity rows %.2e A/m^2, "
           "current spread %.2e A/m^2\n", V, (int)t.ct.slope, Jk, fkt, rphys, spread);
    CHECK(fkt <= 1e-8, "%g V: Poisson/contact residual %.3e kT/q", V, fkt);
    CHECK(rphys <= 1e-5, "%g V: continuity residual %.3e A/m^2", V, rphys);
    if (fabs(Jk) > 1e-10) CHECK(spread <= 1e-6 * fabs(Jk), "%g V: current spread %.3e A/m^2", V, spread);
  }
  if (exact) check_tangent(&t, 4.0, 1e-3);
  const ct_slope slope = t.ct.slope;
  tdev_destroy(&t);
  return slope;
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  /* default numerics: the reused factors' slope gives 2 V up, the slope ladder goes on */
  double Jl[4] = {0}, Je[4] = {0};
  printf("default numerics (slope ladder):\n");
  CHECK(walk(0, Jl) != CT_SLOPE_REUSED, "the ladder was not needed: this test no longer exercises it");
  printf("-qled_exact_tangent -qled_refine_linear:\n");
  PetscCall(PetscOptionsSetValue(NULL, "-qled_exact_tangent", "1"));
  PetscCall(PetscOptionsSetValue(NULL, "-qled_refine_linear", "1"));
  walk(1, Je);
  /* the two paths reach the same solution where the current is resolved (3 and 4 V); 1e-6:
   * both states have continuity rows below 1e-5 A/m^2 against J >= 1e-3 A/m^2 */
  for (int k = 2; k < 4; k++)
    CHECK(fabs(Jl[k] - Je[k]) <= 1e-6 * fabs(Je[k]), "%d V: J = %.8e (ladder) vs %.8e A/m^2", k + 1,
          Jl[k], Je[k]);
  PetscCall(PetscFinalize());
  CHECK_DONE();
}

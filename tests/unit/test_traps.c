/* Traps.
 * 1. The quadrature rules are exact for polynomials of degree <= 2n-1: Gauss-Hermite moments
 *    int x^2k exp(-x^2) = Gamma(k+1/2), Gauss-Laguerre int x^k exp(-x) = k! (relative 1e-12).
 * 2. At equilibrium (Efn = Efp = Ef) the steady-state occupancy of a level at E_t is the
 *    Fermi-Dirac function 1/(1 + exp((E_t - Ef)/kT)), for Boltzmann and for Gauss-Fermi bands
 *    (detailed balance in quasi-Fermi form), and the net rate is exactly zero.
 * 3. Shallow-trap space-charge-limited current: with non-degenerate traps the trapped hole
 *    density is a fixed multiple of the free one, p_t = p (N_t/Nv) exp(d0/kT + s^2/(2 kT^2)) for a
 *    Gaussian of centre d0 and width s, so the trapped SCLC is the trap-free one with eps scaled
 *    by theta = p/(p + p_t) and J_trap/J_free -> theta at high bias (both approach their
 *    Mott-Gurney laws). A 1 um layer keeps the traps in the bulk far from filling (p_t/N_t < 1e-2)
 *    up to 100 V; within a few nm of the ohmic contact they are full. Tolerance 2% from 20 to
 *    100 V: the diffusion corrections of the two currents differ by O(kT/qV) ln(...) ~ 1%, and
 *    the filled contact region grows with bias (measured 1.0-1.4%). */
#include "check.h"
#include "support.h"
#include "physics/constants.h"
#include "physics/traps.h"

#include <petscsys.h>

static void quadrature(void) {
  enum { Q = TRAP_QUAD_POINTS };
  double x[Q], w[Q];
  CHECK(trap_gauss_hermite(Q, x, w) == 0, "Gauss-Hermite nodes");
  for (int k = 0; k <= 12; k++) {
    double s = 0;
    for (int q = 0; q < Q; q++) s += w[q] * pow(x[q], 2 * k);
    CHECK_CLOSE(s, tgamma(k + 0.5), 1e-12, 0.0);
  }
  CHECK(trap_gauss_laguerre(Q, x, w) == 0, "Gauss-Laguerre nodes");
  for (int k = 0; k <= 20; k++) {
    double s = 0;
    for (int q = 0; q < Q; q++) s += w[q] * pow(x[q], k);
    CHECK_CLOSE(s, tgamma(k + 1.0), 1e-11, 0.0);
  }
}

static void equilibrium_occupancy(void) {
  const double kT = PHYS_KB * 300, Eg = 2.0 * PHYS_EV;
  dev_trap t = {.hole = 0, .shape = DEV_TRAP_DISCRETE, .density = 1e23, .depth = 0.4 * PHYS_EV,
                .c_n = 3e-18, .c_p = 1e-17};
  trap_set ts;
  CHECK(trap_set_build(&t, 1, Eg, kT, &ts) == 0, "build");
  const double lnN = log(1e26);
  for (int gauss = 0; gauss < 2; gauss++) {
    stat_band sb;
    stat_band_init(&sb, 1e26, gauss ? 3.0 : 0.0);
    for (double ef = -1.8; ef <= -0.2; ef += 0.2) { /* Fermi level below E_c [eV] */
      const double en = ef * PHYS_EV / kT, ep = (-2.0 - ef) * PHYS_EV / kT; /* eta_n, eta_p */
      double gn, gp;
      const double ln = stat_eval(&sb, en, &gn, NULL), lp = stat_eval(&sb, ep, &gp, NULL);
      trap_state s = {exp(lnN + ln), exp(lnN + lp), en - ln, ep - lp, gn, gp, lnN, lnN, 0.0};
      trap_out o;
      trap_eval(&ts, &s, &o);
      const double f = -o.rho / t.density;
      const double fd = 1.0 / (1.0 + exp((-0.4 - ef) * PHYS_EV / kT));
      CHECK_CLOSE(f, fd, 1e-12, 1e-300);
      CHECK(o.R == 0.0, "no net rate at equilibrium (%g)", o.R);
    }
    stat_band_free(&sb);
  }
  trap_set_free(&ts);
}

static const char *sclc_yaml =
    "temperature: 300 K\n"
    "device:\n"
    "  anode: {work_function: 5.5 eV}\n"
    "  cathode: {work_function: 4.5 eV}\n"
    "  layers:\n"
    "    - {name: L, thickness: 1 um, material: {eps_r: 3, homo: -5.5 eV, lumo: -2.5 eV,\n"
    "       Nc: 1e27, Nv: 1e27, mu_n: 1e-8, mu_p: 1e-8}}\n"
    "mesh: {nodes: 1000}\n";

static double J_at(const char *const *sets, int nsets, double V) {
  tdev t;
  double J = NAN;
  if (tdev_create(&t, sclc_yaml, sets, nsets) == 0) {
    int ok = 1;
    for (double v = 2.0; ok && v <= V + 1e-9; v += 2.0) ok = tdev_goto(&t, v);
    if (ok) J = tdev_J(&t);
  }
  tdev_destroy(&t);
  return J;
}

static void shallow_trap_sclc(void) {
  const double kT = PHYS_KB * 300, d0 = 0.15 * PHYS_EV, s = 0.03 * PHYS_EV, Nt = 1e25, Nv = 1e27;
  const double theta = 1.0 / (1.0 + Nt / Nv * exp(d0 / kT + 0.5 * s * s / (kT * kT)));
  const char *trap[] = {"layers.L.traps=[{carrier: hole, density: 1e25 m^-3, depth: 0.15 eV, "
                        "distribution: gaussian, width: 0.03 eV}]"};
  for (int k = 0; k < 3; k++) {
    const double V = (double[]){20, 50, 100}[k];
    const double jf = J_at(NULL, 0, V), jt = J_at(trap, 1, V);
    const double dev = fabs(jt / jf / theta - 1.0);
    printf("V = %3.0f V: J_free %.5e, J_trap %.5e A/m^2, ratio %.5f, theta %.5f (dev %.2e)\n",
           V, jf, jt, jt / jf, theta, dev);
    CHECK(dev < 0.02, "V = %g: J_trap/J_free = %.5f vs theta %.5f", V, jt / jf, theta);
  }
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  quadrature();
  equilibrium_occupancy();
  shallow_trap_sclc();
  PetscCall(PetscFinalize());
  CHECK_DONE();
}

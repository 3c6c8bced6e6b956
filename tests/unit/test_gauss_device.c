/* Gauss-Fermi statistics in a device.
 * 1. sigma -> 0 limit: a hole-only layer with a 0.3 eV injection barrier stays non-degenerate
 *    (exp(eta) <= exp(-0.3 eV/kT) = 9e-6, the Fermi-Dirac correction of a sigma -> 0 Gaussian),
 *    where Gauss-Fermi gives p = N0 exp(s^2/2) exp(eta) (s = sigma/kT). Against the Boltzmann device
 *    with Nv = N0 exp(s^2/2) the current must agree to 1e-4 for sigma = 5 meV, and against
 *    Boltzmann with Nv = N0 the difference must shrink like sigma^2 (factor ~4 per halving).
 * 2. With sigma = 0.1 eV and N0 = 1e26 m^-3, hole accumulation at a 0.5 eV heterointerface stays
 *    below N0 at 8 V (Boltzmann statistics gives far more than N0 there). */
#include "check.h"
#include "support.h"
#include "physics/constants.h"

#include <petscsys.h>

static const char *barrier_yaml =
    "temperature: 300 K\n"
    "device:\n"
    "  anode: {work_function: 5.2 eV}\n"
    "  cathode: {work_function: 4.5 eV}\n"
    "  layers:\n"
    "    - {name: L, thickness: 100 nm, material: {eps_r: 3, homo: -5.5 eV, lumo: -2.5 eV,\n"
    "       Nc: 1e26, Nv: 1e26, mu_n: 1e-8, mu_p: 1e-8}}\n"
    "mesh: {nodes: 800}\n";

static double J_at(const char *yaml, const char *const *sets, int nsets, double V) {
  tdev t;
  double J = NAN;
  if (tdev_create(&t, yaml, sets, nsets) == 0 && tdev_goto(&t, V)) J = tdev_J(&t);
  tdev_destroy(&t);
  return J;
}

static void sigma_limit(void) {
  const double kT = PHYS_KB * 300.0, V = 4.0;
  const double jb = J_at(barrier_yaml, NULL, 0, V);
  double prev = NAN;
  for (int k = 0; k < 3; k++) {
    const double sig = 0.02 / (1 << k); /* eV */
    char s1[64], s2[64], nv[64], nc[64];
    snprintf(s1, sizeof(s1), "layers.L.material.sigma_n=%g eV", sig);
    snprintf(s2, sizeof(s2), "layers.L.material.sigma_p=%g eV", sig);
    const char *g[] = {"layers.L.material.statistics=gauss-fermi", s1, s2};
    const double jg = J_at(barrier_yaml, g, 3, V);
    const double s = sig * PHYS_EV / kT, nveff = 1e26 * exp(0.5 * s * s);
    snprintf(nv, sizeof(nv), "layers.L.material.Nv=%.17g", nveff);
    snprintf(nc, sizeof(nc), "layers.L.material.Nc=%.17g", nveff);
    const char *b[] = {nv, nc};
    const double jbe = J_at(barrier_yaml, b, 2, V);
    const double d0 = fabs(jg / jb - 1.0), de = fabs(jg / jbe - 1.0);
    printf("sigma %.4f eV: J_GF %.8e, vs Boltzmann(N0) %.3e, vs Boltzmann(N0 e^(s^2/2)) %.3e\n",
           sig, jg, d0, de);
    if (k > 0) CHECK(d0 < prev / 3.0, "difference shrinks like sigma^2: %.3e after %.3e", d0, prev);
    if (k == 2) CHECK(de < 1e-4, "sigma 5 meV: %.3e from the matching Boltzmann device", de);
    prev = d0;
  }
}

static const char *offset_yaml =
    "temperature: 300 K\n"
    "device:\n"
    "  anode: {work_function: 5.2 eV}\n"
    "  cathode: {work_function: 3.6 eV}\n"
    "  layers:\n"
    "    - {name: HTL, thickness: 40 nm, material: {eps_r: 3, homo: -5.2 eV, lumo: -2.2 eV,\n"
    "       Nc: 1e26, Nv: 1e26, mu_n: 1e-8, mu_p: 1e-8}}\n"
    "    - {name: ETL, thickness: 40 nm, material: {eps_r: 3, homo: -5.7 eV, lumo: -3.6 eV,\n"
    "       Nc: 1e26, Nv: 1e26, mu_n: 1e-8, mu_p: 1e-8}}\n"
    "mesh: {nodes: 800}\n";

static double max_hole_density(const char *const *sets, int nsets) {
  tdev t;
  double pmax = NAN;
  if (tdev_create(&t, offset_yaml, sets, nsets) == 0) {
    int ok = 1;
    for (double v = 1.0; ok && v <= 8.0; v += 1.0) ok = tdev_goto(&t, v);
    pmax = 0.0;
    for (int i = 0; ok && i < t.mesh.n; i++)
      for (int s = 0; s < 2; s++) {
        double n, p;
        dd_node_densities(&t.dd, t.ct.x, i, s, &n, &p);
        pmax = fmax(pmax, p);
      }
  }
  tdev_destroy(&t);
  return pmax;
}

static void density_bound(void) {
  const char *g[] = {"layers.HTL.material.statistics=gauss-fermi",
                     "layers.HTL.material.sigma_n=0.1 eV", "layers.HTL.material.sigma_p=0.1 eV",
                     "layers.ETL.material.statistics=gauss-fermi",
                     "layers.ETL.material.sigma_n=0.1 eV", "layers.ETL.material.sigma_p=0.1 eV"};
  const double pb = max_hole_density(NULL, 0), pg = max_hole_density(g, 6);
  printf("largest hole density at 8 V: Boltzmann %.3e m^-3, Gauss-Fermi %.3e m^-3 (N0 1e26)\n", pb, pg);
  CHECK(pg < 1e26, "Gauss-Fermi density %.3e exceeds N0", pg);
  CHECK(pb > 1e26, "the Boltzmann reference should pile up above N0 (%.3e)", pb);
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  sigma_limit();
  density_bound();
  PetscCall(PetscFinalize());
  CHECK_DONE();
}

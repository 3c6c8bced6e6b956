/* Thermal equilibrium (V = 0): no current and flat, equal quasi-Fermi levels.
 * In the quasi-Fermi formulation every Scharfetter-Gummel flux is G expm1(dz) and the net rate
 * is proportional to expm1(Efn - Efp): both vanish identically when the levels are flat, so
 * |J| must be below 1e-10 of the 3 V current and Efn = Efp = const to 1e-6 eV; a wrong contact
 * value or reference level would break either at O(1). Checked for Boltzmann devices and for a
 * Gauss-Fermi stack with bulk and interface traps. */
#include "check.h"
#include "support.h"

#include <petscsys.h>

static void check_device(const char *name, const char *yaml, const char *const *sets, int nsets) {
  tdev t;
  CHECK(tdev_create(&t, yaml, sets, nsets) == 0, "%s: set-up", name);
  sim_fields f;
  CHECK(fields_alloc(&f, &t.mesh) == 0, "%s: out of memory", name);
  fields_compute(&t.dd, t.ct.x, &t.cur, &f);
  const double J0 = tdev_J(&t);
  double jmax = 0.0, efmin = INFINITY, efmax = -INFINITY;
  for (int c = 0; c < t.mesh.n - 1; c++) jmax = fmax(jmax, fabs(t.cur.Jn[c]) + fabs(t.cur.Jp[c]));
  for (int k = 0; k < f.n; k++) {
    efmin = fmin(efmin, fmin(f.Efn[k], f.Efp[k]));
    efmax = fmax(efmax, fmax(f.Efn[k], f.Efp[k]));
  }
  CHECK(tdev_goto(&t, 3.0), "%s: 3 V", name);
  const double J3 = tdev_J(&t);
  printf("%s: J(0) = %.3e, max cell |Jn|+|Jp| = %.3e, J(3 V) = %.4e A/m^2, Ef spread %.3e eV\n",
         name, J0, jmax, J3, efmax - efmin);
  CHECK(fabs(J0) < 1e-10 * fabs(J3), "%s: |J(0)| = %.3e vs J(3 V) = %.3e", name, J0, J3);
  CHECK(jmax < 1e-10 * fabs(J3), "%s: cell currents at 0 V up to %.3e", name, jmax);
  CHECK(efmax - efmin < 1e-6, "%s: quasi-Fermi levels spread %.3e eV", name, efmax - efmin);
  const double Wc = -t.cfg.dev.cathode.work_function / 1.602176634e-19;
  CHECK(fabs(efmax - Wc) < 1e-6, "%s: Fermi level %.9f eV, cathode -W = %.9f eV", name, efmax, Wc);
  fields_free(&f);
  tdev_destroy(&t);
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  check_device("three-layer", tdev_three_layer_yaml, NULL, 0);
  check_device("hole-only", tdev_hole_only_yaml, NULL, 0);
  /* Gauss-Fermi statistics, bulk and interface traps, heterointerfaces: the trap occupancy is
   * Fermi-Dirac at equilibrium and every flux and rate still vanishes identically */
  static const char *gauss_traps[] = {
      "layers.HTL.material.statistics=gauss-fermi", "layers.HTL.material.sigma_n=0.1 eV",
      "layers.HTL.material.sigma_p=0.1 eV", "layers.EML.material.statistics=gauss-fermi",
      "layers.EML.material.sigma_n=0.05 eV", "layers.EML.material.sigma_p=0.05 eV",
      "layers.HTL.traps=[{carrier: hole, density: 1e18 cm^-3, depth: 0.3 eV, distribution: "
      "gaussian, width: 0.05 eV}]",
      "layers.ETL.traps=[{carrier: electron, density: 1e18 cm^-3, depth: 0, distribution: "
      "exponential, width: 0.04 eV}]",
      "device.interfaces=[{between: [HTL, EML], prefactor: 0.01, traps: [{carrier: electron, "
      "density: 1e12 cm^-2, depth: 0.3 eV}]}]"};
  check_device("gauss-fermi, traps", tdev_three_layer_yaml, gauss_traps,
               (int)(sizeof(gauss_traps) / sizeof(gauss_traps[0])));
  PetscCall(PetscFinalize());
  CHECK_DONE();
}

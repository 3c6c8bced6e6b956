/* Mesh convergence: J at 3 V on the 3-layer device (0.6 eV and larger offsets, Boltzmann
 * statistics) and on the hole-only device changes by less than 0.5% from 500 to 1000 nodes, and
 * the change from 1000 to 2000 nodes is smaller again (convergence, not noise). The double node
 * at each heterointerface and grading to 1e-12 m resolve the picometre accumulation layers; a
 * smeared offset would give an error proportional to h_min instead. */
#include "check.h"
#include "support.h"

#include <petscsys.h>

static double J_at(const char *yaml, int nodes, double V) {
  char set[64];
  snprintf(set, sizeof(set), "mesh.nodes=%d", nodes);
  const char *sets[] = {set};
  tdev t;
  double J = NAN;
  if (tdev_create(&t, yaml, sets, 1) == 0) {
    for (double v = 0.5; v < V + 1e-9; v += 0.5)
      if (!tdev_goto(&t, v)) break;
    if (fabs(t.ct.V - V) < 1e-9) J = tdev_J(&t);
  }
  tdev_destroy(&t);
  return J;
}

static void check_device(const char *name, const char *yaml) {
  const double J500 = J_at(yaml, 500, 3.0), J1000 = J_at(yaml, 1000, 3.0),
               J2000 = J_at(yaml, 2000, 3.0);
  const double d1 = fabs(J1000 - J500) / fabs(J1000), d2 = fabs(J2000 - J1000) / fabs(J2000);
  printf("%s: J(3 V) = %.8e (500), %.8e (1000), %.8e (2000) A/m^2; changes %.2e, %.2e\n", name,
         J500, J1000, J2000, d1, d2);
  CHECK(d1 < 5e-3, "%s: 500 -> 1000 nodes changes J by %.3e", name, d1);
  CHECK(d2 < d1, "%s: not converging (%.3e then %.3e)", name, d1, d2);
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  check_device("three-layer", tdev_three_layer_yaml);
  check_device("hole-only", tdev_hole_only_yaml);
  PetscCall(PetscFinalize());
  CHECK_DONE();
}

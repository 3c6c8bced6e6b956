/* Current continuity: in steady state Jn + Jp is the same through every cell of the device.
 * The discrete equations conserve it exactly (the electron and hole rows of a node sum to a
 * difference of total cell currents); what remains is the Newton tolerance and rounding. Each
 * cell current is G expm1(dz) with conductance G; the quasi-Fermi levels z are known to about
 * eps |z|, so a cell's rounding error is ~ eps |z| G. Where accumulation layers make G ~ 1e9 J
 * (0.6 eV offsets under Boltzmann statistics) that floor can exceed 1e-6 J, so the check is
 * |Jn + Jp - J| <= 1e-6 |J| + 64 eps (|z| + 1) G per cell, and separately 1e-6 relative on the
 * cells whose floor is below 1e-7 |J|. On a stack with 0.3 eV offsets and on the hole-only
 * device the floor is far below 1e-6 |J| and every cell must meet 1e-6. */
#include "check.h"
#include "support.h"

#include <float.h>
#include "physics/bernoulli.h"
#include <petscsys.h>

static void check_at(const char *name, const char *yaml, const char *const *sets, int nsets,
                     double V, int strict) {
  tdev t;
  CHECK(tdev_create(&t, yaml, sets, nsets) == 0, "%s: set-up", name);
  CHECK(tdev_goto(&t, V), "%s: %g V", name, V);
  const double J = tdev_J(&t);
  const dd_ctx *c = &t.dd;
  const dd_field *x = t.ct.x;
  double worst_clean = 0.0, worst_all = 0.0;
  int nclean = 0, nbad = 0;
  for (int cell = 0; cell < t.mesh.n - 1; cell++) {
    const int i = cell, j = cell + 1;
    const dd_layer *ly = &c->lay[t.mesh.cell_layer[cell]];
    const double a = x[j].v - x[i].v;
    const double ni = exp(x[i].zn + x[i].v + ly->an), pi = exp(-x[i].zp - x[i].v + ly->ap0 + c->V / c->Vt);
    const double Gn = c->Kn0[cell] * ni * bern(-a), Gp = c->Kp0[cell] * pi * bern(a);
    const double floor = 64 * DBL_EPSILON *
                         (Gn * (fabs(x[i].zn) + fabs(x[j].zn) + 1) + Gp * (fabs(x[i].zp) + fabs(x[j].zp) + 1));
    const double dev = fabs(t.cur.Jn[cell] + t.cur.Jp[cell] - J);
    if (dev > 1e-6 * fabs(J) + floor) nbad++;
    worst_all = fmax(worst_all, dev / fabs(J));
    if (floor < 1e-7 * fabs(J)) {
      nclean++;
      worst_clean = fmax(worst_clean, dev / fabs(J));
    }
  }
  printf("%s at %g V: J = %.6e A/m^2; %d of %d cells have a rounding floor below 1e-7 J, worst "
         "relative deviation there %.2e, anywhere %.2e; cells beyond tolerance: %d\n",
         name, V, J, nclean, t.mesh.n - 1, worst_clean, worst_all, nbad);
  CHECK(nbad == 0, "%s: %d cells violate continuity", name, nbad);
  CHECK(worst_clean < 1e-6, "%s: relative deviation %.3e", name, worst_clean);
  if (strict) CHECK(worst_all < 1e-6, "%s: relative deviation %.3e somewhere", name, worst_all);
  tdev_destroy(&t);
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  /* 0.3 eV offsets: the floor is below 1e-6 J everywhere, so every cell must meet 1e-6 */
  static const char *moderate[] = {"layers.EML.material.homo=-5.5 eV", "layers.EML.material.lumo=-3.3 eV",
                                   "layers.ETL.material.homo=-6.5 eV"};
  check_at("three-layer, 0.3 eV offsets", tdev_three_layer_yaml, moderate, 3, 3.0, 1);
  check_at("three-layer, 0.6 eV offsets", tdev_three_layer_yaml, NULL, 0, 3.0, 0);
  check_at("hole-only", tdev_hole_only_yaml, NULL, 0, 3.0, 1);
  PetscCall(PetscFinalize());
  CHECK_DONE();
}

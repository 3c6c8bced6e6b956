/* The analytic Jacobian equals central finite differences of the residual (relative 1e-6 of the
 * largest entry in the row) on a 3-layer device with doping, Langevin, SRH and Auger
 * recombination, at the converged states at 0, 2 and 5 V and at randomly perturbed states.
 * Central differences with step 1e-6 (|x| + 1) have truncation error ~1e-12 and rounding error
 * ~1e-16 / 1e-6 = 1e-10 relative to the row scale (rows are scaled to O(1) entries), so 1e-6 has
 * four orders of margin while any wrong term (typically O(1) of the row) fails it. */
#include "check.h"
#include "support.h"

#include <petscsys.h>
#include <stdlib.h>

static const char *sets[] = {
    "layers.EML.material.tau_n=10 ns", "layers.EML.material.tau_p=20 ns",
    "layers.EML.material.C_n=1e-28 cm^6/s", "layers.EML.material.C_p=2e-28 cm^6/s",
    "layers.HTL.material.N_A=1e17 cm^-3", "layers.ETL.material.N_D=1e17 cm^-3",
    "layers.HTL.material.langevin=0.5", "mesh.nodes=250"};

static double *block(dd_jac *J, int i, int j) {
  return i == j ? J->D[i] : (j == i - 1 ? J->Lo[i] : J->Up[i]);
}

/* Worst |analytic - FD| / (largest |entry| of the row) over the whole matrix. */
static double jacobian_error(dd_ctx *c, dd_field *x) {
  const int n = c->n;
  dd_field *f0 = malloc(sizeof(dd_field) * n), *fp = malloc(sizeof(dd_field) * n),
           *fm = malloc(sizeof(dd_field) * n);
  dd_jac J;
  dd_jac_alloc(&J, n);
  dd_freeze_scales(c, x);
  dd_assemble(c, x, f0, &J);
  double worst = 0.0;
  for (int j = 0; j < n; j++)
    for (int k = 0; k < 3; k++) {
      double *xv = (double *)&x[j];
      const double save = xv[k], h = 1e-6 * (fabs(save) + 1.0);
      xv[k] = save + h;
      dd_assemble(c, x, fp, NULL);
      xv[k] = save - h;
      dd_assemble(c, x, fm, NULL);
      xv[k] = save;
      for (int i = j - 1; i <= j + 1; i++) {
        if (i < 0 || i >= n) continue;
        for (int r = 0; r < 3; r++) {
          double rowmax = 0.0;
          for (int q = 0; q < 9; q++) {
            rowmax = fmax(rowmax, fabs(J.D[i][q]));
            rowmax = fmax(rowmax, fabs(J.Lo[i][q]));
            rowmax = fmax(rowmax, fabs(J.Up[i][q]));
          }
          const double fd = (((double *)&fp[i])[r] - ((double *)&fm[i])[r]) / (2.0 * h);
          const double an = block(&J, i, j)[r * 3 + k];
          worst = fmax(worst, fabs(an - fd) / rowmax);
        }
      }
    }
  dd_jac_free(&J);
  free(f0);
  free(fp);
  free(fm);
  return worst;
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  tdev t;
  CHECK(tdev_create(&t, tdev_three_layer_yaml, sets, 8) == 0, "device set-up");
  const double V[] = {0.0, 2.0, 5.0};
  srand(12345);
  dd_field *xp = malloc(sizeof(dd_field) * t.dd.n);
  for (int k = 0; k < 3; k++) {
    CHECK(tdev_goto(&t, V[k]), "converged at %g V", V[k]);
    const double e = jacobian_error(&t.dd, t.ct.x);
    printf("V = %.1f V: converged state, worst row-relative error %.2e\n", V[k], e);
    CHECK(e < 1e-6, "Jacobian at the solution, V = %g V: error %.3e", V[k], e);
    /* away from the solution: perturb every unknown by up to 2 kT/q */
    for (int i = 0; i < t.dd.n; i++) {
      xp[i] = t.ct.x[i];
      if (i == 0 || i == t.dd.n - 1) continue;
      xp[i].v += 4.0 * (rand() / (double)RAND_MAX - 0.5);
      xp[i].zn += 4.0 * (rand() / (double)RAND_MAX - 0.5);
      xp[i].zp += 4.0 * (rand() / (double)RAND_MAX - 0.5);
    }
    const double ep = jacobian_error(&t.dd, xp);
    printf("V = %.1f V: perturbed state, worst row-relative error %.2e\n", V[k], ep);
    CHECK(ep < 1e-6, "Jacobian off the solution, V = %g V: error %.3e", V[k], ep);
  }
  free(xp);
  tdev_destroy(&t);
  PetscCall(PetscFinalize());
  CHECK_DONE();
}

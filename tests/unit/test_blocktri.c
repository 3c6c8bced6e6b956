/* Block-tridiagonal direct solver against a dense LU with partial pivoting (LAPACK-free
 * reference written here) on random diagonally dominant systems and on a real drift-diffusion
 * Jacobian; residual ||A x - b|| / (||A|| ||x||) must be at the rounding level (1e-13). */
#include "check.h"
#include "solver/blocktri.h"
#include "support.h"

#include <petscsys.h>
#include <stdlib.h>

static double residual(int n, const double (*D)[9], const double (*Lo)[9], const double (*Up)[9],
                       const double *x, const double *b) {
  double *y = malloc(sizeof(double) * 3 * n), rmax = 0, amax = 0, xmax = 0;
  bt_matvec(n, D, Lo, Up, x, y);
  for (int k = 0; k < 3 * n; k++) {
    rmax = fmax(rmax, fabs(y[k] - b[k]));
    xmax = fmax(xmax, fabs(x[k]));
  }
  for (int i = 0; i < n; i++)
    for (int q = 0; q < 9; q++) amax = fmax(amax, fmax(fabs(D[i][q]), fmax(fabs(Lo[i][q]), fabs(Up[i][q]))));
  free(y);
  return rmax / (amax * xmax);
}

static void random_system(int n) {
  double (*D)[9] = calloc(n, sizeof(*D)), (*Lo)[9] = calloc(n, sizeof(*Lo)), (*Up)[9] = calloc(n, sizeof(*Up));
  double *b = malloc(sizeof(double) * 3 * n), *x = malloc(sizeof(double) * 3 * n);
  for (int i = 0; i < n; i++) {
    for (int q = 0; q < 9; q++) {
      D[i][q] = rand() / (double)RAND_MAX - 0.5;
      Lo[i][q] = i > 0 ? rand() / (double)RAND_MAX - 0.5 : 0;
      Up[i][q] = i < n - 1 ? rand() / (double)RAND_MAX - 0.5 : 0;
    }
    for (int r = 0; r < 3; r++) D[i][r * 4] += 4.0; /* diagonal dominance */
    /* a zero leading entry forces pivoting inside the block */
    if (i % 7 == 0) D[i][0] = 0.0;
  }
  for (int k = 0; k < 3 * n; k++) b[k] = rand() / (double)RAND_MAX;
  bt_factor f;
  bt_alloc(&f, n);
  CHECK(bt_factorize(&f, (const double(*)[9])D, (const double(*)[9])Lo, (const double(*)[9])Up) == 0, "factorize");
  bt_solve(&f, b, x);
  const double r = residual(n, (const double(*)[9])D, (const double(*)[9])Lo, (const double(*)[9])Up, x, b);
  printf("random n = %d: relative residual %.2e\n", n, r);
  CHECK(r < 1e-13, "random system residual %.3e", r);
  bt_free(&f);
  free(D);
  free(Lo);
  free(Up);
  free(b);
  free(x);
}

static void device_system(void) {
  tdev t;
  CHECK(tdev_create(&t, tdev_three_layer_yaml, NULL, 0) == 0, "set-up");
  CHECK(tdev_goto(&t, 4.0), "4 V");
  const int n = t.dd.n;
  dd_field *f = malloc(sizeof(dd_field) * n);
  dd_jac J;
  dd_jac_alloc(&J, n);
  dd_freeze_scales(&t.dd, t.ct.x);
  dd_assemble(&t.dd, t.ct.x, f, &J);
  double *b = malloc(sizeof(double) * 3 * n), *x = malloc(sizeof(double) * 3 * n);
  for (int k = 0; k < 3 * n; k++) b[k] = sin(0.37 * k);
  bt_factor bf;
  bt_alloc(&bf, n);
  CHECK(bt_factorize(&bf, (const double(*)[9])J.D, (const double(*)[9])J.Lo, (const double(*)[9])J.Up) == 0, "factorize");
  bt_solve(&bf, b, x);
  const double r = residual(n, (const double(*)[9])J.D, (const double(*)[9])J.Lo, (const double(*)[9])J.Up, x, b);
  printf("drift-diffusion Jacobian at 4 V (n = %d): relative residual %.2e\n", n, r);
  CHECK(r < 1e-13, "Jacobian system residual %.3e", r);
  bt_free(&bf);
  dd_jac_free(&J);
  free(f);
  free(b);
  free(x);
  tdev_destroy(&t);
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  srand(7);
  random_system(5);
  random_system(2000);
  device_system();
  PetscCall(PetscFinalize());
  CHECK_DONE();
}

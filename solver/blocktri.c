#include "solver/blocktri.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int bt_alloc(bt_factor *f, int n) {
  f->n = n;
  f->LU = malloc(sizeof(*f->LU) * (size_t)n);
  f->piv = malloc(sizeof(*f->piv) * (size_t)n);
  f->C = malloc(sizeof(*f->C) * (size_t)n);
  f->Lo = malloc(sizeof(*f->Lo) * (size_t)n);
  if (!f->LU || !f->piv || !f->C || !f->Lo) {
    bt_free(f);
    return 1;
  }
  return 0;
}

void bt_free(bt_factor *f) {
  free(f->LU);
  free(f->piv);
  free(f->C);
  free(f->Lo);
  f->LU = f->C = f->Lo = NULL;
  f->piv = NULL;
}

/* In-place LU of a 3x3 block with partial pivoting. Returns 0 or 1 if singular. */
static int lu3(double a[9], int p[3]) {
  for (int k = 0; k < 3; k++) p[k] = k;
  for (int k = 0; k < 3; k++) {
    int m = k;
    for (int r = k + 1; r < 3; r++)
      if (fabs(a[r * 3 + k]) > fabs(a[m * 3 + k])) m = r;
    if (!(fabs(a[m * 3 + k]) > 0.0) || !isfinite(a[m * 3 + k])) return 1;
    if (m != k) {
      for (int c = 0; c < 3; c++) {
        const double t = a[k * 3 + c];
        a[k * 3 + c] = a[m * 3 + c];
        a[m * 3 + c] = t;
      }
      const int t = p[k];
      p[k] = p[m];
      p[m] = t;
    }
    const double inv = 1.0 / a[k * 3 + k];
    for (int r = k + 1; r < 3; r++) {
      const double l = a[r * 3 + k] * inv;
      a[r * 3 + k] = l;
      for (int c = k + 1; c < 3; c++) a[r * 3 + c] -= l * a[k * 3 + c];
    }
  }
  /* keep the reciprocals of the pivots: the solves then multiply instead of divide */
  a[0] = 1.0 / a[0];
  a[4] = 1.0 / a[4];
  a[8] = 1.0 / a[8];
  return 0;
}

/* Solve (LU) x = P b for one right-hand side of length 3 (x may alias b). */
static inline void lu3_solve(const double a[9], const int p[3], const double *b, double *x) {
  double y0 = b[p[0]], y1 = b[p[1]], y2 = b[p[2]];
  y1 -= a[3] * y0;
  y2 -= a[6] * y0 + a[7] * y1;
  const double x2 = y2 * a[8]; /* diagonal entries hold reciprocal pivots */
  const double x1 = (y1 - a[5] * x2) * a[4];
  x[0] = (y0 - a[1] * x1 - a[2] * x2) * a[0];
  x[1] = x1;
  x[2] = x2;
}

/* C = M^{-1} U column by column (3 right-hand sides). */
static void lu3_solve_block(const double a[9], const int p[3], const double U[9], double C[9]) {
  for (int c = 0; c < 3; c++) {
    const double col[3] = {U[c], U[3 + c], U[6 + c]};
    double x[3];
    lu3_solve(a, p, col, x);
    C[c] = x[0];
    C[3 + c] = x[1];
    C[6 + c] = x[2];
  }
}

/* dst = P src for a 3x3 block: row k of dst is row p[k] of src. */
static void permute_rows(const int p[3], const double src[9], double dst[9]) {
  for (int k = 0; k < 3; k++)
    for (int c = 0; c < 3; c++) dst[k * 3 + c] = src[p[k] * 3 + c];
}

int bt_factorize(bt_factor *f, const double (*D)[9], const double (*Lo)[9], const double (*Up)[9]) {
  const int n = f->n;
  for (int i = 0; i < n; i++) {
    double *M = f->LU[i];
    memcpy(M, D[i], sizeof(double) * 9);
    if (i > 0) { /* M = D_i - Lo_i C_{i-1} */
      const double *L = Lo[i], *C = f->C[i - 1];
      for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
          M[r * 3 + c] -= L[r * 3] * C[c] + L[r * 3 + 1] * C[3 + c] + L[r * 3 + 2] * C[6 + c];
    }
    if (lu3(M, f->piv[i])) return 1 + i;
    permute_rows(f->piv[i], Lo[i], f->Lo[i]);
    if (i < n - 1) lu3_solve_block(M, f->piv[i], Up[i], f->C[i]);
  }
  return 0;
}

/* Forward elimination with the rows of b_i and Lo_i already in pivot order: the permutation is
 * a gather from b, off the dependency chain y_{i-1} -> y_i that bounds the solve (the pivoted
 * load from a local array on that chain cost 10% of the hole-only benchmark's time in bt_solve). */
void bt_solve(const bt_factor *f, const double *b, double *x) {
  const int n = f->n;
  const double(*Lo)[9] = (const double(*)[9])f->Lo;
  for (int i = 0; i < n; i++) { /* forward: y_i = M_i^{-1} (b_i - Lo_i y_{i-1}) */
    const int *p = f->piv[i];
    double r0 = b[3 * i + p[0]], r1 = b[3 * i + p[1]], r2 = b[3 * i + p[2]];
    if (i > 0) {
      const double *L = Lo[i], *y = x + 3 * (i - 1);
      r0 -= L[0] * y[0] + L[1] * y[1] + L[2] * y[2];
      r1 -= L[3] * y[0] + L[4] * y[1] + L[5] * y[2];
      r2 -= L[6] * y[0] + L[7] * y[1] + L[8] * y[2];
    }
    const double *a = f->LU[i]; /* L unit lower, U upper with reciprocal pivots (lu3_solve) */
    r1 -= a[3] * r0;
    r2 -= a[6] * r0 + a[7] * r1;
    const double x2 = r2 * a[8];
    const double x1 = (r1 - a[5] * x2) * a[4];
    x[3 * i] = (r0 - a[1] * x1 - a[2] * x2) * a[0];
    x[3 * i + 1] = x1;
    x[3 * i + 2] = x2;
  }
  for (int i = n - 2; i >= 0; i--) { /* back: x_i = y_i - C_i x_{i+1} */
    const double *C = f->C[i], *z = x + 3 * (i + 1);
    double *xi = x + 3 * i;
    for (int k = 0; k < 3; k++) xi[k] -= C[k * 3] * z[0] + C[k * 3 + 1] * z[1] + C[k * 3 + 2] * z[2];
  }
}

void bt_matvec(int n, const double (*D)[9], const double (*Lo)[9], const double (*Up)[9],
               const double *x, double *y) {
  for (int i = 0; i < n; i++)
    for (int r = 0; r < 3; r++) {
      double s = D[i][r * 3] * x[3 * i] + D[i][r * 3 + 1] * x[3 * i + 1] + D[i][r * 3 + 2] * x[3 * i + 2];
      if (i > 0)
        s += Lo[i][r * 3] * x[3 * i - 3] + Lo[i][r * 3 + 1] * x[3 * i - 2] + Lo[i][r * 3 + 2] * x[3 * i - 1];
      if (i < n - 1)
        s += Up[i][r * 3] * x[3 * i + 3] + Up[i][r * 3 + 1] * x[3 * i + 4] + Up[i][r * 3 + 2] * x[3 * i + 5];
      y[3 * i + r] = s;
    }
}

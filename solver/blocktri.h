/* Direct solution of block-tridiagonal systems with 3x3 blocks (the drift-diffusion Jacobian:
 * one block row per node, couplings to the two neighbours only). Block LU without pivoting
 * between block rows (as PETSc's BAIJ LU in natural ordering), partial pivoting inside each 3x3
 * diagonal block: factor in O(n), solve in O(n), no fill-in, no sparse bookkeeping. */
#ifndef QLEDSIM_BLOCKTRI_H
#define QLEDSIM_BLOCKTRI_H

typedef struct {
  int n;
  double (*LU)[9]; /* LU factors of the Schur blocks M_i = D_i - Lo_i C_{i-1} (row-major; the
                      diagonal holds the reciprocals of the pivots) */
  int (*piv)[3];   /* row permutation of each block */
  double (*C)[9];  /* C_i = M_i^{-1} Up_i */
  double (*Lo)[9]; /* the sub-diagonal blocks with their rows in pivot order: P_i Lo_i */
} bt_factor;

int bt_alloc(bt_factor *f, int n);
void bt_free(bt_factor *f);

/* Factor the matrix with diagonal blocks D, sub-diagonal blocks Lo (Lo[0] unused) and
 * super-diagonal blocks Up (Up[n-1] unused). Returns 0, or 1 + the block row whose Schur block
 * is singular (exactly zero pivot or non-finite). */
int bt_factorize(bt_factor *f, const double (*D)[9], const double (*Lo)[9], const double (*Up)[9]);

/* Solve A x = b (b and x: 3n values, may alias) with the factors. */
void bt_solve(const bt_factor *f, const double *b, double *x);

/* y = A x. */
void bt_matvec(int n, const double (*D)[9], const double (*Lo)[9], const double (*Up)[9],
               const double *x, double *y);

#endif

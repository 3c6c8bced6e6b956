/* Statistics for comparing predictions with reported values: average ranks (ties share the mean
 * of the ranks they span), Spearman rank correlation, mean absolute error. Pure functions. */
#ifndef QLEDSIM_STATS_H
#define QLEDSIM_STATS_H

/* 1-based ranks of x[0..n-1] in ascending order; tied values get the average of the ranks they
 * occupy ({10, 20, 20, 30} -> {1, 2.5, 2.5, 4}). x must hold no NaN. Returns 0, or 1 when out of
 * memory. */
int stats_ranks(const double *x, int n, double *rank);
/* The same, with values that agree to a relative tolerance counted as tied: after sorting, a
 * run of values each within rtol * |v| of the run's first is one tie (rtol = 0: exact ties).
 * Computed values that differ only by round-off must not decide an order. */
int stats_ranks_tol(const double *x, int n, double rtol, double *rank);

/* Spearman's rank correlation of the pairs (x[i], y[i]) where both are finite: the Pearson
 * correlation of their average ranks (the exact coefficient with ties, not 1 - 6 sum d^2 /
 * (n (n^2 - 1)), which only holds without ties). *used (if not NULL) gets the number of pairs.
 * NaN when fewer than 2 pairs or when all x or all y are tied. */
double stats_spearman(const double *x, const double *y, int n, int *used);
/* Spearman with ranks from stats_ranks_tol (rtol as there). */
double stats_spearman_tol(const double *x, const double *y, int n, double rtol, int *used);

/* Mean of |x[i] - y[i]| over the pairs where both are finite; *used as above. NaN when none. */
double stats_mae(const double *x, const double *y, int n, int *used);

#endif

#include "physics/stats.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
  double v;
  int i;
} keyed;

static int by_value(const void *a, const void *b) {
  const keyed *p = a, *q = b;
  if (p->v < q->v) return -1;
  if (p->v > q->v) return 1;
  return p->i - q->i; /* stable: the result does not depend on qsort's order */
}

int stats_ranks(const double *x, int n, double *rank) { return stats_ranks_tol(x, n, 0.0, rank); }

int stats_ranks_tol(const double *x, int n, double rtol, double *rank) {
  if (n <= 0) return 0;
  keyed *k = malloc(sizeof(keyed) * (size_t)n);
  if (!k) return 1;
  for (int i = 0; i < n; i++)
    k[i] = (keyed){x[i], i};
  qsort(k, (size_t)n, sizeof(keyed), by_value);
  for (int a = 0; a < n;) {
    int b = a + 1;
    while (b < n && k[b].v - k[a].v <= rtol * fmax(fabs(k[a].v), fabs(k[b].v)))
      b++;
    /* positions a..b-1 (0-based) share the ranks a+1..b: their mean is (a + 1 + b) / 2 */
    const double r = 0.5 * (double)(a + 1 + b);
    for (int j = a; j < b; j++)
      rank[k[j].i] = r;
    a = b;
  }
  free(k);
  return 0;
}

/* The finite pairs, copied. Returns their number, or -1 when out of memory. */
static int finite_pairs(const double *x, const double *y, int n, double **xs, double **ys) {
  *xs = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
  *ys = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
  if (!*xs || !*ys) return -1;
  int m = 0;
  for (int i = 0; i < n; i++)
    if (isfinite(x[i]) && isfinite(y[i])) {
      (*xs)[m] = x[i];
      (*ys)[m] = y[i];
      m++;
    }
  return m;
}

double stats_spearman(const double *x, const double *y, int n, int *used) {
  return stats_spearman_tol(x, y, n, 0.0, used);
}

double stats_spearman_tol(const double *x, const double *y, int n, double rtol, int *used) {
  double *xs, *ys, *rx = NULL, *ry = NULL, r = NAN;
  const int m = finite_pairs(x, y, n, &xs, &ys);
  if (used) *used = m > 0 ? m : 0;
  if (m >= 2 && (rx = malloc(sizeof(double) * (size_t)m)) && (ry = malloc(sizeof(double) * (size_t)m)) &&
      !stats_ranks_tol(xs, m, rtol, rx) && !stats_ranks_tol(ys, m, rtol, ry)) {
    const double mean = 0.5 * (m + 1); /* mean of average ranks is always (m + 1) / 2 */
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < m; i++) {
      const double dx = rx[i] - mean, dy = ry[i] - mean;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    if (sxx > 0 && syy > 0) r = sxy / sqrt(sxx * syy);
  }
  free(xs);
  free(ys);
  free(rx);
  free(ry);
  return r;
}

double stats_mae(const double *x, const double *y, int n, int *used) {
  int m = 0;
  double s = 0;
  for (int i = 0; i < n; i++)
    if (isfinite(x[i]) && isfinite(y[i])) {
      s += fabs(x[i] - y[i]);
      m++;
    }
  if (used) *used = m;
  return m ? s / m : NAN;
}

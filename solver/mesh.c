#include "solver/mesh.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sum of k spacings h_min, h_min r, ..., h_min r^(k-1). */
static double geometric_sum(double h_min, double r, int k) {
  if (k <= 0) return 0.0;
  if (fabs(r - 1.0) < 1e-12) return h_min * k;
  return h_min * (pow(r, k) - 1.0) / (r - 1.0);
}

/* Total width of nint intervals graded symmetrically from h_min at both ends with ratio r. */
static double graded_width(double h_min, double r, int nint) {
  const int half = nint / 2;
  double w = 2.0 * geometric_sum(h_min, r, half);
  if (nint % 2) w += h_min * pow(r, half);
  return w;
}

/* Intervals needed to span thickness d symmetrically from h_min at ratio r. */
static int intervals_needed(double d, double h_min, double r) {
  if (d <= 2.0 * h_min) return 2;
  const double k = log(1.0 + 0.5 * d * (r - 1.0) / h_min) / log(r);
  return 2 * (int)ceil(k);
}

/* Ratio r >= 1 so that nint intervals graded from h_min span exactly d (bisection; the width is
 * monotone in r). Requires nint * h_min < d. */
static double solve_ratio(double d, double h_min, int nint) {
  double lo = 1.0, hi = 2.0;
  while (graded_width(h_min, hi, nint) < d) hi *= 2.0;
  for (int it = 0; it < 200; it++) {
    const double mid = 0.5 * (lo + hi);
    if (graded_width(h_min, mid, nint) < d) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/* Fill x[first..first+nint] across one layer [x0, x0 + d]. Uniform if nint h_min >= d. */
static void fill_layer(double x0, double d, double h_min, int nint, double *x, double *rused) {
  x[0] = x0;
  if (nint * h_min >= d) {
    for (int j = 1; j <= nint; j++) x[j] = x0 + d * j / nint;
    *rused = 1.0;
    return;
  }
  const double r = solve_ratio(d, h_min, nint);
  const double w = graded_width(h_min, r, nint);
  const double scale = d / w; /* removes the last bits of the bisection error */
  double pos = x0;
  for (int j = 0; j < nint; j++) {
    const int k = j < nint - 1 - j ? j : nint - 1 - j;
    pos += scale * h_min * pow(r, k);
    x[j + 1] = pos;
  }
  x[nint] = x0 + d; /* exact layer boundary */
  *rused = r;
}

static int allocate_intervals(const dev_device *dev, int nodes, double h_min, double max_ratio,
                              int *nint, char *why, size_t whylen) {
  const int nl = dev->nlayers;
  const int total = nodes - 1;
  if (total < 2 * nl) {
    snprintf(why, whylen, "mesh.nodes = %d is too few for %d layers (need at least %d)", nodes,
             nl, 2 * nl + 1);
    return 1;
  }
  double need_sum = 0.0;
  for (int l = 0; l < nl; l++) need_sum += intervals_needed(dev->layers[l].thickness, h_min, max_ratio);
  int used = 0;
  for (int l = 0; l < nl; l++) {
    const double share = intervals_needed(dev->layers[l].thickness, h_min, max_ratio) / need_sum;
    nint[l] = (int)floor(share * total);
    if (nint[l] < 2) nint[l] = 2;
    used += nint[l];
  }
  /* Hand out (or take back) the remainder, thickest layers first. */
  while (used != total) {
    int best = -1;
    for (int l = 0; l < nl; l++) {
      if (used > total && nint[l] <= 2) continue;
      if (best < 0 || dev->layers[l].thickness / nint[l] > dev->layers[best].thickness / nint[best])
        best = l;
    }
    if (best < 0) break;
    nint[best] += used < total ? 1 : -1;
    used += used < total ? 1 : -1;
  }
  return 0;
}

int mesh_build(const dev_device *dev, int nodes, double h_min, double max_ratio, mesh_t *m,
               char *why, size_t whylen) {
  memset(m, 0, sizeof(*m));
  const int nl = dev->nlayers;
  if (nl < 1 || nodes < 2) return snprintf(why, whylen, "no layers or fewer than 2 nodes"), 1;
  int *nint = calloc((size_t)nl, sizeof(int));
  if (!nint) return snprintf(why, whylen, "out of memory"), 1;
  if (allocate_intervals(dev, nodes, h_min, max_ratio, nint, why, whylen)) {
    free(nint);
    return 1;
  }
  m->n = nodes;
  m->nlayers = nl;
  m->x = calloc((size_t)nodes, sizeof(double));
  m->h = malloc(sizeof(double) * (size_t)(nodes - 1));
  m->cell_layer = malloc(sizeof(int) * (size_t)(nodes - 1));
  m->layer_first = malloc(sizeof(int) * (size_t)(nl + 1));
  if (!m->x || !m->h || !m->cell_layer || !m->layer_first) {
    free(nint);
    mesh_free(m);
    return snprintf(why, whylen, "out of memory for %d mesh nodes", nodes), 1;
  }
  int first = 0;
  double x0 = 0.0;
  m->ratio_max = 1.0;
  for (int l = 0; l < nl; l++) {
    double r;
    m->layer_first[l] = first;
    fill_layer(x0, dev->layers[l].thickness, h_min, nint[l], m->x + first, &r);
    if (r > m->ratio_max) m->ratio_max = r;
    for (int c = first; c < first + nint[l]; c++) m->cell_layer[c] = l;
    first += nint[l];
    x0 += dev->layers[l].thickness;
  }
  m->layer_first[nl] = first;
  m->h_min_used = INFINITY;
  for (int c = 0; c < nodes - 1; c++) {
    m->h[c] = m->x[c + 1] - m->x[c];
    if (m->h[c] < m->h_min_used) m->h_min_used = m->h[c];
  }
  free(nint);
  if (m->ratio_max > max_ratio * (1.0 + 1e-9)) {
    int need = 1;
    for (int l = 0; l < nl; l++) need += intervals_needed(dev->layers[l].thickness, h_min, max_ratio);
    snprintf(why, whylen,
             "mesh.nodes = %d is too few to grade from h_min = %g m with neighbouring spacings "
             "differing by at most mesh.max_ratio = %g (would need ratio %.3f); use at least %d "
             "nodes, or a larger h_min or max_ratio",
             nodes, h_min, max_ratio, m->ratio_max, need);
    mesh_free(m);
    return 1;
  }
  if (!(m->h_min_used > 0.0)) {
    mesh_free(m);
    return snprintf(why, whylen, "mesh generation produced a zero-width cell (h_min %g m too small "
                                 "for double precision at this thickness)", h_min), 1;
  }
  return 0;
}

void mesh_free(mesh_t *m) {
  free(m->x);
  free(m->h);
  free(m->cell_layer);
  free(m->layer_first);
  memset(m, 0, sizeof(*m));
}

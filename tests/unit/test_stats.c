/* Average ranks, Spearman rank correlation and mean absolute error against hand-computed cases:
 * perfect and reversed order, a textbook case without ties (1 - 6 sum d^2 / (n (n^2 - 1))), ties
 * in one and in both variables (Pearson correlation of the average ranks), degenerate inputs, and
 * pairs with a NaN left out. */
#include "check.h"
#include "physics/stats.h"

int main(void) {
  double r[6];
  const double tied[4] = {10, 20, 20, 30};
  CHECK(stats_ranks(tied, 4, r) == 0, "ranks");
  CHECK(r[0] == 1 && r[1] == 2.5 && r[2] == 2.5 && r[3] == 4, "{10,20,20,30} -> %g %g %g %g", r[0],
        r[1], r[2], r[3]);
  const double unsorted[5] = {3.5, -1, 3.5, 7, 3.5};
  stats_ranks(unsorted, 5, r);
  CHECK(r[0] == 3 && r[1] == 1 && r[2] == 3 && r[3] == 5 && r[4] == 3, "three-way tie -> rank 3");

  const double x[5] = {1, 2, 3, 4, 5}, up[5] = {10, 20, 30, 40, 50}, down[5] = {9, 7, 5, 3, 1};
  int used = -1;
  CHECK_CLOSE(stats_spearman(x, up, 5, &used), 1.0, 1e-15, 0);
  CHECK(used == 5, "used %d", used);
  CHECK_CLOSE(stats_spearman(x, down, 5, NULL), -1.0, 1e-15, 0);
  /* monotone but not linear: rank correlation is still 1 */
  const double cube[5] = {1, 8, 27, 64, 125};
  CHECK_CLOSE(stats_spearman(x, cube, 5, NULL), 1.0, 1e-15, 0);
  /* no ties: d = (-1, 1, -1, 1, 0), sum d^2 = 4, rho = 1 - 6*4/(5*24) = 0.8 */
  const double swapped[5] = {2, 1, 4, 3, 5};
  CHECK_CLOSE(stats_spearman(x, swapped, 5, NULL), 0.8, 1e-14, 0);
  /* ties in x: ranks (1, 2.5, 2.5, 4) vs (1, 2, 3, 4): 4.5 / sqrt(4.5 * 5) = 3 / sqrt(10)
   * (the no-ties formula would give 1 - 6*0.5/60 = 0.95) */
  const double xt[4] = {1, 2, 2, 3}, y4[4] = {1, 2, 3, 4};
  CHECK_CLOSE(stats_spearman(xt, y4, 4, NULL), 3.0 / sqrt(10.0), 1e-14, 0);
  CHECK_CLOSE(stats_spearman(y4, xt, 4, NULL), 3.0 / sqrt(10.0), 1e-14, 0);
  /* ties in both, no association: ranks (1.5,1.5,3.5,3.5) vs (1.5,3.5,1.5,3.5) */
  const double a[4] = {1, 1, 2, 2}, b[4] = {1, 2, 1, 2};
  CHECK_CLOSE(stats_spearman(a, b, 4, NULL), 0.0, 0, 1e-15);
  /* ties in both, same grouping: 1 */
  const double c[4] = {5, 5, 9, 9};
  CHECK_CLOSE(stats_spearman(a, c, 4, NULL), 1.0, 1e-15, 0);
  /* ties in both, by hand: x ranks (1, 2.5, 2.5, 4, 5), y = {2, 1, 3, 3, 5} ranks (2, 1, 3.5, 3.5,
   * 5); deviations from 3: (-2, -.5, -.5, 1, 2) and (-1, -2, .5, .5, 2); sum dx dy = 7.25,
   * sum dx^2 = sum dy^2 = 9.5: rho = 7.25 / 9.5 */
  const double xb[5] = {1, 2, 2, 3, 4}, yb[5] = {2, 1, 3, 3, 5};
  CHECK_CLOSE(stats_spearman(xb, yb, 5, NULL), 7.25 / 9.5, 1e-14, 0);
  /* ranks do not depend on scale or shift, only on order */
  const double xb2[5] = {-10, 5, 5, 6, 1e9}, yb2[5] = {0.2, 0.1, 0.3, 0.3, 50};
  CHECK_CLOSE(stats_spearman(xb2, yb2, 5, NULL), 7.25 / 9.5, 1e-14, 0);
  /* ties within a relative tolerance: round-off (1e-12) must not order values; real
   * differences (1e-3) still do */
  const double noisy[4] = {18.0 * (1 + 1e-12), 18.0, 18.0 * (1 - 3e-13), 21.4};
  stats_ranks_tol(noisy, 4, 1e-6, r);
  CHECK(r[0] == 2 && r[1] == 2 && r[2] == 2 && r[3] == 4, "tol ties -> %g %g %g %g", r[0], r[1],
        r[2], r[3]);
  stats_ranks(noisy, 4, r);
  CHECK(r[0] == 3 && r[1] == 2 && r[2] == 1, "exact ranks see the round-off: %g %g %g", r[0], r[1],
        r[2]);
  const double rep4[4] = {0.4, 21.4, 8.7, 30}, near4[4] = {18.0 * (1 + 1e-12), 18.0, 18.0 * (1 - 1e-12), 20};
  /* x ranks (1, 3, 2, 4), y ranks with tolerance (2, 2, 2, 4): dx (-1.5, .5, -.5, 1.5), dy
   * (-.5, -.5, -.5, 1.5): sum dx dy = .75 - .25 + .25 + 2.25 = 3, sum dx^2 = 5, sum dy^2 = 3:
   * rho = 3 / sqrt(15) */
  CHECK_CLOSE(stats_spearman_tol(rep4, near4, 4, 1e-6, NULL), 3.0 / sqrt(15.0), 1e-14, 0);
  const double apart[4] = {18.0, 18.01, 18.02, 20};
  stats_ranks_tol(apart, 4, 1e-6, r);
  CHECK(r[0] == 1 && r[1] == 2 && r[2] == 3, "1e-3 apart stays ordered");
  /* degenerate: all tied, one pair, no pairs */
  const double flat[4] = {2, 2, 2, 2};
  CHECK(isnan(stats_spearman(flat, y4, 4, NULL)), "all tied -> NaN");
  CHECK(isnan(stats_spearman(x, up, 1, &used)) && used == 1, "one pair -> NaN");
  CHECK(isnan(stats_spearman(x, up, 0, &used)) && used == 0, "no pairs -> NaN");
  /* a pair with a NaN (a device that did not converge, a value not reported) is left out */
  const double xn[5] = {1, NAN, 2, 3, 4}, yn[5] = {1, 100, 2, 3, NAN};
  CHECK_CLOSE(stats_spearman(xn, yn, 5, &used), 1.0, 1e-15, 0);
  CHECK(used == 3, "used %d of 5 (NaN pairs skipped)", used);
  const double xi[3] = {1, INFINITY, 2}, yi[3] = {2, 1, 1};
  CHECK(isnan(stats_spearman(xi, yi, 3, &used)) == 0 && used == 2, "inf skipped");

  /* MAE */
  const double p[3] = {1, 2, 3}, q[3] = {2, 2, 5};
  CHECK_CLOSE(stats_mae(p, q, 3, &used), 1.0, 1e-15, 0);
  CHECK(used == 3, "mae used %d", used);
  const double pn[4] = {1, NAN, 3, 10}, qn[4] = {1.5, 2, 2, NAN};
  CHECK_CLOSE(stats_mae(pn, qn, 4, &used), 0.75, 1e-15, 0);
  CHECK(used == 2, "mae used %d", used);
  CHECK(isnan(stats_mae(pn, qn, 0, &used)) && used == 0, "mae of nothing -> NaN");
  /* MAE is symmetric and uses absolute values: (|0.4 - 18| + |21.4 - 18| + |8.8 - 16|) / 3 */
  const double rep[3] = {0.4, 21.4, 8.8}, pred[3] = {18, 18, 16};
  CHECK_CLOSE(stats_mae(rep, pred, 3, NULL), (17.6 + 3.4 + 7.2) / 3, 1e-14, 0);
  CHECK_CLOSE(stats_mae(pred, rep, 3, NULL), (17.6 + 3.4 + 7.2) / 3, 1e-14, 0);
  CHECK_DONE();
}

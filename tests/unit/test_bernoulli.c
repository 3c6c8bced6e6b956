/* Bernoulli function B(x) = x/(e^x - 1) and its derivative against a long-double reference over
 * the whole double range that matters (|x| up to 700), including the pair evaluator (values and derivatives) that avoids
 * the cancellation B(-a) = B(a) + a for large |a|. Tolerances: a few ulp for B (expm1 is accurate
 * to 1 ulp) and 1e-13 for B' (closed form with mild cancellation near |x| = 0.1). */
#include "check.h"
#include "physics/bernoulli.h"

static long double ref_B(long double x) { return x == 0 ? 1.0L : x / expm1l(x); }
static long double ref_dB(long double x) {
  if (fabsl(x) < 1e-4L) return -0.5L + x / 6.0L;
  const long double e = expm1l(x);
  return (e - x * (e + 1.0L)) / (e * e);
}

int main(void) {
  double worst_b = 0, worst_d = 0, worst_pair = 0, worst_dpair = 0;
  for (int k = -20000; k <= 20000; k++) {
    const double x = k == 0 ? 0.0 : copysign(pow(10.0, fabs((double)k) / 2000.0 - 8.0), (double)k);
    if (fabs(x) > 700) continue;
    const long double rb = ref_B(x), rd = ref_dB(x);
    worst_b = fmax(worst_b, (double)(fabsl(bern(x) - rb) / rb));
    if (fabsl(rd) > 1e-300L) worst_d = fmax(worst_d, (double)(fabsl(bern_deriv(x) - rd) / fabsl(rd)));
    double bp, bm, dbp, dbm;
    bern_pair(x, &bp, &bm, &dbp, &dbm);
    const long double rbm = ref_B(-(long double)x);
    worst_pair = fmax(worst_pair, (double)(fabsl(bp - rb) / rb));
    worst_pair = fmax(worst_pair, (double)(fabsl(bm - rbm) / rbm));
    const long double rdm = ref_dB(-(long double)x);
    if (fabsl(rd) > 1e-300L) worst_dpair = fmax(worst_dpair, (double)(fabsl(dbp - rd) / fabsl(rd)));
    if (fabsl(rdm) > 1e-300L) worst_dpair = fmax(worst_dpair, (double)(fabsl(dbm - rdm) / fabsl(rdm)));
  }
  printf("max relative error: B %.2e, B' %.2e, pair %.2e, pair B' %.2e\n", worst_b, worst_d, worst_pair,
         worst_dpair);
  CHECK(worst_b < 4e-16, "B relative error %.3e", worst_b);
  CHECK(worst_d < 1e-13, "B' relative error %.3e", worst_d);
  CHECK(worst_pair < 4e-16, "pair relative error %.3e", worst_pair);
  CHECK(worst_dpair < 1e-13, "pair B' relative error %.3e", worst_dpair);
  CHECK(bern(0.0) == 1.0 && bern(1e-300) == 1.0, "B near 0");
  CHECK(isfinite(bern(800.0)) && bern(800.0) >= 0.0, "B(800) finite");
  CHECK(fabs(bern(-800.0) - 800.0) < 1e-12, "B(-800) = 800");
  CHECK_DONE();
}

/* The Bernoulli function B(x) = x / (exp(x) - 1) of the Scharfetter-Gummel flux and its derivative,
 * evaluated without cancellation or overflow for every double x. */
#ifndef QLEDSIM_BERNOULLI_H
#define QLEDSIM_BERNOULLI_H

#include <math.h>

/* B(x) = x/(e^x - 1), relative error a few ulp for all x (B(0) = 1; B(x) -> -x for x -> -inf;
 * B(x) -> x e^-x, underflowing gracefully, for x -> +inf). */
static inline double bern(double x) {
  if (x == 0.0) return 1.0;
  if (x < 700.0) return x / expm1(x);
  return x * exp(-x);
}

/* dB/dx, relative error ~1e-14 for all x; uses the Taylor series near 0 where the closed form
 * B (1 - B - x) / x cancels. */
static inline double bern_deriv(double x) {
  if (fabs(x) < 0.1) {
    const double x2 = x * x;
    /* -1/2 + x/6 - x^3/180 + x^5/5040 - x^7/151200: truncation < 1e-16 for |x| < 0.1 */
    return -0.5 + x * (1.0 / 6.0 + x2 * (-1.0 / 180.0 + x2 * (1.0 / 5040.0 - x2 / 151200.0)));
  }
  const double b = bern(x);
  return b * (1.0 - b - x) / x;
}

/* B(x) and B'(x) for x >= 0 from one expm1: with E = e^x - 1, B = x/E and
 * B' = (E - x e^x)/E^2 = (1 - B - x)/E (same cancellation near x = 0.1 as bern_deriv's closed
 * form, which is why the series is kept below 0.1). bern and bern_deriv called one after the other
 * cost two expm1 and three divisions: 11% of the residual/Jacobian assembly was spent waiting on
 * those divisions (perf annotate of dd_assemble on the 1000-node hole-only device). */
static inline void bern_nonneg(double x, double *B, double *dB) {
  if (x == 0.0) {
    *B = 1.0;
    *dB = -0.5;
  } else if (x < 0.1) {
    *B = x / expm1(x);
    *dB = bern_deriv(x);
  } else if (x < 700.0) {
    const double E = expm1(x);
    *B = x / E;
    *dB = (1.0 - *B - x) / E;
  } else {
    *B = x * exp(-x);
    *dB = *B * (1.0 - *B - x) / x;
  }
}

/* B(a), B(-a) and their derivatives B'(a), B'(-a) from one exponential, via B(-x) = B(x) + x
 * and B'(-x) = -1 - B'(x) applied only in the direction without cancellation: the member that is
 * exponentially small is evaluated directly. */
static inline void bern_pair(double a, double *Bp, double *Bm, double *dBp, double *dBm) {
  if (a >= 0.0) {
    bern_nonneg(a, Bp, dBp);
    *Bm = *Bp + a;
    *dBm = -1.0 - *dBp;
  } else {
    bern_nonneg(-a, Bm, dBm);
    *Bp = *Bm - a;
    *dBp = -1.0 - *dBm;
  }
}

#endif

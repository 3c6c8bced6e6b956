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

/* B(a), B(-a) and their derivatives B'(a), B'(-a) from one exponential, via B(-x) = B(x) + x
 * and B'(-x) = -1 - B'(x) applied only in the direction without cancellation: the member that is
 * exponentially small is evaluated directly. */
static inline void bern_pair(double a, double *Bp, double *Bm, double *dBp, double *dBm) {
  if (a >= 0.0) {
    *Bp = bern(a);
    *Bm = *Bp + a;
    *dBp = bern_deriv(a);
    *dBm = -1.0 - *dBp;
  } else {
    *Bm = bern(-a);
    *Bp = *Bm - a;
    *dBm = bern_deriv(-a);
    *dBp = -1.0 - *dBm;
  }
}

#endif

/* Carrier statistics of one transport band, as a function of the reduced quasi-Fermi level
 * eta = (E_F - E_0)/kT (electrons; holes mirrored):
 *   Boltzmann:    n = N exp(eta)
 *   Gauss-Fermi:  n = N0 G(eta, sigma/kT), a Gaussian DOS of width sigma filled by Fermi-Dirac
 *                 occupation (physics/gaussfermi.h); n < N0 always.
 * stat_eval gives ln(n/N), g = d ln n / d eta (1 for Boltzmann; the generalised Einstein relation
 * is D = mu (kT/q) / g) and the excess chemical potential zeta = eta - ln(n/N), which enters the
 * Scharfetter-Gummel flux as an extra potential (excess-chemical-potential scheme). */
#ifndef QLEDSIM_STATISTICS_H
#define QLEDSIM_STATISTICS_H

#include "physics/gaussfermi.h"

typedef struct {
  gf_table *gauss; /* NULL: Boltzmann */
  double lnN;      /* ln of the effective density of states or site density [ln m^-3] */
} stat_band;

/* Set up for Boltzmann (s = sigma/kT <= 0) or Gauss-Fermi statistics; returns 0 or 1 (memory). */
int stat_band_init(stat_band *b, double N, double s);
void stat_band_free(stat_band *b);

/* ln(n/N) and g = d ln n / d eta at eta; d2 = d g / d eta (may be NULL). */
static inline double stat_eval(const stat_band *b, double eta, double *g, double *d2) {
  if (!b->gauss) {
    *g = 1.0;
    if (d2) *d2 = 0.0;
    return eta;
  }
  double lnG, dlnG, d2lnG;
  gf_table_eval(b->gauss, eta, &lnG, &dlnG, &d2lnG);
  *g = dlnG;
  if (d2) *d2 = d2lnG;
  return lnG;
}

/* eta at which ln(n/N) = lnrel (inverse of stat_eval). */
double stat_eta(const stat_band *b, double lnrel);

#endif

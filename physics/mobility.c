#include "physics/mobility.h"

#include <math.h>

double mob_field_factor(const dev_band *b, double E, double *dlnmu_dE) {
  if (b->mobility != DEV_MOB_POOLE_FRENKEL || b->pf_gamma == 0.0) {
    *dlnmu_dE = 0.0;
    return 1.0;
  }
  const double Es = 1e3;
  const double q = E * E + Es * Es;
  const double g = pow(q, 0.25) - sqrt(Es); /* (E^2 + Es^2)^(1/4) - Es^(1/2) */
  *dlnmu_dE = b->pf_gamma * 0.5 * E / pow(q, 0.75);
  return exp(b->pf_gamma * g);
}

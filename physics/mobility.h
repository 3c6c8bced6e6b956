/* Field-dependent mobility models for the transport bands, as pure functions of the field. */
#ifndef QLEDSIM_MOBILITY_H
#define QLEDSIM_MOBILITY_H

#include "physics/device.h"

/* Mobility factor mu(E)/mu0 [1] of band b at field E [V/m] and d ln(mu)/dE [m/V].
 * constant: 1; poole-frenkel: exp(gamma (E^2 + Es^2)^(1/4) - gamma Es^(1/2)) with Es = 1e3 V/m,
 * i.e. exp(gamma sqrt|E|) smoothed below 1e3 V/m (where gamma sqrt(Es) ~ 1e-3 for typical
 * gamma ~ 3e-5 (m/V)^(1/2)) so that the derivative is smooth at E = 0. */
double mob_field_factor(const dev_band *b, double E, double *dlnmu_dE);

#endif

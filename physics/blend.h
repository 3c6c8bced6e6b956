/* Cross-linker blends: how a small fraction of cross-linker molecules in a host hole-transport
 * layer changes its energy levels, mobilities and trap states.
 *   site fraction  c = (w/M_x) / (w/M_x + (1-w)/M_h)   from a weight fraction w (molar masses per
 *                  transport site, per repeat unit for polymers), or given directly.
 *   levels         linear: E = (1-c) E_host + c E_x (effective medium); host: unchanged; table:
 *                  measured values against the fraction, linear interpolation.
 *   mobility (composable factors on the host's mu_n, mu_p):
 *     hoesterey-letson  1 / (1 + c/(1-c) exp(dE/kT)), dE the trap depth (cross-linker HOMO
 *                       shallower than the host's for holes, LUMO deeper for electrons; 1 when
 *                       dE <= 0). Hoesterey & Letson, J. Phys. Chem. Solids 24, 1609 (1963).
 *     dilution          (rho/rho_h)^2 exp(-2 (rho - rho_h)/rho0), rho = rho_h (1-c)^(-1/3),
 *                       rho_h = N0^(-1/3): inert cross-linker sites stretch the hopping distance
 *                       (Borsenberger/Baessler molecularly doped polymers; rho0 = 0.12 nm).
 *     disorder          exp(-(2/(3kT))^2 (s^2 - s_h^2)) with the variance of the binary mixture
 *                       s^2 = (1-c) s_h^2 + c s_x^2 + c (1-c) dE^2 (Gaussian disorder model,
 *                       Baessler 1993); the layer's Gaussian DOS widens to s as well.
 *     table             measured mobility against the fraction (log-linear interpolation).
 *   traps          cross-linker sites as a Gaussian trap distribution: density c N0, centred at
 *                  the level offset, width the cross-linker's DOS width. */
#ifndef QLEDSIM_BLEND_H
#define QLEDSIM_BLEND_H

#include <stddef.h>
#include "physics/device.h"

/* Site fraction c from the blend's fraction (weight or site). Returns -1 if a weight fraction
 * cannot be converted (molar mass unknown). */
double blend_site_fraction(const dev_blend *b);

/* Apply the blend to layer L (host values in, effective values out) at temperature T [K];
 * fills b's results. Returns 0, or non-zero with a reason (too many traps, bad table, ...). */
int blend_apply(dev_blend *b, double T, dev_layer *L, char *why, size_t whylen);

/* Individual model factors (pure, for tests): */
double blend_hoesterey_letson(double c, double dE, double kT);
double blend_dilution(double c, double N0, double rho0);
double blend_disorder_sigma(double c, double s_host, double s_x, double dE);
double blend_table(const double (*tab)[2], int n, double x, int logy);

#endif

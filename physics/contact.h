/* Contact physics as pure functions: image-force (Schottky) barrier lowering. */
#ifndef QLEDSIM_CONTACT_H
#define QLEDSIM_CONTACT_H

/* Barrier lowering dphi = sqrt(q E+ / (4 pi eps)) [J] for a field E [V/m] whose positive part
 * pulls carriers into the semiconductor (eps = eps0 eps_r [F/m]). E+ is a smooth positive part,
 * (E + sqrt(E^2 + Es^2))/2 with Es = 1e3 V/m, minus its zero-field value, so dphi(0) = 0 and
 * dphi and d dphi/dE [J m/V] are smooth everywhere; above ~1e5 V/m the lowering is low by a
 * constant sqrt(q Es / (8 pi eps)) ~ 5e-4 eV (eps_r 3), against ~0.07 eV at 1e7 V/m. */
double contact_image_force(double E, double eps, double *dphi_dE);

#endif

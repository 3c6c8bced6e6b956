/* Mobility of a transport band on a cell face, by model:
 *   constant       mu0
 *   poole-frenkel  mu0 exp(gamma sqrt|E|) (smoothed below 1e3 V/m)
 *   egdm           mu0(T) [g1(c_i) + g1(c_j)]/2 g2(E)   (Pasveer et al., PRL 94, 206601 (2005);
 *                  node values of g1 averaged to the face and g2 at the face field, as in OEDES;
 *                  c = n/N0 clipped at 0.1 and (E a/sigma)^2 at 4, where the fit ends)
 *   gdm            mu(T, E) of Baessler, Phys. Status Solidi B 175, 15 (1993)
 * mu0 is given at T_ref; mu0(T) follows the model: EGDM mu0* c1 exp(-c2 (sigma/kT)^2) with
 * c1 = 1.8e-9, c2 = 0.42 and mu0* fixed by mu0(T_ref); GDM exp(-(2 sigma/3kT)^2); constant and
 * Poole-Frenkel are temperature independent. */
#ifndef QLEDSIM_MOBILITY_H
#define QLEDSIM_MOBILITY_H

#include <stddef.h>
#include "physics/device.h"
#include "physics/mobility_disorder.h"

typedef struct {
  dev_mobility_model model;
  double mu0T;      /* mu0 at the simulation temperature [m^2/(V s)] */
  double pf_gamma;  /* [(m/V)^(1/2)] */
  mobd_egdm egdm;   /* EGDM constants at T */
  mobd_gdm_params gdm;
  double gdm_zero;  /* GDM mobility at E = 0 (normalisation) */
} mob_band;

/* Prepare band b of a layer at temperature T [K] with DOS width sigma [J] and site density
 * N0 [m^-3] (for EGDM/GDM). Returns 0, or non-zero with a reason. */
int mob_band_init(mob_band *m, const dev_band *b, double T, char *why, size_t whylen);

/* Face mobility relative to mu0T for node densities ci, cj [m^-3] and face field E [V/m];
 * returns f and d ln f / dE, d ln f / d ln ci, d ln f / d ln cj. */
double mob_face_factor_model(const mob_band *m, double ci, double cj, double E, double *dlnf_dE,
                             double *dlnf_dlnci, double *dlnf_dlncj);

/* The same, with the constant-mobility case inline: it is evaluated twice per cell in every
 * residual assembly, and the call cost ~30 instructions per cell on the 1000-node hole-only
 * device (callgrind). */
static inline double mob_face_factor(const mob_band *m, double ci, double cj, double E,
                                     double *dlnf_dE, double *dlnf_dlnci, double *dlnf_dlncj) {
  if (m->model == DEV_MOB_CONSTANT) {
    *dlnf_dE = *dlnf_dlnci = *dlnf_dlncj = 0.0;
    return 1.0;
  }
  return mob_face_factor_model(m, ci, cj, E, dlnf_dE, dlnf_dlnci, dlnf_dlncj);
}

#endif

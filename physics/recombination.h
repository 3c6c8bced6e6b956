/* Bulk recombination models as pure functions of the local densities: Langevin (with prefactor),
 * Shockley-Read-Hall and Auger. Each returns the net rate R [m^-3 s^-1] and its partial
 * derivatives with respect to ln n, ln p (at fixed quasi-Fermi splitting) and to the splitting
 * factor X = 1 - exp(-(Efn - Efp)/kT), so that n p - ni^2 = n p X exactly (no cancellation). */
#ifndef QLEDSIM_RECOMBINATION_H
#define QLEDSIM_RECOMBINATION_H

typedef struct {
  double kL;           /* Langevin coefficient gamma q (mu_n + mu_p) / (eps0 eps_r) [m^3/s] */
  double tau_n, tau_p; /* SRH lifetimes [s] (INFINITY: no SRH) */
  double n1, p1;       /* SRH densities with the Fermi level at the trap level [m^-3] */
  double C_n, C_p;     /* Auger coefficients [m^6/s] */
} rec_params;

/* Split of the total rate into the channels, for emission bookkeeping. */
typedef struct {
  double langevin, srh, auger; /* [m^-3 s^-1] */
} rec_channels;

/* Net rate R(n, p, X) and dR/dln n, dR/dln p (at fixed X) and dR/dX. ch may be NULL. */
void rec_eval(const rec_params *rp, double n, double p, double X, double *R, double *dR_dlnn,
              double *dR_dlnp, double *dR_dX, rec_channels *ch);

/* Langevin coefficient [m^3/s] for prefactor gamma, mobilities [m^2/(V s)], permittivity [F/m]. */
double rec_langevin_coefficient(double gamma, double mu_n, double mu_p, double eps);

#endif

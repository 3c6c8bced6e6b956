/* Trap states as pure functions of the local carrier state.
 * A distribution (discrete, Gaussian, exponential tail) is turned once into weighted discrete
 * levels by quadrature (Gauss-Hermite / Gauss-Laguerre, TRAP_QUAD_POINTS points). Each level at
 * energy E_t captures electrons and holes (coefficients c_n, c_p) and emits them at rates fixed
 * by detailed balance in quasi-Fermi form,
 *   n1 = n exp((E_t - E_fn)/kT),  p1 = p exp((E_fp - E_t)/kT),
 * which is the textbook n1 = Nc exp((E_t - E_c)/kT) for Boltzmann bands and keeps the occupancy
 * Fermi-Dirac at equilibrium for Gauss-Fermi bands. Steady state (Shockley-Read-Hall):
 *   f = (c_n n + c_p p1) / D,   R = N c_n c_p n p X / D,   D = c_n (n + n1) + c_p (p + p1),
 * f the electron occupancy, X = 1 - exp(-(E_fn - E_fp)/kT) (so R vanishes exactly at
 * equilibrium). Electron traps carry charge -q N f, hole traps +q N (1 - f). */
#ifndef QLEDSIM_TRAPS_H
#define QLEDSIM_TRAPS_H

#include "physics/device.h"

#define TRAP_QUAD_POINTS 24

typedef struct {
  int hole;     /* hole trap (donor-like) */
  double N;     /* weight: density of this level [m^-3 or m^-2] */
  double a;     /* (E_t - E_c)/kT of the band the electrons come from (< 0) */
  double b;     /* (E_v - E_t)/kT of the band the holes come from (< 0) */
  double c_n, c_p;
} trap_level;

typedef struct {
  int n;
  trap_level *lv;
} trap_set;

/* Local state of the carriers the traps exchange with: densities, the excess chemical
 * potentials zeta = eta - ln(n/N) and g = d ln n / d eta, and ln N of each band. */
typedef struct {
  double n, p, zeta_n, zeta_p, g_n, g_p, lnNn, lnNp, X;
} trap_state;

/* Trapped charge / q (signed, holes positive) and net recombination, with derivatives w.r.t. the
 * reduced quasi-Fermi levels eta_n, eta_p and the splitting factor X. */
typedef struct {
  double rho, drho_den, drho_dep; /* [m^-3 or m^-2] */
  double R, dR_den, dR_dep, dR_dX; /* [m^-3 s^-1 or m^-2 s^-1] */
} trap_out;

/* Build the levels of ntraps distributions at kT [J] for a gap Eg [J]. Returns 0 or 1 (memory). */
int trap_set_build(const dev_trap *traps, int ntraps, double Eg, double kT, trap_set *ts);
void trap_set_free(trap_set *ts);

/* Evaluate all levels at state s. */
void trap_eval(const trap_set *ts, const trap_state *s, trap_out *o);

/* Gauss-Hermite (weight exp(-x^2)) and Gauss-Laguerre (weight exp(-x)) rules of n points,
 * nodes and weights in x[n], w[n]; accurate to ~1e-14. Return 0 on success. */
int trap_gauss_hermite(int n, double *x, double *w);
int trap_gauss_laguerre(int n, double *x, double *w);

#endif

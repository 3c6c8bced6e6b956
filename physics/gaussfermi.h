/* Gauss-Fermi integral: occupancy of a band with a Gaussian density of states.
 *
 *   n = N0 G(eta, s),   G(eta, s) = (2 pi)^(-1/2) Int exp(-t^2/2) / (1 + exp(s t - eta)) dt
 *
 * s = sigma/kT >= 0 (DOS width in units of kT), eta = (E_F - E0)/kT (electrons; holes are the
 * mirror image). 0 < G < 1. Everything is computed in logs, so eta = -1e4 (G ~ e^-1e4) is fine.
 *
 * Exact identities used throughout (t -> -t symmetry, and a tilt of the Gaussian by s):
 *   (A)  1 - G(eta) = G(-eta)                   so ln(1 - G) is as accurate as ln G, and
 *                                               dG/deta is even in eta;
 *   (B)  G(eta) = exp(eta + s^2/2) G(-eta - s^2) = exp(eta + s^2/2) (1 - G(eta + s^2)).
 * (B) gives the non-degenerate (Boltzmann) limit with an exact error term:
 *   ln G = eta + s^2/2 + ln(1 - G(eta + s^2)),  0 < G(eta + s^2) <= exp(eta + 3 s^2/2),
 * so G = exp(eta + s^2/2) to relative accuracy rtol whenever eta <= ln(rtol) - 3 s^2/2.
 * ln G is concave in eta (G is a convolution of log-concave functions): d ln G/d eta decreases
 * from 1 (eta -> -inf) through 1/2 (at eta = -s^2/2) to 0 (eta -> +inf), d2 ln G/d eta2 <= 0.
 *
 * Accuracy (measured by tests/unit/test_gaussfermi.c; s in [0, 8] unless said otherwise):
 *  - gf_reference*: relative error <= 1.5e-14 in G, 1 - G and dG/deta for any real eta (plus
 *    the rounding of ln G itself, 1.1e-16 |ln G|), d2 ln G/d eta2 relative <= 1.2e-13.
 *    Adaptive 20-point Gauss-Legendre in log space around the integrand's mode, panels graded
 *    towards the poles of the Fermi factor (eta/s +- i pi/s); checked against mpmath at 40
 *    digits, a long double trapezoid rule, and identity (B). ~70 us per call.
 *  - gf_table_*: relative error of G and of 1 - G <= 1e-13 (measured 8e-14; 5e-13 at s = 20),
 *    of d ln G/d eta and dG/deta <= 5e-11 (1e-10 at s = 20), absolute error of d2 ln G/d eta2
 *    <= 2e-10; everywhere in eta (table on [-(3 s^2/2 + 42), 0], mirrored by (A), exact
 *    Boltzmann form beyond). dlnG is clamped to <= 1 and d2lnG to <= 0 (exact bounds).
 *    Speed (one core, -O2): ~15 ns per gf_table_eval for eta <= 0, ~30 ns for eta > 0 (an
 *    exp and a log1p for the mirror), ~4 ns below the table; build 0.2 ms (s = 0) to 0.75 ms
 *    (s = 8), 5 ms at s = 20.
 *  - gf_table_eta_from_*: solves the table's own equation to rounding: |d eta| ~ 1e-16
 *    (|eta| + s^2/2 + 1) / dlnG (<= 3e-13 relative for s <= 8); ~130 ns.
 * Underflow: for eta > ~700 + s^2/2, dG/deta = G'(eta) underflows to 0 in double, so
 * d ln G/d eta returns 0 there; gf_vals.lndG stays finite (use it for the Einstein ratio).
 */
#ifndef QLEDSIM_GAUSSFERMI_H
#define QLEDSIM_GAUSSFERMI_H

#define GF_S_MAX 20.0 /* largest s = sigma/kT accepted (sigma = 0.5 eV at 290 K) */

/* Values at one eta; all finite for finite eta (except as noted for underflow). */
typedef struct {
  double lnG;   /* ln G, < 0 */
  double ln1mG; /* ln(1 - G) = ln G(-eta), < 0 */
  double dlnG;  /* d ln G / d eta, in [0, 1] */
  double d2lnG; /* d2 ln G / d eta2, <= 0 */
  double lndG;  /* ln(dG/deta); the Einstein ratio G/(dG/deta) = exp(lnG - lndG) */
} gf_vals;

typedef struct gf_table gf_table; /* immutable after creation: safe to share between threads */

/* Reference: G(eta, s) to ~1e-14 relative (underflows to 0 for eta < ~-745 - s^2/2). */
double gf_reference(double eta, double s);
/* Reference: dG/deta to ~1e-14 relative (underflows like G). */
double gf_reference_deriv(double eta, double s);
/* Reference: all of gf_vals at (eta, s), slow; NaN unless 0 <= s <= GF_S_MAX. */
void gf_reference_vals(double eta, double s, gf_vals *v);

/* A fast evaluator for one s in [0, GF_S_MAX]; NULL if s is out of range or out of memory. */
gf_table *gf_table_create(double s);
/* Free a table (NULL is fine). */
void gf_table_destroy(gf_table *t);
/* The s the table was built for. */
double gf_table_s(const gf_table *t);
/* ln G and its first two eta-derivatives; allocation free, thread safe. */
void gf_table_eval(const gf_table *t, double eta, double *lnG, double *dlnG, double *d2lnG);
/* All of gf_vals at eta; allocation free, thread safe. */
void gf_table_vals(const gf_table *t, double eta, gf_vals *v);
/* ln G only (cheapest call). */
double gf_table_lnG(const gf_table *t, double eta);

/* eta with ln G(eta) = lnG, for lnG < 0 (returns +inf for lnG >= 0, NaN for NaN). */
double gf_table_eta_from_lnG(const gf_table *t, double lnG);
/* eta with ln(1 - G(eta)) = ln1mG, for ln1mG < 0: the accurate inverse when G is near 1. */
double gf_table_eta_from_ln1mG(const gf_table *t, double ln1mG);
/* eta with G(eta) = G, for 0 < G < 1 (picks the well-conditioned one of the two above). */
double gf_table_eta_from_G(const gf_table *t, double G);

/* Boltzmann (non-degenerate) limit: ln G = eta + s^2/2 (an upper bound on the exact ln G). */
double gf_boltzmann_lnG(double eta, double s);
/* Largest eta at which the Boltzmann limit has relative error <= rtol: ln(rtol) - 3 s^2/2. */
double gf_boltzmann_eta_max(double s, double rtol);
/* s = 0 limit (single level, Fermi-Dirac): ln G = -ln(1 + exp(-eta)), exact in double. */
double gf_fermi_lnG(double eta);

#endif

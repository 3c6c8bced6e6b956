/* Disorder mobility models (EGDM of Pasveer et al. 2005, GDM of Baessler 1993): see the header
 * for the formulas, their sources and their range of validity. */
#include "physics/mobility_disorder.h"

#include <math.h>

#include "physics/constants.h"

static int finite_pos(double x) {
  return isfinite(x) && x > 0.0;
}

mobd_egdm_params mobd_egdm_params_default(void) {
  mobd_egdm_params p = {0};
  p.mu0_kind = MOBD_MU0_STAR;
  p.c1 = MOBD_EGDM_C1;
  p.c2 = MOBD_EGDM_C2;
  p.clip_density = 1;
  p.clip_field = 1;
  return p;
}

double mobd_egdm_delta(double sigma_hat) {
  double s2s = sigma_hat * sigma_hat - sigma_hat;
  return 2.0 * (log(s2s) - log(log(4.0))) / (sigma_hat * sigma_hat);
}

/* ln g1 = A1 x^delta with x = 2 p a^3; d ln g1 / d ln p = delta ln g1. */
double mobd_egdm_g1(double sigma_hat, double pa3, double *dg1_dpa3) {
  if (pa3 <= 0.0) { /* the low-density limit; NaN falls through and propagates */
    if (dg1_dpa3) *dg1_dpa3 = 0.0;
    return 1.0;
  }
  double A1 = 0.5 * (sigma_hat * sigma_hat - sigma_hat);
  double delta = mobd_egdm_delta(sigma_hat);
  double lng1 = A1 * pow(2.0 * pa3, delta);
  double g1 = exp(lng1);
  if (dg1_dpa3) *dg1_dpa3 = g1 * delta * lng1 / pa3;
  return g1;
}

/* sqrt(1 + 0.8 En^2) - 1 written as 0.8 En^2 / (sqrt(1 + 0.8 En^2) + 1): no cancellation at
 * small fields, so g2 - 1 keeps full relative accuracy. */
static double g2_arg(double En2, double *darg_dEn2) {
  double r = sqrt(1.0 + 0.8 * En2);
  if (darg_dEn2) *darg_dEn2 = 0.4 / r;
  return 0.8 * En2 / (r + 1.0);
}

double mobd_egdm_g2(double sigma_hat, double En, double *dg2_dEn) {
  double A2 = 0.44 * (sigma_hat * sqrt(sigma_hat) - 2.2);
  double En_abs = fabs(En), darg;
  double g2 = exp(A2 * g2_arg(En_abs * En_abs, &darg));
  if (dg2_dEn) *dg2_dEn = g2 * A2 * darg * 2.0 * En_abs;
  return g2;
}

double mobd_egdm_mu0T(double mu0_star, double sigma_hat, double c1, double c2) {
  return mu0_star * c1 * exp(-c2 * sigma_hat * sigma_hat);
}

double mobd_egdm_mu0_star(double mu0_T, double sigma, double T, double c1, double c2) {
  double s = sigma / (PHYS_KB * T);
  return mu0_T / (c1 * exp(-c2 * s * s));
}

int mobd_egdm_init(mobd_egdm *m, const mobd_egdm_params *par) {
  if (!finite_pos(par->sigma)) return MOBD_ERR_SIGMA;
  if (!finite_pos(par->N0)) return MOBD_ERR_N0;
  if (!finite_pos(par->T)) return MOBD_ERR_T;
  if (!finite_pos(par->mu0)) return MOBD_ERR_MU0;
  if (!finite_pos(par->c1) || !isfinite(par->c2)) return MOBD_ERR_C12;
  if (par->mu0_kind != MOBD_MU0_STAR && par->mu0_kind != MOBD_MU0_AT_T) return MOBD_ERR_MU0_KIND;
  double s = par->sigma / (PHYS_KB * par->T);
  if (!(s > MOBD_EGDM_SHAT_MIN)) return MOBD_ERR_SHAT_LOW;

  m->sigma_hat = s;
  m->delta = mobd_egdm_delta(s);
  m->A1 = 0.5 * (s * s - s);
  m->A2 = 0.44 * (s * sqrt(s) - 2.2);
  m->N0 = par->N0;
  m->a = cbrt(1.0 / par->N0);
  if (par->mu0_kind == MOBD_MU0_STAR) {
    m->mu0_star = par->mu0;
    m->mu0T = mobd_egdm_mu0T(par->mu0, s, par->c1, par->c2);
  } else {
    m->mu0T = par->mu0;
    m->mu0_star = mobd_egdm_mu0_star(par->mu0, par->sigma, par->T, par->c1, par->c2);
  }
  m->En_per_E = PHYS_Q * m->a / par->sigma;
  m->pa3_max = par->clip_density ? MOBD_EGDM_PA3_MAX : INFINITY;
  m->En2_max = par->clip_field ? MOBD_EGDM_EN2_MAX : INFINITY;
  m->in_fit_range = s >= MOBD_EGDM_SHAT_FIT_LO && s <= MOBD_EGDM_SHAT_FIT_HI;
  return MOBD_OK;
}

mobd_result mobd_egdm_eval(const mobd_egdm *m, double p, double E) {
  mobd_result r;

  /* Density factor: ln g1 = A1 (2 pa3)^delta, d ln g1/d ln p = delta ln g1 (0 when clipped). */
  double lng1 = 0.0, dlng1_dlnp = 0.0;
  double pa3 = p / m->N0;
  if (!(pa3 <= 0.0)) { /* p > 0, or NaN (propagates) */
    int clipped = pa3 >= m->pa3_max;
    double x = clipped ? m->pa3_max : pa3;
    lng1 = m->A1 * pow(2.0 * x, m->delta);
    dlng1_dlnp = clipped ? 0.0 : m->delta * lng1;
  }

  /* Field factor: ln g2 = A2 (sqrt(1 + 0.8 En^2) - 1), En = E q a / sigma. */
  double En = fabs(E) * m->En_per_E;
  double En2 = En * En, darg = 0.0;
  int fclipped = En2 >= m->En2_max;
  double lng2 = m->A2 * g2_arg(fclipped ? m->En2_max : En2, &darg);
  double dlng2_dE = fclipped ? 0.0 : m->A2 * darg * 2.0 * En * m->En_per_E;

  r.mu = m->mu0T * exp(lng1 + lng2);
  r.dmu_dlnp = r.mu * dlng1_dlnp;
  r.dmu_dp = (pa3 <= 0.0) ? 0.0 : r.dmu_dlnp / p;
  r.dmu_dE = r.mu * dlng2_dE;
  return r;
}

int mobd_gdm_check(const mobd_gdm_params *g) {
  if (!finite_pos(g->mu_inf)) return MOBD_ERR_MU0;
  if (!finite_pos(g->sigma)) return MOBD_ERR_SIGMA;
  if (!finite_pos(g->T)) return MOBD_ERR_T;
  if (!isfinite(g->Sigma) || g->Sigma < 0.0) return MOBD_ERR_SIGMA_POS;
  if (!isfinite(g->C) || !isfinite(g->E_smooth) || g->E_smooth < 0.0) return MOBD_ERR_GDM_C;
  return MOBD_OK;
}

mobd_result mobd_gdm_eval(const mobd_gdm_params *g, double E) {
  mobd_result r;
  double s = g->sigma / (PHYS_KB * g->T);
  double S2 = g->Sigma >= MOBD_GDM_SIGMA_POS_MIN ? g->Sigma * g->Sigma
                                                 : MOBD_GDM_SIGMA_POS_MIN * MOBD_GDM_SIGMA_POS_MIN;
  double B = g->C * (s * s - S2); /* d ln mu / d sqrt(E) [(m/V)^(1/2)] */
  double Ea = fabs(E), f, df;
  if (g->E_smooth > 0.0) {
    double Es = g->E_smooth;
    double q = sqrt(sqrt(Ea * Ea + Es * Es)); /* (E^2 + Es^2)^(1/4) */
    f = q - sqrt(Es);
    df = 0.5 * Ea / (q * q * q);
  } else {
    f = sqrt(Ea);
    df = Ea > 0.0 ? 0.5 / f : INFINITY;
  }
  double two_thirds_s = 2.0 * s / 3.0;
  r.mu = g->mu_inf * exp(-two_thirds_s * two_thirds_s + B * f);
  r.dmu_dp = 0.0;
  r.dmu_dlnp = 0.0;
  r.dmu_dE = (B == 0.0) ? 0.0 : r.mu * B * df; /* +-INFINITY at E = 0 when exact */
  return r;
}

const char *mobd_strerror(int code) {
  switch (code) {
  case MOBD_OK:
    return "ok";
  case MOBD_ERR_SIGMA:
    return "sigma must be finite and > 0 [J]";
  case MOBD_ERR_N0:
    return "N0 must be finite and > 0 [m^-3]";
  case MOBD_ERR_T:
    return "temperature must be finite and > 0 [K]";
  case MOBD_ERR_MU0:
    return "mobility prefactor must be finite and > 0 [m^2/(V s)]";
  case MOBD_ERR_C12:
    return "EGDM c1 must be finite and > 0, c2 finite";
  case MOBD_ERR_SHAT_LOW:
    return "sigma/kT too small for the EGDM density factor (needs > 1.779; fitted for 3..6)";
  case MOBD_ERR_SIGMA_POS:
    return "GDM positional disorder Sigma must be finite and >= 0";
  case MOBD_ERR_GDM_C:
    return "GDM C must be finite, E_smooth finite and >= 0 [V/m]";
  case MOBD_ERR_MU0_KIND:
    return "unknown mu0 kind";
  default:
    return "unknown mobility error";
  }
}

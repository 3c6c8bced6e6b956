#include "physics/mobility.h"
#include "physics/constants.h"

#include <math.h>
#include <stdio.h>

int mob_band_init(mob_band *m, const dev_band *b, double T, char *why, size_t whylen) {
  m->model = b->mobility;
  m->mu0T = b->mu0;
  m->pf_gamma = b->pf_gamma;
  if (b->mobility == DEV_MOB_EGDM) {
    mobd_egdm_params par = mobd_egdm_params_default();
    par.sigma = b->sigma;
    par.N0 = b->N;
    par.T = b->T_ref;
    par.mu0 = b->mu0;
    par.mu0_kind = MOBD_MU0_AT_T;
    mobd_egdm ref;
    int rc = mobd_egdm_init(&ref, &par);
    if (!rc) {
      par.mu0 = ref.mu0_star;
      par.mu0_kind = MOBD_MU0_STAR;
      par.T = T;
      rc = mobd_egdm_init(&m->egdm, &par);
    }
    if (rc) return snprintf(why, whylen, "EGDM: %s", mobd_strerror(rc)), 1;
    m->mu0T = m->egdm.mu0T;
  } else if (b->mobility == DEV_MOB_GDM) {
    /* mu_inf from mu0 at T_ref and E = 0 */
    const double shat_ref = b->sigma / (PHYS_KB * b->T_ref), shat = b->sigma / (PHYS_KB * T);
    m->gdm.mu_inf = b->mu0 / exp(-pow(2.0 * shat_ref / 3.0, 2));
    m->gdm.sigma = b->sigma;
    m->gdm.Sigma = b->gdm_Sigma;
    m->gdm.C = b->gdm_C;
    m->gdm.T = T;
    m->gdm.E_smooth = 1e3;
    const int rc = mobd_gdm_check(&m->gdm);
    if (rc) return snprintf(why, whylen, "GDM: %s", mobd_strerror(rc)), 1;
    m->mu0T = m->gdm.mu_inf * exp(-pow(2.0 * shat / 3.0, 2));
  }
  return 0;
}

/* Poole-Frenkel factor exp(gamma ((E^2 + Es^2)^(1/4) - Es^(1/2))), Es = 1e3 V/m. */
static double poole_frenkel(double gamma, double E, double *dlnf_dE) {
  const double Es = 1e3;
  const double q = E * E + Es * Es;
  *dlnf_dE = gamma * 0.5 * E / pow(q, 0.75);
  return exp(gamma * (pow(q, 0.25) - sqrt(Es)));
}

/* g1 at reduced density c/N0 with the published clip, and d ln g1 / d ln c. */
static double egdm_g1(const mobd_egdm *e, double c, double *dlng_dlnc) {
  double pa3 = c / e->N0, d;
  if (pa3 >= e->pa3_max) {
    *dlng_dlnc = 0.0;
    return mobd_egdm_g1(e->sigma_hat, e->pa3_max, &d);
  }
  const double g = mobd_egdm_g1(e->sigma_hat, pa3, &d);
  *dlng_dlnc = d * pa3 / g;
  return g;
}

double mob_face_factor_model(const mob_band *m, double ci, double cj, double E, double *dlnf_dE,
                             double *dlnf_dlnci, double *dlnf_dlncj) {
  *dlnf_dE = *dlnf_dlnci = *dlnf_dlncj = 0.0;
  switch (m->model) {
  case DEV_MOB_POOLE_FRENKEL:
    return m->pf_gamma != 0.0 ? poole_frenkel(m->pf_gamma, E, dlnf_dE) : 1.0;
  case DEV_MOB_EGDM: {
    const mobd_egdm *e = &m->egdm;
    double di, dj, dg2;
    const double gi = egdm_g1(e, ci, &di), gj = egdm_g1(e, cj, &dj);
    const double g1 = 0.5 * (gi + gj);
    *dlnf_dlnci = 0.5 * gi * di / g1;
    *dlnf_dlncj = 0.5 * gj * dj / g1;
    /* g2 at the clipped reduced field, smooth in E through E^2 */
    double En = E * e->En_per_E;
    const int clipped = En * En >= e->En2_max;
    if (clipped) En = sqrt(e->En2_max);
    const double g2 = mobd_egdm_g2(e->sigma_hat, En, &dg2);
    if (!clipped) *dlnf_dE = dg2 / g2 * e->En_per_E * (E < 0 ? -1.0 : 1.0);
    return g1 * g2;
  }
  case DEV_MOB_GDM: {
    const mobd_result r = mobd_gdm_eval(&m->gdm, E);
    *dlnf_dE = r.dmu_dE / r.mu * (E < 0 ? -1.0 : 1.0);
    return r.mu / m->mu0T;
  }
  default:
    return 1.0;
  }
}

#include "physics/recombination.h"
#include "physics/constants.h"

#include <math.h>

double rec_langevin_coefficient(double gamma, double mu_n, double mu_p, double eps) {
  return gamma * PHYS_Q * (mu_n + mu_p) / eps;
}

void rec_eval(const rec_params *rp, double n, double p, double X, double *R, double *dR_dlnn,
              double *dR_dlnp, double *dR_dX, rec_channels *ch) {
  const double np = n * p;
  /* Langevin: R = kL n p X */
  double r = rp->kL * np * X;
  double rn = r, rp_ = r, rx = rp->kL * np;
  double r_srh = 0.0, r_aug = 0.0;
  if (isfinite(rp->tau_n) && isfinite(rp->tau_p)) {
    /* SRH: R = n p X / D, D = tau_p (n + n1) + tau_n (p + p1) */
    const double D = rp->tau_p * (n + rp->n1) + rp->tau_n * (p + rp->p1);
    r_srh = np * X / D;
    rn += r_srh * (1.0 - rp->tau_p * n / D);
    rp_ += r_srh * (1.0 - rp->tau_n * p / D);
    rx += np / D;
  }
  if (rp->C_n > 0.0 || rp->C_p > 0.0) {
    /* Auger: R = (C_n n + C_p p) n p X */
    const double c = rp->C_n * n + rp->C_p * p;
    r_aug = c * np * X;
    rn += r_aug + rp->C_n * n * np * X;
    rp_ += r_aug + rp->C_p * p * np * X;
    rx += c * np;
  }
  if (ch) {
    ch->langevin = r;
    ch->srh = r_srh;
    ch->auger = r_aug;
  }
  *R = r + r_srh + r_aug;
  *dR_dlnn = rn;
  *dR_dlnp = rp_;
  *dR_dX = rx;
}

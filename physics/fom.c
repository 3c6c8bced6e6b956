#include "physics/fom.h"

#include <math.h>

double fom_interp(double x, double x0, double x1, double y0, double y1) {
  if (x1 == x0) return y1;
  const double t = (x - x0) / (x1 - x0);
  if (y0 > 0.0 && y1 > 0.0) return exp(log(y0) + t * (log(y1) - log(y0)));
  return y0 + t * (y1 - y0);
}

/* x where y crosses level between (x0,y0) and (x1,y1), log-linear in y when possible. */
static double crossing(double level, double x0, double x1, double y0, double y1) {
  if (y1 == y0) return x1;
  double t;
  if (y0 > 0.0 && y1 > 0.0) t = (log(level) - log(y0)) / (log(y1) - log(y0));
  else t = (level - y0) / (y1 - y0);
  return x0 + t * (x1 - x0);
}

static void turn_on(const fom_curve *c, fom_summary *s) {
  int prev = -1;
  for (int k = 0; k < c->n; k++) {
    if (!c->converged[k]) continue;
    if (c->L[k] >= FOM_TURN_ON_LUMINANCE) {
      if (prev < 0 || !(c->L[prev] > 0.0)) { /* nothing to interpolate from in log L */
        s->V_on = c->V[k];
        s->J_at_V_on = c->J[k];
      } else {
        s->V_on = crossing(FOM_TURN_ON_LUMINANCE, c->V[prev], c->V[k], c->L[prev], c->L[k]);
        s->J_at_V_on = fom_interp(s->V_on, c->V[prev], c->V[k], c->J[prev], c->J[k]);
      }
      return;
    }
    prev = k;
  }
}

static void maxima(const fom_curve *c, fom_summary *s) {
  int kmax = -1;
  for (int k = 0; k < c->n; k++) {
    if (c->converged[k] && !(c->L[k] <= s->L_max)) s->L_max = c->L[k];
    /* efficiencies count where light is measurable: L at or above the turn-on luminance */
    if (!c->converged[k] || !(c->L[k] >= FOM_TURN_ON_LUMINANCE)) continue;
    if (isfinite(c->EQE[k]) && (kmax < 0 || c->EQE[k] > c->EQE[kmax])) kmax = k;
    if (isfinite(c->gamma[k]) && !(c->gamma[k] <= s->gamma_max)) s->gamma_max = c->gamma[k];
    if (isfinite(c->CE[k]) && !(c->CE[k] <= s->CE_max)) s->CE_max = c->CE[k];
    if (isfinite(c->PE[k]) && !(c->PE[k] <= s->PE_max)) s->PE_max = c->PE[k];
  }
  if (kmax < 0) return;
  s->EQE_max = c->EQE[kmax];
  s->V_at_EQE_max = c->V[kmax];
  s->J_at_EQE_max = c->J[kmax];
  s->gamma_at_EQE_max = c->gamma[kmax];
  s->L_at_EQE_max = c->L[kmax];
  /* roll-off beyond the maximum */
  int prev = kmax;
  for (int k = kmax + 1; k < c->n; k++) {
    if (!c->converged[k] || !isfinite(c->EQE[k])) continue;
    if (c->EQE[k] <= 0.5 * s->EQE_max) {
      s->J_half = fom_interp(0.5 * s->EQE_max, c->EQE[prev], c->EQE[k], c->J[prev], c->J[k]);
      break;
    }
    prev = k;
  }
}

static void at_luminance(const fom_curve *c, double Lx, fom_summary *s) {
  int prev = -1;
  for (int k = 0; k < c->n; k++) {
    if (!c->converged[k]) continue;
    if (prev >= 0 && c->L[prev] < Lx && c->L[k] >= Lx) {
      const double v = crossing(Lx, c->V[prev], c->V[k], c->L[prev], c->L[k]);
      s->EQE_at_1000 = c->EQE[prev] + (v - c->V[prev]) / (c->V[k] - c->V[prev]) *
                                          (c->EQE[k] - c->EQE[prev]);
      s->rolloff_1000 = s->EQE_at_1000 / s->EQE_max;
      return;
    }
    prev = k;
  }
}

static void at_bias(const fom_curve *c, fom_summary *s) {
  int prev = -1;
  for (int k = 0; k < c->n; k++) {
    if (!c->converged[k]) continue;
    if (c->V[k] == s->V_ref) {
      s->J_at_V_ref = c->J[k];
      s->L_at_V_ref = c->L[k];
      return;
    }
    if (prev >= 0 && (c->V[prev] - s->V_ref) * (c->V[k] - s->V_ref) < 0) {
      s->J_at_V_ref = fom_interp(s->V_ref, c->V[prev], c->V[k], c->J[prev], c->J[k]);
      s->L_at_V_ref = fom_interp(s->V_ref, c->V[prev], c->V[k], c->L[prev], c->L[k]);
      return;
    }
    prev = k;
  }
}

void fom_summarise(const fom_curve *c, double V_ref, fom_summary *s) {
  const double nan = NAN;
  *s = (fom_summary){nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan,
                     V_ref, nan, nan, nan, nan, nan};
  turn_on(c, s);
  maxima(c, s);
  at_bias(c, s);
  if (isfinite(s->EQE_max)) at_luminance(c, 1000.0, s);
}

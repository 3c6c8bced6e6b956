#include "physics/blend.h"
#include "physics/constants.h"

#include <math.h>
#include <stdio.h>

double blend_site_fraction(const dev_blend *b) {
  if (!b->fraction_weight) return b->fraction;
  if (!(b->xl_molar_mass > 0) || !(b->host_molar_mass > 0)) return -1.0;
  const double x = b->fraction / b->xl_molar_mass, h = (1.0 - b->fraction) / b->host_molar_mass;
  return x / (x + h);
}

double blend_hoesterey_letson(double c, double dE, double kT) {
  if (c <= 0.0) return 1.0;
  if (dE <= 0.0) return 1.0; /* not a trap: no trap-controlled slowing */
  return 1.0 / (1.0 + c / (1.0 - c) * exp(dE / kT));
}

double blend_dilution(double c, double N0, double rho0) {
  if (c <= 0.0) return 1.0;
  const double rh = cbrt(1.0 / N0), r = rh / cbrt(1.0 - c);
  return (r / rh) * (r / rh) * exp(-2.0 * (r - rh) / rho0);
}

double blend_disorder_sigma(double c, double s_host, double s_x, double dE) {
  return sqrt((1.0 - c) * s_host * s_host + c * s_x * s_x + c * (1.0 - c) * dE * dE);
}

double blend_table(const double (*tab)[2], int n, double x, int logy) {
  if (n == 1 || x <= tab[0][0]) return tab[0][1];
  for (int k = 1; k < n; k++)
    if (x <= tab[k][0]) {
      const double t = (x - tab[k - 1][0]) / (tab[k][0] - tab[k - 1][0]);
      if (logy) return exp(log(tab[k - 1][1]) + t * (log(tab[k][1]) - log(tab[k - 1][1])));
      return tab[k - 1][1] + t * (tab[k][1] - tab[k - 1][1]);
    }
  return tab[n - 1][1];
}

/* One transport band: mobility factor and widened DOS. dE > 0: the cross-linker level is a trap
 * of depth dE for this carrier; dEs: offset entering the disorder of the mixture. */
static double band_factor(const dev_blend *b, double c, double dE, double N0, double kT,
                          double s_host, double *sigma_out) {
  double f = 1.0;
  *sigma_out = s_host;
  if (b->mobility_models & DEV_BLEND_MOB_HL) f *= blend_hoesterey_letson(c, dE, kT);
  if (b->mobility_models & DEV_BLEND_MOB_DILUTION) f *= blend_dilution(c, N0, b->loc_length);
  if (b->mobility_models & DEV_BLEND_MOB_DISORDER) {
    const double sx = b->xl_sigma > 0 ? b->xl_sigma : s_host;
    const double s = blend_disorder_sigma(c, s_host, sx, dE);
    f *= exp(-pow(2.0 / (3.0 * kT), 2) * (s * s - s_host * s_host));
    *sigma_out = s;
  }
  return f;
}

static int add_trap(dev_layer *L, int hole, double N, double depth, double width, const dev_blend *b,
                    char *why, size_t whylen) {
  if (L->ntraps >= DEV_MAX_TRAPS)
    return snprintf(why, whylen, "layer %s: too many traps with the cross-linker's (at most %d)",
                    L->name, DEV_MAX_TRAPS), 1;
  dev_trap *t = &L->traps[L->ntraps++];
  t->hole = hole;
  t->shape = width > 0 ? DEV_TRAP_GAUSSIAN : DEV_TRAP_DISCRETE;
  t->density = N;
  t->depth = depth;
  t->width = width;
  t->c_n = b->c_n;
  t->c_p = b->c_p;
  return 0;
}

int blend_apply(dev_blend *b, double T, dev_layer *L, char *why, size_t whylen) {
  const double kT = PHYS_KB * T;
  const double c = blend_site_fraction(b);
  if (c < 0.0)
    return snprintf(why, whylen, "layer %s: the weight fraction of %s needs the molar masses of "
                    "host and cross-linker (give fraction_kind: site, or molar_mass in the "
                    "database)", L->name, b->crosslinker), 1;
  b->site_fraction = c;
  const double hh = L->E_homo, hl = L->E_lumo;
  const double dEp = b->xl_homo - hh; /* > 0: shallower cross-linker HOMO traps holes */
  const double dEn = hl - b->xl_lumo; /* > 0: deeper cross-linker LUMO traps electrons */
  if (b->levels == DEV_BLEND_LEVELS_LINEAR) {
    L->E_homo = (1.0 - c) * hh + c * b->xl_homo;
    L->E_lumo = (1.0 - c) * hl + c * b->xl_lumo;
  } else if (b->levels == DEV_BLEND_LEVELS_TABLE) {
    if (b->n_homo) L->E_homo = blend_table((const double(*)[2])b->homo_tab, b->n_homo, b->fraction, 0);
    if (b->n_lumo) L->E_lumo = blend_table((const double(*)[2])b->lumo_tab, b->n_lumo, b->fraction, 0);
  }
  if (!(L->E_lumo > L->E_homo))
    return snprintf(why, whylen, "layer %s: the blend's HOMO %.3f eV is not below its LUMO %.3f eV",
                    L->name, L->E_homo / PHYS_EV, L->E_lumo / PHYS_EV), 1;
  double sn, sp;
  b->mu_n_factor = band_factor(b, c, dEn, L->cb.N, kT, L->cb.sigma, &sn);
  b->mu_p_factor = band_factor(b, c, dEp, L->vb.N, kT, L->vb.sigma, &sp);
  if (b->mobility_models & DEV_BLEND_MOB_TABLE)
    b->mu_p_factor = blend_table((const double(*)[2])b->mu_tab, b->n_mu, b->fraction, 1) / L->vb.mu0;
  L->cb.mu0 *= b->mu_n_factor;
  L->vb.mu0 *= b->mu_p_factor;
  if (L->statistics == DEV_STAT_GAUSS_FERMI) {
    L->cb.sigma = sn;
    L->vb.sigma = sp;
  }
  b->trap_density = 0.0;
  if (b->traps && c > 0.0) {
    /* depths from the layer's effective band edges */
    const double w = b->xl_sigma > 0 ? b->xl_sigma : (L->vb.sigma > 0 ? L->vb.sigma : 0.0);
    const double tp = b->xl_homo - L->E_homo, tn = L->E_lumo - b->xl_lumo;
    if (tp > 0) {
      b->trap_density = c * L->vb.N;
      if (add_trap(L, 1, b->trap_density, tp, w, b, why, whylen)) return 1;
    }
    if (tn > 0) {
      b->trap_density += c * L->cb.N;
      if (add_trap(L, 0, c * L->cb.N, tn, w, b, why, whylen)) return 1;
    }
  }
  return 0;
}

#include "physics/emission.h"
#include "physics/constants.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int em_model_create(const dev_device *dev, em_model *m, char *why, size_t whylen) {
  const int nl = dev->nlayers;
  m->layer = calloc((size_t)nl, sizeof(phot_spectrum));
  m->iface = calloc((size_t)nl, sizeof(phot_spectrum));
  m->layer_ok = calloc((size_t)nl, sizeof(int));
  m->iface_ok = calloc((size_t)nl, sizeof(int));
  m->nsrc = 0;
  m->nlayers = nl;
  if (!m->layer || !m->iface || !m->layer_ok || !m->iface_ok) {
    em_model_free(m);
    return snprintf(why, whylen, "out of memory"), 1;
  }
  for (int l = 0; l < nl; l++) {
    const dev_layer *L = &dev->layers[l];
    if (!L->emissive) continue;
    if (phot_spectrum_gaussian(&m->layer[l], PHOT_GAUSS_ENERGY, L->peak_wavelength, L->fwhm)) {
      snprintf(why, whylen, "layer %s: cannot build an emission spectrum at %g nm, FWHM %g nm",
               L->name, L->peak_wavelength * 1e9, L->fwhm * 1e9);
      em_model_free(m);
      return 1;
    }
    m->layer_ok[l] = 1;
    m->nsrc++;
  }
  for (int k = 0; k < dev->ninterfaces; k++) {
    const dev_interface *f = &dev->interfaces[k];
    if (!f->emissive) continue;
    const int side = m->layer_ok[f->left + 1] ? f->left + 1 : (m->layer_ok[f->left] ? f->left : -1);
    if (side < 0) {
      snprintf(why, whylen, "interface %s/%s is emissive but neither layer is: its spectrum is "
                            "taken from an emissive neighbour",
               dev->layers[f->left].name, dev->layers[f->left + 1].name);
      em_model_free(m);
      return 1;
    }
    const dev_layer *L = &dev->layers[side];
    phot_spectrum_gaussian(&m->iface[f->left], PHOT_GAUSS_ENERGY, L->peak_wavelength, L->fwhm);
    m->iface_ok[f->left] = 1;
    m->nsrc++;
  }
  return 0;
}

void em_model_free(em_model *m) {
  for (int l = 0; m->layer_ok && l < m->nlayers; l++) {
    if (m->layer_ok[l]) phot_spectrum_free(&m->layer[l]);
    if (m->iface_ok && m->iface_ok[l]) phot_spectrum_free(&m->iface[l]);
  }
  free(m->layer);
  free(m->iface);
  free(m->layer_ok);
  free(m->iface_ok);
  m->layer = m->iface = NULL;
  m->layer_ok = m->iface_ok = NULL;
}

int em_budget_alloc(em_budget *b, int nlayers) {
  b->nlayers = nlayers;
  b->langevin = calloc((size_t)nlayers, sizeof(double));
  b->srh = calloc((size_t)nlayers, sizeof(double));
  b->auger = calloc((size_t)nlayers, sizeof(double));
  b->interface = calloc((size_t)nlayers, sizeof(double));
  b->iface_traps = calloc((size_t)nlayers, sizeof(double));
  b->leak_n = b->leak_p = b->J = 0.0;
  if (!b->langevin || !b->srh || !b->auger || !b->interface || !b->iface_traps) {
    em_budget_free(b);
    return 1;
  }
  return 0;
}

void em_budget_free(em_budget *b) {
  free(b->langevin);
  free(b->srh);
  free(b->auger);
  free(b->interface);
  free(b->iface_traps);
  b->langevin = b->srh = b->auger = b->interface = b->iface_traps = NULL;
}

double em_layer_bulk(const em_budget *b, int l) { return b->langevin[l] + b->srh[l] + b->auger[l]; }

double em_budget_mismatch(const em_budget *b) {
  double sum = b->leak_n + b->leak_p;
  for (int l = 0; l < b->nlayers; l++)
    sum += em_layer_bulk(b, l) + b->interface[l] + b->iface_traps[l];
  const double scale = fmax(fabs(b->J), fabs(sum));
  return scale > 0.0 ? fabs(b->J - sum) / scale : 0.0;
}

em_fom em_evaluate(const dev_device *dev, const em_model *m, const em_budget *b, double V) {
  em_fom f;
  double rec_emissive = 0.0, jrad = 0.0, lum_flux = 0.0; /* lum_flux: lm per m^2 per (1/q) */
  for (int l = 0; l < dev->nlayers; l++) {
    if (m->layer_ok[l]) {
      const double jr = dev->layers[l].plqy * b->langevin[l];
      rec_emissive += em_layer_bulk(b, l);
      jrad += jr;
      lum_flux += jr * m->layer[l].lm_per_photon;
    }
    if (l + 1 < dev->nlayers && m->iface_ok[l]) {
      const dev_interface *x = dev_find_interface(dev, l);
      const double jr = x->plqy * b->interface[l];
      rec_emissive += b->interface[l];
      jrad += jr;
      lum_flux += jr * m->iface[l].lm_per_photon;
    }
  }
  const double J = b->J;
  f.J_rad = jrad;
  /* photons out per area and second = outcoupling J_rad / q; Lambertian: L = M_v / pi */
  f.L = dev->outcoupling * lum_flux / PHYS_Q / PHYS_PI;
  if (!(f.L > 0.0)) f.L = 0.0;
  /* at 0 V J is rounding noise; so it is where the particle balance does not close (a current
   * far below the solver's resolution, e.g. 1e-89 A/m^2 against 1e-4 A/m^2 of recombination
   * on a device with no injection): ratios to it would be garbage such as gamma = 5 */
  const int has_current = J > 0.0 && V != 0.0 && em_budget_mismatch(b) <= EM_BUDGET_TOL;
  f.gamma = has_current && m->nsrc > 0 ? rec_emissive / J : NAN;
  f.EQE = has_current ? dev->outcoupling * jrad / J : NAN;
  f.CE = has_current ? f.L / J : NAN;
  f.PE = has_current && V > 0.0 ? PHYS_PI * f.L / (J * V) : NAN;
  return f;
}

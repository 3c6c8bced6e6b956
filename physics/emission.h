/* Light emission and the figures of merit device makers measure, from the recombination budget
 * of one bias point.
 *   gamma = q (all recombination in emissive layers and emissive interfaces) / J
 *   J_rad = q (photons generated inside) = q sum PLQY R_Langevin over emissive layers
 *           + q sum PLQY_if R_if over emissive interfaces
 *   EQE   = outcoupling J_rad / J        (spin factor 1 for QDs)
 * SRH and Auger recombination in an emissive layer count towards gamma but emit nothing (they are
 * non-radiative by definition), so EQE = gamma PLQY outcoupling exactly when they are off.
 * Luminance assumes Lambertian emission through the CIE photopic curve (physics/photometry.h). */
#ifndef QLEDSIM_EMISSION_H
#define QLEDSIM_EMISSION_H

#include "physics/device.h"
#include "physics/photometry.h"

/* Where the current goes at one bias point (all [A/m^2], i.e. q times rates per area). */
typedef struct {
  int nlayers;
  double *langevin, *srh, *auger; /* per layer */
  double *interface;              /* across each interface, indexed by its anode-side layer */
  double *iface_traps;            /* through interface traps (non-radiative), same indexing */
  double leak_n;                  /* electron current into the anode */
  double leak_p;                  /* hole current into the cathode */
  double J;                       /* terminal current */
} em_budget;

typedef struct {
  double J_rad;  /* internal photon generation as a current [A/m^2] */
  double gamma;  /* charge balance [1] (NaN when J <= 0 or there is no emissive region) */
  double EQE;    /* external quantum efficiency [1] (0 without light; NaN when J <= 0 ... */
  double L;      /* luminance [cd/m^2] */
  double CE;     /* current efficiency [cd/A] (NaN when J <= 0) */
  double PE;     /* power efficiency [lm/W] (NaN when J <= 0 or V <= 0) */
} em_fom;

/* Spectra of the emissive sources of a device. */
typedef struct {
  int nlayers;
  int nsrc;
  phot_spectrum *layer;     /* per layer (valid where emissive) */
  phot_spectrum *iface;     /* per interface left index (valid where an emissive interface) */
  int *layer_ok, *iface_ok;
} em_model;

/* Build the spectra (Gaussian in photon energy with the layer's peak and FWHM). An emissive
 * interface uses the spectrum of its emissive side (right side first). Returns 0, or non-zero
 * with a reason. */
int em_model_create(const dev_device *dev, em_model *m, char *why, size_t whylen);
void em_model_free(em_model *m);

int em_budget_alloc(em_budget *b, int nlayers);
void em_budget_free(em_budget *b);

/* Relative mismatch of the particle balance, |J - (q * all recombination + leakage)| over the
 * larger of the two. The discrete equations make it ~1e-9 or less wherever the current is
 * resolved; above EM_BUDGET_TOL the current is below the solver's resolution (a device that
 * passes no current) and the figures of merit that divide by J are NaN. */
#define EM_BUDGET_TOL 1e-3
double em_budget_mismatch(const em_budget *b);

/* Bulk recombination current of layer l (Langevin + SRH + Auger) [A/m^2]. */
double em_layer_bulk(const em_budget *b, int l);

/* Figures of merit at bias V [V] from the budget (gamma, EQE, CE, PE NaN where J <= 0, V = 0 or
 * the balance does not close). */
em_fom em_evaluate(const dev_device *dev, const em_model *m, const em_budget *b, double V);

#endif

/* QD-LED bookkeeping and bounds.
 * 1. Particle balance: the terminal current equals the electron current into the anode, plus q
 *    times all recombination (every channel in every layer and across every interface), plus the
 *    hole current into the cathode, to 1e-6 relative: the discrete continuity equations imply it
 *    exactly, so only the Newton tolerance (~1e-10) and rounding enter. With blocking layers the
 *    leakage is negligible and q * integral(R) = J on its own.
 * 2. gamma <= 1 and EQE <= PLQY * outcoupling at every bias, L = 0 at V = 0 (no splitting of the
 *    quasi-Fermi levels, no recombination) and negligible far below the photon energy.
 * 3. The photopic integral of each default device's spectrum equals a brute-force trapezoid
 *    integral over a 0.01 nm grid (relative 1e-6: the trapezoid error is ~1e-9 there). */
#include "check.h"
#include "support.h"
#include "physics/constants.h"
#include "physics/emission.h"
#include "solver/budget.h"

#include <petscsys.h>
#include <stdlib.h>

static const char *emissive_sets[] = {
    "layers.EML.material.emissive=true", "layers.EML.material.plqy=0.8",
    "layers.EML.material.peak_wavelength=620 nm", "layers.EML.material.fwhm=25 nm",
    "layers.EML.material.tau_n=100 ns", "layers.EML.material.tau_p=100 ns",
    "layers.EML.material.C_n=1e-28 cm^6/s",
    ("device.interfaces=[{between: [HTL, EML], prefactor: 1e-2, emissive: true, plqy: 0.1}, "
     "{between: [EML, ETL], prefactor: 1e-3}]"),
    "device.outcoupling=0.25"};

static void balance(const char *label, const char *const *sets, int nsets, int expect_no_leak) {
  tdev t;
  CHECK(tdev_create(&t, tdev_three_layer_yaml, sets, nsets) == 0, "%s: set-up", label);
  em_model em;
  em_budget b;
  char why[128];
  CHECK(em_model_create(&t.cfg.dev, &em, why, sizeof(why)) == 0, "%s: emission: %s", label, why);
  em_budget_alloc(&b, t.cfg.dev.nlayers);
  const double plqy = t.cfg.dev.layers[1].plqy, eta = t.cfg.dev.outcoupling;
  for (double V = 0.0; V <= 8.0 + 1e-9; V += 0.25) {
    if (V > 0 && !tdev_goto(&t, V)) break;
    dd_budget(&t.dd, t.ct.x, &t.cur, &b);
    const em_fom f = em_evaluate(&t.cfg.dev, &em, &b, V);
    double rec = 0.0;
    for (int l = 0; l < b.nlayers; l++) rec += b.langevin[l] + b.srh[l] + b.auger[l] + b.interface[l] + b.iface_traps[l];
    const double J = b.J, sum = b.leak_n + rec + b.leak_p;
    if (V == 0.0) {
      CHECK(J == 0.0 && f.L == 0.0 && rec == 0.0, "%s: 0 V: J %g L %g rec %g", label, J, f.L, rec);
      continue;
    }
    CHECK(fabs(sum - J) <= 1e-6 * fabs(J), "%s: V = %g: leak_n + recombination + leak_p = %.10e, J = %.10e",
          label, V, sum, J);
    CHECK(em_budget_mismatch(&b) <= 1e-6, "%s: V = %g: mismatch %.3e", label, V, em_budget_mismatch(&b));
    CHECK(J <= 0.0 || isfinite(f.gamma), "%s: V = %g: a resolved current has a gamma", label, V);
    if (expect_no_leak) CHECK(fabs(rec - J) <= 1e-6 * fabs(J), "%s: V = %g: q int R = %.10e, J = %.10e", label, V, rec, J);
    CHECK(f.gamma <= 1.0 + 1e-9, "%s: V = %g: gamma = %.12f", label, V, f.gamma);
    CHECK(f.EQE <= plqy * eta * (1.0 + 1e-12), "%s: V = %g: EQE %.6f > PLQY x outcoupling %.6f", label, V, f.EQE, plqy * eta);
    if (V <= 1.0) CHECK(f.L < 1e-6, "%s: V = %g: L = %.3e cd/m^2 far below the 2 eV photon energy", label, V, f.L);
    if (fmod(V, 2.0) == 0.0)
      printf("%s: V = %.1f V: J = %.4e A/m^2, balance error %.1e, gamma %.6f, EQE %.4f, L %.4e cd/m^2\n",
             label, V, J, fabs(sum - J) / J, f.gamma, f.EQE, f.L);
  }
  em_budget_free(&b);
  em_model_free(&em);
  tdev_destroy(&t);
}

/* A current below the solver's resolution: robustness device 120 (seed 2026) converged at 1.25 V
 * with J = 1.97e-89 A/m^2 but 1.24e-4 A/m^2 of recombination, and gamma, EQE, CE, PE divided by
 * that J (another device printed gamma = 5.1 and EQE = 118%). Where the balance does not close
 * they are NaN; where it closes they are the ratios. */
static void unresolved_current(void) {
  tdev t;
  CHECK(tdev_create(&t, tdev_three_layer_yaml, emissive_sets, 4) == 0, "set-up");
  em_model em;
  em_budget b;
  char why[128];
  CHECK(em_model_create(&t.cfg.dev, &em, why, sizeof(why)) == 0, "emission: %s", why);
  em_budget_alloc(&b, t.cfg.dev.nlayers);
  b.langevin[1] = 1.24e-4;
  b.J = 1.97e-89;
  em_fom f = em_evaluate(&t.cfg.dev, &em, &b, 1.25);
  CHECK(em_budget_mismatch(&b) > 0.999, "mismatch %g", em_budget_mismatch(&b));
  CHECK(isnan(f.gamma) && isnan(f.EQE) && isnan(f.CE) && isnan(f.PE),
        "unresolved J: gamma %g EQE %g CE %g PE %g", f.gamma, f.EQE, f.CE, f.PE);
  CHECK(f.L > 0.0, "the emission itself is still reported (L = %g)", f.L);
  b.J = 1.24e-4 * (1.0 + 1e-9); /* closes: ratios are defined */
  f = em_evaluate(&t.cfg.dev, &em, &b, 1.25);
  CHECK_CLOSE(f.gamma, 1.0 / (1.0 + 1e-9), 1e-12, 0.0);
  CHECK_CLOSE(f.EQE, t.cfg.dev.outcoupling * t.cfg.dev.layers[1].plqy / (1.0 + 1e-9), 1e-12, 0.0);
  em_budget_free(&b);
  em_model_free(&em);
  tdev_destroy(&t);
}

/* Brute force: K_m integral of S(lambda) hc/lambda V(lambda) on a 0.01 nm trapezoid grid. */
static double brute_lm_per_photon(const phot_spectrum *s) {
  double sum = 0.0, prev = 0.0;
  for (int k = 0; k <= 50000; k++) {
    const double lam = 330e-9 + k * 0.01e-9;
    const double v = phot_spectrum_density(s, lam) * PHYS_H * PHYS_C / lam * phot_V(lam);
    if (k > 0) sum += 0.5 * (v + prev) * 0.01e-9;
    prev = v;
  }
  return PHYS_KCD * sum;
}

static void default_spectra(void) {
  const char *dev[] = {"red", "green", "blue"};
  for (int k = 0; k < 3; k++) {
    char path[512];
    snprintf(path, sizeof(path), "%s/devices/%s.yaml", cfg_datadir(), dev[k]);
    cfg_config cfg;
    qs_err err;
    CHECK(cfg_load(path, NULL, 0, &cfg, &err) == 0, "%s: %s", path, err.msg);
    em_model em;
    char why[128];
    CHECK(em_model_create(&cfg.dev, &em, why, sizeof(why)) == 0, "%s", why);
    for (int l = 0; l < cfg.dev.nlayers; l++) {
      if (!em.layer_ok[l]) continue;
      const double a = em.layer[l].lm_per_photon, b = brute_lm_per_photon(&em.layer[l]);
      printf("%s %s: peak %.0f nm, %.6e lm per photon/s (module) vs %.6e (trapezoid)\n", dev[k],
             cfg.dev.layers[l].name, cfg.dev.layers[l].peak_wavelength * 1e9, a, b);
      CHECK_CLOSE(a, b, 1e-6, 0.0);
    }
    em_model_free(&em);
    cfg_free(&cfg);
  }
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  balance("emissive three-layer", emissive_sets, (int)(sizeof(emissive_sets) / sizeof(emissive_sets[0])), 1);
  default_spectra();
  unresolved_current();
  PetscCall(PetscFinalize());
  CHECK_DONE();
}

/* Photometry: V(lambda), spectra, luminance, current and power efficiency (physics/photometry.h).
 * Reference values are from shared/reference/parameters.md section 2 and from the CIE 1931
 * y-bar table at 5 nm (CIE 15; as tabulated in colour-science's
 * colour/colorimetry/datasets/lefs.py, "CIE 1924 Photopic Standard Observer"). */
#include <math.h>
#include <stdlib.h>

#include "physics/constants.h"
#include "physics/photometry.h"
#include "tests/unit/check.h"

#define NM    1e-9
#define HC    (PHYS_H * PHYS_C)
#define KM_PI (PHYS_KCD / PHYS_PI) /* 217.407 cd/A per (EQE * eV) in the narrow-line limit */

/* ---- independent reference integrals (brute force, different from the module's) ---------- */

/* Test's own photon density of a Gaussian spectrum [1/m], written out from its definition. */
static double ref_density(phot_shape shape, double peak, double fwhm, double lambda) {
  const double k = 2.0 * sqrt(2.0 * log(2.0)); /* FWHM / sigma */
  if (shape == PHOT_GAUSS_WAVELENGTH) {
    double sig = fwhm / k, z = (lambda - peak) / sig;
    return exp(-0.5 * z * z) / (sig * sqrt(2.0 * PHYS_PI));
  }
  double e0 = HC / peak, sig = HC * fwhm / (peak * peak) / k, z = (HC / lambda - e0) / sig;
  return exp(-0.5 * z * z) / (sig * sqrt(2.0 * PHYS_PI)) * HC / (lambda * lambda);
}

/* Trapezoid on a uniform 0.01 nm grid over peak +- 200 nm of S * {1, E, E V}: out[0..2]. */
static void ref_integrals(phot_shape shape, double peak, double fwhm, double out[3]) {
  const double h = 0.01 * NM;
  const int n = 40000;
  out[0] = out[1] = out[2] = 0.0;
  for (int i = 0; i <= n; i++) {
    double lam = peak - 200 * NM + i * h, w = (i == 0 || i == n) ? 0.5 * h : h;
    double d = w * ref_density(shape, peak, fwhm, lam), e = HC / lam;
    out[0] += d;
    out[1] += d * e;
    out[2] += d * e * phot_V(lam);
  }
}

/* Trapezoid integral of the module's own density over [a, b] on a 0.01 nm grid. */
static double density_integral(const phot_spectrum *s, double a, double b) {
  const double h = 0.01 * NM;
  int n = (int)ceil((b - a) / h);
  double sum = 0.0;
  for (int i = 0; i <= n; i++) {
    double w = (i == 0 || i == n) ? 0.5 : 1.0;
    sum += w * phot_spectrum_density(s, a + i * (b - a) / n);
  }
  return sum * (b - a) / n;
}

/* Narrow-line CE per unit EQE [cd/A]: (K_m / pi) * E_ph[eV] * V(lambda). */
static double line_ce(double lambda) {
  return KM_PI * HC / (lambda * PHYS_Q) * phot_V(lambda);
}

/* CE per unit EQE of a Gaussian in photon energy [cd/A]. */
static double ce_gauss(double peak, double fwhm) {
  phot_spectrum s;
  if (phot_spectrum_gaussian(&s, PHOT_GAUSS_ENERGY, peak, fwhm) != PHOT_OK) return NAN;
  return s.ce_per_eqe;
}

/* Peak wavelength in [a, b] where a Gaussian gives CE/EQE = target (CE/EQE monotonic there). */
static double bisect_peak(double target, double fwhm, double a, double b) {
  double fa = ce_gauss(a, fwhm) - target;
  for (int it = 0; it < 60; it++) {
    double m = 0.5 * (a + b), fm = ce_gauss(m, fwhm) - target;
    if ((fm < 0) == (fa < 0)) {
      a = m;
      fa = fm;
    } else {
      b = m;
    }
  }
  return 0.5 * (a + b);
}

/* ---- V(lambda) -------------------------------------------------------------------------- */

static void test_V_table(void) {
  /* parameters.md quotes the 10 nm table values to 4 decimals: atol = half a unit of the last
   * quoted digit. Sprague interpolation passes through the nodes exactly. */
  const double nm[] = {460, 470, 480, 520, 530, 620, 630, 640};
  const double v[] = {0.0600, 0.0910, 0.1390, 0.7100, 0.8620, 0.3810, 0.2650, 0.1750};
  for (int i = 0; i < 8; i++)
    CHECK_CLOSE(phot_V(nm[i] * NM), v[i], 0.0, 5e-5);
  for (int i = 0; i < phot_cie_ybar_count; i++) {
    double lam = (phot_cie_ybar_first_nm + i * phot_cie_ybar_step_nm) * NM;
    CHECK_CLOSE(phot_V(lam), phot_cie_ybar[i], 1e-12, 1e-15);
  }
  CHECK(phot_cie_ybar_count == 50 && phot_cie_ybar_first_nm == 340.0 &&
            phot_cie_ybar_step_nm == 10.0,
        "table grid is 340:10:830 nm");
}

static void test_V_interpolation(void) {
  /* CIE 5 nm values between the 10 nm nodes. Sprague from the 10 nm grid reproduces them to
   * <= 3.0e-3 relative over 430-680 nm (measured: worst 495/505 nm) and 1.5e-4 at 555 nm;
   * linear interpolation would be off by up to 2.7e-2. Tolerance 4e-3 relative. */
  const double nm[] = {435, 465, 475, 505, 525, 545, 555, 575, 595, 615, 625, 635, 655, 675};
  const double v[] = {0.01684, 0.0739, 0.1126, 0.4073, 0.7932, 0.9803, 1.0,
                      0.9154,  0.6949, 0.4412, 0.321,  0.217,  0.0816, 0.0232};
  for (int i = 0; i < 14; i++)
    CHECK_CLOSE(phot_V(nm[i] * NM), v[i], 4e-3, 0.0);
  CHECK_CLOSE(phot_V(555 * NM), 1.0, 2e-4, 0.0); /* peak: measured 1.00015 */
  /* zero outside the table (and for NaN), never negative inside */
  CHECK(phot_V(300 * NM) == 0.0 && phot_V(339.9 * NM) == 0.0, "V = 0 below 340 nm");
  CHECK(phot_V(830.1 * NM) == 0.0 && phot_V(1e-6) == 0.0 && phot_V(NAN) == 0.0, "V = 0 out");
  int negative = 0;
  for (int i = 0; i <= 5100; i++)
    negative += phot_V((330 + 0.1 * i) * NM) < 0.0;
  CHECK(negative == 0, "%d negative V values", negative);
}

/* ---- the candela ------------------------------------------------------------------------ */

static void test_monochromatic_555(void) {
  /* 1 W/(sr m^2) at 555 nm -> 683 cd/m^2. K_m = 683 lm/W is defined at 540 THz, 555.016 nm in
   * standard air (the CIE tables' wavelength scale); V has its maximum there, so the 0.016 nm
   * offset changes V by 1.2e-6. The tolerance, 2e-4 relative, is the Sprague value
   * V(555 nm) = 1.00015 against the CIE's tabulated 1.0000 (555 nm is not on the 10 nm grid). */
  phot_spectrum s;
  CHECK(phot_spectrum_line(&s, 555 * NM) == PHOT_OK, "line constructor");
  double phi = PHYS_PI / (HC / (555 * NM)); /* photon flux giving radiance 1 W sr^-1 m^-2 */
  CHECK_CLOSE(phot_radiance(&s, phi), 1.0, 1e-14, 0.0);
  CHECK_CLOSE(phot_luminance(&s, phi), 683.0, 2e-4, 0.0);
  CHECK_CLOSE(s.efficacy_lm_W, 683.0, 2e-4, 0.0);
  /* a zero-width Gaussian is the same line */
  phot_spectrum g;
  CHECK(phot_spectrum_gaussian(&g, PHOT_GAUSS_ENERGY, 555 * NM, 0.0) == PHOT_OK, "fwhm 0");
  CHECK(g.shape == PHOT_LINE && g.lm_per_photon == s.lm_per_photon, "fwhm 0 gives a line");
}

/* ---- Gaussian spectra against an independent integral ------------------------------------- */

static void test_gaussian_vs_bruteforce(void) {
  /* The module: 8-point Gauss-Legendre split at the V nodes. The reference: trapezoid on a
   * 0.01 nm grid over +-200 nm (>= 16 sigma: the cut-off tail is < 1e-50). By Euler-Maclaurin its
   * error is (h^2/12) times the jumps of the integrand's first derivative, which vanish (the
   * Sprague V is C^2 at the nodes), plus O(h^4) terms from the jumps of V''' ~ 1e-13;
   * measured 1.5e-14. Tolerance 1e-10 relative, for rounding in 40000-term sums. */
  const double peaks[] = {460, 530, 625};
  const double fwhms[] = {20, 25, 30};
  const phot_shape shapes[] = {PHOT_GAUSS_ENERGY, PHOT_GAUSS_WAVELENGTH};
  for (int sh = 0; sh < 2; sh++)
    for (int i = 0; i < 3; i++)
      for (int j = 0; j < 3; j++) {
        phot_spectrum s;
        double pk = peaks[i] * NM, fw = fwhms[j] * NM, ref[3];
        CHECK(phot_spectrum_gaussian(&s, shapes[sh], pk, fw) == PHOT_OK, "gaussian");
        ref_integrals(shapes[sh], pk, fw, ref);
        CHECK_CLOSE(s.norm, ref[0], 1e-10, 0.0);
        CHECK_CLOSE(s.mean_energy_J, ref[1] / ref[0], 1e-10, 0.0);
        CHECK_CLOSE(s.lm_per_photon, PHYS_KCD * ref[2] / ref[0], 1e-10, 0.0);
        CHECK_CLOSE(s.ce_per_eqe, KM_PI * ref[2] / ref[0] / PHYS_Q, 1e-10, 0.0);
        CHECK_CLOSE(s.efficacy_lm_W, PHYS_KCD * ref[2] / ref[1], 1e-10, 0.0);
      }
}

static void test_normalisation(void) {
  /* The module's quadrature integrates S to 1 within rounding (1e-13); an independent 0.01 nm
   * trapezoid of phot_spectrum_density over the support converges exponentially for a Gaussian
   * (1e-12). In energy the Gaussian is symmetric, so the mean energy is hc/peak exactly. */
  const double peaks[] = {460, 530, 625};
  for (int i = 0; i < 3; i++) {
    phot_spectrum e, w;
    CHECK(phot_spectrum_gaussian(&e, PHOT_GAUSS_ENERGY, peaks[i] * NM, 25 * NM) == PHOT_OK, "E");
    CHECK(phot_spectrum_gaussian(&w, PHOT_GAUSS_WAVELENGTH, peaks[i] * NM, 25 * NM) == PHOT_OK,
          "W");
    CHECK_CLOSE(e.norm, 1.0, 1e-13, 0.0);
    CHECK_CLOSE(w.norm, 1.0, 1e-13, 0.0);
    CHECK_CLOSE(density_integral(&e, e.lo_m, e.hi_m), 1.0, 1e-12, 0.0);
    CHECK_CLOSE(density_integral(&w, w.lo_m, w.hi_m), 1.0, 1e-12, 0.0);
    CHECK_CLOSE(e.mean_energy_J, HC / (peaks[i] * NM), 1e-13, 0.0);
  }
}

/* ---- narrow-line limit ---------------------------------------------------------------------- */

static void test_narrow_line(void) {
  /* FWHM 0.1 nm (sigma 0.042 nm): the spectral average shifts CE by ~sigma^2 |V''/V| / 2 with
   * |V''/V| <~ 2e-3 nm^-2, i.e. ~2e-6 at 555 and 620 nm (measured 4e-7). Tolerance 1e-5 against
   * the exact line formula; 1e-4 against the rounded 217.4 cd/A of parameters.md (217.4 vs
   * K_m/pi = 217.407: 3e-5). */
  const double nm[] = {555, 620};
  for (int i = 0; i < 2; i++) {
    double lam = nm[i] * NM, e_ev = HC / (lam * PHYS_Q);
    for (int sh = PHOT_GAUSS_ENERGY; sh <= PHOT_GAUSS_WAVELENGTH; sh++) {
      phot_spectrum s;
      CHECK(phot_spectrum_gaussian(&s, (phot_shape)sh, lam, 0.1 * NM) == PHOT_OK, "narrow");
      CHECK_CLOSE(s.ce_per_eqe, line_ce(lam), 1e-5, 0.0);
      CHECK_CLOSE(s.ce_per_eqe, 217.4 * e_ev * phot_V(lam), 1e-4, 0.0);
      phot_fom f = phot_fom_from_eqe(&s, 1.0, 100.0, 3.0);
      CHECK_CLOSE(f.current_eff, line_ce(lam), 1e-5, 0.0);
    }
  }
  /* parameters.md's rounded narrow-line CE per unit EQE (integers: atol 0.5 cd/A). */
  const double grid[] = {630, 620, 530, 470, 460};
  const double ce[] = {113, 166, 438, 52, 35};
  for (int i = 0; i < 5; i++) {
    phot_spectrum s;
    CHECK(phot_spectrum_line(&s, grid[i] * NM) == PHOT_OK, "line");
    CHECK_CLOSE(s.ce_per_eqe, ce[i], 0.0, 0.5);
  }
}

/* ---- reported devices (parameters.md section 2) -------------------------------------------- */

static void test_reported_devices(void) {
  /* CE/EQE of measured devices must be reachable by a 20-30 nm FWHM Gaussian with a peak in the
   * colour's plausible range. CE/EQE falls with wavelength in the red and rises in the blue and
   * green below 555 nm, so bisection on a bracket is well posed. */
  const double fwhms[] = {20, 25, 30};
  for (int j = 0; j < 3; j++) {
    double fw = fwhms[j] * NM;
    double red = bisect_peak(32.3 / 0.214, fw, 600 * NM, 650 * NM);     /* TFB-BP: 151 cd/A */
    double green = bisect_peak(38.83 / 0.0893, fw, 510 * NM, 550 * NM); /* TFB:BP-BP: 435 */
    double blue = bisect_peak(7.68 / 0.1859, fw, 440 * NM, 490 * NM);   /* CBP-V:T5DP: 41 */
    fprintf(stderr, "FWHM %2.0f nm: red %.2f nm, green %.2f nm, blue %.2f nm\n", fwhms[j], red / NM,
            green / NM, blue / NM);
    CHECK(red >= 615 * NM && red <= 630 * NM, "red peak %.2f nm", red / NM);
    CHECK(green >= 525 * NM && green <= 540 * NM, "green peak %.2f nm", green / NM);
    CHECK(blue >= 455 * NM && blue <= 470 * NM, "blue peak %.2f nm", blue / NM);
    CHECK_CLOSE(ce_gauss(red, fw), 32.3 / 0.214, 1e-9, 0.0); /* the bisection converged */
  }
  /* The numbers quoted in the report: CE/EQE at 460/530/625 nm, FWHM 25 nm. */
  fprintf(stderr, "CE/EQE (25 nm, energy Gaussian): 460 nm %.2f, 530 nm %.2f, 625 nm %.2f cd/A\n",
          ce_gauss(460 * NM, 25 * NM), ce_gauss(530 * NM, 25 * NM), ce_gauss(625 * NM, 25 * NM));
}

/* ---- figures of merit --------------------------------------------------------------------- */

static void test_figures_of_merit(void) {
  /* Identities of the definitions: rounding only (1e-14). */
  phot_spectrum s;
  CHECK(phot_spectrum_gaussian(&s, PHOT_GAUSS_ENERGY, 625 * NM, 25 * NM) == PHOT_OK, "red");
  double eqe = 0.2, J = 100.0, V = 3.0; /* 10 mA/cm^2 at 3 V */
  phot_fom f = phot_fom_from_eqe(&s, eqe, J, V);
  CHECK_CLOSE(f.photon_flux, eqe * J / PHYS_Q, 1e-14, 0.0);
  CHECK_CLOSE(f.luminance, s.lm_per_photon * f.photon_flux / PHYS_PI, 1e-14, 0.0);
  CHECK_CLOSE(f.radiance, s.mean_energy_J * f.photon_flux / PHYS_PI, 1e-14, 0.0);
  CHECK_CLOSE(f.current_eff, f.luminance / J, 1e-14, 0.0);
  CHECK_CLOSE(f.current_eff, eqe * s.ce_per_eqe, 1e-14, 0.0);
  CHECK_CLOSE(f.power_eff, PHYS_PI * f.current_eff / V, 1e-14, 0.0);
  CHECK_CLOSE(s.efficacy_lm_W * s.mean_energy_J, s.lm_per_photon, 1e-14, 0.0);
  CHECK_CLOSE(phot_luminance(&s, f.photon_flux) / phot_radiance(&s, f.photon_flux), s.efficacy_lm_W,
              1e-14, 0.0);
  /* undefined cases: NaN, and no emission without forward current */
  phot_fom z = phot_fom_from_eqe(&s, NAN, 0.0, 0.0);
  CHECK(z.luminance == 0.0 && z.photon_flux == 0.0, "no light at J = 0");
  CHECK(isnan(z.current_eff) && isnan(z.power_eff), "CE, PE undefined at J = 0");
  phot_fom r = phot_fom_from_eqe(&s, 0.1, -5.0, -1.0);
  CHECK(r.luminance == 0.0 && isnan(r.current_eff) && isnan(r.power_eff), "reverse bias");
  phot_fom v0 = phot_fom_from_flux(&s, 1e20, 10.0, 0.0);
  CHECK(isfinite(v0.current_eff) && isnan(v0.power_eff), "PE undefined at V = 0");
  CHECK(isnan(phot_current_efficiency(1.0, 0.0)), "CE(J=0)");
  CHECK(isnan(phot_power_efficiency(1.0, 1.0, 0.0)), "PE(V=0)");
}

/* ---- tabulated spectra and argument checks -------------------------------------------------- */

/* Sample a wavelength Gaussian every h nm over +-8 sigma, as photon or energy intensities. */
static int sample_gauss(double peak, double fwhm, double h, phot_tab_basis basis, double *lam,
                        double *val) {
  int n = 0;
  for (double x = peak - 3.5 * fwhm; x <= peak + 3.5 * fwhm + 1e-12; x += h, n++) {
    lam[n] = x * NM;
    double d = ref_density(PHOT_GAUSS_WAVELENGTH, peak * NM, fwhm * NM, lam[n]);
    val[n] = basis == PHOT_TAB_ENERGY ? 7.0 * d * HC / lam[n] : 3.0 * d; /* arbitrary scale */
  }
  return n;
}

static void test_tabulated(void) {
  /* A Gaussian sampled every 0.5 nm and linearly interpolated: the interpolant's error integrates
   * against a weight g = E V to -(h^2/12) integral S g'' , i.e. a relative CE change of
   * ~(h^2/12) |g''/g| <~ 0.021 nm^2 * 2e-3 nm^-2 = 4e-5 (measured 3.1e-5). Tolerance 2e-4. */
  static double lam[400], val[400];
  const double peaks[] = {460, 530, 625};
  for (int i = 0; i < 3; i++)
    for (int b = PHOT_TAB_PHOTON; b <= PHOT_TAB_ENERGY; b++) {
      phot_spectrum g, t;
      int n = sample_gauss(peaks[i], 25, 0.5, (phot_tab_basis)b, lam, val);
      CHECK(phot_spectrum_tabulated(&t, (size_t)n, lam, val, (phot_tab_basis)b) == PHOT_OK, "tab");
      CHECK(phot_spectrum_gaussian(&g, PHOT_GAUSS_WAVELENGTH, peaks[i] * NM, 25 * NM) == PHOT_OK,
            "gauss");
      CHECK_CLOSE(t.ce_per_eqe, g.ce_per_eqe, 2e-4, 0.0);
      CHECK_CLOSE(t.mean_energy_J, g.mean_energy_J, 2e-4, 0.0);
      CHECK_CLOSE(t.norm, 1.0, 1e-13, 0.0);
      /* kinks at the 0.5 nm nodes: a 0.01 nm trapezoid cell across one errs by <= h^2/8 times
       * the slope jump, in total <= (h^2/8) integral |S''| ~ 2e-7 (0 when the grids align) */
      CHECK_CLOSE(density_integral(&t, t.lo_m, t.hi_m), 1.0, 1e-6, 0.0);
      CHECK_CLOSE(t.peak_m, peaks[i] * NM, 0.0, 0.51 * NM);
      phot_spectrum_free(&t);
    }
}

static void test_invalid(void) {
  phot_spectrum s;
  const double lam[3] = {500 * NM, 510 * NM, 505 * NM}, ok[3] = {1, 2, 1}, zero[3] = {0, 0, 0};
  const double neg[3] = {1, -1, 1}, lam2[3] = {500 * NM, 505 * NM, 510 * NM};
  CHECK(phot_spectrum_tabulated(&s, 3, lam, ok, PHOT_TAB_PHOTON) == PHOT_EINVAL, "unsorted");
  CHECK(phot_spectrum_tabulated(&s, 3, lam2, zero, PHOT_TAB_PHOTON) == PHOT_EINVAL, "all zero");
  CHECK(phot_spectrum_tabulated(&s, 3, lam2, neg, PHOT_TAB_PHOTON) == PHOT_EINVAL, "negative");
  CHECK(phot_spectrum_tabulated(&s, 1, lam2, ok, PHOT_TAB_PHOTON) == PHOT_EINVAL, "n < 2");
  CHECK(phot_spectrum_gaussian(&s, PHOT_GAUSS_ENERGY, 500 * NM, 101 * NM) == PHOT_EINVAL, "wide");
  CHECK(phot_spectrum_gaussian(&s, PHOT_GAUSS_ENERGY, 500 * NM, -1 * NM) == PHOT_EINVAL, "neg");
  CHECK(phot_spectrum_gaussian(&s, PHOT_GAUSS_ENERGY, NAN, 1 * NM) == PHOT_EINVAL, "NaN");
  CHECK(phot_spectrum_gaussian(&s, PHOT_LINE, 500 * NM, 1 * NM) == PHOT_EINVAL, "shape");
  CHECK(phot_spectrum_line(&s, 0.0) == PHOT_EINVAL, "line at 0");
  phot_spectrum_free(&s); /* safe on a failed constructor's output */
  /* light outside the V table: photons counted, no lumens */
  CHECK(phot_spectrum_gaussian(&s, PHOT_GAUSS_ENERGY, 950 * NM, 30 * NM) == PHOT_OK, "IR");
  CHECK(s.lm_per_photon == 0.0 && s.mean_energy_J > 0.0, "IR: no light");
}

int main(void) {
  test_V_table();
  test_V_interpolation();
  test_monochromatic_555();
  test_gaussian_vs_bruteforce();
  test_normalisation();
  test_narrow_line();
  test_reported_devices();
  test_figures_of_merit();
  test_tabulated();
  test_invalid();
  CHECK_DONE();
}

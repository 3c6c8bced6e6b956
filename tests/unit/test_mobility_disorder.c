/* Tests of physics/mobility_disorder.c: EGDM (Pasveer et al., PRL 94, 206601 (2005)) and GDM
 * (Baessler, PSS B 175, 15 (1993)) mobilities and their analytic derivatives.
 *
 * Where reference numbers come from (said plainly, because the paper's own figures could not be
 * retrieved as numbers):
 *  - REF_PY: computed independently with /usr/bin/python3 (math module, double precision) from
 *    the published closed forms as quoted in the header (script in the comment at ref_g1 below),
 *    printed to 10 significant digits. They check that the C code implements those formulas,
 *    not that the formulas fit Pasveer's master-equation data (a fit the paper states as a
 *    parametrisation; its figure values are not reproduced here).
 *  - REF_OEDES: the numbers hard-coded in OEDES's own unit test (mzszym/oedes,
 *    oedes/functions/tests/test_functions.py, test_egdm: g1(6, c) and g2(6, En)), i.e. an
 *    independent implementation's output, given there to 9 significant digits.
 * The two agree with each other to every printed digit. */
#include <math.h>
#include <stdio.h>

#include "physics/constants.h"
#include "physics/mobility_disorder.h"
#include "tests/unit/check.h"

#define EV      PHYS_EV
#define N0_TEST 1e27 /* a = 1 nm */

static mobd_egdm make_egdm(double sigma_hat, double T, int clip_p, int clip_E) {
  mobd_egdm_params par = mobd_egdm_params_default();
  par.sigma = sigma_hat * PHYS_KB * T;
  par.N0 = N0_TEST;
  par.T = T;
  par.mu0 = 1.0; /* mu0* [m^2/(V s)] */
  par.clip_density = clip_p;
  par.clip_field = clip_E;
  mobd_egdm m;
  int rc = mobd_egdm_init(&m, &par);
  CHECK(rc == MOBD_OK, "init failed for sigma_hat %g: %s", sigma_hat, mobd_strerror(rc));
  return m;
}

/* E [V/m] giving reduced field En = E q a / sigma. */
static double field_for(const mobd_egdm *m, double En) {
  return En / m->En_per_E;
}

/* Central finite differences with relative step ETA = 1e-4. Error budget (relative to the
 * derivative): truncation ~ ETA^2/6 (d ln mu/d ln x)^2; d ln mu/d ln p = delta ln g1 <= 2 and
 * d ln mu/d ln E <= 11 (sigma_hat 7, En 1.95) on this grid, so <= 2e-7 (measured: 2.1e-7 there,
 * 2.7e-9 at worst for p), 5x inside RTOL_FD = 1e-6. Rounding: mu carries a few ulps (~5e-16
 * relative); divided by 2 ETA that is ~3e-12 mu/x, which matters only where the derivative is
 * tiny (En = 1e-3: d ln mu/d ln E ~ 6e-6); the absolute floor ATOL_FD = 1e-9 mu/x covers it
 * (at most 1% of the floor used). */
#define ETA     1e-4
#define RTOL_FD 1e-6
#define ATOL_FD 1e-9

static void test_egdm_derivatives(void) {
  const double shats[] = {2.0, 3.0, 4.0, 5.0, 6.0, 7.0};
  const double pa3s[] = {1e-10, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 5e-2, 0.09};
  const double Ens[] = {0.0, 1e-3, 0.1, 0.5, 1.0, 1.5, 1.95};
  int nfd = 0;
  for (size_t i = 0; i < sizeof shats / sizeof *shats; i++) {
    for (int clip = 0; clip <= 1; clip++) {
      /* clip on: every grid point is inside the clip bounds, so the derivatives are unchanged */
      mobd_egdm m = make_egdm(shats[i], 300.0, clip, clip);
      for (size_t j = 0; j < sizeof pa3s / sizeof *pa3s; j++) {
        for (size_t k = 0; k < sizeof Ens / sizeof *Ens; k++) {
          double p = pa3s[j] * N0_TEST, E = field_for(&m, Ens[k]);
          mobd_result r = mobd_egdm_eval(&m, p, E);
          double hp = ETA * p;
          double fdp =
              (mobd_egdm_eval(&m, p + hp, E).mu - mobd_egdm_eval(&m, p - hp, E).mu) / (2 * hp);
          CHECK_CLOSE(r.dmu_dp, fdp, RTOL_FD, ATOL_FD * r.mu / p);
          CHECK_CLOSE(r.dmu_dlnp, p * r.dmu_dp, 1e-15, 0.0); /* same number, two forms */
          if (E > 0) {
            double hE = ETA * E;
            double fdE =
                (mobd_egdm_eval(&m, p, E + hE).mu - mobd_egdm_eval(&m, p, E - hE).mu) / (2 * hE);
            CHECK_CLOSE(r.dmu_dE, fdE, RTOL_FD, ATOL_FD * r.mu / E);
          } else {
            CHECK(r.dmu_dE == 0.0, "dmu/dE at E = 0 must be 0 (g2 is even and smooth): %g",
                  r.dmu_dE);
          }
          /* eval = mu0(T) g1 g2 from the separately exposed factors (rounding only) */
          double g1 = mobd_egdm_g1(m.sigma_hat, pa3s[j], NULL);
          double g2 = mobd_egdm_g2(m.sigma_hat, Ens[k], NULL);
          CHECK_CLOSE(r.mu, m.mu0T * g1 * g2, 1e-13, 0.0);
          nfd++;
        }
      }
    }
  }
  /* the standalone g1/g2 derivatives, against FD in their own reduced variables */
  for (size_t i = 0; i < sizeof shats / sizeof *shats; i++) {
    for (size_t j = 0; j < sizeof pa3s / sizeof *pa3s; j++) {
      double x = pa3s[j], d, h = ETA * x;
      double g = mobd_egdm_g1(shats[i], x, &d);
      double fd =
          (mobd_egdm_g1(shats[i], x + h, NULL) - mobd_egdm_g1(shats[i], x - h, NULL)) / (2 * h);
      CHECK_CLOSE(d, fd, RTOL_FD, ATOL_FD * g / x);
    }
    for (size_t k = 1; k < sizeof Ens / sizeof *Ens; k++) {
      double x = Ens[k], d, h = ETA * x;
      double g = mobd_egdm_g2(shats[i], x, &d);
      double fd =
          (mobd_egdm_g2(shats[i], x + h, NULL) - mobd_egdm_g2(shats[i], x - h, NULL)) / (2 * h);
      CHECK_CLOSE(d, fd, RTOL_FD, ATOL_FD * g / x);
    }
  }
  fprintf(stderr, "  EGDM: %d (p, E, sigma_hat, clip) points checked against central FD\n", nfd);
}

static void test_egdm_limits(void) {
  for (double s = 2.0; s <= 7.0; s += 1.0) {
    double d;
    /* p -> 0: g1 -> 1. It is a power law with a small exponent (delta = 0.17 at sigma_hat 6),
     * so the approach is slow: exactly 1 at p = 0, and within rounding of 1 only at p a^3 ~ 1e-300
     * where ln g1 = A1 (2e-300)^delta < 1e-50. */
    CHECK(mobd_egdm_g1(s, 0.0, &d) == 1.0 && d == 0.0, "g1(p = 0) must be exactly 1");
    CHECK(mobd_egdm_g1(s, -1e-3, &d) == 1.0 && d == 0.0, "g1(p < 0) acts as p = 0");
    CHECK_CLOSE(mobd_egdm_g1(s, 1e-300, NULL), 1.0, 1e-15, 0.0);
    /* ... and monotonically increasing with density */
    double prev = 1.0;
    for (double x = 1e-20; x <= 0.1; x *= 10.0) {
      double g = mobd_egdm_g1(s, x, NULL);
      CHECK(g > prev, "g1 not increasing at sigma_hat %g, p a^3 %g", s, x);
      prev = g;
    }
    /* E -> 0: g2 -> 1 exactly at 0, and g2 - 1 = 0.4 A2 En^2 (1 + O(En^2)) at small En.
     * At En = 1e-4 the neglected terms are (A2 0.4 En^2 / 2 + 0.2 En^2) < 2e-8 relative and the
     * rounding of g2 - 1 (~1e-16 / 4e-8) ~ 3e-9: rtol 1e-6. */
    CHECK(mobd_egdm_g2(s, 0.0, &d) == 1.0 && d == 0.0, "g2(E = 0) must be exactly 1");
    double A2 = 0.44 * (pow(s, 1.5) - 2.2), En = 1e-4;
    CHECK_CLOSE(mobd_egdm_g2(s, En, NULL) - 1.0, 0.4 * A2 * En * En, 1e-6, 0.0);
    CHECK(mobd_egdm_g2(s, En, NULL) == mobd_egdm_g2(s, -En, NULL), "g2 must be even in E");
  }
  /* Through eval: at p -> 0 the derivative d mu/d ln p vanishes, d mu/dp stays finite for p > 0
   * (it diverges like p^(delta-1) as p -> 0; the log form is the one to use near p = 0). */
  mobd_egdm m = make_egdm(6.0, 300.0, 1, 1);
  mobd_result r0 = mobd_egdm_eval(&m, 0.0, 0.0);
  CHECK(r0.mu == m.mu0T && r0.dmu_dp == 0.0 && r0.dmu_dlnp == 0.0 && r0.dmu_dE == 0.0,
        "eval(p = 0, E = 0) must be mu0(T) with zero derivatives");
  mobd_result rt = mobd_egdm_eval(&m, 1e-300 * N0_TEST, 0.0);
  CHECK(rt.dmu_dlnp < 1e-45 * rt.mu, "d mu/d ln p at p a^3 = 1e-300: %g", rt.dmu_dlnp / rt.mu);
  mobd_result rn = mobd_egdm_eval(&m, -1e20, -1e7);
  mobd_result rp = mobd_egdm_eval(&m, 0.0, 1e7);
  CHECK(rn.mu == rp.mu && rn.dmu_dp == 0.0 && rn.dmu_dE == rp.dmu_dE,
        "p < 0 acts as p = 0, and the sign of E is ignored");
  mobd_result rnan = mobd_egdm_eval(&m, NAN, 0.0);
  CHECK(isnan(rnan.mu), "NaN density must propagate, not be hidden: mu = %g", rnan.mu);
}

static void test_egdm_clips(void) {
  mobd_egdm on = make_egdm(5.0, 300.0, 1, 1), off = make_egdm(5.0, 300.0, 0, 0);
  double E1 = field_for(&on, 1.0);
  /* density clip at p a^3 = 0.1: beyond it mu is flat and d mu/dp = 0 */
  mobd_result at = mobd_egdm_eval(&on, 0.1 * N0_TEST, E1);
  mobd_result beyond = mobd_egdm_eval(&on, 0.3 * N0_TEST, E1);
  mobd_result free3 = mobd_egdm_eval(&off, 0.3 * N0_TEST, E1);
  CHECK(beyond.mu == at.mu, "density clip: mu(0.3) %g != mu(0.1) %g", beyond.mu, at.mu);
  CHECK(beyond.dmu_dp == 0.0 && beyond.dmu_dlnp == 0.0, "density clip: derivative must be 0");
  CHECK(free3.mu > 2.0 * beyond.mu, "without the clip g1 keeps growing: %g vs %g", free3.mu,
        beyond.mu);
  CHECK(beyond.dmu_dE == at.dmu_dE, "density clip must not touch the field derivative");
  /* continuity at the clip (from below, 1e-12 relative: mu changes by ~1e-12 x d ln mu/d ln p) */
  mobd_result below = mobd_egdm_eval(&on, 0.1 * (1 - 1e-12) * N0_TEST, E1);
  CHECK_CLOSE(below.mu, at.mu, 1e-11, 0.0);
  CHECK(below.dmu_dp > 0.0, "just below the clip the density derivative is the free one");
  /* field clip at (E q a / sigma)^2 = 4, i.e. En = 2 */
  double p = 1e-3 * N0_TEST;
  mobd_result fat = mobd_egdm_eval(&on, p, field_for(&on, 2.0));
  mobd_result fbeyond = mobd_egdm_eval(&on, p, field_for(&on, 3.0));
  mobd_result ffree = mobd_egdm_eval(&off, p, field_for(&off, 3.0));
  /* E for En = 2 may land an ulp below the clip: d ln mu/d ln En ~ 10 times ~2 ulps */
  CHECK_CLOSE(fbeyond.mu, fat.mu, 1e-13, 0.0);
  CHECK(fbeyond.dmu_dE == 0.0, "field clip: d mu/dE must be 0 beyond it");
  CHECK(ffree.mu > 10.0 * fbeyond.mu, "without the clip g2 keeps growing");
  CHECK_CLOSE(fbeyond.dmu_dp, fat.dmu_dp, 1e-13, 0.0);
  CHECK(on.pa3_max == MOBD_EGDM_PA3_MAX && isinf(off.pa3_max) && on.En2_max == 4.0 &&
            isinf(off.En2_max),
        "clip bounds");
}

/* REF_PY script (python3, math module):
 *   delta = lambda s: 2*(log(s*s-s)-log(log(4)))/(s*s)
 *   g1 = lambda s,x: exp(0.5*(s*s-s)*(2*x)**delta(s))
 *   g2 = lambda s,E: exp(0.44*(s**1.5-2.2)*(sqrt(1+0.8*E*E)-1))
 * printed with "%.10g". */
static const double ref_pa3[6] = {1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1};
static const double ref_g1[4][6] = {
    /* sigma_hat 3 */ {1.009386309, 1.042731614, 1.206124472, 1.486800168, 2.3149592, 5.908727945},
    /* 4 */ {1.05152858, 1.190108403, 1.827367141, 3.071143481, 8.071312713, 48.74942916},
    /* 5 */ {1.254849348, 1.834719771, 5.065402283, 14.19288046, 76.50310789, 1201.951118},
    /* 6 */ {2.067145168, 4.926426449, 33.17038525, 179.2871448, 2185.037302, 88844.79756}};
static const double ref_delta[4] = {0.325583379833, 0.269784048726, 0.213527841086, 0.170809062316};
static const double ref_En[5] = {0.0, 0.5, 1.0, 1.5, 2.0};
static const double ref_g2[4][5] = {{1, 1.134084786, 1.568919966, 2.429395798, 3.988512897},
                                    {1, 1.27580319, 2.391372065, 5.575114055, 14.55658795},
                                    {1, 1.458104074, 3.857202455, 14.30376643, 63.21283147},
                                    {1, 1.69015385, 6.544101494, 40.54260014, 320.6121801}};

static void test_egdm_reference_values(void) {
  /* REF_PY: same closed form, so only libm rounding (|ln g| <= 11.4 -> ~1e-14) and the 10-digit
   * printing (<= 5e-10 relative) separate them: rtol 1e-9. */
  for (int i = 0; i < 4; i++) {
    double s = 3.0 + i;
    CHECK_CLOSE(mobd_egdm_delta(s), ref_delta[i], 1e-11, 0.0); /* printed to 12 digits */
    for (int j = 0; j < 6; j++)
      CHECK_CLOSE(mobd_egdm_g1(s, ref_pa3[j], NULL), ref_g1[i][j], 1e-9, 0.0);
    for (int k = 0; k < 5; k++)
      CHECK_CLOSE(mobd_egdm_g2(s, ref_En[k], NULL), ref_g2[i][k], 1e-9, 0.0);
  }
  /* REF_OEDES (9 significant digits -> rtol 1e-8): g1(6, c) at c = p/N0 and g2(6, En). */
  const double c[5] = {1e-8, 1e-6, 1e-4, 1e-2, 1e-1};
  const double g1_6[5] = {2.06714517e+00, 4.92642645e+00, 3.31703853e+01, 2.18503730e+03,
                          8.88447976e+04};
  const double g2_6[5] = {1., 1.69015385, 6.54410149, 40.54260014, 320.61218011};
  for (int j = 0; j < 5; j++) {
    CHECK_CLOSE(mobd_egdm_g1(6.0, c[j], NULL), g1_6[j], 1e-8, 0.0);
    CHECK_CLOSE(mobd_egdm_g2(6.0, ref_En[j], NULL), g2_6[j], 1e-8, 0.0);
  }
  /* Anchor: at sigma_hat = 6 and p a^3 = 1e-2 the density enhancement is more than three
   * orders of magnitude (2185), at 0.1 nearly five (8.9e4); at sigma_hat = 3 only 2.3x. */
  CHECK(mobd_egdm_g1(6.0, 1e-2, NULL) > 1e3 && mobd_egdm_g1(3.0, 1e-2, NULL) < 3.0, "anchor");
  /* the reduced field in eval is E q a / sigma: E chosen for En = 1 at sigma_hat 6 gives g2(6, 1)
   */
  mobd_egdm m = make_egdm(6.0, 300.0, 1, 1);
  double E = 1.0 * m.sigma_hat * PHYS_KB * 300.0 / (PHYS_Q * 1e-9); /* sigma/(q a), a = 1 nm */
  CHECK_CLOSE(mobd_egdm_eval(&m, 0.0, E).mu / m.mu0T, ref_g2[3][2], 1e-9, 0.0);
  CHECK_CLOSE(m.a, 1e-9, 1e-15, 0.0);
}

static void test_egdm_temperature(void) {
  /* mu0(295 K)/mu0(213 K) for sigma = 0.1 eV: exp(c2 [(sigma/k 213)^2 - (sigma/k 295)^2]).
   * python3: sigma_hat = 3.93373495646 (295 K), 5.4481305735 (213 K), ratio 390.449850046. */
  double sigma = 0.1 * EV;
  double s295 = sigma / (PHYS_KB * 295.0), s213 = sigma / (PHYS_KB * 213.0);
  double r = mobd_egdm_mu0T(1.0, s295, MOBD_EGDM_C1, MOBD_EGDM_C2) /
             mobd_egdm_mu0T(1.0, s213, MOBD_EGDM_C1, MOBD_EGDM_C2);
  /* closed form: rounding of two exps of arguments ~12 -> ~1e-14 */
  CHECK_CLOSE(r, exp(0.42 * (s213 * s213 - s295 * s295)), 1e-13, 0.0);
  CHECK_CLOSE(r, 390.449850046, 1e-10, 0.0); /* python3 number, 12 digits */
  CHECK_CLOSE(s295, 3.93373495646, 1e-11, 0.0);

  /* The helper: mu0* such that mu0(295 K) = 1e-10 m^2/Vs (python3: 36.9225302027). */
  double mstar = mobd_egdm_mu0_star(1e-10, sigma, 295.0, MOBD_EGDM_C1, MOBD_EGDM_C2);
  CHECK_CLOSE(mstar, 36.9225302027, 1e-10, 0.0);
  CHECK_CLOSE(mobd_egdm_mu0T(mstar, s295, MOBD_EGDM_C1, MOBD_EGDM_C2), 1e-10, 1e-14, 0.0);

  /* Both ways of giving the prefactor agree; at 213 K mu0 is 390x lower. */
  mobd_egdm_params par = mobd_egdm_params_default();
  par.sigma = sigma;
  par.N0 = N0_TEST;
  par.T = 295.0;
  par.mu0 = 1e-10;
  par.mu0_kind = MOBD_MU0_AT_T;
  mobd_egdm m_at;
  CHECK(mobd_egdm_init(&m_at, &par) == MOBD_OK, "init MU0_AT_T");
  CHECK_CLOSE(m_at.mu0_star, mstar, 1e-14, 0.0);
  CHECK(mobd_egdm_eval(&m_at, 0.0, 0.0).mu == 1e-10, "mu at p = 0, E = 0 must be mu0(T) as given");
  CHECK(m_at.in_fit_range == 1, "sigma_hat 3.93 is inside the fitted 3..6");
  par.mu0 = mstar;
  par.mu0_kind = MOBD_MU0_STAR;
  par.T = 213.0;
  mobd_egdm m213;
  CHECK(mobd_egdm_init(&m213, &par) == MOBD_OK, "init MU0_STAR");
  CHECK_CLOSE(1e-10 / m213.mu0T, 390.449850046, 1e-10, 0.0);
}

static void test_egdm_errors(void) {
  mobd_egdm_params par = mobd_egdm_params_default();
  mobd_egdm m;
  par.sigma = 0.1 * EV;
  par.N0 = N0_TEST;
  par.T = 300.0;
  par.mu0 = 1.0;
  CHECK(mobd_egdm_init(&m, &par) == MOBD_OK, "valid set");
  mobd_egdm_params b = par;
  b.sigma = 0.0;
  CHECK(mobd_egdm_init(&m, &b) == MOBD_ERR_SIGMA, "sigma = 0");
  b = par, b.N0 = -1.0;
  CHECK(mobd_egdm_init(&m, &b) == MOBD_ERR_N0, "N0 < 0");
  b = par, b.T = NAN;
  CHECK(mobd_egdm_init(&m, &b) == MOBD_ERR_T, "T NaN");
  b = par, b.mu0 = INFINITY;
  CHECK(mobd_egdm_init(&m, &b) == MOBD_ERR_MU0, "mu0 inf");
  b = par, b.c1 = 0.0;
  CHECK(mobd_egdm_init(&m, &b) == MOBD_ERR_C12, "c1 = 0");
  b = par, b.mu0_kind = (mobd_mu0_kind)7;
  CHECK(mobd_egdm_init(&m, &b) == MOBD_ERR_MU0_KIND, "bad kind");
  /* sigma_hat just below / above the delta = 0 root */
  b = par, b.T = b.sigma / (PHYS_KB * 1.77);
  CHECK(mobd_egdm_init(&m, &b) == MOBD_ERR_SHAT_LOW, "sigma_hat 1.77");
  CHECK(fabs(mobd_egdm_delta(MOBD_EGDM_SHAT_MIN)) < 1e-15, "delta(SHAT_MIN) = 0");
  b.T = b.sigma / (PHYS_KB * 1.8);
  CHECK(mobd_egdm_init(&m, &b) == MOBD_OK && m.in_fit_range == 0 && m.delta > 0, "sigma_hat 1.8");
  CHECK(mobd_strerror(MOBD_ERR_SHAT_LOW)[0] != '\0' && mobd_strerror(-5)[0] != '\0', "strerror");
}

static mobd_gdm_params gdm_default(double T) {
  mobd_gdm_params g = {
      .mu_inf = 1e-3, .sigma = 0.1 * EV, .Sigma = 2.5, .C = MOBD_GDM_C_SI, .T = T, .E_smooth = 0.0};
  return g;
}

static void test_gdm(void) {
  mobd_gdm_params g = gdm_default(300.0);
  CHECK(mobd_gdm_check(&g) == MOBD_OK, "valid GDM set");
  /* Zero field: ln mu = ln mu_inf - (2 sigma / 3 k)^2 / T^2, so the slope of ln mu against 1/T^2
   * between any two temperatures is exactly -(2 sigma/3k)^2 (rounding of logs ~1e-15 x 30/10). */
  const double Ts[] = {200.0, 250.0, 300.0, 350.0};
  double slope_ref = -pow(2.0 * g.sigma / (3.0 * PHYS_KB), 2);
  for (int i = 0; i < 3; i++) {
    mobd_gdm_params a = gdm_default(Ts[i]), b = gdm_default(Ts[i + 1]);
    double la = log(mobd_gdm_eval(&a, 0.0).mu), lb = log(mobd_gdm_eval(&b, 0.0).mu);
    double slope = (la - lb) / (1.0 / (Ts[i] * Ts[i]) - 1.0 / (Ts[i + 1] * Ts[i + 1]));
    CHECK_CLOSE(slope, slope_ref, 1e-12, 0.0);
  }
  /* Unit conversion: C = 2.9e-4 (cm/V)^(1/2); at E = 1e6 V/cm = 1e8 V/m the field factor is
   * exp(2.9e-4 (s^2 - Sigma^2) sqrt(1e6)) evaluated in cm units. */
  double s = g.sigma / (PHYS_KB * g.T);
  double ratio = mobd_gdm_eval(&g, 1e8).mu / mobd_gdm_eval(&g, 0.0).mu;
  CHECK_CLOSE(ratio, exp(2.9e-4 * (s * s - 2.5 * 2.5) * sqrt(1e6)), 1e-13, 0.0);
  /* Sigma < 1.5: Sigma^2 -> 2.25, identical to Sigma = 1.5 */
  mobd_gdm_params g1 = g, g15 = g;
  g1.Sigma = 1.0;
  g15.Sigma = 1.5;
  CHECK(mobd_gdm_eval(&g1, 4e7).mu == mobd_gdm_eval(&g15, 4e7).mu, "Sigma < 1.5 branch");
  /* Negative field dependence once Sigma > sigma_hat (3.87 here) */
  mobd_gdm_params gneg = g;
  gneg.Sigma = 4.5;
  CHECK(mobd_gdm_eval(&gneg, 4e7).dmu_dE < 0.0, "Sigma > sigma_hat: mobility falls with field");
  /* Field derivative vs central FD (same error budget as for the EGDM: here d ln mu/d ln E =
   * B sqrt(E)/2 <= 2.2, so truncation <= 1e-8/6 x 5 ~ 1e-8) */
  const double Es[] = {1e2, 1e4, 1e6, 1e7, 1e8, 3e8};
  for (int k = 0; k < 6; k++) {
    for (int smooth = 0; smooth <= 1; smooth++) {
      mobd_gdm_params gs = g;
      gs.E_smooth = smooth ? 1e3 : 0.0;
      double E = Es[k], h = ETA * E;
      mobd_result r = mobd_gdm_eval(&gs, E);
      double fd = (mobd_gdm_eval(&gs, E + h).mu - mobd_gdm_eval(&gs, E - h).mu) / (2 * h);
      CHECK_CLOSE(r.dmu_dE, fd, RTOL_FD, ATOL_FD * r.mu / E);
      CHECK(r.dmu_dp == 0.0 && r.dmu_dlnp == 0.0, "GDM has no density dependence");
    }
  }
  /* E = 0: exact model -> infinite slope (sqrt); smoothed -> same mu(0), slope 0 */
  mobd_result r0 = mobd_gdm_eval(&g, 0.0);
  CHECK(isinf(r0.dmu_dE) && r0.dmu_dE > 0, "exact GDM slope at E = 0 is +inf here");
  mobd_gdm_params gs = g;
  gs.E_smooth = 1e3;
  mobd_result rs0 = mobd_gdm_eval(&gs, 0.0);
  CHECK(rs0.mu == r0.mu && rs0.dmu_dE == 0.0, "smoothed GDM at E = 0");
  /* far above E_smooth the smoothed model differs from the exact one by at most
   * exp(B sqrt(E_smooth)) - 1 ~ B sqrt(Es) = 2.9e-5 x 8.7 x 31.6 ~ 8e-3 */
  double rel = mobd_gdm_eval(&gs, 1e8).mu / mobd_gdm_eval(&g, 1e8).mu - 1.0;
  CHECK(fabs(rel) < 1e-2, "smoothing error %g", rel);
  /* Sigma = sigma_hat: no field dependence, derivative exactly 0 even at E = 0 */
  mobd_gdm_params gz = g;
  gz.Sigma = s;
  CHECK(mobd_gdm_eval(&gz, 0.0).dmu_dE == 0.0, "B = 0");
  mobd_gdm_params gb = g;
  gb.Sigma = -1.0;
  CHECK(mobd_gdm_check(&gb) == MOBD_ERR_SIGMA_POS, "Sigma < 0");
  gb = g, gb.E_smooth = -1.0;
  CHECK(mobd_gdm_check(&gb) == MOBD_ERR_GDM_C, "E_smooth < 0");
  gb = g, gb.mu_inf = 0.0;
  CHECK(mobd_gdm_check(&gb) == MOBD_ERR_MU0, "mu_inf = 0");
}

int main(void) {
  test_egdm_derivatives();
  test_egdm_limits();
  test_egdm_clips();
  test_egdm_reference_values();
  test_egdm_temperature();
  test_egdm_errors();
  test_gdm();
  CHECK_DONE();
}

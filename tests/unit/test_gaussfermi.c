/* Gauss-Fermi integral: reference quadrature against independent methods (mpmath at 40
 * digits, a long double trapezoid rule, an exact identity), the fast table against the
 * reference, analytic limits, shape properties, the generalised Einstein factor, the inverse.
 * Error measures: "rel. error of G" is |expm1(ln G_a - ln G_b)|; for values of ln(.) below 1 in
 * magnitude the relative error of the ln itself is used where that is the stronger test. */
#include "physics/gaussfermi.h"
#include "tests/unit/check.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

static const double S_LIST[] = {0, 0.5, 1, 2, 3, 4, 5, 6, 7, 8};
#define NS ((int)(sizeof S_LIST / sizeof S_LIST[0]))

/* Error of a log-quantity a against reference b: absolute when |b| >= 1 (= relative error of
 * exp(b)), relative when |b| < 1 (ln(1 - G) ~ -G there: relative error of G itself). */
static double log_err(double a, double b) {
  if (b == 0.0) return fabs(a) < 1e-300 ? 0.0 : INFINITY;
  return fabs(b) >= 1.0 ? fabs(a - b) : fabs(a - b) / fabs(b);
}

/* ------------------------------------------------------------------ reference vs mpmath */

/* {s, eta, ln G, ln(1-G), ln dG/deta, d2 lnG/deta2} from mpmath 1.3.0 at 40 digits: tanh-sinh
 * quadrature of phi f^p (p = 1, 2, 3) scaled by its maximum, split at unit points and at
 * eta/s +- k pi/s, every piece with an error estimate below 1e-30 relative; ln(1 - G),
 * ln dG and d2 lnG from those moments without cancellation. Entries that underflow a double
 * (|x| < 1e-308, e.g. ln(1 - G) = -G at eta = -1000) are stored as 0. */
static const double GOLD[][6] = {
  {0.5, -1000.0, -999.875, 0.0, -999.875, 0.0},
  {0.5, -100.0, -99.875, -4.215398337519074e-44, -99.875, -5.412678606837742e-44},
  {0.5, -40.0, -39.875, -4.814016052463533e-18, -39.875, -6.181318967705964e-18},
  {0.5, -10.0, -9.8750660530873, -5.144278535748008e-05, -9.875132104935581, -6.60428267921943e-05},
  {0.5, -2.0, -2.0478922063132603, -0.1381208066092527, -2.2146045073546015, -0.12191379352964112},
  {0.5, 0.0, -0.6931471805599453, -0.6931471805599453, -1.443735260992242, -0.22286787745990547},
  {0.5, 3.0, -0.05410772907076692, -2.9437101192083013, -3.011256780442927, -0.04798642758947293},
  {0.5, 25.0, -1.5737102106668733e-11,
   -24.875000000020208, -24.875000000040412, -1.5737102106086227e-11},
  {0.5, 100.0, -4.215398337519074e-44, -99.875, -99.875, -4.215398337519074e-44},
  {1.0, -1000.0, -999.5, 0.0, -999.5, 0.0},
  {1.0, -100.0, -99.5, -6.133368390286092e-44, -99.5, -1.667222384255979e-43},
  {1.0, -40.0, -39.5, -7.004352026168645e-18, -39.5, -1.903980283286452e-17},
  {1.0, -10.0, -9.500203376681977,
   -7.483940871749476e-05, -9.500406682489958, -0.00020310235867062758},
  {1.0, -2.0, -1.861350614808759, -0.1689661606879466, -2.1562536154648644, -0.14075299536216304},
  {1.0, 0.0, -0.6931471805599453, -0.6931471805599453, -1.5768692553152779, -0.17076889129172493},
  {1.0, 3.0, -0.07184392259232536, -2.6689661606879467, -2.8163840648079166, -0.05252744408876406},
  {1.0, 25.0, -2.289734845529251e-11,
   -24.50000000006224, -24.500000000124484, -2.289734845180345e-11},
  {1.0, 100.0, -6.133368390286092e-44, -99.5, -99.5, -6.133368390286092e-44},
  {2.0, -1000.0, -998.0, 0.0, -998.0, 0.0},
  {2.0, -100.0, -98.0, -2.7487850079102147e-43, -98.0, -1.5007857627073948e-41},
  {2.0, -40.0, -38.0, -3.139132792048024e-17, -38.0, -1.7139084315413774e-15},
  {2.0, -10.0, -8.01430004780949, -0.0003307543261604111, -8.02669095540547, -0.009759804658502756},
  {2.0, -2.0, -1.4925452525853657, -0.2546339018464671, -2.185692433145311, -0.10204147126735369},
  {2.0, 0.0, -0.6931471805599453, -0.6931471805599453, -1.8876557299006627, -0.09171979109060273},
  {2.0, 3.0, -0.1387957403734452, -2.0433472419402654, -2.552229355867875, -0.047017433607439825},
  {2.0, 25.0, -1.0261879574733216e-10,
   -23.000000005602796, -23.00000001120559, -1.0261879403827281e-10},
  {2.0, 100.0, -2.7487850079102147e-43, -98.0, -98.0, -2.7487850079102147e-43},
  {4.0, -1000.0, -992.0, 0.0, -992.0, 0.0},
  {4.0, -100.0, -92.0, -1.1089390193121365e-40, -92.0, -9.854154686111257e-34},
  {4.0, -40.0, -32.00000010867537,
   -1.2664164172811454e-14, -32.00000021542085, -1.0401570517010714e-07},
  {4.0, -10.0, -4.458006151302614, -0.011653073985114023, -4.993846141870241, -0.04222583926554856},
  {4.0, -2.0, -1.1275434441698915, -0.39130747377187186, -2.500031090614877, -0.037605410743434306},
  {4.0, 0.0, -0.6931471805599453, -0.6931471805599453, -2.3948682530554053, -0.033258591808942715},
  {4.0, 3.0, -0.2831191994752164, -1.4001092449073456, -2.631353867283751, -0.024174582230583032},
  {4.0, 25.0, -4.055635018812747e-08,
   -17.020573487490413, -17.03191898949647, -3.942891726758389e-08},
  {4.0, 100.0, -1.1089390193121365e-40, -92.0, -92.0, -1.1089390193121365e-40},
  {8.0, -1000.0, -968.0, 0.0, -968.0, 0.0},
  {8.0, -100.0, -68.00000595482089,
   -2.9374646195830407e-30, -68.00000925917018, -1.7520112801091156e-06},
  {8.0, -40.0, -14.360260777812142,
   -5.799868025907215e-07, -14.855383968992962, -0.013583349112109316},
  {8.0, -10.0, -2.19490230548554, -0.11807369919649782, -3.766918553869161, -0.012231296459995182},
  {8.0, -2.0, -0.9071913425177589, -0.5169382107227655, -3.052861604784771, -0.010204784316407629},
  {8.0, 0.0, -0.6931471805599453, -0.6931471805599453, -3.0230997677039753, -0.009467360108309284},
  {8.0, 3.0, -0.4419883031123105, -1.0293394866408063, -3.0900628469438955, -0.008170857513722029},
  {8.0, 25.0, -0.0011627332861012935,
   -6.75756307473123, -7.663639608368758, -0.00017436200480490022},
  {8.0, 100.0, -2.9374646195830407e-30,
   -68.00000595482089, -68.00000925917018, -2.9374400603577628e-30},
};

/* Tolerance 1e-13 (+ the rounding of |ln G| ~ 1e3 in a double, 2.2e-16 per unit): the
 * adaptive Gauss-Legendre rule is converged to ~1e-15 relative; observed max 1.4e-14. */
static void test_reference_vs_mpmath(void) {
  double worst = 0.0, worst_d2 = 0.0;
  for (size_t i = 0; i < sizeof GOLD / sizeof GOLD[0]; i++) {
    const double *g = GOLD[i];
    gf_vals v;
    gf_reference_vals(g[1], g[0], &v);
    double e[3] = {log_err(v.lnG, g[2]), log_err(v.ln1mG, g[3]), log_err(v.lndG, g[4])};
    double ed2 = g[5] == 0.0 ? fabs(v.d2lnG) : fabs(v.d2lnG - g[5]) / fabs(g[5]);
    for (int k = 0; k < 3; k++) {
      double tol = 1e-13 + 2.2e-16 * fabs(g[2 + k]);
      CHECK(e[k] <= tol, "s=%g eta=%g quantity %d: err %.3g > %.3g", g[0], g[1], k, e[k], tol);
      worst = fmax(worst, e[k]);
    }
    /* d2 lnG: relative 1e-12 (differences of moments; observed 1.2e-13); underflow -> 0. */
    CHECK(g[5] == 0.0 ? ed2 < 1e-300 : ed2 <= 1e-12, "s=%g eta=%g d2: %.3g", g[0], g[1], ed2);
    if (g[5] != 0.0) worst_d2 = fmax(worst_d2, ed2);
  }
  printf("reference vs mpmath: max err ln G, ln(1-G), ln dG %.2e; d2 ln G rel %.2e\n", worst,
         worst_d2);
}

/* ------------------------------------------------------------------ reference vs trapezoid */

/* G and dG/deta by the trapezoid rule in long double on t in [-s-12, 12] with step
 * 0.02/max(1,s): the integrand is analytic in a strip of half-width pi/s and Gaussian in t,
 * so the rule's error is ~exp(-2 pi^2/(s h)) < 1e-300 and the truncated tails < e^-60. */
static void trapezoid_G(double eta, double s, long double *G, long double *dG) {
  long double h = 0.02L / (s > 1 ? s : 1), a = -s - 12.0L, sum = 0, sum1 = 0;
  long n = (long)((s + 24.0L) / h);
  for (long j = 0; j <= n; j++) {
    long double t = a + j * h, phi = expl(-0.5L * t * t), x = expl(s * t - eta);
    long double f = 1.0L / (1.0L + x);
    sum += phi * f;
    sum1 += phi * f * (x * f); /* f (1 - f) */
  }
  long double c = h / sqrtl(2.0L * 3.14159265358979323846264338327950288L);
  *G = c * sum;
  *dG = c * sum1;
}

/* Tolerance 1e-13 relative: both methods are good to ~1e-15 in double (the trapezoid sum in
 * long double; under valgrind long double is emulated in double, still ~1e-15). */
static void test_reference_vs_trapezoid(void) {
  const double pts[][2] = {{-40, 0.5}, {-3, 0.5}, {0, 1}, {2, 1}, {-30, 2},
                           {-5, 3},    {1, 4},    {-20, 5}, {-60, 6}, {-2, 8},
                           {-110, 8},  {5, 8}};
  double worst = 0.0;
  for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
    double eta = pts[i][0], s = pts[i][1];
    long double G, dG;
    trapezoid_G(eta, s, &G, &dG);
    double eg = fabs(gf_reference(eta, s) / (double)G - 1.0);
    double ed = fabs(gf_reference_deriv(eta, s) / (double)dG - 1.0);
    CHECK(eg <= 1e-13 && ed <= 1e-13, "eta=%g s=%g: G err %.3g, dG err %.3g", eta, s, eg, ed);
    worst = fmax(worst, fmax(eg, ed));
  }
  printf("reference vs trapezoid: max rel err %.2e\n", worst);
}

/* Identity (B): ln G(eta) = eta + s^2/2 + ln(1 - G(eta + s^2)); the quadrature does not use
 * it, so this is an independent consistency test. Tolerance as for mpmath. */
static void test_reference_identity(void) {
  double worst = 0.0;
  for (int is = 1; is < NS; is++) {
    double s = S_LIST[is];
    for (double eta = -3 * s * s - 20; eta <= 20; eta += 3.7) {
      gf_vals a, b;
      gf_reference_vals(eta, s, &a);
      gf_reference_vals(eta + s * s, s, &b);
      double e = fabs(a.lnG - (eta + 0.5 * s * s + b.ln1mG));
      CHECK(e <= 1e-13 + 4.4e-16 * fabs(a.lnG), "s=%g eta=%g: %.3g", s, eta, e);
      worst = fmax(worst, e);
    }
  }
  printf("reference identity (B): max err %.2e\n", worst);
  /* s = 0 closed form vs quadrature at tiny s (difference ~ s^2/2 |f''| < 1e-13). */
  for (double eta = -30; eta <= 30; eta += 1.3) {
    gf_vals a, b;
    gf_reference_vals(eta, 0.0, &a);
    gf_reference_vals(eta, 1e-7, &b);
    CHECK_CLOSE(b.lnG, a.lnG, 1e-13, 1e-13);
    CHECK_CLOSE(b.dlnG, a.dlnG, 1e-12, 1e-15);
  }
}

/* ------------------------------------------------------------------ fast vs reference */

typedef struct {
  double G, omG, dG, d2;    /* max errors: rel G, rel 1-G, rel dG/deta, abs d2 lnG */
  double eta_G, eta_dG, s_G, s_dG;
} fast_err;

static void fast_compare(const gf_table *t, double s, double eta, fast_err *w) {
  gf_vals r, f;
  double L, d1, d2;
  gf_reference_vals(eta, s, &r);
  gf_table_vals(t, eta, &f);
  gf_table_eval(t, eta, &L, &d1, &d2);
  CHECK(L == f.lnG && d1 == f.dlnG && d2 == f.d2lnG, "eval/vals differ at s=%g eta=%g", s, eta);
  CHECK(gf_table_lnG(t, eta) == f.lnG, "gf_table_lnG differs at s=%g eta=%g", s, eta);
  double eG = fabs(expm1(f.lnG - r.lnG)), eo = fabs(expm1(f.ln1mG - r.ln1mG));
  /* dG = G dlnG from gf_table_eval's outputs, and from lndG */
  double ed = fmax(fabs(expm1(f.lnG - r.lnG + log(d1 / r.dlnG))), fabs(expm1(f.lndG - r.lndG)));
  double e2 = fabs(f.d2lnG - r.d2lnG);
  if (eG > w->G) w->G = eG, w->eta_G = eta, w->s_G = s;
  if (ed > w->dG) w->dG = ed, w->eta_dG = eta, w->s_dG = s;
  w->omG = fmax(w->omG, eo);
  w->d2 = fmax(w->d2, e2);
}

/* Brief: relative error < 1e-6 in G and dG/deta. The table is far better (Chebyshev degree 9
 * on 0.5-4 kT intervals; measured 8e-14 in G, 3e-11 in dG/deta, 1.2e-10 in d2 ln G for
 * s <= 8, 5e-13 / 1e-10 / 1e-10 at s = 20), so the assertions are 1e-11 / 1e-9 / 1e-8: still
 * 1e3-1e5x inside the brief, and a 10-100x margin for another libm's last-bit differences. */
/* Print and check the maxima collected in w. */
static void fast_report(const char *what, const fast_err *w) {
  printf("fast vs reference, %s:\n  max rel err G %.2e (s=%g eta=%g), 1-G %.2e, dG/deta %.2e "
         "(s=%g eta=%g), abs err d2lnG %.2e\n",
         what, w->G, w->s_G, w->eta_G, w->omG, w->dG, w->s_dG, w->eta_dG, w->d2);
  CHECK(w->G < 1e-11 && w->omG < 1e-11, "G errors %.3g %.3g", w->G, w->omG);
  CHECK(w->dG < 1e-9, "dG/deta error %.3g", w->dG);
  CHECK(w->d2 < 1e-8, "d2lnG error %.3g", w->d2);
}

static void test_fast_vs_reference(void) {
  fast_err w = {0};
  for (int is = 0; is < NS; is++) {
    double s = S_LIST[is];
    gf_table *t = gf_table_create(s);
    CHECK(t != NULL, "table for s=%g", s);
    if (!t) continue;
    for (double eta = -200.0; eta <= 200.0; eta += 0.1731) fast_compare(t, s, eta, &w);
    const double spot[] = {-1e4, -1e3, -500, 0.0, 500, 1e3};
    for (int k = 0; k < 6; k++) fast_compare(t, s, spot[k], &w);
    gf_table_destroy(t);
  }
  fast_report("s in [0,8], eta in [-200,200] step 0.1731, spots +-500, +-1e3, -1e4", &w);
  fast_err wb = {0};
  const double big[] = {12.0, GF_S_MAX}; /* beyond the brief's range, coarser scan */
  for (int is = 0; is < 2; is++) {
    gf_table *t = gf_table_create(big[is]);
    CHECK(t != NULL, "table for s=%g", big[is]);
    if (!t) continue;
    for (double eta = -700.0; eta <= 300.0; eta += 1.731) fast_compare(t, big[is], eta, &wb);
    gf_table_destroy(t);
  }
  fast_report("s = 12 and 20, eta in [-700,300] step 1.731", &wb);
}

/* Interval interiors at finer resolution for the two extreme widths (s = 0 and s = 8). */
static void test_fast_fine(void) {
  fast_err w = {0};
  const double sv[] = {0.0, 8.0};
  for (int is = 0; is < 2; is++) {
    gf_table *t = gf_table_create(sv[is]);
    if (!t) continue;
    for (double eta = -6.0; eta <= 6.0; eta += 0.01237) fast_compare(t, sv[is], eta, &w);
    gf_table_destroy(t);
  }
  printf("fast vs reference, fine scan |eta| < 6: G %.2e, dG %.2e, d2 %.2e\n", w.G, w.dG, w.d2);
  CHECK(w.G < 1e-11 && w.dG < 1e-9 && w.d2 < 1e-8, "fine scan errors");
}

/* ------------------------------------------------------------------ limits */

/* Non-degenerate limit. By (B), G = exp(eta + s^2/2) (1 - G(eta + s^2)) exactly, and
 * 0 < G(c) <= exp(c + s^2/2) (as f(x) <= e^-x), so the relative error of the Boltzmann form is
 * at most exp(eta + 3 s^2/2): below 1e-7 for eta <= ln(1e-7) - 3 s^2/2 (gf_boltzmann_eta_max).
 * Tolerance 1e-6 as in the brief (the bound is 1e-7, the table adds < 1e-11). */
static void test_boltzmann_limit(void) {
  for (int is = 0; is < NS; is++) {
    double s = S_LIST[is];
    gf_table *t = gf_table_create(s);
    if (!t) continue;
    double e0 = gf_boltzmann_eta_max(s, 1e-7);
    CHECK_CLOSE(e0, log(1e-7) - 1.5 * s * s, 1e-15, 0.0);
    for (double eta = e0; eta > e0 - 100; eta -= 7.3) {
      double L, d1, d2;
      gf_table_eval(t, eta, &L, &d1, &d2);
      CHECK(fabs(expm1(L - gf_boltzmann_lnG(eta, s))) <= 1e-6, "s=%g eta=%g", s, eta);
      CHECK(fabs(d1 - 1.0) <= 1e-6, "s=%g eta=%g dlnG=%.17g", s, eta, d1);
      /* the exact correction has the predicted sign and size (reference) */
      gf_vals r;
      gf_reference_vals(eta, s, &r);
      double rel = expm1(r.lnG - gf_boltzmann_lnG(eta, s)), rnd = 4.4e-16 * fabs(r.lnG);
      CHECK(rel <= rnd && -rel <= exp(eta + 1.5 * s * s) * (1 + 1e-12) + rnd,
            "s=%g eta=%g correction %.3g vs bound %.3g", s, eta, rel, exp(eta + 1.5 * s * s));
    }
    gf_table_destroy(t);
  }
}

/* s -> 0: G -> 1/(1 + e^-eta). At s = 1e-6 the exact difference in ln G is at most s^2/2 =
 * 5e-13, so the 1e-9 tolerance of the brief tests the table itself (~1e-13). */
static void test_fermi_limit(void) {
  gf_table *t = gf_table_create(1e-6), *t0 = gf_table_create(0.0);
  if (!t || !t0) return;
  double worst = 0.0;
  for (double eta = -60; eta <= 60; eta += 0.0917) {
    double L, d1, d2, L0, d10, d20, F = gf_fermi_lnG(eta);
    gf_table_eval(t, eta, &L, &d1, &d2);
    gf_table_eval(t0, eta, &L0, &d10, &d20);
    double sm = 1.0 / (1.0 + exp(eta)); /* exact dlnG = 1 - G */
    CHECK(fabs(expm1(L - F)) <= 1e-9 && fabs(expm1(L0 - F)) <= 1e-9, "eta=%g", eta);
    CHECK(fabs(d1 / sm - 1.0) <= 1e-9 && fabs(d10 / sm - 1.0) <= 1e-9, "eta=%g dlnG", eta);
    worst = fmax(worst, fmax(fabs(L - F), fabs(L0 - F)));
  }
  CHECK_CLOSE(gf_fermi_lnG(-800.0), -800.0, 1e-15, 0.0);
  printf("s -> 0 limit: max |ln G - ln f| %.2e\n", worst);
  gf_table_destroy(t);
  gf_table_destroy(t0);
}

/* ------------------------------------------------------------------ shape */

/* 0 < G < 1, G increasing, dlnG in (0, 1] decreasing, d2lnG <= 0 (ln G is concave): exact
 * properties. The table clamps dlnG <= 1 and d2lnG <= 0 against rounding; lnG and dlnG jitter
 * by ~1e-14 / ~1e-11 at interval joins, far below their changes over a 0.01 step (allowed
 * 1e-10 for dlnG where it is flat, ~1 - 1e-15 deep in the tail). */
static void test_shape(void) {
  for (int is = 0; is < NS; is++) {
    gf_table *t = gf_table_create(S_LIST[is]);
    if (!t) continue;
    double prevL = -INFINITY, prev1m = 0.0, prevd = 1.0;
    int ok = 1;
    for (double eta = -150.0; eta <= 40.0 && ok; eta += 0.01) {
      gf_vals v;
      gf_table_vals(t, eta, &v);
      ok &= v.lnG < 0 && v.ln1mG < 0 && v.lnG > prevL && v.ln1mG < prev1m;
      ok &= v.dlnG > 0 && v.dlnG <= 1.0 && v.dlnG <= prevd + 1e-10 && v.d2lnG <= 0.0;
      CHECK(ok, "s=%g eta=%g lnG=%.17g (prev %.17g) ln1mG=%.17g dlnG=%.17g d2=%.3g", S_LIST[is],
            eta, v.lnG, prevL, v.ln1mG, v.dlnG, v.d2lnG);
      prevL = v.lnG, prev1m = v.ln1mG, prevd = v.dlnG;
    }
    gf_table_destroy(t);
  }
}

/* Generalised Einstein factor G/(dG/deta) = 1/dlnG: 1 in the non-degenerate limit (to 1e-6
 * by the bound of test_boltzmann_limit), increasing with eta (dlnG decreases), matching the
 * reference (1e-9: the table's dlnG error is ~1e-11 relative); s = 0: exactly 1 + e^eta. */
static void test_einstein(void) {
  for (int is = 0; is < NS; is++) {
    double s = S_LIST[is];
    gf_table *t = gf_table_create(s);
    if (!t) continue;
    gf_vals v, r;
    gf_table_vals(t, gf_boltzmann_eta_max(s, 1e-7), &v);
    CHECK(fabs(1.0 / v.dlnG - 1.0) <= 1e-6, "s=%g: %.17g", s, 1.0 / v.dlnG);
    double prev = 1.0;
    for (double eta = gf_boltzmann_eta_max(s, 1e-7); eta <= 30.0; eta += 0.77) {
      gf_table_vals(t, eta, &v);
      gf_reference_vals(eta, s, &r);
      double E = 1.0 / v.dlnG, Er = exp(r.lnG - r.lndG);
      CHECK(E >= prev * (1 - 1e-12) && fabs(E / Er - 1.0) <= 1e-9, "s=%g eta=%g E=%.17g Er=%.17g",
            s, eta, E, Er);
      if (s == 0.0) CHECK_CLOSE(E, 1.0 + exp(eta), 1e-9, 0.0);
      prev = E;
    }
    CHECK(prev > 1e3, "s=%g: Einstein factor at eta=30 only %g", s, prev);
    gf_table_destroy(t);
  }
}

/* ------------------------------------------------------------------ inverse */

/* Round trip eta -> ln G (or ln(1-G), or G) -> eta. The inverse solves the table's own
 * equation to rounding: |d eta| <= ulp(ln G, incl. the s^2/2 offset) / dlnG, i.e. about
 * 2.2e-16 (|eta| + s^2/2 + 1)/dlnG; 1e-12 relative covers that with dlnG >= 0.05 (s <= 8). */
static void test_inverse(void) {
  double worst = 0.0;
  for (int is = 0; is < NS; is++) {
    double s = S_LIST[is];
    gf_table *t = gf_table_create(s);
    if (!t) continue;
    for (double eta = -300.0; eta <= 300.0; eta += 0.3779) {
      gf_vals v;
      gf_table_vals(t, eta, &v);
      /* the well-conditioned representation: ln G for G <= 1/2, ln(1-G) above */
      double back =
          eta <= 0 ? gf_table_eta_from_lnG(t, v.lnG) : gf_table_eta_from_ln1mG(t, v.ln1mG);
      double e = fabs(back - eta) / fmax(1.0, fabs(eta));
      CHECK(e <= 1e-12, "s=%g eta=%.17g back=%.17g", s, eta, back);
      worst = fmax(worst, e);
      if (fabs(eta) < 30) { /* G itself is representable well enough here */
        double G = eta <= 0 ? exp(v.lnG) : -expm1(v.ln1mG);
        double eg = gf_table_eta_from_G(t, G);
        CHECK(fabs(eg - eta) <= 1e-9 * fmax(1.0, fabs(eta)) / fmin(1.0, 20 * v.dlnG + 1e-300) ||
                  eta > 0, "s=%g eta=%g from G: %.17g", s, eta, eg);
      }
    }
    /* beyond the table: exact Boltzmann form, and the mirrored side */
    CHECK_CLOSE(gf_table_eta_from_lnG(t, -1e4), -1e4 - 0.5 * s * s, 1e-15, 0.0);
    CHECK_CLOSE(gf_table_eta_from_ln1mG(t, -1e4), 1e4 + 0.5 * s * s, 1e-15, 0.0);
    CHECK(gf_table_eta_from_lnG(t, 0.0) == INFINITY, "lnG = 0");
    CHECK(gf_table_eta_from_G(t, 0.0) == -INFINITY && gf_table_eta_from_G(t, 1.0) == INFINITY,
          "G = 0, 1");
    CHECK(isnan(gf_table_eta_from_G(t, 1.5)) && isnan(gf_table_eta_from_lnG(t, NAN)), "bad input");
    gf_table_destroy(t);
  }
  printf("inverse round trip: max |d eta|/max(1,|eta|) %.2e\n", worst);
}

/* ------------------------------------------------------------------ asymptotics, API */

/* Beyond the tabulated range the exact asymptotic forms hold; extreme inputs stay finite or
 * give the correct infinities; NaN propagates. */
static void test_extremes(void) {
  const double s = 4.0;
  gf_table *t = gf_table_create(s);
  if (!t) return;
  gf_vals v;
  gf_table_vals(t, -1e5, &v);
  CHECK(v.lnG == -1e5 + 8.0 && v.dlnG == 1.0 && v.d2lnG == 0.0 && v.lndG == v.lnG, "eta=-1e5");
  gf_table_vals(t, 1e5, &v);
  CHECK(v.lnG == 0.0 && v.ln1mG == -1e5 + 8.0 && v.dlnG == 0.0 && v.lndG == -1e5 + 8.0,
        "eta=+1e5: %g %g %g %g", v.lnG, v.ln1mG, v.dlnG, v.lndG);
  gf_table_vals(t, 800.0, &v); /* dG/deta = e^-792 underflows; its log does not */
  CHECK(v.lnG <= 0 && v.lnG > -1e-300 && isfinite(v.lndG) && fabs(v.lndG + 792.0) < 1e-12,
        "eta=800: %g", v.lndG);
  gf_table_vals(t, INFINITY, &v);
  CHECK(v.lnG == 0.0 && v.ln1mG == -INFINITY && v.dlnG == 0.0, "eta=+inf");
  gf_table_vals(t, -INFINITY, &v);
  CHECK(v.lnG == -INFINITY && v.ln1mG == 0.0 && v.dlnG == 1.0, "eta=-inf");
  gf_table_vals(t, NAN, &v);
  CHECK(isnan(v.lnG) && isnan(v.dlnG) && isnan(v.d2lnG), "eta=NaN");
  CHECK(gf_table_s(t) == s, "gf_table_s");
  gf_table_destroy(t);
  CHECK(gf_table_create(-1.0) == NULL && gf_table_create(NAN) == NULL &&
            gf_table_create(GF_S_MAX * 1.01) == NULL, "bad s accepted");
  gf_table *tm = gf_table_create(GF_S_MAX); /* largest s: builds and is accurate at eta = 0 */
  CHECK(tm != NULL, "s = GF_S_MAX");
  if (tm) {
    CHECK_CLOSE(gf_table_lnG(tm, 0.0), -log(2.0), 1e-12, 0.0);
    gf_table_destroy(tm);
  }
  gf_table_destroy(NULL);
  /* reference: exact asymptotics beyond |eta| = 1e5, NaN outside its domain */
  gf_reference_vals(-1e6, s, &v);
  CHECK(v.lnG == -1e6 + 8.0 && v.dlnG == 1.0 && v.ln1mG == 0.0, "reference at -1e6");
  gf_reference_vals(1e6, s, &v);
  CHECK(v.lnG == 0.0 && v.ln1mG == -1e6 + 8.0 && v.dlnG == 0.0, "reference at +1e6");
  gf_reference_vals(0.0, -1.0, &v);
  CHECK(isnan(v.lnG) && isnan(gf_reference(NAN, 1.0)), "reference domain");
}

int main(void) {
  test_reference_vs_mpmath();
  test_reference_vs_trapezoid();
  test_reference_identity();
  test_fast_vs_reference();
  test_fast_fine();
  test_boltzmann_limit();
  test_fermi_limit();
  test_shape();
  test_einstein();
  test_inverse();
  test_extremes();
  CHECK_DONE();
}

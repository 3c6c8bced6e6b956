/* Gauss-Fermi integral: reference quadrature, per-s interpolation tables, inverse.
 *
 * Notation: f(x) = 1/(1 + e^x), x = s t - eta, phi = standard normal density, G = E_phi[f].
 * All work is done for eta <= 0; eta > 0 follows from 1 - G(eta) = G(-eta) (see the header). */
#include "physics/gaussfermi.h"

#include <math.h>
#include <stdlib.h>

#define GF_PI 3.14159265358979323846
#define GF_LN2 0.69314718055994530942
#define GF_LN_SQRT_2PI 0.91893853320467274178 /* ln sqrt(2 pi) */
#define GF_INV_SQRT_2PI 0.39894228040143267794
#define GF_TAIL_K 10.0  /* integrate +-K around a log-concave integrand's mode (curvature >= 1) */
#define GF_BOLTZ_GAP 42.0 /* table ends where the Boltzmann correction is below e^-42 */

/* ---------------------------------------------------------------- scalar helpers */

/* ln(1 + e^x) without overflow or cancellation. */
static double gf_softplus(double x) { return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)); }

/* ln(1 - e^a) for a < 0, accurate on both sides of a = -ln 2. */
static double gf_log1mexp(double a) { return a > -GF_LN2 ? log(-expm1(a)) : log1p(-exp(a)); }

/* ---------------------------------------------------------------- reference quadrature */

#define GF_GL_N 20
#define GF_NREF_BREAKS 256
typedef struct {
  double x[GF_GL_N], w[GF_GL_N];
} gf_gl_rule;

/* Gauss-Legendre nodes and weights on [-1, 1] by Newton on P_n (converges to ~1 ulp). */
static void gf_gl_init(gf_gl_rule *r) {
  const int n = GF_GL_N;
  for (int i = 0; i < (n + 1) / 2; i++) {
    double z = cos(GF_PI * (i + 0.75) / (n + 0.5)), dp = 1.0;
    for (int it = 0; it < 50; it++) {
      double p1 = 1.0, p2 = 0.0;
      for (int j = 1; j <= n; j++) {
        double p3 = p2;
        p2 = p1;
        p1 = ((2.0 * j - 1.0) * z * p2 - (j - 1.0) * p3) / j;
      }
      dp = n * (z * p1 - p2) / (z * z - 1.0);
      double dz = p1 / dp;
      z -= dz;
      if (fabs(dz) < 1e-17) break;
    }
    r->x[i] = -z;
    r->x[n - 1 - i] = z;
    r->w[i] = r->w[n - 1 - i] = 2.0 / ((1.0 - z * z) * dp * dp);
  }
}

/* Moments integrated by the reference: weight g = phi f scaled by its value at the mode. */
enum { GF_M0, GF_MU, GF_MF, GF_MFF, GF_NMOM }; /* Int g, Int g(1-f), Int g f, Int g f^2 */

typedef struct {
  double eta, s, lmode; /* lmode = ln(phi f) at the mode, minus ln phi's constant */
  gf_gl_rule gl;
  double tol[GF_NMOM]; /* absolute tolerance per moment for the adaptive split */
} gf_ref_ctx;

/* Add the scaled integrand moments at t to m. */
static void gf_ref_point(const gf_ref_ctx *c, double t, double wgt, double *m) {
  double x = c->s * t - c->eta, e = exp(-fabs(x));
  double l = -0.5 * t * t - (fmax(x, 0.0) + log1p(e)) - c->lmode;
  double g = wgt * exp(l);
  double f = x > 0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
  double u = x > 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  m[GF_M0] += g;
  m[GF_MU] += g * u;
  m[GF_MF] += g * f;
  m[GF_MFF] += g * f * f;
}

/* One Gauss-Legendre panel on [a, b]; m is overwritten. */
static void gf_ref_panel(const gf_ref_ctx *c, double a, double b, double *m) {
  double mid = 0.5 * (a + b), half = 0.5 * (b - a);
  for (int k = 0; k < GF_NMOM; k++) m[k] = 0.0;
  for (int i = 0; i < GF_GL_N; i++) gf_ref_point(c, mid + half * c->gl.x[i], half * c->gl.w[i], m);
}

/* Adaptive bisection: accept a panel when its two halves agree with it to c->tol. */
static void gf_ref_adapt(const gf_ref_ctx *c, double a, double b, const double *whole, int depth,
                         double *acc) {
  double l[GF_NMOM], r[GF_NMOM], mid = 0.5 * (a + b);
  gf_ref_panel(c, a, mid, l);
  gf_ref_panel(c, mid, b, r);
  int ok = 1;
  for (int k = 0; k < GF_NMOM; k++) ok &= fabs(l[k] + r[k] - whole[k]) <= c->tol[k];
  if (ok || depth >= 30) {
    for (int k = 0; k < GF_NMOM; k++) acc[k] += l[k] + r[k];
    return;
  }
  gf_ref_adapt(c, a, mid, l, depth + 1, acc);
  gf_ref_adapt(c, mid, b, r, depth + 1, acc);
}

/* Mode of phi(t) f(s t - eta)^p (log-concave): root of t + p s sigma(s t - eta) in [-p s, 0]. */
static double gf_ref_mode(double eta, double s, double p) {
  double lo = -p * s, hi = 0.0, t = fmax(lo, fmin(hi, eta < -p * s * s ? -p * s : eta / s));
  for (int it = 0; it < 200; it++) {
    double sg = 1.0 / (1.0 + exp(eta - s * t)), F = t + p * s * sg;
    if (F > 0) hi = t; else lo = t;
    double tn = t - F / (1.0 + p * s * s * sg * (1.0 - sg));
    if (!(tn > lo && tn < hi)) tn = 0.5 * (lo + hi);
    if (fabs(tn - t) <= 1e-13 * (1.0 + fabs(t))) return tn;
    t = tn;
  }
  return t;
}

/* Initial panels on [a, b]: graded geometrically towards the poles of f at Re t = te (distance
 * d = pi/s from the real axis), no wider than wmax. Returns the number of breakpoints. */
static int gf_ref_breaks(double a, double b, double te, double d, double *br, int max) {
  const double wmax = 2.5;
  double cand[128];
  int nc = 0;
  for (int k = 0; k < 60 && nc < 126; k++) {
    double off = 0.5 * d * ldexp(1.0, k);
    if (te - off > a && te - off < b) cand[nc++] = te - off;
    if (te + off > a && te + off < b) cand[nc++] = te + off;
  }
  cand[nc++] = b;
  for (int i = 1; i < nc; i++) /* insertion sort: nc is small */
    for (int j = i; j > 0 && cand[j - 1] > cand[j]; j--) {
      double tmp = cand[j];
      cand[j] = cand[j - 1];
      cand[j - 1] = tmp;
    }
  int n = 0;
  double x = a;
  br[n++] = a;
  for (int i = 0; i < nc && n < max; i++) {
    int pieces = (int)ceil((cand[i] - x) / wmax);
    for (int p = 1; p <= pieces && n < max; p++) br[n++] = x + (cand[i] - x) * p / pieces;
    x = cand[i];
  }
  return n;
}

/* Moments for eta <= 0, s > 0: m[k] / m[GF_M0] are the g-averages; returns ln G. */
static double gf_ref_neg(double eta, double s, double *m) {
  gf_ref_ctx c = {.eta = eta, .s = s, .lmode = 0.0};
  gf_gl_init(&c.gl);
  double t1 = gf_ref_mode(eta, s, 1.0), t2 = gf_ref_mode(eta, s, 2.0);
  c.lmode = -0.5 * t1 * t1 - gf_softplus(s * t1 - eta);
  double br[GF_NREF_BREAKS];
  int nb = gf_ref_breaks(fmin(t1, t2) - GF_TAIL_K, t1 + GF_TAIL_K, eta / s, GF_PI / s, br,
                         GF_NREF_BREAKS);
  double est[GF_NMOM] = {0}, pm[GF_NREF_BREAKS][GF_NMOM];
  for (int i = 0; i + 1 < nb; i++) { /* first pass: estimates that set the tolerances */
    gf_ref_panel(&c, br[i], br[i + 1], pm[i]);
    for (int k = 0; k < GF_NMOM; k++) est[k] += pm[i][k];
  }
  for (int k = 0; k < GF_NMOM; k++) /* floor: moments deep in underflow need no accuracy */
    c.tol[k] = fmax(1e-15 * est[k], 1e-290), m[k] = 0.0;
  for (int i = 0; i + 1 < nb; i++) gf_ref_adapt(&c, br[i], br[i + 1], pm[i], 0, m);
  return c.lmode - GF_LN_SQRT_2PI + log(m[GF_M0]);
}

/* s = 0: the Fermi function of a single level, in closed form. */
static void gf_ref_fermi(double eta, gf_vals *v) {
  double sg = 1.0 / (1.0 + exp(-eta)), sm = 1.0 / (1.0 + exp(eta)); /* G, 1 - G */
  v->lnG = -gf_softplus(-eta);
  v->ln1mG = -gf_softplus(eta);
  v->dlnG = sm;
  v->d2lnG = -sg * sm;
  v->lndG = v->lnG + v->ln1mG;
}

/* Averages over g = phi f for eta <= 0: q1 = <1-f> = dlnG, r = <f>, m3 = <f^2>; returns ln G.
 * Beyond |eta| = 1e5 the Boltzmann form is exact in double (correction < e^-(1e5 - 600)). */
static double gf_ref_averages(double eta, double s, double *q1, double *r, double *m3) {
  if (eta < -1e5) {
    *q1 = 1.0, *r = 0.0, *m3 = 0.0;
    return eta + 0.5 * s * s;
  }
  double m[GF_NMOM], L = gf_ref_neg(eta, s, m);
  *q1 = m[GF_MU] / m[GF_M0], *r = m[GF_MF] / m[GF_M0], *m3 = m[GF_MFF] / m[GF_M0];
  return L;
}

void gf_reference_vals(double eta, double s, gf_vals *v) {
  if (!(s >= 0.0 && s <= GF_S_MAX) || isnan(eta)) {
    *v = (gf_vals){NAN, NAN, NAN, NAN, NAN};
    return;
  }
  if (s == 0.0) {
    gf_ref_fermi(eta, v);
    return;
  }
  double q1, r, m3, L = gf_ref_averages(-fabs(eta), s, &q1, &r, &m3);
  if (eta <= 0) {
    v->lnG = L;
    v->ln1mG = gf_log1mexp(L);
    v->dlnG = q1;
    v->d2lnG = -(r + r * r - 2.0 * m3); /* = -d r/d eta with r = 1 - dlnG: no cancellation */
    v->lndG = L + log(q1);
    return;
  }
  double g = exp(L), pp = 1.0 - 3.0 * r + 2.0 * m3; /* G, G''/G at -eta */
  v->lnG = log1p(-g);
  v->ln1mG = L;
  v->lndG = L + log(q1); /* dG/deta is even in eta */
  v->dlnG = g * q1 / (1.0 - g);
  v->d2lnG = -g * pp / (1.0 - g) - v->dlnG * v->dlnG; /* G'' is odd in eta */
}

double gf_reference(double eta, double s) {
  gf_vals v;
  gf_reference_vals(eta, s, &v);
  return eta > 0 ? -expm1(v.ln1mG) : exp(v.lnG);
}

double gf_reference_deriv(double eta, double s) {
  gf_vals v;
  gf_reference_vals(eta, s, &v);
  return exp(v.lndG);
}

/* ---------------------------------------------------------------- interpolation table */

/* Interval widths follow the smoothness scale of ln G in eta: ~1 (the Fermi edge, poles of
 * ln G at +-i pi when s = 0) growing like s (Gaussian smearing). Degree 9 at these widths gives
 * ~1e-13 in ln G and ~1e-11 in d ln G/d eta (measured, see the header); degree 11 is no better
 * (rounding of the tabulated data dominates), degree 7 loses ~10x in the derivatives. */
#define GF_DEG 9  /* polynomial degree per interval */
#define GF_H0 0.5 /* interval width at s = 0 */
#define GF_HS 0.4 /* interval width grows like GF_H0 sqrt(1 + (GF_HS s)^2) */
#define GF_NC (GF_DEG + 1)

/* r(eta) = ln G - eta - s^2/2 = ln(1 - G(eta + s^2)) <= 0 is tabulated on [lo, 0] as one
 * polynomial per interval in x = 2 (eta - left)/h - 1, monomial coefficients (interpolation at
 * Chebyshev points, converted once). Below lo the Boltzmann form is exact in double
 * (|r| < e^-42). */
struct gf_table {
  double s, hs2; /* s, s^2/2 */
  double lo;     /* left end of the table, -(3 s^2/2 + 42) */
  double inv_h, k1, k2; /* 1/h, 2/h, (2/h)^2 */
  int nint;
  double coef[]; /* nint * GF_NC coefficients, then nint + 1 edge values of ln G */
};

/* ln G and derivatives for eta <= 0 (NaN propagates through the first branch). */
static inline void gf_tab_neg(const gf_table *t, double eta, double *L, double *d1, double *d2) {
  if (!(eta >= t->lo)) { /* Boltzmann; |error| < e^-42 */
    *L = eta + t->hs2;
    *d1 = isnan(eta) ? eta : 1.0;
    *d2 = isnan(eta) ? eta : 0.0;
    return;
  }
  double u = (eta - t->lo) * t->inv_h;
  int i = (int)u;
  if (i >= t->nint) i = t->nint - 1;
  double x = 2.0 * (u - i) - 1.0;
  const double *c = t->coef + (size_t)i * GF_NC;
  double p = c[GF_DEG], p1 = 0.0, p2 = 0.0;
  for (int k = GF_DEG - 1; k >= 0; k--) {
    p2 = p2 * x + p1;
    p1 = p1 * x + p;
    p = p * x + c[k];
  }
  double a = 1.0 + p1 * t->k1, b = 2.0 * p2 * t->k2;
  *L = eta + t->hs2 + p;
  *d1 = a < 1.0 ? a : 1.0; /* keep the exact bounds against rounding noise (no libm call) */
  *d2 = b < 0.0 ? b : 0.0;
}

/* Trapezoid rule for S(c) = 1 - G(c) = E_phi[sigma(s u - c)] on a fixed grid (exponentially
 * accurate: the poles sit pi/s off the real axis and the step is < 0.4/max(1, s)). */
typedef struct {
  int n;
  double *w, *F; /* weights h phi(u_j), factors exp(-s u_j) */
} gf_trap;

static int gf_trap_init(gf_trap *q, double s) {
  double ht = 0.4 / fmax(1.0, s), a = -GF_TAIL_K, b = s + GF_TAIL_K;
  q->n = (int)ceil((b - a) / ht) + 1;
  q->w = malloc(2 * (size_t)q->n * sizeof(double));
  if (!q->w) return -1;
  q->F = q->w + q->n;
  for (int j = 0; j < q->n; j++) {
    double u = a + j * ht;
    q->w[j] = ht * GF_INV_SQRT_2PI * exp(-0.5 * u * u);
    q->F[j] = exp(-s * u);
  }
  return 0;
}

/* ln S(c) = ln(1 - G(c)) for c <= s^2 (the table's range shifted by s^2). */
static double gf_trap_log(const gf_trap *q, double c) {
  double ec = exp(c), sum = 0.0;
  for (int j = 0; j < q->n; j++) sum += q->w[j] / (1.0 + q->F[j] * ec);
  /* cppcheck assumes an empty loop: gf_trap_init always sets q->n > 0 nodes with w > 0 */
  // cppcheck-suppress invalidFunctionArg
  return log(sum);
}

/* Fill one interval's monomial coefficients from values at Chebyshev points. */
static void gf_cheb_fit(const double *val, const double (*T)[GF_NC], double *coef) {
  for (int j = 0; j < GF_NC; j++) coef[j] = 0.0;
  for (int m = 0; m < GF_NC; m++) {
    double a = 0.0;
    for (int k = 0; k < GF_NC; k++) a += val[k] * cos(GF_PI * m * (k + 0.5) / GF_NC);
    a *= (m == 0 ? 1.0 : 2.0) / GF_NC;
    for (int j = 0; j <= m; j++) coef[j] += a * T[m][j];
  }
}

/* Monomial coefficients of the Chebyshev polynomials T_0..T_DEG. */
static void gf_cheb_monomials(double (*T)[GF_NC]) {
  for (int m = 0; m < GF_NC; m++)
    for (int j = 0; j < GF_NC; j++) T[m][j] = 0.0;
  T[0][0] = 1.0;
  if (GF_NC > 1) T[1][1] = 1.0;
  for (int m = 2; m < GF_NC; m++)
    for (int j = 0; j < GF_NC; j++)
      T[m][j] = (j > 0 ? 2.0 * T[m - 1][j - 1] : 0.0) - T[m - 2][j];
}

gf_table *gf_table_create(double s) {
  if (!(s >= 0.0 && s <= GF_S_MAX)) return NULL;
  double lo = -(1.5 * s * s + GF_BOLTZ_GAP);
  double hgoal = GF_H0 * sqrt(1.0 + (GF_HS * s) * (GF_HS * s));
  int nint = (int)ceil(-lo / hgoal);
  gf_table *t = malloc(sizeof(gf_table) + ((size_t)nint * GF_NC + nint + 1) * sizeof(double));
  gf_trap q;
  if (!t || gf_trap_init(&q, s) != 0) {
    free(t);
    return NULL;
  }
  double h = -lo / nint, T[GF_NC][GF_NC], val[GF_NC];
  *t = (gf_table){.s = s, .hs2 = 0.5 * s * s, .lo = lo, .inv_h = 1.0 / h, .k1 = 2.0 / h,
                  .k2 = 4.0 / (h * h), .nint = nint};
  gf_cheb_monomials(T);
  for (int i = 0; i < nint; i++) {
    for (int k = 0; k < GF_NC; k++) {
      double x = cos(GF_PI * (k + 0.5) / GF_NC);
      val[k] = gf_trap_log(&q, lo + h * (i + 0.5 * (x + 1.0)) + s * s);
    }
    gf_cheb_fit(val, (const double(*)[GF_NC])T, t->coef + (size_t)i * GF_NC);
  }
  free(q.w);
  double *edge = t->coef + (size_t)nint * GF_NC, d1, d2;
  for (int i = 0; i < nint; i++) gf_tab_neg(t, lo + i * h, &edge[i], &d1, &d2);
  gf_tab_neg(t, 0.0, &edge[nint], &d1, &d2);
  return t;
}

void gf_table_destroy(gf_table *t) { free(t); }

double gf_table_s(const gf_table *t) { return t->s; }

void gf_table_eval(const gf_table *t, double eta, double *lnG, double *dlnG, double *d2lnG) {
  if (!(eta > 0.0)) {
    gf_tab_neg(t, eta, lnG, dlnG, d2lnG);
    return;
  }
  double L, a, b;
  gf_tab_neg(t, -eta, &L, &a, &b);
  double g = exp(L), omg = 1.0 - g; /* G(-eta) = 1 - G(eta) <= 1/2 */
  double d1 = g * a / omg;
  *lnG = log1p(-g);
  *dlnG = d1;
  *d2lnG = -g * (b + a * a) / omg - d1 * d1;
}

void gf_table_vals(const gf_table *t, double eta, gf_vals *v) {
  double L, a, b;
  if (!(eta > 0.0)) {
    gf_tab_neg(t, eta, &L, &a, &b);
    *v = (gf_vals){.lnG = L, .ln1mG = gf_log1mexp(L), .dlnG = a, .d2lnG = b, .lndG = L + log(a)};
    return;
  }
  gf_tab_neg(t, -eta, &L, &a, &b);
  double g = exp(L), omg = 1.0 - g, d1 = g * a / omg;
  *v = (gf_vals){.lnG = log1p(-g), .ln1mG = L, .dlnG = d1,
                 .d2lnG = -g * (b + a * a) / omg - d1 * d1, .lndG = L + log(a)};
}

double gf_table_lnG(const gf_table *t, double eta) {
  double L, a, b;
  if (!(eta > 0.0)) {
    gf_tab_neg(t, eta, &L, &a, &b);
    return L;
  }
  gf_tab_neg(t, -eta, &L, &a, &b);
  return log1p(-exp(L));
}

/* ---------------------------------------------------------------- inverse */

/* eta <= 0 with ln G(eta) = y for y <= -ln 2: bisection on the interval edge values, then
 * safeguarded Newton on that interval's polynomial (ln G is increasing). */
static double gf_inv_neg(const gf_table *t, double y) {
  const double *edge = t->coef + (size_t)t->nint * GF_NC;
  if (!(y >= edge[0])) return y - t->hs2; /* below the table ln G = eta + s^2/2 exactly */
  int a = 0, b = t->nint;
  while (b - a > 1) {
    int m = (a + b) / 2;
    if (edge[m] <= y) a = m; else b = m;
  }
  double h = 1.0 / t->inv_h, xl = t->lo + a * h, xr = xl + h;
  double eta = xl + h * fmin(1.0, (y - edge[a]) / (edge[a + 1] - edge[a]));
  for (int it = 0; it < 60; it++) {
    double L, d1, d2;
    gf_tab_neg(t, eta, &L, &d1, &d2);
    double F = L - y;
    if (fabs(F) <= 2e-16 * (fabs(y) + fabs(eta) + t->hs2)) return eta; /* rounding level */
    if (F > 0) xr = eta; else xl = eta;
    double next = eta - F / d1;
    if (!(next > xl && next < xr)) next = 0.5 * (xl + xr);
    if (fabs(next - eta) <= 2e-16 * fmax(1.0, fabs(eta))) return next;
    eta = next;
  }
  return eta;
}

double gf_table_eta_from_lnG(const gf_table *t, double lnG) {
  if (isnan(lnG)) return lnG;
  if (lnG >= 0.0) return INFINITY;
  if (lnG <= -GF_LN2) return gf_inv_neg(t, lnG);
  return -gf_inv_neg(t, gf_log1mexp(lnG)); /* G > 1/2: invert 1 - G(eta) = G(-eta) */
}

double gf_table_eta_from_ln1mG(const gf_table *t, double ln1mG) {
  return -gf_table_eta_from_lnG(t, ln1mG);
}

double gf_table_eta_from_G(const gf_table *t, double G) {
  if (!(G > 0.0)) return G == 0.0 ? -INFINITY : NAN;
  if (!(G < 1.0)) return G == 1.0 ? INFINITY : NAN;
  return G <= 0.5 ? gf_table_eta_from_lnG(t, log(G)) : gf_table_eta_from_ln1mG(t, log1p(-G));
}

/* ---------------------------------------------------------------- limits */

double gf_boltzmann_lnG(double eta, double s) { return eta + 0.5 * s * s; }

double gf_boltzmann_eta_max(double s, double rtol) { return log(rtol) - 1.5 * s * s; }

double gf_fermi_lnG(double eta) { return -gf_softplus(-eta); }

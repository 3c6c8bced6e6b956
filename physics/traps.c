#include "physics/traps.h"
#include "physics/constants.h"

#include <math.h>
#include <stdlib.h>

/* Golub-Welsch-free Newton iteration on the orthonormal recurrences (Numerical Recipes style). */
int trap_gauss_hermite(int n, double *x, double *w) {
  const double pim4 = 0.7511255444649425; /* pi^(-1/4) */
  double z = 0.0, pp = 0.0;
  for (int i = 0; i < (n + 1) / 2; i++) {
    if (i == 0) z = sqrt(2.0 * n + 1.0) - 1.85575 * pow(2.0 * n + 1.0, -1.0 / 6.0);
    else if (i == 1) z -= 1.14 * pow((double)n, 0.426) / z;
    else if (i == 2) z = 1.86 * z - 0.86 * x[0];
    else if (i == 3) z = 1.91 * z - 0.91 * x[1];
    else z = 2.0 * z - x[i - 2];
    int it;
    for (it = 0; it < 100; it++) {
      double p1 = pim4, p2 = 0.0;
      for (int j = 0; j < n; j++) {
        const double p3 = p2;
        p2 = p1;
        p1 = z * sqrt(2.0 / (j + 1)) * p2 - sqrt((double)j / (j + 1)) * p3;
      }
      pp = sqrt(2.0 * n) * p2;
      const double z1 = z;
      z = z1 - p1 / pp;
      if (fabs(z - z1) <= 1e-15 * fabs(z)) break;
    }
    if (it == 100) return 1;
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = w[n - 1 - i] = 2.0 / (pp * pp);
  }
  return 0;
}

int trap_gauss_laguerre(int n, double *x, double *w) {
  double z = 0.0, pp = 0.0, p2 = 0.0;
  for (int i = 0; i < n; i++) {
    if (i == 0) z = 3.0 / (1.0 + 2.4 * n);
    else if (i == 1) z += 15.0 / (1.0 + 2.5 * n);
    else z += (1.0 + 2.55 * (i - 1)) / (1.9 * (i - 1)) * (z - x[i - 2]);
    int it;
    for (it = 0; it < 100; it++) {
      double p1 = 1.0;
      p2 = 0.0;
      for (int j = 0; j < n; j++) {
        const double p3 = p2;
        p2 = p1;
        p1 = ((2 * j + 1 - z) * p2 - j * p3) / (j + 1);
      }
      pp = (n * p1 - n * p2) / z;
      const double z1 = z;
      z = z1 - p1 / pp;
      if (fabs(z - z1) <= 1e-15 * fabs(z)) break;
    }
    if (it == 100) return 1;
    x[i] = z;
    w[i] = -1.0 / (pp * n * p2);
  }
  return 0;
}

/* Append one level at distance d [J] into the gap from the trap's band edge. */
static void add_level(const dev_trap *t, double weight, double d, double Eg, double kT,
                      trap_level *lv) {
  lv->hole = t->hole;
  lv->N = weight;
  lv->c_n = t->c_n;
  lv->c_p = t->c_p;
  const double from_ec = t->hole ? Eg - d : d; /* E_c - E_t */
  lv->a = -from_ec / kT;
  lv->b = -(Eg - from_ec) / kT;
}

int trap_set_build(const dev_trap *traps, int ntraps, double Eg, double kT, trap_set *ts) {
  enum { Q = TRAP_QUAD_POINTS };
  ts->n = 0;
  ts->lv = calloc((size_t)ntraps * Q + 1, sizeof(trap_level));
  if (!ts->lv) return 1;
  double xh[Q], wh[Q], xl[Q], wl[Q];
  if (trap_gauss_hermite(Q, xh, wh) || trap_gauss_laguerre(Q, xl, wl)) return 1;
  for (int k = 0; k < ntraps; k++) {
    const dev_trap *t = &traps[k];
    if (t->shape == DEV_TRAP_DISCRETE || t->width <= 0.0) {
      add_level(t, t->density, t->depth, Eg, kT, &ts->lv[ts->n++]);
    } else if (t->shape == DEV_TRAP_GAUSSIAN) {
      /* N exp(-(d - d0)^2 / (2 s^2)) / (sqrt(2 pi) s): d = d0 + sqrt(2) s x, weight w / sqrt(pi) */
      for (int q = 0; q < Q; q++)
        add_level(t, t->density * wh[q] / sqrt(PHYS_PI), t->depth + sqrt(2.0) * t->width * xh[q], Eg,
                  kT, &ts->lv[ts->n++]);
    } else {
      /* N exp(-(d - d0)/E_u) / E_u for d >= d0: d = d0 + E_u x, weight w */
      for (int q = 0; q < Q; q++)
        add_level(t, t->density * wl[q], t->depth + t->width * xl[q], Eg, kT, &ts->lv[ts->n++]);
    }
  }
  return 0;
}

void trap_set_free(trap_set *ts) {
  free(ts->lv);
  ts->lv = NULL;
  ts->n = 0;
}

void trap_eval(const trap_set *ts, const trap_state *s, trap_out *o) {
  *o = (trap_out){0, 0, 0, 0, 0, 0, 0};
  const double np = s->n * s->p;
  for (int k = 0; k < ts->n; k++) {
    const trap_level *l = &ts->lv[k];
    /* n1 = n exp(a - eta_n) = exp(ln Nn - zeta_n + a); d ln n1/d eta_n = g_n - 1 */
    const double n1 = exp(s->lnNn - s->zeta_n + l->a), p1 = exp(s->lnNp - s->zeta_p + l->b);
    const double A = l->c_n * (s->n + n1), B = l->c_p * (s->p + p1), D = A + B;
    const double num = l->c_n * s->n + l->c_p * p1, f = num / D;
    const double dD_en = l->c_n * (s->n * s->g_n + n1 * (s->g_n - 1.0));
    const double dD_ep = l->c_p * (s->p * s->g_p + p1 * (s->g_p - 1.0));
    const double df_en = (l->c_n * s->n * s->g_n - f * dD_en) / D;
    const double df_ep = (l->c_p * p1 * (s->g_p - 1.0) - f * dD_ep) / D;
    /* -N f for electron traps, N (1 - f) for hole traps: both vary as -N df */
    o->rho += l->hole ? l->N * (1.0 - f) : -l->N * f;
    o->drho_den -= l->N * df_en;
    o->drho_dep -= l->N * df_ep;
    const double r0 = l->N * l->c_n * l->c_p * np / D, R = r0 * s->X;
    o->R += R;
    o->dR_den += R * (s->g_n - dD_en / D);
    o->dR_dep += R * (s->g_p - dD_ep / D);
    o->dR_dX += r0;
  }
}

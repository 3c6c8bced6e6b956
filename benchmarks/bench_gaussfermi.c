/* Timing of the Gauss-Fermi module: ns per fast evaluation (random eta in [-50, 50], s = 4 by
 * default), the inverse, the reference quadrature, and table build time for several s.
 * Build: gcc -std=c17 -O2 -I. physics/gaussfermi.c benchmarks/bench_gaussfermi.c -lm
 * Usage: bench_gaussfermi [s] */
#include "physics/gaussfermi.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_N 4096 /* arguments per pass: fits in L1 with the table */

static double bench_now(void) {
  struct timespec ts;
  timespec_get(&ts, TIME_UTC);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Uniform in [a, b) from a private xorshift state. */
static double bench_uniform(uint64_t *st, double a, double b) {
  *st ^= *st << 13;
  *st ^= *st >> 7;
  *st ^= *st << 17;
  return a + (b - a) * (double)(*st >> 11) * 0x1.0p-53;
}

typedef enum { B_EVAL, B_LNG, B_VALS, B_INV, B_REF } bench_kind;

/* Sum of outputs over one pass (keeps the calls alive). */
static double bench_pass(const gf_table *t, bench_kind k, const double *x, int n) {
  double acc = 0.0, L, d1, d2;
  gf_vals v;
  for (int i = 0; i < n; i++) {
    switch (k) {
    case B_EVAL: gf_table_eval(t, x[i], &L, &d1, &d2); acc += L + d1 + d2; break;
    case B_LNG: acc += gf_table_lnG(t, x[i]); break;
    case B_VALS: gf_table_vals(t, x[i], &v); acc += v.lnG + v.ln1mG + v.dlnG + v.lndG; break;
    case B_INV: acc += gf_table_eta_from_lnG(t, x[i]); break;
    case B_REF: gf_reference_vals(x[i], gf_table_s(t), &v); acc += v.lnG; break;
    }
  }
  return acc;
}

/* ns per call of kind k, timed over at least ~0.2 s. */
static double bench_ns(const gf_table *t, bench_kind k, const double *x, int n, double *sink) {
  long calls = 0;
  double t0 = bench_now(), el;
  do {
    *sink += bench_pass(t, k, x, n);
    calls += n;
    el = bench_now() - t0;
  } while (el < 0.2);
  return 1e9 * el / calls;
}

/* Mean table build time in ms. */
static double bench_build_ms(double s) {
  int reps = 0;
  double t0 = bench_now(), el;
  do {
    gf_table_destroy(gf_table_create(s));
    reps++;
    el = bench_now() - t0;
  } while (el < 0.1);
  return 1e3 * el / reps;
}

int main(int argc, char **argv) {
  double s = argc > 1 ? atof(argv[1]) : 4.0, sink = 0.0;
  gf_table *t = gf_table_create(s);
  double *eta = malloc(5 * BENCH_N * sizeof(double));
  if (!t || !eta) return 1;
  double *lng = eta + BENCH_N, *neg = lng + BENCH_N, *pos = neg + BENCH_N, *deep = pos + BENCH_N;
  uint64_t st = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < BENCH_N; i++) {
    eta[i] = bench_uniform(&st, -50.0, 50.0);
    lng[i] = gf_table_lnG(t, eta[i]);
    neg[i] = bench_uniform(&st, -50.0, 0.0);
    pos[i] = bench_uniform(&st, 0.0, 50.0);
    deep[i] = bench_uniform(&st, -200.0, -100.0); /* below the table for s <= 6.6 */
  }
  printf("Gauss-Fermi benchmark, s = %g, eta uniform in [-50, 50]\n", s);
  printf("%-44s %10s\n", "operation", "ns/call");
  const struct {
    const char *name;
    bench_kind kind;
    const double *x;
    int n;
  } rows[] = {{"gf_table_lnG (ln G only)", B_LNG, eta, BENCH_N},
              {"gf_table_eval (ln G, dlnG, d2lnG)", B_EVAL, eta, BENCH_N},
              {"gf_table_eval, eta in [-50, 0] only", B_EVAL, neg, BENCH_N},
              {"gf_table_eval, eta in [0, 50] only", B_EVAL, pos, BENCH_N},
              {"gf_table_eval, eta in [-200, -100] only", B_EVAL, deep, BENCH_N},
              {"gf_table_vals (+ ln(1-G), ln dG)", B_VALS, eta, BENCH_N},
              {"gf_table_eta_from_lnG (inverse)", B_INV, lng, BENCH_N},
              {"gf_reference_vals (quadrature)", B_REF, eta, 64}};
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    printf("%-44s %10.1f\n", rows[i].name, bench_ns(t, rows[i].kind, rows[i].x, rows[i].n, &sink));
  printf("\n%-8s %14s\n", "s", "build [ms]");
  const double sv[] = {0.0, 1.0, 2.0, 4.0, 6.0, 8.0, 12.0};
  for (size_t i = 0; i < sizeof sv / sizeof sv[0]; i++)
    printf("%-8g %14.3f\n", sv[i], bench_build_ms(sv[i]));
  fprintf(stderr, "(checksum %g)\n", sink);
  gf_table_destroy(t);
  free(eta);
  return 0;
}

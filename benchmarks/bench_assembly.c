/* Assembly and direct-solve cost per node vs mesh size and OpenMP threads: builds the device of
 * CONFIG on meshes of 1e3..1e6 nodes, and times (best of several) one residual + Jacobian
 * assembly, one block-tridiagonal factorisation and one solve at the initial guess, with 1 and
 * 2 threads (threshold dd_omp_min_nodes set to 0 so threads are always used when asked for).
 * Also reports the resident memory of the process after each size (max RSS, KB per node).
 * usage: bench_assembly CONFIG [max_nodes] */
#include "io/config.h"
#include "solver/blocktri.h"
#include "solver/dd.h"
#include "solver/simulate.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double max_rss_kb(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_maxrss;
}

/* Best time of `reps` assemblies with `threads` threads. */
static double time_assembly(dd_ctx *dd, const dd_field *x, dd_field *f, dd_jac *J, int threads,
                            int reps) {
#ifdef _OPENMP
  omp_set_num_threads(threads);
#else
  if (threads > 1) return NAN;
#endif
  double best = 1e30;
  for (int r = 0; r < reps; r++) {
    const double t0 = now();
    dd_assemble(dd, x, f, J);
    const double t = now() - t0;
    if (t < best) best = t;
  }
  return best;
}

static int bench_size(cfg_config *cfg, int nodes) {
  cfg->mesh.nodes = nodes;
  mesh_t m;
  char why[256];
  if (sim_build_mesh(cfg, &m, why, sizeof(why))) {
    fprintf(stderr, "mesh: %s\n", why);
    return 1;
  }
  dd_ctx dd;
  dd_jac J;
  bt_factor fac;
  const int n = m.n;
  dd_field *x = malloc(sizeof(dd_field) * (size_t)n), *f = malloc(sizeof(dd_field) * (size_t)n);
  if (!x || !f || dd_create(&cfg->dev, &m, &dd) || dd_jac_alloc(&J, n) || bt_alloc(&fac, n)) {
    fprintf(stderr, "out of memory at %d nodes\n", n);
    return 1;
  }
  dd_set_bias(&dd, 1.0);
  dd_initial_guess(&dd, x);
  dd_freeze_scales(&dd, x);
  const int reps = n >= 100000 ? 5 : 50;
  const double t1 = time_assembly(&dd, x, f, &J, 1, reps);
  const double t2 = time_assembly(&dd, x, f, &J, 2, reps);
  double tf = 1e30, ts = 1e30;
  for (int r = 0; r < reps; r++) {
    double t0 = now();
    bt_factorize(&fac, (const double(*)[9])J.D, (const double(*)[9])J.Lo, (const double(*)[9])J.Up);
    const double a = now() - t0;
    t0 = now();
    bt_solve(&fac, (const double *)f, (double *)x);
    const double b = now() - t0;
    dd_initial_guess(&dd, x);
    if (a < tf) tf = a;
    if (b < ts) ts = b;
  }
  printf("%8d %12.1f %12.1f %8.2f %12.1f %12.1f %10.2f\n", n, 1e9 * t1 / n, 1e9 * t2 / n, t1 / t2,
         1e9 * tf / n, 1e9 * ts / n, max_rss_kb() / n);
  fflush(stdout);
  bt_free(&fac);
  dd_jac_free(&J);
  dd_free(&dd);
  mesh_free(&m);
  free(x);
  free(f);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s CONFIG [max_nodes]\n", argv[0]);
    return 1;
  }
  const int max_nodes = argc > 2 ? atoi(argv[2]) : 1000000;
  cfg_config cfg;
  qs_err err;
  if (cfg_load(argv[1], NULL, 0, &cfg, &err)) {
    fprintf(stderr, "%s\n", err.msg);
    return 1;
  }
  dd_omp_min_nodes = 0;
  printf("# %s: per node, one residual+Jacobian assembly with 1 and 2 OpenMP threads, one\n"
         "# block-tridiagonal factorisation and solve; max RSS of the process so far per node\n",
         argv[1]);
  printf("%8s %12s %12s %8s %12s %12s %10s\n", "nodes", "asm1 [ns]", "asm2 [ns]", "speedup",
         "factor [ns]", "solve [ns]", "RSS [KB]");
  for (int n = 1000; n <= max_nodes; n *= 10)
    if (bench_size(&cfg, n)) return 1;
  cfg_free(&cfg);
  return 0;
}

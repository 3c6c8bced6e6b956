/* Solver benchmark: run the bias sweep of a config repeatedly in one process (no output), report
 * the best wall time of the sweep, Newton iterations and time per iteration.
 * usage: bench_sweep CONFIG [repeats] [--set k=v ...] [PETSc options] */
#include "io/config.h"
#include "solver/simulate.h"

#include <petscsys.h>
#include <stdio.h>
#include <string.h>

static int noop(void *user, const sim_point *pt, const sim_fields *f) {
  (void)f;
  int *failed = user;
  *failed += !pt->converged;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s CONFIG [repeats] [--set k=v ...] [PETSc options]\n", argv[0]);
    return 1;
  }
  const char *sets[64];
  int nsets = 0, repeats = 5;
  char *pargv[128];
  int pargc = 0;
  pargv[pargc++] = argv[0];
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--set") && i + 1 < argc && nsets < 64) sets[nsets++] = argv[++i];
    else if (i == 2 && argv[i][0] != '-') repeats = atoi(argv[i]);
    else if (pargc < 127) pargv[pargc++] = argv[i];
  }
  pargv[pargc] = NULL;
  char **pa = pargv;
  cfg_config cfg;
  qs_err err;
  if (cfg_load(argv[1], sets, nsets, &cfg, &err)) {
    fprintf(stderr, "%s\n", err.msg);
    return 1;
  }
  cfg.output.fields = CFG_FIELDS_NONE;
  PetscCall(PetscInitialize(&pargc, &pa, NULL, NULL));
  double best = 1e30;
  sim_summary sum;
  int failed = 0;
  for (int r = 0; r < repeats; r++) {
    PetscCall(sim_run(&cfg, noop, &failed, &sum));
    if (sum.solve_seconds < best) best = sum.solve_seconds;
  }
  printf("%s: %d nodes, %d points, %d Newton iterations, best sweep %.2f ms, %.1f us/iteration, "
         "%.1f ns per node-iteration, %d failed points\n",
         argv[1], cfg.mesh.nodes, cfg.nV, sum.newton_total, 1e3 * best,
         1e6 * best / sum.newton_total, 1e9 * best / sum.newton_total / cfg.mesh.nodes,
         failed / repeats);
  cfg_free(&cfg);
  PetscCall(PetscFinalize());
  return 0;
}

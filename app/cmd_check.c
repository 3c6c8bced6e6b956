/* qledsim check: validate a config and print the resolved device and its mesh. */
#include "app/cli.h"
#include "app/session.h"
#include "solver/mesh.h"
#include "solver/simulate.h"

#include <stdio.h>

static void print_mesh(const mesh_t *m, FILE *f) {
  double hmax = 0.0;
  for (int c = 0; c < m->n - 1; c++) hmax = m->h[c] > hmax ? m->h[c] : hmax;
  fprintf(f, "\nmesh: %d nodes, spacing %.3g .. %.3g nm, largest neighbour ratio %.3f\n", m->n,
          1e9 * m->h_min_used, 1e9 * hmax, m->ratio_max);
}

int cmd_check(cli_args *a) {
  cfg_config cfg;
  if (session_load_config(a, &cfg)) return CLI_EXIT_INPUT;
  cfg_print(&cfg, stdout);
  mesh_t m;
  char why[256];
  int rc = CLI_OK;
  if (sim_build_mesh(&cfg, &m, why, sizeof(why))) {
    fprintf(stderr, "qledsim: error: %s: mesh: %s\n", cfg.path, why);
    rc = CLI_EXIT_INPUT;
  } else {
    print_mesh(&m, stdout);
    for (int l = 0; l < m.nlayers; l++) {
      const int c0 = m.layer_first[l], c1 = m.layer_first[l + 1];
      double hmax = 0.0;
      for (int c = c0; c < c1; c++) hmax = m.h[c] > hmax ? m.h[c] : hmax;
      printf("  %-12s %5d cells, spacing %.3g .. %.3g nm\n", cfg.dev.layers[l].name, c1 - c0,
             1e9 * m.h[c0], 1e9 * hmax);
    }
    mesh_free(&m);
    printf("\nconfig OK\n");
  }
  cfg_free(&cfg);
  return rc;
}

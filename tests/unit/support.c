#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *test_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  const size_t cap = (size_t)1 << 20;
  char *s = calloc(1, cap + 1);
  const size_t n = s ? fread(s, 1, cap, f) : 0;
  fclose(f);
  if (len) *len = n;
  return s;
}

const char *tdev_three_layer_yaml =
    "temperature: 300 K\n"
    "device:\n"
    "  anode: {work_function: 5.2 eV}\n"
    "  cathode: {work_function: 3.6 eV}\n"
    "  layers:\n"
    "    - {name: HTL, thickness: 40 nm, material: {eps_r: 3, homo: -5.2 eV, lumo: -2.2 eV,\n"
    "       Nc: 1e26, Nv: 1e26, mu_n: 1e-8, mu_p: 1e-8}}\n"
    "    - {name: EML, thickness: 20 nm, material: {eps_r: 3, homo: -5.8 eV, lumo: -3.0 eV,\n"
    "       Nc: 1e26, Nv: 1e26, mu_n: 1e-8, mu_p: 1e-8}}\n"
    "    - {name: ETL, thickness: 40 nm, material: {eps_r: 3, homo: -7.4 eV, lumo: -3.6 eV,\n"
    "       Nc: 1e26, Nv: 1e26, mu_n: 1e-8, mu_p: 1e-8}}\n"
    "mesh: {nodes: 1000}\n";

const char *tdev_hole_only_yaml =
    "temperature: 300 K\n"
    "device:\n"
    "  anode: {work_function: 5.5 eV}\n"
    "  cathode: {work_function: 4.5 eV}\n"
    "  layers:\n"
    "    - {name: L, thickness: 100 nm, material: {eps_r: 3, homo: -5.5 eV, lumo: -2.5 eV,\n"
    "       Nc: 1e26, Nv: 1e26, mu_n: 1e-8, mu_p: 1e-8}}\n"
    "mesh: {nodes: 1000}\n";

int tdev_create(tdev *t, const char *yaml, const char *const *sets, int nsets) {
  qs_err err;
  char why[256];
  memset(t, 0, sizeof(*t));
  if (cfg_load_string(yaml, "<test>", sets, nsets, &t->cfg, &err)) {
    fprintf(stderr, "tdev: config: %s\n", err.msg);
    return 1;
  }
  if (sim_build_mesh(&t->cfg, &t->mesh, why, sizeof(why))) {
    fprintf(stderr, "tdev: mesh: %s\n", why);
    return 1;
  }
  nt_options opt;
  sim_newton_options(&t->cfg, &opt);
  if (dd_create(&t->cfg.dev, &t->mesh, &t->dd) || dd_currents_alloc(&t->cur, t->mesh.n)) return 1;
  if (nt_create(&t->dd, &opt, &t->nt) || ct_create(&t->dd, &t->nt, 10, t->cfg.solver.max_step, &t->ct)) return 1;
  ct_result r;
  if (ct_equilibrium(&t->ct, &r) || !r.converged) {
    fprintf(stderr, "tdev: equilibrium did not converge: %s\n", r.reason);
    return 1;
  }
  dd_compute_currents(&t->dd, t->ct.x, &t->cur);
  return 0;
}

int tdev_goto(tdev *t, double V) {
  ct_result r;
  if (ct_goto(&t->ct, V, &r) || !r.converged) {
    fprintf(stderr, "tdev: V = %g did not converge: %s\n", V, r.reason);
    return 0;
  }
  dd_compute_currents(&t->dd, t->ct.x, &t->cur);
  return 1;
}

double tdev_J(const tdev *t) { return t->cur.J; }

void tdev_destroy(tdev *t) {
  ct_destroy(&t->ct);
  nt_destroy(&t->nt);
  dd_currents_free(&t->cur);
  dd_free(&t->dd);
  mesh_free(&t->mesh);
  cfg_free(&t->cfg);
}

/* Test support: a device built from YAML text and solved at chosen biases, with direct access to
 * the solver state for physics checks. */
#ifndef QLEDSIM_TEST_SUPPORT_H
#define QLEDSIM_TEST_SUPPORT_H

#include "io/config.h"
#include "solver/continuation.h"
#include "solver/fields.h"

typedef struct {
  cfg_config cfg;
  mesh_t mesh;
  dd_ctx dd;
  nt_solver nt;
  ct_state ct;
  dd_currents cur;
} tdev;

/* Load yaml (with --set style overrides), build mesh and solver, solve the equilibrium.
 * Returns 0 on success (prints the reason otherwise). */
int tdev_create(tdev *t, const char *yaml, const char *const *sets, int nsets);
/* Continue to bias V; returns 1 if converged. Currents are updated. */
int tdev_goto(tdev *t, double V);
/* Terminal current density at the current state [A/m^2]. */
double tdev_J(const tdev *t);
void tdev_destroy(tdev *t);

/* A whole file (up to 1 MiB) as a NUL-terminated malloc'd string, its length in *len (may be
 * NULL); NULL when it cannot be read. */
char *test_read_file(const char *path, size_t *len);

/* Three-layer bipolar stack with 0.6 eV and larger offsets used by several tests. */
extern const char *tdev_three_layer_yaml;
/* The hole-only device of the core issue (100 nm, mu_p 1e-8 m^2/Vs, ohmic anode). */
extern const char *tdev_hole_only_yaml;

#endif

/* Simulate one device over its bias sweep: mesh, equilibrium, continuation to every requested
 * bias, post-processing into physical fields. Each finished bias point is handed to a callback
 * (which writes output), so the solver knows nothing about files. */
#ifndef QLEDSIM_SIMULATE_H
#define QLEDSIM_SIMULATE_H

#include <petscsys.h>
#include "io/config.h"
#include "physics/emission.h"
#include "solver/dd.h"
#include "solver/mesh.h"

/* Result at one bias point. Quantities are NaN when the point did not converge. */
typedef struct {
  int index;          /* position in the bias list */
  double V;           /* applied bias [V] */
  double J;           /* terminal current density [A/m^2] */
  int converged;
  int iterations;     /* Newton iterations spent on this point (all attempts) */
  int halvings;       /* bias-step halvings needed */
  char reason[64];    /* solver reason (why it failed, or how it converged) */
  em_fom fom;         /* J_rad, gamma, EQE, L, CE, PE (NaN when not converged) */
  const em_budget *budget; /* recombination by layer, channel and interface; NULL if failed */
} sim_point;

/* Fields at one bias point on the output node list: every mesh node, with a heterointerface
 * node listed twice (left side, then right side) at the same x. */
typedef struct {
  int n;
  double *x;          /* [m] */
  int *layer;         /* layer index of each entry */
  double *psi;        /* electrostatic potential [V] (vacuum level = -q psi, 0 at the cathode) */
  double *nn, *pp;    /* electron, hole density [m^-3] */
  double *Ec, *Ev;    /* band edges [eV] */
  double *Efn, *Efp;  /* quasi-Fermi levels [eV] */
  double *E;          /* electric field [V/m] */
  double *Jn, *Jp;    /* current densities [A/m^2] */
  double *R;          /* net recombination rate [m^-3 s^-1] */
  dd_currents cons;   /* scratch of fields_compute: conserved cell currents */
  double *Ecell;      /* scratch of fields_compute: cell fields [V/m] */
} sim_fields;

/* Called after every bias point; fields is NULL when the point did not converge or its fields
 * are not requested. Return non-zero to stop the simulation (e.g. output failed). */
typedef int (*sim_point_fn)(void *user, const sim_point *pt, const sim_fields *fields);

typedef struct {
  int npoints, nconverged;
  int newton_total;   /* Newton iterations over the whole run, equilibrium included */
  double solve_seconds;
  int stopped;        /* the callback asked to stop */
} sim_summary;

/* Build the mesh for cfg (for `check` and for output of /mesh). */
int sim_build_mesh(const cfg_config *cfg, mesh_t *m, char *why, size_t whylen);
/* Solver options from cfg. */
void sim_newton_options(const cfg_config *cfg, void *nt_options_out);

/* Run the bias sweep of cfg. Returns a PETSc error only for internal failures (out of memory,
 * PETSc errors); convergence failures are reported per point. */
PetscErrorCode sim_run(const cfg_config *cfg, sim_point_fn fn, void *user, sim_summary *sum);

/* Do the fields of bias V belong in the output (cfg->output.fields)? */
int sim_fields_wanted(const cfg_config *cfg, double V);

#endif

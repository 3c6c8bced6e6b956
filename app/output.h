/* Writing a run to HDF5 at the paths DESIGN.md fixes, point by point. */
#ifndef QLEDSIM_APP_OUTPUT_H
#define QLEDSIM_APP_OUTPUT_H

#include "io/config.h"
#include "io/h5out.h"
#include "physics/fom.h"
#include "solver/mesh.h"
#include "solver/simulate.h"

/* Shortest time between two checkpoints of a run [s] (see maybe_checkpoint in output.c). */
#define OUTPUT_CKPT_MIN_INTERVAL 1.0

typedef struct {
  h5out *h5;
  const cfg_config *cfg;
  int quiet;
  int tty;                 /* progress on stderr */
  double last_ckpt_time;   /* wall clock of the last checkpoint [s] */
  double last_ckpt_cost;   /* its duration [s] */
  int failed;              /* an output error happened; err holds it */
  qs_err err;
  /* the curve so far, for the summary */
  int n, cap;
  double *V, *J, *L, *EQE, *gamma, *CE, *PE;
  int *converged;
} run_output;

/* Root attributes and /mesh. */
int output_begin(run_output *o, const mesh_t *m, const char *command_line);
/* The sim_point_fn callback: /jv rows, /fields group, table row, throttled checkpoint. */
int output_point(void *user, const sim_point *pt, const sim_fields *f);
/* /summary and the final checkpoint; fills fs with the figures of merit. */
int output_finish(run_output *o, const sim_summary *sum, fom_summary *fs);
/* Free the curve arrays. */
void output_free(run_output *o);
/* Print the figures of merit in a short human-readable block. */
void output_print_summary(const run_output *o, const fom_summary *fs, FILE *f);

/* Wall clock [s]. */
double output_now(void);

#endif

/* qledsim run: simulate the bias sweep of one device and write HDF5. */
#include "app/cli.h"
#include "app/interrupt.h"
#include "app/output.h"
#include "app/output_async.h"
#include "app/session.h"

#include <petscsys.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_failures(const cfg_config *cfg, const sim_summary *sum, FILE *f) {
  fprintf(f, "qledsim: warning: %d of %d bias points did not converge (see /jv/converged and "
             "/jv/reason in the output)\n",
          sum->npoints - sum->nconverged, cfg->nV);
}

/* One run: run_start solves while the writer thread writes; run_end waits for the writer (which
 * writes the summary and the final file last) and reports. */
typedef struct {
  mesh_t m;
  run_output o;
  out_async writer;
  sim_summary sum;
  fom_summary fs;
  PetscErrorCode ierr;
  int sig; /* the signal that stopped the sweep, or 0 */
} run_job;

/* sim_point_fn: hand the point to the writer; stop after it when a signal arrived. */
static int run_point(void *user, const sim_point *pt, const sim_fields *f) {
  return output_async_point(user, pt, f) || interrupt_caught();
}

/* Mesh, output file, the writer (header first) and the sweep. Returns CLI_OK when the writer
 * was started (run_end must follow), else the exit status. */
static int run_start(cli_args *a, const cfg_config *cfg, const char *outpath, const char *cmdline,
                     run_job *j) {
  char why[256];
  memset(j, 0, sizeof(*j));
  if (sim_build_mesh(cfg, &j->m, why, sizeof(why))) {
    fprintf(stderr, "qledsim: error: %s: mesh: %s\n", cfg->path, why);
    return CLI_EXIT_INPUT;
  }
  run_output *o = &j->o;
  o->cfg = cfg;
  o->quiet = a->quiet;
  o->tty = isatty(2);
  if (h5out_open(outpath, a->force, &o->h5, &o->err)) {
    mesh_free(&j->m);
    fprintf(stderr, "qledsim: error: %s\n", o->err.msg);
    return o->err.cls == QS_ERR_FILE ? CLI_EXIT_RUNTIME : CLI_EXIT_INPUT;
  }
  if (h5out_stage(o->h5)) {
    h5out_abandon(o->h5);
    mesh_free(&j->m);
    fprintf(stderr, "qledsim: error: out of memory\n");
    return CLI_EXIT_RUNTIME;
  }
  output_async_start(&j->writer, o, &j->m, cmdline);
  if (!a->quiet)
    printf("%8s  %13s  %11s  %8s  %8s  %4s\n", "V [V]", "J [A/m^2]", "L [cd/m^2]", "EQE",
           "gamma", "its");
  interrupt_install();
  j->ierr = sim_run(cfg, run_point, &j->writer, &j->sum);
  interrupt_restore();
  j->sig = j->sum.npoints < cfg->nV ? interrupt_caught() : 0; /* a late signal changes nothing */
  output_async_end(&j->writer, j->ierr || j->sig ? NULL : &j->sum, &j->fs);
  return CLI_OK;
}

/* Wait for the writer and report. Returns the exit status. */
static int run_end(const cfg_config *cfg, const char *outpath, run_job *j) {
  run_output *o = &j->o;
  int failed = output_async_join(&j->writer);
  mesh_free(&j->m);
  if (j->ierr) {
    qs_fail(&o->err, QS_ERR_OTHER, "solver failure (PETSc error %d)", (int)j->ierr);
    failed = 1;
  } else if (j->sig && !failed) {
    /* every point given to the writer is in the file now: checkpoint them before moving aside */
    if (h5out_checkpoint(o->h5, &o->err)) failed = 1;
    else {
      qs_fail(&o->err, QS_ERR_OTHER, "stopped by %s after %d of %d bias points",
              interrupt_name(j->sig), j->sum.npoints, cfg->nV);
      failed = 1;
    }
  }
  if (!failed) output_print_summary(o, &j->fs, stdout);
  output_free(o);
  if (failed) {
    if (o->h5) h5out_fail(o->h5, &o->err);
    fprintf(stderr, "qledsim: error: %s\n", o->err.msg);
    return j->sig ? 128 + j->sig : CLI_EXIT_RUNTIME;
  }
  printf("wrote %s: %d bias points, %d converged, %d Newton iterations, %.3f s\n", outpath,
         j->sum.npoints, j->sum.nconverged, j->sum.newton_total, j->sum.solve_seconds);
  if (j->sum.nconverged < j->sum.npoints) {
    print_failures(cfg, &j->sum, stderr);
    return CLI_EXIT_UNCONVERGED;
  }
  return CLI_OK;
}

int cmd_run(cli_args *a) {
  cfg_config cfg;
  if (session_load_config(a, &cfg)) return CLI_EXIT_INPUT;
  char *outpath = session_output_path(a, &cfg);
  char *cmdline = session_command_line(a->argc, a->argv);
  int rc = CLI_EXIT_RUNTIME;
  if (outpath && cmdline && session_petsc_init(a, &cfg) == 0) {
    PetscMPIInt size;
    MPI_Comm_size(PETSC_COMM_WORLD, &size);
    run_job j;
    if (size > 1) {
      fprintf(stderr, "qledsim: error: 'run' is serial; use 'qledsim sweep' under mpirun\n");
      rc = CLI_EXIT_INPUT;
    } else {
      rc = run_start(a, &cfg, outpath, cmdline, &j);
      if (rc == CLI_OK) rc = run_end(&cfg, outpath, &j);
    }
    PetscFinalize();
  }
  free(outpath);
  free(cmdline);
  cfg_free(&cfg);
  return rc;
}

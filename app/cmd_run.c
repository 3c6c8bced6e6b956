/* qledsim run: simulate the bias sweep of one device and write HDF5. */
#include "app/cli.h"
#include "app/output.h"
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

/* Everything after PETSc is up: mesh, output, simulation. Returns the exit status. */
static int run_simulation(cli_args *a, const cfg_config *cfg, const char *outpath,
                          const char *cmdline) {
  mesh_t m;
  char why[256];
  if (sim_build_mesh(cfg, &m, why, sizeof(why))) {
    fprintf(stderr, "qledsim: error: %s: mesh: %s\n", cfg->path, why);
    return CLI_EXIT_INPUT;
  }
  run_output o;
  memset(&o, 0, sizeof(o));
  o.cfg = cfg;
  o.quiet = a->quiet;
  o.tty = isatty(2);
  if (h5out_open(outpath, a->force, &o.h5, &o.err)) {
    mesh_free(&m);
    fprintf(stderr, "qledsim: error: %s\n", o.err.msg);
    return o.err.cls == QS_ERR_FILE ? CLI_EXIT_RUNTIME : CLI_EXIT_INPUT;
  }
  if (h5out_stage(o.h5)) {
    h5out_abandon(o.h5);
    mesh_free(&m);
    fprintf(stderr, "qledsim: error: out of memory\n");
    return CLI_EXIT_RUNTIME;
  }
  int failed = output_begin(&o, &m, cmdline);
  mesh_free(&m);
  sim_summary sum;
  fom_summary fs;
  memset(&sum, 0, sizeof(sum));
  if (!failed) {
    if (!a->quiet)
      printf("%8s  %13s  %11s  %8s  %8s  %4s\n", "V [V]", "J [A/m^2]", "L [cd/m^2]", "EQE",
             "gamma", "its");
    PetscErrorCode ierr = sim_run(cfg, output_point, &o, &sum);
    if (ierr) {
      qs_fail(&o.err, QS_ERR_OTHER, "solver failure (PETSc error %d)", (int)ierr);
      h5out_fail(o.h5, &o.err);
      output_free(&o);
      fprintf(stderr, "qledsim: error: %s\n", o.err.msg);
      return CLI_EXIT_RUNTIME;
    }
    failed = o.failed || output_finish(&o, &sum, &fs);
  }
  if (!failed) output_print_summary(&o, &fs, stdout);
  output_free(&o);
  if (failed) {
    if (o.h5) h5out_fail(o.h5, &o.err);
    fprintf(stderr, "qledsim: error: %s\n", o.err.msg);
    return CLI_EXIT_RUNTIME;
  }
  printf("wrote %s: %d bias points, %d converged, %d Newton iterations, %.3f s\n", outpath,
         sum.npoints, sum.nconverged, sum.newton_total, sum.solve_seconds);
  if (sum.nconverged < sum.npoints) {
    print_failures(cfg, &sum, stderr);
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
    if (size > 1) {
      fprintf(stderr, "qledsim: error: 'run' is serial; use 'qledsim sweep' under mpirun\n");
      rc = CLI_EXIT_INPUT;
    } else {
      rc = run_simulation(a, &cfg, outpath, cmdline);
    }
    PetscFinalize();
  }
  free(outpath);
  free(cmdline);
  cfg_free(&cfg);
  return rc;
}

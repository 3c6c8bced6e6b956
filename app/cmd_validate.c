/* qledsim validate [VALIDATION.yaml] [-o OUT.h5] [--force] [--only id1,id2] [--set ...] [-q]:
 * simulate every selected entry of a validation file (default: Table 1 of the cross-linking
 * review), evaluate the facts, print the comparison and write OUT.h5 and OUT.csv. The order:
 * read and check everything that can be wrong in the input (file, --only, outputs) before any
 * simulation; then one entry at a time, each finished entry written and checkpointed so a killed
 * run keeps it; an entry that fails or does not converge is reported as such and the run goes on.
 * Exit status: 0 all entries ran, 1 bad input, 2 output error, 3 some entries failed or did not
 * converge. See app/validate.h for the pieces. */
#include "app/cli.h"
#include "app/output.h"
#include "app/session.h"
#include "app/validate.h"

#include <petscsys.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  cli_args *a;
  vd_file vf;
  char *path, *outpath, *csvpath, *cmdline;
  h5out *h5;
  vd_summary sum;
  qs_err err;
  int tty, petsc;
} vd_ctx;

static int exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

/* The validation file: the positional argument, else the data directory's table1.yaml. */
static char *validation_path(const cli_args *a) {
  if (a->config) return strdup(a->config);
  const char *dir = cfg_datadir();
  const size_t n = strlen(dir) + 32;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/validation/table1.yaml", dir);
  return p;
}

/* OUT.h5 -> OUT.csv (OUT -> OUT.csv when it has no .h5 ending). */
static char *csv_path(const char *h5) {
  const size_t n = strlen(h5);
  const size_t stem = n > 3 && !strcmp(h5 + n - 3, ".h5") ? n - 3 : n;
  char *p = malloc(stem + 5);
  if (p) snprintf(p, stem + 5, "%.*s.csv", (int)stem, h5);
  return p;
}

/* Everything that can be wrong before a simulation: the file, --only, the output paths. */
static int prepare(vd_ctx *c) {
  cli_args *a = c->a;
  c->path = validation_path(a);
  c->outpath = strdup(a->output ? a->output : "validation.h5");
  c->csvpath = c->outpath ? csv_path(c->outpath) : NULL;
  c->cmdline = session_command_line(a->argc, a->argv);
  if (!c->path || !c->outpath || !c->csvpath || !c->cmdline) {
    fprintf(stderr, "qledsim: error: out of memory\n");
    return CLI_EXIT_RUNTIME;
  }
  /* c->path and the other strings are freed by cmd_validate on every path (the analyzer does
   * not follow the context back there) */
  if (vd_load(c->path, &c->vf, &c->err) || vd_select(&c->vf, a->only, &c->err)) { // NOLINT(clang-analyzer-unix.Malloc)
    fprintf(stderr, "qledsim: error: %s\n", c->err.msg);
    return CLI_EXIT_INPUT;
  }
  const char *out[2] = {c->outpath, c->csvpath};
  for (int k = 0; k < 2 && !a->force; k++)
    if (exists(out[k])) {
      fprintf(stderr, "qledsim: error: %s: output file exists (use --force to overwrite)\n",
              out[k]);
      return CLI_EXIT_RUNTIME;
    }
  return 0;
}

/* A --set that no selected entry accepts is a command-line error (exit 1), not a failure of
 * every entry: build each device (cheap: no simulation) and look at the reasons. A --set that
 * only some stacks accept (a layer name of one entry) leaves those others failed, as they are. */
static int check_sets(vd_ctx *c) {
  if (!c->a->nsets) return 0;
  int buildable = 0, refused = 0;
  char first[2048] = "";
  for (int i = 0; i < c->vf.n; i++) {
    vd_entry *e = &c->vf.e[i];
    if (!e->selected || e->load_error) continue;
    cfg_config cfg;
    char why[2048] = "", *text = NULL;
    buildable++;
    if (vd_build(&c->vf, e, 0, c->a->sets, c->a->nsets, &cfg, &text, why, sizeof(why))) {
      if (!strncmp(why, "--set '", 7) && refused++ == 0) snprintf(first, sizeof(first), "%s", why);
    } else {
      cfg_free(&cfg);
    }
    free(text);
  }
  if (!buildable || refused < buildable) return 0;
  fprintf(stderr, "qledsim: error: %s (in every selected entry of %s)\n", first, c->path);
  return CLI_EXIT_INPUT;
}

static int init_petsc(vd_ctx *c) {
  if (session_petsc_init(c->a, NULL)) return CLI_EXIT_RUNTIME;
  c->petsc = 1;
  PetscMPIInt size;
  MPI_Comm_size(PETSC_COMM_WORLD, &size);
  if (size > 1) {
    fprintf(stderr, "qledsim: error: 'validate' is serial; run it without mpirun\n");
    return CLI_EXIT_INPUT;
  }
  return 0;
}

static int count_selected(const vd_file *vf) {
  int n = 0;
  for (int i = 0; i < vf->n; i++)
    n += vf->e[i].selected != 0;
  return n;
}

/* Simulate the selected entries one by one; each is written and checkpointed when done. */
static int run_entries(vd_ctx *c) {
  const int total = count_selected(&c->vf);
  int k = 0;
  for (int i = 0; i < c->vf.n; i++) {
    vd_entry *e = &c->vf.e[i];
    if (!e->selected) continue;
    k++;
    if (c->tty) fprintf(stderr, "\r  entry %d/%d  %-24s", k, total, e->id);
    if (vd_run_entry(&c->vf, e, 0, c->a->sets, c->a->nsets, &e->run)) {
      fprintf(stderr, "qledsim: error: out of memory\n");
      return CLI_EXIT_RUNTIME;
    }
    if (vd_h5_entry(c->h5, &c->vf, e) || h5out_checkpoint(c->h5, &c->err)) {
      fprintf(stderr, "qledsim: error: %s: cannot write entry %s%s%s\n", c->outpath, e->id,
                      c->err.msg[0] ? ": " : "", c->err.msg);
      return CLI_EXIT_RUNTIME;
    }
  }
  if (c->tty) fprintf(stderr, "\r%60s\r", "");
  return 0;
}

/* Facts, statistics, the end of the HDF5 file and the CSV. */
static int finish(vd_ctx *c, double t0) {
  if (vd_facts(&c->vf, c->a->sets, c->a->nsets)) {
    fprintf(stderr, "qledsim: error: out of memory\n");
    return CLI_EXIT_RUNTIME;
  }
  c->sum.wall_time = output_now() - t0;
  vd_summarise(&c->vf, &c->sum);
  h5out *h = c->h5;
  c->h5 = NULL;
  if (vd_h5_finish(h, &c->vf, &c->sum)) {
    h5out_abandon(h);
    fprintf(stderr, "qledsim: error: %s: cannot write the summary and facts\n", c->outpath);
    return CLI_EXIT_RUNTIME;
  }
  if (h5out_finish(h, &c->err) || vd_write_csv(&c->vf, c->csvpath, &c->err)) {
    fprintf(stderr, "qledsim: error: %s\n", c->err.msg);
    return CLI_EXIT_RUNTIME;
  }
  return 0;
}

static int validate(vd_ctx *c) {
  const double t0 = output_now();
  if (h5out_open(c->outpath, c->a->force, &c->h5, &c->err)) {
    fprintf(stderr, "qledsim: error: %s\n", c->err.msg);
    return c->err.cls == QS_ERR_FILE ? CLI_EXIT_RUNTIME : CLI_EXIT_INPUT;
  }
  if (vd_h5_begin(c->h5, &c->vf, c->cmdline) || h5out_checkpoint(c->h5, &c->err)) {
    fprintf(stderr, "qledsim: error: %s: cannot write the validation layout%s%s\n", c->outpath,
            c->err.msg[0] ? ": " : "", c->err.msg);
    return CLI_EXIT_RUNTIME;
  }
  int rc = run_entries(c);
  if (!rc) rc = finish(c, t0);
  if (rc) return rc;
  if (!c->a->quiet) {
    vd_print_table(&c->vf, stdout);
    vd_print_summary(&c->vf, &c->sum, stdout);
    vd_print_facts(&c->vf, stdout);
  }
  printf("wrote %s and %s: %d entries, %d ok, %d unconverged, %d failed, %.1f s\n", c->outpath,
         c->csvpath, c->sum.n_entries, c->sum.n_ok, c->sum.n_unconverged, c->sum.n_failed,
         c->sum.wall_time);
  fflush(stdout); /* the table before the warning when both go to one place */
  if (c->sum.n_ok < c->sum.n_entries) {
    fprintf(stderr, "qledsim: warning: %d of %d entries failed or did not converge (see the "
                    "status column and /validation/reason)\n",
            c->sum.n_entries - c->sum.n_ok, c->sum.n_entries);
    return CLI_EXIT_UNCONVERGED;
  }
  return CLI_OK;
}

int cmd_validate(cli_args *a) {
  vd_ctx c;
  memset(&c, 0, sizeof(c));
  c.a = a;
  c.tty = isatty(2);
  int rc = prepare(&c);
  if (!rc) rc = check_sets(&c);
  if (!rc && !(rc = init_petsc(&c))) {
    rc = validate(&c);
    if (c.h5) h5out_abandon(c.h5);
  }
  if (c.petsc) PetscFinalize();
  vd_free(&c.vf);
  free(c.path);
  free(c.outpath);
  free(c.csvpath);
  free(c.cmdline);
  return rc;
}

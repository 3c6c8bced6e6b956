/* The qledsim command line: shared argument parsing and the subcommands. */
#ifndef QLEDSIM_CLI_H
#define QLEDSIM_CLI_H

#include <stdio.h>

#define CLI_MAX_SETS 256

/* Exit statuses (documented in the README). */
enum {
  CLI_OK = 0,
  CLI_EXIT_INPUT = 1,       /* bad command line, config or material database */
  CLI_EXIT_RUNTIME = 2,     /* output could not be written, internal error */
  CLI_EXIT_UNCONVERGED = 3  /* finished, but some bias points did not converge */
};

typedef struct {
  const char *command;
  const char *config;       /* positional CONFIG or NULL */
  const char *output;       /* -o */
  const char *sets[CLI_MAX_SETS];
  int nsets;
  int force;                /* --force: overwrite the output */
  int quiet;                /* -q: no table on stdout */
  const char *varies[CLI_MAX_SETS]; /* sweep: --vary key.path=spec */
  int nvaries;
  int resume;               /* sweep: --resume */
  const char *chunk;        /* sweep: --chunk i/N */
  int progress;             /* sweep: --progress (progress on stderr even when not a terminal) */
  const char *only;         /* validate: --only id1,id2 */
  char **files;             /* merge: positional OUT.h5 CHUNK.h5 ... (points into argv) */
  int nfiles;
  int argc;                 /* the whole command line, for provenance */
  char **argv;
  int petsc_argc;           /* argv for PetscInitialize: program name + PETSc options */
  char **petsc_argv;
} cli_args;

/* Parse argv after the subcommand. Returns 0, or prints a message and returns non-zero. */
int cli_parse(int argc, char **argv, cli_args *a);
void cli_args_free(cli_args *a);

int cmd_run(cli_args *a);
int cmd_check(cli_args *a);
int cmd_materials(cli_args *a);
int cmd_sweep(cli_args *a);
int cmd_merge(cli_args *a);
int cmd_validate(cli_args *a);

#endif

/* Start-up shared by the subcommands: load the config, initialise PETSc with the command-line
 * PETSc options plus the config's solver.petsc_options (the command line wins). */
#ifndef QLEDSIM_SESSION_H
#define QLEDSIM_SESSION_H

#include "app/cli.h"
#include "io/config.h"

/* Load the config named on the command line (or the default device), applying --set. Prints
 * the error and returns non-zero on failure. */
int session_load_config(const cli_args *a, cfg_config *cfg);
/* PetscInitialize with a->petsc_argv; then insert the config's PETSc options that the command
 * line does not set (cfg NULL: none, e.g. `validate`, whose entries each have their own).
 * Returns non-zero (after printing) on failure. */
int session_petsc_init(cli_args *a, const cfg_config *cfg);
/* The output path: -o, else output.file, else the config's base name with .h5 (in the current
 * directory). malloc'd. */
char *session_output_path(const cli_args *a, const cfg_config *cfg);
/* The command line as one string, for the output's provenance. malloc'd. */
char *session_command_line(int argc, char **argv);
/* Before MPI starts: no PCI scan in hwloc; a process not launched by mpirun/srun runs as an
 * isolated Open MPI singleton with shared-memory transports only (0.3 s less start-up); see
 * session.c. */
void session_mpi_env(void);
/* Right after MPI starts: TCP_NODELAY on the MPI runtime's loopback connections (MPI_Finalize
 * 46 -> 4 ms under mpirun; see session.c). */
void session_mpi_started(void);

#endif

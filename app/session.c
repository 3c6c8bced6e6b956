#include "app/session.h"

#include <petscsys.h>
#include <stdlib.h>
#include <string.h>

int session_load_config(const cli_args *a, cfg_config *cfg) {
  qs_err err;
  memset(&err, 0, sizeof(err));
  if (cfg_load(a->config, a->sets, a->nsets, cfg, &err)) {
    fprintf(stderr, "qledsim: error: %s\n", err.msg);
    return 1;
  }
  return 0;
}

/* Insert "-name [value]" pairs from text unless the option is already set. */
static PetscErrorCode insert_config_options(const char *text) {
  PetscFunctionBeginUser;
  if (!text) PetscFunctionReturn(0);
  char *copy = strdup(text), *save = NULL;
  PetscCheck(copy, PETSC_COMM_SELF, PETSC_ERR_MEM, "out of memory");
  char *tok = strtok_r(copy, " \t\n", &save);
  while (tok) {
    char *next = strtok_r(NULL, " \t\n", &save);
    const char *value = NULL;
    if (next && (next[0] != '-' || (next[1] >= '0' && next[1] <= '9') || next[1] == '.')) {
      value = next;
      next = strtok_r(NULL, " \t\n", &save);
    }
    PetscBool set;
    PetscCall(PetscOptionsHasName(NULL, NULL, tok, &set));
    if (!set) PetscCall(PetscOptionsSetValue(NULL, tok, value));
    tok = next;
  }
  free(copy);
  PetscFunctionReturn(0);
}

/* A run started without an MPI launcher (no mpirun/srun rank variables) is an Open MPI
 * "singleton": by default it forks an orted daemon and probes every network transport, 0.3 s of
 * a 0.4 s run, and hwloc reads the PCI configuration of every device. Isolated singleton mode with only the shared-memory and self transports starts in
 * ~0.05 s and is all a single process needs. Variables the user set win (setenv without
 * overwrite); under mpirun/srun nothing changes. Other MPI libraries ignore OMPI_MCA_*. */
void session_mpi_env(void) {
  static const char *const launched[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"};
  for (size_t k = 0; k < sizeof(launched) / sizeof(launched[0]); k++)
    if (getenv(launched[k])) return;
  setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
  setenv("OMPI_MCA_pml", "ob1", 0);
  setenv("OMPI_MCA_btl", "self,vader", 0);
  /* no PCI/IO scan in hwloc's topology discovery (~10 ms; a single process binds nothing) */
  setenv("HWLOC_COMPONENTS", "-pci,-linuxio", 0);
}

int session_petsc_init(cli_args *a, const cfg_config *cfg) {
  session_mpi_env();
  PetscErrorCode ierr = PetscInitialize(&a->petsc_argc, &a->petsc_argv, NULL, NULL);
  if (ierr) {
    fprintf(stderr, "qledsim: error: PETSc initialisation failed (%d)\n", (int)ierr);
    return 1;
  }
  ierr = insert_config_options(cfg->solver.petsc_options);
  if (ierr) {
    fprintf(stderr, "qledsim: error: bad solver.petsc_options '%s'\n", cfg->solver.petsc_options);
    return 1;
  }
  return 0;
}

char *session_output_path(const cli_args *a, const cfg_config *cfg) {
  if (a->output) return strdup(a->output);
  if (cfg->output.file) return strdup(cfg->output.file);
  const char *src = cfg->path ? cfg->path : "qledsim";
  const char *base = strrchr(src, '/');
  base = base ? base + 1 : src;
  size_t n = strlen(base);
  const char *dot = strrchr(base, '.');
  if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml"))) n = (size_t)(dot - base);
  char *out = malloc(n + 4);
  if (out) snprintf(out, n + 4, "%.*s.h5", (int)n, base);
  return out;
}

char *session_command_line(int argc, char **argv) {
  size_t len = 1;
  for (int i = 0; i < argc; i++) len += strlen(argv[i]) + 1;
  char *s = malloc(len);
  if (!s) return NULL;
  s[0] = '\0';
  for (int i = 0; i < argc; i++) {
    strcat(s, argv[i]);
    if (i + 1 < argc) strcat(s, " ");
  }
  return s;
}

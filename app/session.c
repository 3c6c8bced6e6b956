#include "app/session.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <petscsys.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

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

/* Every process, launched or not: hwloc skips the PCI and I/O-device scan (~25 ms of MPI_Init,
 * measured with mpirun -n 2 on a 2-core VM: 45 -> 21 ms). Open MPI only uses those objects to
 * rank network cards by distance; qledsim exchanges one small message per sweep point.
 *
 * A run started without an MPI launcher (no mpirun/srun rank variables) is an Open MPI
 * "singleton": by default it forks an orted daemon and probes every network transport, 0.3 s of
 * a 0.4 s run. Isolated singleton mode with only the shared-memory and self transports starts in
 * ~0.05 s and is all a single process needs. Variables the user set win (setenv without
 * overwrite). Other MPI libraries ignore OMPI_MCA_*. */
void session_mpi_env(void) {
  setenv("HWLOC_COMPONENTS", "-pci,-linuxio", 0);
  static const char *const launched[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"};
  for (size_t k = 0; k < sizeof(launched) / sizeof(launched[0]); k++)
    if (getenv(launched[k])) return;
  setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
  setenv("OMPI_MCA_pml", "ob1", 0);
  setenv("OMPI_MCA_btl", "self,vader", 0);
}

static int is_loopback(const struct sockaddr_storage *a) {
  if (a->ss_family == AF_INET) {
    const struct sockaddr_in *v4 = (const struct sockaddr_in *)a;
    return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
  }
  if (a->ss_family == AF_INET6) {
    const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)a;
    return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
  }
  return 0;
}

/* Under mpirun, Open MPI 4.1's PMIx client talks to the launcher over a loopback TCP connection
 * without TCP_NODELAY. MPI_Finalize sends its fence as several small writes, and Nagle's
 * algorithm holds the later ones until the delayed ACK (40 ms on Linux): MPI_Finalize took
 * 46-48 ms, with TCP_NODELAY 4-5 ms (measured, mpirun -n 1 and -n 2). The only loopback TCP
 * streams this process has right after MPI_Init are the MPI runtime's. */
void session_mpi_started(void) {
  for (int fd = 0; fd < 1024; fd++) {
    struct stat st;
    if (fstat(fd, &st) || !S_ISSOCK(st.st_mode)) continue;
    int type = 0;
    socklen_t tl = sizeof(type);
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) || type != SOCK_STREAM) continue;
    struct sockaddr_storage peer;
    socklen_t pl = sizeof(peer);
    if (getpeername(fd, (struct sockaddr *)&peer, &pl) || !is_loopback(&peer)) continue;
    const int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)); /* a hint: no error path */
  }
}

int session_petsc_init(cli_args *a, const cfg_config *cfg) {
  session_mpi_env();
  int mpi_before = 0; /* sweep starts MPI itself (and calls session_mpi_started) */
  MPI_Initialized(&mpi_before);
  PetscErrorCode ierr = PetscInitialize(&a->petsc_argc, &a->petsc_argv, NULL, NULL);
  if (ierr) {
    fprintf(stderr, "qledsim: error: PETSc initialisation failed (%d)\n", (int)ierr);
    return 1;
  }
  if (!mpi_before) session_mpi_started();
  if (!cfg) return 0;
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

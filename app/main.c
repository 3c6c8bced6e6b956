/* qledsim: drift-diffusion simulation of quantum-dot LEDs. See README.md. */
#include "app/cli.h"
#include "app/version.h"
#include "io/matdb.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f) {
  fprintf(f,
          "qledsim %s: drift-diffusion simulator for quantum-dot LEDs\n"
          "\n"
          "usage:\n"
          "  qledsim run [CONFIG] [-o OUT.h5] [--force] [--set key.path=value ...] [PETSc options]\n"
          "  qledsim check [CONFIG] [--set key.path=value ...]\n"
          "  qledsim sweep CONFIG --vary key.path=start:step:stop|v1,v2,... [--vary ...] [-o OUT.h5]\n"
          "                [--force] [--resume] [--chunk i/N] [--progress] [--set ...] [PETSc options]\n"
          "  qledsim merge OUT.h5 CHUNK.h5 ... [--force]\n"
          "  qledsim validate [VALIDATION.yaml] [-o OUT.h5] [--force] [--only id1,id2] [--set ...] [-q]\n"
          "  qledsim materials [NAME]\n"
          "  qledsim --version | --help\n"
          "\n"
          "run     simulate the bias sweep of CONFIG (default: the red QD-LED) and write HDF5\n"
          "check   validate CONFIG and print the resolved device and mesh\n"
          "sweep   simulate CONFIG over a grid of values of config keys (under mpirun: points\n"
          "        spread over the ranks) and write one HDF5 file\n"
          "merge   join the files of a sweep run in chunks (--chunk i/N) into one\n"
          "validate  simulate the reported devices of VALIDATION.yaml (default: Table 1 of the\n"
          "        cross-linking review, configs/validation/table1.yaml) and compare predicted\n"
          "        with reported EQE, CE, PE and turn-on; writes OUT.h5 (validation.h5) and OUT.csv\n"
          "materials  list the material database with sources, or one material in full\n"
          "\n"
          "options:\n"
          "  -o, --output FILE   output HDF5 file (default: output.file, else CONFIG's name .h5)\n"
          "  --set KEY=VALUE     override a config value, e.g. --set layers.HTL.thickness='30 nm'\n"
          "  --force             overwrite an existing output file\n"
          "  -q, --quiet         no table on stdout\n"
          "  --vary KEY=SPEC     sweep: vary a config key over start:step:stop (inclusive) or\n"
          "                      v1,v2,...; several --vary make a grid (first key slowest)\n"
          "  --resume            sweep: complete an interrupted sweep file (kept points stay)\n"
          "  --chunk i/N         sweep: compute only the points k with k mod N = i\n"
          "  --progress          sweep: progress on stderr even when it is not a terminal\n"
          "  --only ID,ID,...    validate: simulate only these entries\n"
          "  other -options      passed to PETSc (-snes_monitor, -pc_type, ...)\n"
          "\n"
          "exit status: 0 ok, 1 bad input, 2 runtime/output error, 3 some points not converged\n"
          "(sweep, merge: 3 = some sweep points failed or had bias points not converged;\n"
          " validate: 3 = some entries failed or did not converge)\n",
          QLEDSIM_VERSION);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return CLI_EXIT_INPUT;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    usage(stdout);
    return CLI_OK;
  }
  if (!strcmp(cmd, "--version")) {
    printf("qledsim %s (%s)\n", QLEDSIM_VERSION, qledsim_git_commit);
    return CLI_OK;
  }
  int (*fn)(cli_args *) = NULL;
  if (!strcmp(cmd, "run")) fn = cmd_run;
  else if (!strcmp(cmd, "check")) fn = cmd_check;
  else if (!strcmp(cmd, "materials")) fn = cmd_materials;
  else if (!strcmp(cmd, "sweep")) fn = cmd_sweep;
  else if (!strcmp(cmd, "merge")) fn = cmd_merge;
  else if (!strcmp(cmd, "validate")) fn = cmd_validate;
  if (!fn) {
    fprintf(stderr, "qledsim: unknown command '%s' (expected run, check, sweep, merge, validate or materials; see qledsim --help)\n",
            cmd);
    return CLI_EXIT_INPUT;
  }
  cli_args a;
  if (cli_parse(argc, argv, &a)) {
    cli_args_free(&a);
    return CLI_EXIT_INPUT;
  }
  int rc = fn(&a);
  cli_args_free(&a);
  matdb_cache_clear();
  return rc;
}

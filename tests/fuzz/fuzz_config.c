/* libFuzzer harness for the config reader: YAML text -> validated cfg_config, including unit
 * parsing, material resolution, blends and traps, and --set overrides.
 *
 * Input: YAML text. If it contains a line "#--set" the lines after it are --set assignments
 * ("key.path=value"), applied in order as `qledsim run --set` would.
 * Properties checked beyond "no crash, leak, UB or hang":
 *  - a rejected config carries an error class and a non-empty message;
 *  - an accepted config's resolved YAML (the text stored in every output file) loads again, and
 *    resolving it once more gives the same text (the round trip the README promises);
 *  - an accepted config (with a modest node count) builds its mesh, and then the device model
 *    (dd_create) and the emission model: what validation accepts, the solver can set up. */
#include "io/config.h"
#include "physics/emission.h"
#include "solver/dd.h"
#include "solver/simulate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SETS 16

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  /* The material database of the source tree (or the one given in the environment). */
  if (!getenv("QLEDSIM_MATERIALS")) setenv("QLEDSIM_MATERIALS", QLEDSIM_DATADIR "/materials", 1);
  devnull = fopen("/dev/null", "w");
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 64 * 1024) return 0; /* configs are small; keep the fuzzer on structure */
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';

  const char *sets[MAX_SETS];
  int nsets = 0;
  char *marker = strstr(text, "#--set\n");
  if (marker && (marker == text || marker[-1] == '\n')) {
    *marker = '\0';
    char *p = marker + 7;
    while (*p && nsets < MAX_SETS) {
      char *nl = strchr(p, '\n');
      if (nl) *nl = '\0';
      sets[nsets++] = p;
      if (!nl) break;
      p = nl + 1;
    }
  }

  cfg_config cfg;
  qs_err err;
  memset(&err, 0, sizeof(err));
  int rc = cfg_load_string(text, "fuzz.yaml", sets, nsets, &cfg, &err);
  if (rc) {
    if (err.cls == QS_OK || err.msg[0] == '\0') {
      fprintf(stderr, "rejected without a message (rc %d)\n", rc);
      abort();
    }
  } else {
    cfg_print(&cfg, devnull);
    mesh_t m;
    char why[256];
    if (cfg.mesh.nodes <= 4000 && sim_build_mesh(&cfg, &m, why, sizeof(why)) == 0) {
      dd_ctx dd;
      if (dd_create(&cfg.dev, &m, &dd)) {
        fprintf(stderr, "accepted config, but the device model cannot be set up (dd_create)\n");
        abort();
      }
      dd_free(&dd);
      em_model em;
      if (em_model_create(&cfg.dev, &em, why, sizeof(why))) {
        fprintf(stderr, "accepted config, but em_model_create fails: %s\n", why);
        abort();
      }
      em_model_free(&em);
      mesh_free(&m);
    }
    char *yaml = cfg_resolved_yaml(&cfg);
    if (!yaml) abort();
    cfg_config again;
    qs_err err2;
    memset(&err2, 0, sizeof(err2));
    if (cfg_load_string(yaml, "fuzz.yaml", NULL, 0, &again, &err2)) {
      fprintf(stderr, "resolved YAML does not load again: %s\n--- resolved:\n%s\n", err2.msg,
              yaml);
      abort();
    }
    char *yaml2 = cfg_resolved_yaml(&again);
    if (!yaml2 || strcmp(yaml, yaml2) != 0) {
      fprintf(stderr, "resolved YAML is not a fixed point\n--- first:\n%s\n--- second:\n%s\n",
              yaml, yaml2 ? yaml2 : "(null)");
      abort();
    }
    if (again.nV != cfg.nV || again.dev.nlayers != cfg.dev.nlayers) abort();
    free(yaml2);
    free(yaml);
    cfg_free(&again);
    cfg_free(&cfg);
  }
  free(text);
  return 0;
}

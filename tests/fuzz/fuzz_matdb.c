/* libFuzzer harness for the material database loader: the input is one or more material files
 * (separated by a line "#--file"), written to a private directory and loaded with matdb_open.
 * An accepted database is printed (table and every material), every name is looked up, and the
 * first material is used as a layer of a small device config (materials_dir pointing at the
 * fuzzed database), so resolved values flow through config validation too.
 * A rejected database must carry an error class and a message. */
#define _POSIX_C_SOURCE 200809L
#include "io/config.h"
#include "io/matdb.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILES 4

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256];
static FILE *devnull;

/* Remove the private directory when the fuzzer exits normally. */
static void cleanup(void) {
  for (int k = 0; k < MAX_FILES; k++) {
    char path[300];
    snprintf(path, sizeof(path), "%s/m%d.yaml", dir, k);
    unlink(path);
  }
  rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof(dir), "%s/qledsim-fuzz-matdb-%ld", tmp && tmp[0] ? tmp : "/tmp",
           (long)getpid());
  if (mkdir(dir, 0700) != 0) abort();
  atexit(cleanup);
  devnull = fopen("/dev/null", "w");
  return 0;
}

static void write_file(int k, const char *text) {
  char path[300];
  snprintf(path, sizeof(path), "%s/m%d.yaml", dir, k);
  FILE *f = fopen(path, "w");
  if (!f) abort();
  fputs(text, f);
  fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 32 * 1024) return 0;
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  int nf = 0;
  char *p = text;
  for (; nf < MAX_FILES; nf++) {
    char *sep = strstr(p, "#--file\n");
    if (sep) *sep = '\0';
    write_file(nf, p);
    if (!sep) {
      nf++;
      break;
    }
    p = sep + 8;
  }
  for (int k = nf; k < MAX_FILES; k++) {
    char path[300];
    snprintf(path, sizeof(path), "%s/m%d.yaml", dir, k);
    unlink(path);
  }

  matdb *db = NULL;
  qs_err err;
  memset(&err, 0, sizeof(err));
  if (matdb_open(dir, &db, &err)) {
    if (err.cls == QS_OK || !err.msg[0]) abort();
  } else {
    matdb_print(db, NULL, devnull, &err);
    for (int i = 0; i < matdb_count(db); i++) {
      const matdb_material *m = matdb_get(db, i);
      if (matdb_print(db, m->name, devnull, &err)) abort();
      if (matdb_find(db, m->name) == NULL) abort();
      for (int a = 0; a < m->naliases; a++)
        if (matdb_find(db, m->aliases[a]) == NULL) abort();
    }
    if (matdb_count(db) > 0) {
      const matdb_material *m = matdb_get(db, 0);
      size_t n = strlen(m->name) * 2 + 512;
      char *cfg_text = malloc(n), *q = malloc(strlen(m->name) * 2 + 3);
      if (cfg_text && q) {
        /* the name as a double-quoted YAML scalar */
        char *o = q;
        *o++ = '"';
        for (const char *s = m->name; *s; s++) {
          if (*s == '"' || *s == '\\') *o++ = '\\';
          *o++ = *s;
        }
        *o++ = '"';
        *o = '\0';
        snprintf(cfg_text, n,
                 "materials_dir: %s\ndevice:\n  anode: {work_function: 5 eV}\n"
                 "  cathode: {work_function: 4 eV}\n  layers:\n"
                 "    - {name: L, thickness: 50 nm, material: %s}\n",
                 dir, q);
        cfg_config cfg;
        qs_err e2;
        memset(&e2, 0, sizeof(e2));
        if (cfg_load_string(cfg_text, "fuzz.yaml", NULL, 0, &cfg, &e2) == 0) {
          char *y = cfg_resolved_yaml(&cfg);
          free(y);
          cfg_free(&cfg);
        } else if (!e2.msg[0]) {
          abort();
        }
      }
      free(cfg_text);
      free(q);
    }
    matdb_close(db);
  }
  free(text);
  return 0;
}

/* qledsim materials [NAME]: list the material database with sources, or one entry in full. */
#include "app/cli.h"
#include "io/matdb.h"

#include <stdlib.h>

int cmd_materials(cli_args *a) {
  char *dir = matdb_default_dir();
  matdb *db = NULL;
  qs_err err;
  int rc = CLI_OK;
  if (!dir || matdb_open(dir, &db, &err)) {
    fprintf(stderr, "qledsim: error: %s\n", dir ? err.msg : "out of memory");
    rc = CLI_EXIT_INPUT;
  } else if (matdb_print(db, a->config, stdout, &err)) {
    fprintf(stderr, "qledsim: error: %s\n", err.msg);
    rc = CLI_EXIT_INPUT;
  }
  if (db) matdb_close(db);
  free(dir);
  return rc;
}

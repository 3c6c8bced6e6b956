/* The material database: a directory of YAML files, one material per file, every parameter with
 * its value (with unit), a status (measured, literature, ...) and a source. Loaded and validated
 * as a whole (names unique across files, every parameter a known material key with the right
 * dimension and range); then read-only. */
#ifndef QLEDSIM_MATDB_H
#define QLEDSIM_MATDB_H

#include <stdio.h>
#include "io/qserr.h"
#include "io/yamltree.h"

typedef enum {
  MATDB_MEASURED = 0, /* measured by us on our devices or films */
  MATDB_LITERATURE,   /* taken from a paper (source names it) */
  MATDB_REVIEW,       /* taken from a review or compilation */
  MATDB_ASSUMED,      /* a typical value, no specific source */
  MATDB_FITTED,       /* fitted to device data (compare against that data separately) */
  MATDB_DERIVED,      /* computed from other parameters */
  MATDB_STATUS_COUNT_
} matdb_status;

typedef enum {
  MATDB_ELECTRODE = 0,
  MATDB_HIL,
  MATDB_HTL,
  MATDB_EML,
  MATDB_ETL,
  MATDB_CROSSLINKER,
  MATDB_GENERIC,
  MATDB_ROLE_COUNT_
} matdb_role;

typedef struct {
  const char *key;      /* material key, e.g. "homo" */
  const yt_node *value; /* the value as written, with its DB file position */
  double si;            /* SI value of a quantity; for booleans 0/1, for choices the index */
  matdb_status status;
  const char *source; /* citation or reason, never empty */
  const char *note;   /* optional remark, or NULL */
} matdb_param;

typedef struct {
  const char *name;           /* canonical name (the file's name: field) */
  const char *const *aliases; /* other names it is found under */
  int naliases;
  const char *description;
  matdb_role role;
  const char *notes; /* free text, or NULL */
  const char *file;  /* path of the YAML file */
  int line;          /* line of the name: field */
  int nparams;
  const matdb_param *params; /* in file order */
  /* key -> value node map (DB file positions), the form config resolution merges */
  const yt_node *params_map;
} matdb_material;

typedef struct matdb matdb;

/* Load and validate every *.yaml / *.yml file in dir. Errors name the file, line and key: a
 * broken file gives QS_ERR_MATERIAL (QS_ERR_FILE when the directory or a file cannot be read). */
int matdb_open(const char *dir, matdb **db, qs_err *err);
void matdb_close(matdb *db);

/* The database of dir for a config load, shared with earlier loads while the directory's files
 * hold the same bytes (io/matdb_cache.c): a sweep loads its config once per point. Give it back
 * with matdb_release, never matdb_close. matdb_cache_clear drops the kept database (at exit; a
 * database still acquired is closed by its last release). Thread-safe. */
int matdb_acquire(const char *dir, matdb **db, qs_err *err);
void matdb_release(matdb *db);
void matdb_cache_clear(void);

/* Directory the database was loaded from. */
const char *matdb_dir(const matdb *db);
/* Number of materials, and the i-th one in order of name (case-insensitive). */
int matdb_count(const matdb *db);
const matdb_material *matdb_get(const matdb *db, int i);
/* Material with this name or alias (exact match), or NULL. */
const matdb_material *matdb_find(const matdb *db, const char *name);
/* Like matdb_find, but an unknown name is QS_ERR_MATERIAL with a message (no position prefix)
 * "unknown material 'TBF' (did you mean 'TFB'?; searched DIR)". */
int matdb_lookup(const matdb *db, const char *name, const matdb_material **mat, qs_err *err);
/* Parameter of a material by key, or NULL. */
const matdb_param *matdb_param_get(const matdb_material *m, const char *key);

const char *matdb_status_name(matdb_status s);
const char *matdb_role_name(matdb_role r);

/* Default database directory: $QLEDSIM_MATERIALS if set, else cfg_datadir()/materials.
 * malloc'd (NULL when out of memory). */
char *matdb_default_dir(void);

/* For `qledsim materials`: with name == NULL a table of all materials (name, role, aliases,
 * description); otherwise every parameter of that material with value, status and source.
 * Returns 0, or QS_ERR_MATERIAL for an unknown name (err filled). */
int matdb_print(const matdb *db, const char *name, FILE *f, qs_err *err);

#endif

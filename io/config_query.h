/* Questions about config key paths asked by tools that vary keys (qledsim sweep): what kind of
 * value a path holds and in which dimension, from the key schema of io/config_schema.c. */
#ifndef QLEDSIM_CONFIG_QUERY_H
#define QLEDSIM_CONFIG_QUERY_H

#include "io/config.h"
#include "io/qserr.h"
#include "io/units.h"

typedef struct {
  int numeric;        /* a quantity or an integer (can be swept over a range) */
  int integer;        /* an integer key (mesh.nodes, solver.max_newton ...) */
  unit_dim dim;       /* its dimension (UNIT_NONE for integers and non-numeric keys) */
  const char *key;    /* the schema key name ("thickness") */
  const char *expect; /* what it expects, for messages */
} cfg_key_info;

/* Look up a key path as cfg_apply_set reads it ("layers.HTL.thickness",
 * "device.layers.1.material.mu_p", "temperature", "mesh.nodes", "anode.work_function").
 * Returns 0 with info filled, or QS_ERR_KEY when the path is not a key this table knows (it may
 * still be valid for keys added later: callers can fall back to trying the config). */
int cfg_key_query(const char *path, cfg_key_info *info, qs_err *err);

/* SI value of the scalar at path in cfg->tree (the document after --set overrides), parsed in
 * the dimension of the key. QS_ERR_KEY when the path is unknown or absent from the document. */
int cfg_value_si(const cfg_config *cfg, const char *path, double *si, unit_dim *dim, qs_err *err);

#endif

/* Run configuration: the device plus how to simulate it (bias points, mesh, solver, output).
 * Read from YAML (see DESIGN.md and README.md for the keys), validated completely before anything
 * runs; every problem is reported with file, line, key, the value found and what is expected. */
#ifndef QLEDSIM_CONFIG_H
#define QLEDSIM_CONFIG_H

#include "io/qserr.h"
#include "io/yamltree.h"
#include "physics/device.h"

typedef enum { CFG_FIELDS_ALL = 0, CFG_FIELDS_NONE, CFG_FIELDS_LIST } cfg_fields_mode;

typedef struct {
  int nodes;        /* total number of mesh nodes (a heterointerface node counts once) */
  double h_min;     /* smallest spacing, at contacts and heterointerfaces [m] */
  double max_ratio; /* largest ratio of neighbouring spacings */
} cfg_mesh;

typedef struct {
  int max_halvings;    /* bias-step halvings before a point is declared not converged */
  int max_newton;      /* Newton iterations per attempt */
  double max_update;   /* largest Newton update of any scaled unknown per iteration [kT/q] */
  double max_step;     /* largest bias step of the continuation [V] */
  char *petsc_options; /* extra PETSc options (command-line options win), may be NULL */
} cfg_solver;

typedef struct {
  char *file;            /* output HDF5 path, may be NULL (then chosen by the caller) */
  cfg_fields_mode fields;
  int nfield_V;
  double *field_V;       /* biases whose fields are stored when fields == CFG_FIELDS_LIST [V] */
} cfg_output;

typedef enum { CFG_SWEEP_RANGE = 0, CFG_SWEEP_POINTS } cfg_sweep_mode;

typedef struct {
  cfg_sweep_mode mode;   /* how the bias points were given */
  double from, to, step; /* CFG_SWEEP_RANGE: V = from, from + step, ..., to [V] */
} cfg_sweep;

typedef struct {
  dev_device dev;
  int nV;
  double *V;             /* bias points in the order they are swept [V] */
  cfg_sweep sweep;
  cfg_mesh mesh;
  cfg_solver solver;
  cfg_output output;
  char *path;            /* config file it came from ("<string>" when parsed from text) */
  char *materials_dir;   /* material database used, or NULL if no material was looked up */
  yt_node *tree;         /* the document after --set overrides (owned) */
  const yt_node *vary;   /* top-level `vary:` map (parameter sweep spec) inside tree, or NULL;
                            checked and used only by `qledsim sweep` */
} cfg_config;

/* Load, apply "key.path=value" overrides in order, resolve materials and validate.
 * path == NULL loads the default device (cfg_default_device_path()). Returns 0 or an error
 * class with err filled; on error cfg holds nothing that needs freeing. */
int cfg_load(const char *path, const char *const *sets, int nsets, cfg_config *cfg, qs_err *err);
/* Same from YAML text (name is used in messages). */
int cfg_load_string(const char *text, const char *name, const char *const *sets, int nsets,
                    cfg_config *cfg, qs_err *err);
void cfg_free(cfg_config *cfg);

/* Apply one override "key.path=value" to a document. Paths start at the top level
 * ("temperature", "device.layers.HTL.thickness", "mesh.nodes"); "layers.", "anode." and
 * "cathode." are short for "device.layers." etc. Layers are addressed by name or index.
 * A path may create a key that does not exist yet; validation later decides if it is allowed. */
int cfg_apply_set(yt_node *root, const char *assignment, qs_err *err);

/* The fully resolved configuration as YAML text (materials expanded, every value with its
 * unit). Loading this text again gives an identical cfg_config. malloc'd. */
char *cfg_resolved_yaml(const cfg_config *cfg);

/* Print the resolved device (layers, levels, mobilities, doping, contacts, bias, mesh settings)
 * in a human-readable table. */
void cfg_print(const cfg_config *cfg, FILE *f);

/* Directory holding devices/, materials/ and validation/: $QLEDSIM_DATADIR if set, else the
 * source tree's configs/ compiled in. */
const char *cfg_datadir(void);
/* Path of the default device (the red QD-LED). */
const char *cfg_default_device_path(void);

#endif

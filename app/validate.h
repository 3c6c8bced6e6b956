/* qledsim validate: simulate reported devices (configs/validation/ *.yaml, schema
 * qledsim-validation/1) and compare with what was reported. The pieces (app/validate_*.c):
 *   validate_load.c    read the validation file: entries, facts, the default stacks
 *   validate_device.c  an entry -> device config text (default stack of its colour, the entry's
 *                      layers, the blend with its documented defaults), with what was assumed
 *   validate_run.c     simulate one device and summarise it (EQE, CE, PE maxima, V_on)
 *   validate_facts.c   evaluate the qualitative facts (ratio, order, bound, values, info)
 *   validate_out.c     the table, statistics and facts on stdout, and the CSV
 *   validate_h5.c      the HDF5 file
 *   cmd_validate.c     qledsim validate: the order of things and the exit status
 * Nothing here is tuned to the reported values: every default is one documented value used for
 * all entries (see VD_DEFAULT_FRACTION and the blend rule in validate_device.c). */
#ifndef QLEDSIM_APP_VALIDATE_H
#define QLEDSIM_APP_VALIDATE_H

#include <stdio.h>

#include "io/config.h"
#include "io/h5out.h"
#include "io/qserr.h"
#include "io/yamltree.h"

/* Cross-linker loading used when the source does not report it: 5 wt% (see validate_device.c). */
#define VD_DEFAULT_FRACTION 0.05

/* Quantities compared: reported in the file and/or predicted. */
typedef enum {
  VQ_EQE = 0, /* maximum external quantum efficiency [1] */
  VQ_CE,      /* maximum current efficiency [cd/A] */
  VQ_PE,      /* maximum power efficiency [lm/W] */
  VQ_V_ON,    /* turn-on voltage (1 cd/m^2) [V]; reported only as a lower bound (v_on_min) */
  VQ_HOMO,    /* HTL HOMO [eV] (the layer next to the emitter when the HTL is a stack) */
  VQ_LUMO,    /* HTL LUMO [eV] */
  VQ_MU_P,    /* HTL hole mobility [m^2/(V s)] (effective, after the blend) */
  VQ_COUNT
} vd_quantity;

/* Name in the file ("eqe", "v_on", "mu_p"), unit of the SI value stored, label for tables. */
const char *vd_qname(vd_quantity q);
const char *vd_qunits(vd_quantity q);
/* Quantity from its name in the file, or -1. */
int vd_qparse(const char *name);
/* A value of quantity q as written in the file ("21.4 %", "32.3 cd/A", "-5.4 eV", "3.2 V"),
 * taken exactly when written in the table's unit, else converted. 0, or 1 with why. */
int vd_parse_value(vd_quantity q, const char *text, double *v, char *why, size_t whylen);
/* A value for people: EQE in %, mobility in cm^2/Vs, others in their unit; "n/a" for NaN. */
const char *vd_fmt(vd_quantity q, double v, char *buf, size_t len);

enum { VD_PENDING = 0, VD_OK, VD_UNCONVERGED, VD_FAILED };
const char *vd_status_name(int status);

typedef struct {
  char *name, *material, *thickness, *status; /* as written (thickness with its unit) */
  const yt_node *blend;                        /* the layer's blend map (in the file's tree) */
  const yt_node *node;
} vd_layer;

/* A simulated device: the figures of merit and the J-V-L curve. */
typedef struct {
  int status;                /* VD_OK, VD_UNCONVERGED, VD_FAILED */
  char *reason;              /* why it failed / which bias points did not converge; "" if ok */
  char *config;              /* resolved YAML of the device (or the generated text if it failed) */
  double pred[VQ_COUNT];     /* predicted values in SI (NaN when not available) */
  double gamma_at_eqe_max, v_at_eqe_max, l_max, gamma_max; /* [1], [V], [cd/m^2], [1] */
  double mu_n;               /* HTL electron mobility [m^2/(V s)] */
  int n;                     /* bias points */
  double *V, *J, *L, *EQE, *gamma, *CE, *PE; /* [n] */
  int *converged;            /* [n] */
  int n_converged;
  double wall_time;          /* [s] */
} vd_run;

typedef struct {
  /* from the file */
  const yt_node *node;
  char *id, *htl, *colour, *colour_status, *figures_from, *reference, *stack_status;
  int table1_row;            /* 0 when null (text-only entries) */
  double rep[VQ_COUNT];      /* reported values, SI (NaN when null); VQ_V_ON holds v_on_min */
  char *rep_text[VQ_COUNT];  /* the reported text as written ("21.4 %"), NULL when null */
  char *anode, *cathode;     /* electrode materials, or NULL (default stack's) */
  int nlayers;
  vd_layer *layers;
  /* the entry's blend record (entry.blend) */
  char *blend_host, *blend_crosslinker, *blend_fraction_status;
  char *blend_fraction;      /* text as written, or NULL when null */
  char *blend_fraction_unit; /* "wt%" | "mol%" | ..., or NULL */
  char *load_error;          /* the entry could not be read (the run goes on without it) */
  int selected;              /* part of this run (--only) */
  /* decisions taken when building the device */
  double fraction;           /* cross-linker fraction used (NaN: no blend) */
  char fraction_kind[8];     /* weight | site */
  char fraction_status[16];  /* reported | assumed | "" (no blend) */
  char model[40];            /* blend mobility model used ("dilution", "none + traps") */
  char model_rule[320];      /* why */
  char levels[8];            /* table | host | "" */
  char levels_status[16];    /* reported | assumed | "" */
  char levels_check[160];    /* reported HTL levels vs the database: "match", "mismatch: ..." */
  char assumed[400];         /* comma-separated list of the quantities filled in (assumed) */
  vd_run run;
} vd_entry;

typedef struct {
  const yt_node *node;
  char *id, *kind, *quantity, *value, *check;
  int nentries;
  char **entries;
  int *index;                /* entry index of each id */
  /* evaluation */
  char verdict[24];          /* holds | fails | not evaluable | info */
  double predicted, reported; /* the fact's number (ratio, bound, ...) when it has one */
  char *detail;              /* the numbers behind the verdict */
  vd_run ref;                /* reference device of a ratio fact (status VD_PENDING if none) */
  char *ref_what;            /* what the reference device is */
} vd_fact;

typedef struct {
  char *path;                /* validation file */
  yt_node *root;
  char *defaults[3];         /* device config path of red, green, blue */
  int n;
  vd_entry *e;
  int nfacts;
  vd_fact *f;
} vd_file;

/* ---- validate_load.c --------------------------------------------------------------------- */
/* Read and check the file (structure, ids, fact references). Problems inside one entry are kept
 * in that entry's load_error; a broken file is QS_ERR_* with err filled. */
int vd_load(const char *path, vd_file *vf, qs_err *err);
void vd_free(vd_file *vf);
/* Select the entries of a comma-separated id list (NULL: all). Unknown id: QS_ERR_KEY. */
int vd_select(vd_file *vf, const char *only, qs_err *err);
/* Index of an entry id, or -1. */
int vd_find(const vd_file *vf, const char *id);
/* Colour index (red 0, green 1, blue 2) or -1. */
int vd_colour_index(const char *colour);

/* ---- validate_device.c ------------------------------------------------------------------- */
/* Build the device of entry e (pristine: every blend removed, the host alone) and load it with
 * the command-line overrides. Fills e's decisions (not for pristine). Returns 0 with cfg loaded,
 * else non-zero with the reason in why; *text gets the generated config text either way
 * (malloc'd, may be NULL). */
int vd_build(const vd_file *vf, vd_entry *e, int pristine, const char *const *sets, int nsets,
             cfg_config *cfg, char **text, char *why, size_t whylen);

/* ---- validate_run.c ---------------------------------------------------------------------- */
/* Simulate cfg (fields are not computed) into r. PETSc must be up. Returns 0 (the device's own
 * failures are r->status), non-zero when out of memory. */
int vd_simulate(cfg_config *cfg, vd_run *r);
/* Build and simulate entry e (or its pristine variant) into r, catching build failures. */
int vd_run_entry(const vd_file *vf, vd_entry *e, int pristine, const char *const *sets,
                 int nsets, vd_run *r);
void vd_run_free(vd_run *r);

/* ---- validate_facts.c -------------------------------------------------------------------- */
/* Evaluate every fact whose entries were run; reference devices (ratio facts) are simulated
 * here. Returns non-zero only when out of memory. */
int vd_facts(vd_file *vf, const char *const *sets, int nsets);

/* ---- validate_out.c ---------------------------------------------------------------------- */
typedef struct {
  double mae[3];             /* EQE [percentage points], CE [cd/A], PE [lm/W] */
  double rho[3];             /* Spearman, same order */
  int n[3];                  /* pairs used */
  int n_entries, n_ok, n_unconverged, n_failed;
  double wall_time;          /* [s] */
} vd_summary;

void vd_summarise(const vd_file *vf, vd_summary *s);
void vd_print_table(const vd_file *vf, FILE *f);
void vd_print_summary(const vd_file *vf, const vd_summary *s, FILE *f);
void vd_print_facts(const vd_file *vf, FILE *f);
/* The table as CSV (written to a temporary file and renamed). */
int vd_write_csv(const vd_file *vf, const char *path, qs_err *err);

/* ---- validate_h5.c ----------------------------------------------------------------------- */
/* Root attributes and the entry rows, preallocated for the selected entries ("not run"). */
int vd_h5_begin(h5out *h, const vd_file *vf, const char *command_line);
/* One finished entry: its row and its curve group. */
int vd_h5_entry(h5out *h, const vd_file *vf, const vd_entry *e);
/* The summary and the facts, at the end. */
int vd_h5_finish(h5out *h, const vd_file *vf, const vd_summary *s);

#endif

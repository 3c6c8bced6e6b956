/* Internal to io/: the key schema (kinds, units, ranges, defaults, messages) shared by the config
 * reader and the material database, and helpers that turn schema violations into messages of the
 * form "FILE:LINE:COL: KEY.PATH: what was found (expected what, e.g. example)". */
#ifndef QLEDSIM_CONFIG_IMPL_H
#define QLEDSIM_CONFIG_IMPL_H

#include <stddef.h>
#include "io/config.h"
#include "io/matdb.h"
#include "io/units.h"

typedef enum { CK_QTY, CK_BOOL, CK_INT, CK_ENUM, CK_STR } cfgi_kind;

enum {
  CFGI_REQ = 1,     /* required */
  CFGI_INF = 2,     /* may be infinite ("inf") */
  CFGI_LEVEL = 4,   /* energy level relative to vacuum: negative */
  CFGI_WF = 8,      /* work function: positive */
  CFGI_DBONLY = 16, /* material key kept in the database but not copied into dev_layer */
  CFGI_LO_OPEN = 32,
  CFGI_HI_OPEN = 64
};

typedef struct {
  const char *key;
  cfgi_kind kind;
  unit_dim dim;
  int flags;
  double lo, hi;              /* bounds in SI (-INFINITY / INFINITY: none) */
  double def;                 /* default: SI value, enum index or 0/1 */
  const char *const *choices; /* CK_ENUM: NULL-terminated */
  const char *expect;         /* "a layer thickness > 0 and <= 1 mm, e.g. '20 nm'" */
} cfgi_key;

typedef struct {
  double d;      /* CK_QTY, CK_INT (also as int in i) */
  int i;         /* CK_INT, CK_BOOL, CK_ENUM index */
  const char *s; /* CK_STR (points into the node) */
} cfgi_val;

/* Material keys, in the order of this enum (also the order of emitted material maps). */
enum {
  MK_EPS_R,
  MK_HOMO,
  MK_LUMO,
  MK_NC,
  MK_NV,
  MK_MU_N,
  MK_MU_P,
  MK_MOBILITY_N,
  MK_MOBILITY_P,
  MK_PF_GAMMA_N,
  MK_PF_GAMMA_P,
  MK_STATISTICS,
  MK_SIGMA_N,
  MK_SIGMA_P,
  MK_N_D,
  MK_N_A,
  MK_LANGEVIN,
  MK_TAU_N,
  MK_TAU_P,
  MK_E_T,
  MK_C_N,
  MK_C_P,
  MK_EMISSIVE,
  MK_PLQY,
  MK_PEAK_WAVELENGTH,
  MK_FWHM,
  MK_MU_T_REF,
  MK_GDM_SIGMA_N,
  MK_GDM_SIGMA_P,
  MK_GDM_C,
  MK_MOLAR_MASS,
  MK_WORK_FUNCTION,
  MK_COUNT_
};
extern const cfgi_key cfgi_matkeys[MK_COUNT_];
extern const char *const cfgi_matkey_names[MK_COUNT_ + 1];
/* Index of a material key, or -1. */
int cfgi_matkey_index(const char *key);

/* Keys of the other maps (contact, layer, top level, mesh, solver, sweep). */
extern const cfgi_key cfgi_key_temperature, cfgi_key_outcoupling, cfgi_key_thickness,
    cfgi_key_layer_name, cfgi_key_material_label, cfgi_key_wf, cfgi_key_image_force, cfgi_key_S,
    cfgi_key_nodes, cfgi_key_h_min, cfgi_key_max_ratio, cfgi_key_max_halvings, cfgi_key_max_newton,
    cfgi_key_max_update, cfgi_key_max_step, cfgi_key_string, cfgi_key_voltage, cfgi_key_if_prefactor,
    cfgi_key_if_width, cfgi_key_if_emissive, cfgi_key_if_plqy;

/* Format "WHERE: PATH: message" into err (PATH omitted when empty) and return cls. */
int cfgi_fail(qs_err *err, qs_errclass cls, const char *where, const char *path, const char *fmt,
              ...) __attribute__((format(printf, 5, 6)));
/* Same, positioned at a node's value (at_key = 0) or at its key (at_key = 1). */
int cfgi_fail_at(qs_err *err, qs_errclass cls, const yt_node *node, int at_key, const char *path,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Checks of the built layers that involve several keys or the temperature (config_checks.c):
 * Gauss-Fermi doping above the site density, DOS widths beyond the tables, mobility models
 * outside their range. err names the layer at its list item in `layers`. */
int cfgi_check_layer_models(const dev_device *dev, const yt_node *layers, qs_err *err);

/* yt_path with the names of named list items: "device.layers[1] (EML).thickness". */
const char *cfgi_path(const yt_node *node, char *buf, size_t len);
/* path + "." + key into buf. */
const char *cfgi_join(char *buf, size_t len, const char *path, const char *key);

/* Read and check one scalar against its key spec; messages use path and the node's position. */
int cfgi_read(const cfgi_key *k, const yt_node *v, const char *path, cfgi_val *out, qs_err *err);
/* Check only the range of an SI value read elsewhere. */
int cfgi_check_range(const cfgi_key *k, double d, const yt_node *v, const char *path, qs_err *err);
/* Require a map (QS_ERR_TYPE otherwise); what says what it should hold. */
int cfgi_need_map(const yt_node *v, const char *path, const char *what, qs_err *err);
/* Every key of map must be in allowed[0..n) (QS_ERR_KEY with did-you-mean otherwise). */
int cfgi_check_keys(const yt_node *map, const char *const *allowed, int n, const char *path,
                    qs_err *err);
/* A required key is missing from map: QS_ERR_KEY at the map's position. */
int cfgi_missing(const yt_node *map, const char *path, const char *key, const char *expect,
                 qs_err *err);
/* Material names: printable ASCII without spaces, 1..63 characters. */
int cfgi_valid_material_name(const char *s);

/* Building a configuration. */
typedef struct {
  const char *dir;       /* directory of the config file, for a relative materials_dir */
  char *mdir;            /* material database directory (malloc'd) */
  matdb *db;             /* opened on first use */
  const yt_node *mdnode; /* the materials_dir key, if given */
  double T;              /* temperature of the device [K] (blends depend on it) */
} cfgi_ctx;

/* Open the material database on first use. */
int cfgi_db(cfgi_ctx *ctx, matdb **db, qs_err *err);
/* The `blend` map of a layer: resolve the cross-linker, apply the blend models to L (whose host
 * values are in place), remember the host values. host: the host's database entry or NULL. */
int cfgi_build_blend(cfgi_ctx *ctx, const yt_node *layer, const matdb_material *host,
                     dev_layer *L, qs_err *err);
/* Look a material name up in the database; errors at the node that names it. */
int cfgi_lookup(cfgi_ctx *ctx, const yt_node *v, const char *path, const matdb_material **m,
                qs_err *err);

/* The device section: contacts, layers, outcoupling. */
int cfgi_build_device(cfgi_ctx *ctx, const yt_node *root, dev_device *dev, qs_err *err);

/* Write an SI value with units (units_format) as a scalar node. */
yt_node *cfgi_qty_node(double si, unit_dim d);

#if defined(__clang_analyzer__) && !defined(CFGI_FAIL_DEFINITION)
/* static analysis only: cfgi_fail_at returns its (non-zero) class, see qs_fail in qserr.h
 * (after every declaration, so that none of them is expanded) */
#define cfgi_fail_at(...) (cfgi_fail_at(__VA_ARGS__) | 1)
#define cfgi_fail(...) (cfgi_fail(__VA_ARGS__) | 1)
#define cfgi_missing(...) (cfgi_missing(__VA_ARGS__) | 1)
#endif

#endif

/* Key paths against the schema: which key a dotted path names, and its kind and dimension. */
#define _POSIX_C_SOURCE 200809L
#include "io/config_query.h"
#include "io/config_impl.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEGS 16

/* Split a path into segments, expanding the shorthands layers./anode./cathode./outcoupling
 * to device.*, as cfg_apply_set does. Returns the number of segments or -1. */
static int split(const char *path, char *buf, size_t len, const char **seg) {
  static const char *const shorthand[] = {"layers", "anode", "cathode", "outcoupling"};
  if (snprintf(buf, len, "%s", path) >= (int)len) return -1;
  int n = 0;
  for (char *p = buf;;) {
    char *dot = strchr(p, '.');
    if (dot) *dot = '\0';
    if (!*p || n >= MAX_SEGS - 1) return -1;
    if (n == 0)
      for (int i = 0; i < 4; i++)
        if (!strcmp(p, shorthand[i])) seg[n++] = "device";
    seg[n++] = p;
    if (!dot) break;
    p = dot + 1;
  }
  return n;
}

static int is(const char *a, const char *b) { return strcmp(a, b) == 0; }

/* Keys of a layer's blend map (io/config_blend.c keeps the full specs; here only what a tool
 * varying them needs: kind and dimension). */
static const cfgi_key *blend_key(const char *key) {
  static const cfgi_key bk[] = {
      {"fraction", CK_QTY, UNIT_NONE, 0, 0, 1, 0, NULL, "a fraction >= 0 and < 1, e.g. '6 %'"},
      {"localization_length", CK_QTY, UNIT_LENGTH, 0, 0, 1e-8, 0, NULL, "a length, e.g. '0.12 nm'"},
      {"c_n", CK_QTY, UNIT_RATE_BIMOLECULAR, 0, 0, 1e-6, 0, NULL, "e.g. '1e-12 cm^3/s'"},
      {"c_p", CK_QTY, UNIT_RATE_BIMOLECULAR, 0, 0, 1e-6, 0, NULL, "e.g. '1e-12 cm^3/s'"},
      {"crosslinker_homo", CK_QTY, UNIT_ENERGY, 0, 0, 0, 0, NULL, "e.g. '-5.6 eV'"},
      {"crosslinker_lumo", CK_QTY, UNIT_ENERGY, 0, 0, 0, 0, NULL, "e.g. '-2.4 eV'"},
      {"crosslinker_sigma", CK_QTY, UNIT_ENERGY, 0, 0, 0, 0, NULL, "e.g. '0.1 eV'"},
      {"crosslinker_molar_mass", CK_QTY, UNIT_MOLAR_MASS, 0, 0, 0, 0, NULL, "e.g. '400 g/mol'"},
      {"host_molar_mass", CK_QTY, UNIT_MOLAR_MASS, 0, 0, 0, 0, NULL, "e.g. '400 g/mol'"},
      {"crosslinker", CK_STR, UNIT_NONE, 0, 0, 0, 0, NULL, "a cross-linker, e.g. 'BPO6'"},
      {"fraction_kind", CK_ENUM, UNIT_NONE, 0, 0, 0, 0, NULL, "weight or site"},
      {"levels", CK_ENUM, UNIT_NONE, 0, 0, 0, 0, NULL, "linear, host or table"},
      {"model", CK_ENUM, UNIT_NONE, 0, 0, 0, 0, NULL, "a blend mobility model"},
      {"traps", CK_BOOL, UNIT_NONE, 0, 0, 0, 0, NULL, "true or false"}};
  for (size_t i = 0; i < sizeof(bk) / sizeof(bk[0]); i++)
    if (is(bk[i].key, key)) return &bk[i];
  return NULL;
}

/* The schema entry a segment list names, or NULL. */
static const cfgi_key *lookup(const char **s, int n) {
  if (n == 1 && is(s[0], "temperature")) return &cfgi_key_temperature;
  if (n == 2 && is(s[0], "mesh")) {
    if (is(s[1], "nodes")) return &cfgi_key_nodes;
    if (is(s[1], "h_min")) return &cfgi_key_h_min;
    if (is(s[1], "max_ratio")) return &cfgi_key_max_ratio;
  }
  if (n == 2 && is(s[0], "solver")) {
    if (is(s[1], "max_halvings")) return &cfgi_key_max_halvings;
    if (is(s[1], "max_newton")) return &cfgi_key_max_newton;
    if (is(s[1], "max_update")) return &cfgi_key_max_update;
  }
  if (n == 2 && is(s[0], "sweep") && (is(s[1], "from") || is(s[1], "to") || is(s[1], "step")))
    return &cfgi_key_voltage;
  if (n < 2 || !is(s[0], "device")) return NULL;
  if (n == 2 && is(s[1], "outcoupling")) return &cfgi_key_outcoupling;
  if (n == 3 && (is(s[1], "anode") || is(s[1], "cathode"))) {
    if (is(s[2], "work_function")) return &cfgi_key_wf;
    if (is(s[2], "S_n") || is(s[2], "S_p")) return &cfgi_key_S;
    if (is(s[2], "image_force")) return &cfgi_key_image_force;
    return NULL;
  }
  if (n == 4 && is(s[1], "interfaces")) {
    if (is(s[3], "prefactor")) return &cfgi_key_if_prefactor;
    if (is(s[3], "width")) return &cfgi_key_if_width;
    if (is(s[3], "emissive")) return &cfgi_key_if_emissive;
    if (is(s[3], "plqy")) return &cfgi_key_if_plqy;
    return NULL;
  }
  if (!is(s[1], "layers")) return NULL;
  if (n == 5 && is(s[3], "blend")) return blend_key(s[4]);
  const char *key = NULL;
  if (n == 4) {
    if (is(s[3], "thickness")) return &cfgi_key_thickness;
    key = s[3];
  } else if (n == 5 && is(s[3], "material")) {
    key = s[4];
  }
  if (!key) return NULL;
  const int k = cfgi_matkey_index(key);
  if (k < 0 || (cfgi_matkeys[k].flags & CFGI_DBONLY)) return NULL;
  return &cfgi_matkeys[k];
}

int cfg_key_query(const char *path, cfg_key_info *info, qs_err *err) {
  memset(info, 0, sizeof(*info));
  char buf[1024];
  const char *seg[MAX_SEGS];
  const int n = path ? split(path, buf, sizeof(buf), seg) : -1;
  const cfgi_key *k = n > 0 ? lookup(seg, n) : NULL;
  if (!k) return qs_fail(err, QS_ERR_KEY, "'%s' is not a key of the config schema", path);
  info->numeric = k->kind == CK_QTY || k->kind == CK_INT;
  info->integer = k->kind == CK_INT;
  info->dim = k->kind == CK_QTY ? k->dim : UNIT_NONE;
  info->key = k->key;
  info->expect = k->expect;
  return 0;
}

static int all_digits(const char *s) {
  if (!*s) return 0;
  for (; *s; s++)
    if (!isdigit((unsigned char)*s)) return 0;
  return 1;
}

int cfg_value_si(const cfg_config *cfg, const char *path, double *si, unit_dim *dim, qs_err *err) {
  cfg_key_info info;
  int rc = cfg_key_query(path, &info, err);
  if (rc) return rc;
  if (!info.numeric) return qs_fail(err, QS_ERR_TYPE, "%s: not a numeric key", path);
  char buf[1024];
  const char *seg[MAX_SEGS];
  const int n = split(path, buf, sizeof(buf), seg);
  const yt_node *cur = cfg->tree;
  for (int i = 0; i < n && cur; i++) {
    if (cur->kind == YT_MAP) {
      cur = yt_get(cur, seg[i]);
    } else if (cur->kind == YT_SEQ) {
      const yt_node *hit = NULL;
      if (all_digits(seg[i])) {
        const long idx = strtol(seg[i], NULL, 10); /* atoi overflows on long digit strings */
        hit = idx <= INT_MAX ? yt_child(cur, (int)idx) : NULL;
      } else {
        for (const yt_node *c = cur->first; c && !hit; c = c->next) {
          const yt_node *nm = yt_get(c, "name");
          if (nm && nm->kind == YT_SCALAR && is(nm->text, seg[i])) hit = c;
        }
      }
      cur = hit;
    } else {
      cur = NULL;
    }
  }
  if (!cur || cur->kind != YT_SCALAR)
    return qs_fail(err, QS_ERR_KEY, "%s: no value at this path in the config", path);
  char why[512];
  rc = units_parse(cur->text, info.dim, 1, si, why, sizeof(why));
  if (rc) return qs_fail(err, (qs_errclass)rc, "%s: %s", path, why);
  if (dim) *dim = info.dim;
  return 0;
}

/* The key schema (what each key holds, its unit, range and default) and the readers that check a
 * YAML scalar against it, producing messages that name position, key, value and expectation. */
#define _POSIX_C_SOURCE 200809L
#define CFGI_FAIL_DEFINITION
#include "io/config_impl.h"
#include "physics/constants.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define EV  PHYS_EV
#define NM  1e-9
#define INF INFINITY

static const char *const MOBILITY_MODELS[] = {"constant", "poole-frenkel", "egdm", "gdm", NULL};
static const char *const STATISTICS[] = {"boltzmann", "gauss-fermi", NULL};

/* clang-format off */
const cfgi_key cfgi_matkeys[MK_COUNT_] = {
  [MK_EPS_R] = {"eps_r", CK_QTY, UNIT_NONE, CFGI_REQ, 1, 100, 0, NULL,
    "a relative permittivity between 1 and 100, e.g. '3.5'"},
  [MK_HOMO] = {"homo", CK_QTY, UNIT_ENERGY, CFGI_REQ | CFGI_LEVEL | CFGI_LO_OPEN | CFGI_HI_OPEN,
    -12 * EV, 0, 0, NULL, "a HOMO level relative to vacuum, between -12 eV and 0, e.g. '-5.4 eV'"},
  [MK_LUMO] = {"lumo", CK_QTY, UNIT_ENERGY, CFGI_REQ | CFGI_LEVEL | CFGI_LO_OPEN | CFGI_HI_OPEN,
    -12 * EV, 0, 0, NULL, "a LUMO level relative to vacuum, between -12 eV and 0, e.g. '-2.4 eV'"},
  [MK_NC] = {"Nc", CK_QTY, UNIT_DENSITY, CFGI_REQ, 1e18, 1e30, 0, NULL,
    "an effective density of states (site density for gauss-fermi) between 1e12 and 1e24 cm^-3, "
    "e.g. '1e20 cm^-3'"},
  [MK_NV] = {"Nv", CK_QTY, UNIT_DENSITY, CFGI_REQ, 1e18, 1e30, 0, NULL,
    "an effective density of states (site density for gauss-fermi) between 1e12 and 1e24 cm^-3, "
    "e.g. '1e20 cm^-3'"},
  [MK_MU_N] = {"mu_n", CK_QTY, UNIT_MOBILITY, CFGI_REQ | CFGI_LO_OPEN, 0, 1, 0, NULL,
    "an electron mobility > 0 and <= 1e4 cm^2/Vs, e.g. '1e-4 cm^2/Vs'"},
  [MK_MU_P] = {"mu_p", CK_QTY, UNIT_MOBILITY, CFGI_REQ | CFGI_LO_OPEN, 0, 1, 0, NULL,
    "a hole mobility > 0 and <= 1e4 cm^2/Vs, e.g. '1e-4 cm^2/Vs'"},
  [MK_MOBILITY_N] = {"mobility_n", CK_ENUM, UNIT_NONE, 0, -INF, INF, 0, MOBILITY_MODELS,
    "an electron mobility model: constant, poole-frenkel, egdm or gdm"},
  [MK_MOBILITY_P] = {"mobility_p", CK_ENUM, UNIT_NONE, 0, -INF, INF, 0, MOBILITY_MODELS,
    "a hole mobility model: constant, poole-frenkel, egdm or gdm"},
  [MK_PF_GAMMA_N] = {"pf_gamma_n", CK_QTY, UNIT_SQRT_INV_FIELD, 0, 0, INF, 0, NULL,
    "a Poole-Frenkel coefficient >= 0, e.g. '3e-4 (cm/V)^0.5'"},
  [MK_PF_GAMMA_P] = {"pf_gamma_p", CK_QTY, UNIT_SQRT_INV_FIELD, 0, 0, INF, 0, NULL,
    "a Poole-Frenkel coefficient >= 0, e.g. '3e-4 (cm/V)^0.5'"},
  [MK_STATISTICS] = {"statistics", CK_ENUM, UNIT_NONE, 0, -INF, INF, 0, STATISTICS,
    "the carrier statistics: boltzmann or gauss-fermi"},
  [MK_SIGMA_N] = {"sigma_n", CK_QTY, UNIT_ENERGY, 0, 0, 0.3 * EV, 0, NULL,
    "a Gaussian disorder width between 0 and 0.3 eV, e.g. '0.08 eV'"},
  [MK_SIGMA_P] = {"sigma_p", CK_QTY, UNIT_ENERGY, 0, 0, 0.3 * EV, 0, NULL,
    "a Gaussian disorder width between 0 and 0.3 eV, e.g. '0.08 eV'"},
  [MK_N_D] = {"N_D", CK_QTY, UNIT_DENSITY, 0, 0, 1e28, 0, NULL,
    "a donor density between 0 and 1e22 cm^-3, e.g. '1e17 cm^-3'"},
  [MK_N_A] = {"N_A", CK_QTY, UNIT_DENSITY, 0, 0, 1e28, 0, NULL,
    "an acceptor density between 0 and 1e22 cm^-3, e.g. '1e17 cm^-3'"},
  [MK_LANGEVIN] = {"langevin", CK_QTY, UNIT_NONE, 0, 0, 1e3, 1, NULL,
    "a Langevin prefactor between 0 and 1000, e.g. '1'"},
  [MK_TAU_N] = {"tau_n", CK_QTY, UNIT_TIME, CFGI_INF | CFGI_LO_OPEN, 0, INF, INF, NULL,
    "an SRH lifetime > 0 ('inf' disables SRH), e.g. '10 ns'"},
  [MK_TAU_P] = {"tau_p", CK_QTY, UNIT_TIME, CFGI_INF | CFGI_LO_OPEN, 0, INF, INF, NULL,
    "an SRH lifetime > 0 ('inf' disables SRH), e.g. '10 ns'"},
  [MK_E_T] = {"E_t", CK_QTY, UNIT_ENERGY, CFGI_LEVEL | CFGI_LO_OPEN | CFGI_HI_OPEN, -12 * EV, 0,
    NAN, NULL, "a trap level relative to vacuum between HOMO and LUMO, e.g. '-4.5 eV'"},
  [MK_C_N] = {"C_n", CK_QTY, UNIT_RATE_AUGER, 0, 0, INF, 0, NULL,
    "an Auger coefficient >= 0, e.g. '1e-29 cm^6/s'"},
  [MK_C_P] = {"C_p", CK_QTY, UNIT_RATE_AUGER, 0, 0, INF, 0, NULL,
    "an Auger coefficient >= 0, e.g. '1e-29 cm^6/s'"},
  [MK_EMISSIVE] = {"emissive", CK_BOOL, UNIT_NONE, 0, -INF, INF, 0, NULL,
    "true or false (whether recombination here emits light)"},
  [MK_PLQY] = {"plqy", CK_QTY, UNIT_NONE, 0, 0, 1, 1, NULL,
    "a photoluminescence quantum yield between 0 and 1, e.g. '0.8' or '80 %'"},
  [MK_PEAK_WAVELENGTH] = {"peak_wavelength", CK_QTY, UNIT_LENGTH, 0, 200 * NM, 3000 * NM, 0, NULL,
    "an emission peak wavelength between 200 and 3000 nm, e.g. '630 nm'"},
  [MK_FWHM] = {"fwhm", CK_QTY, UNIT_LENGTH, CFGI_LO_OPEN | CFGI_HI_OPEN, 0, 500 * NM, 0, NULL,
    "an emission linewidth (FWHM) > 0 and < 500 nm, e.g. '30 nm'"},
  [MK_MU_T_REF] = {"mu_T_ref", CK_QTY, UNIT_TEMPERATURE, CFGI_LO_OPEN, 0, 1000, 300, NULL,
    "the temperature at which mu_n and mu_p are given for egdm/gdm mobilities, e.g. '295 K'"},
  [MK_GDM_SIGMA_N] = {"gdm_Sigma_n", CK_QTY, UNIT_NONE, 0, 0, 20, 0, NULL,
    "a GDM positional disorder parameter >= 0 (below 1.5 acts as 1.5), e.g. '2.5'"},
  [MK_GDM_SIGMA_P] = {"gdm_Sigma_p", CK_QTY, UNIT_NONE, 0, 0, 20, 0, NULL,
    "a GDM positional disorder parameter >= 0 (below 1.5 acts as 1.5), e.g. '2.5'"},
  [MK_GDM_C] = {"gdm_C", CK_QTY, UNIT_SQRT_INV_FIELD, 0, 0, INF, 2.9e-5, NULL,
    "the GDM field coefficient, e.g. '2.9e-4 (cm/V)^0.5' (Baessler 1993)"},
  [MK_MOLAR_MASS] = {"molar_mass", CK_QTY, UNIT_MOLAR_MASS, CFGI_DBONLY | CFGI_LO_OPEN, 0, INF, 0,
    NULL, "a molar mass > 0, e.g. '350 g/mol'"},
  [MK_WORK_FUNCTION] = {"work_function", CK_QTY, UNIT_ENERGY, CFGI_DBONLY | CFGI_WF, 1 * EV,
    8 * EV, 0, NULL, "a work function between 1 and 8 eV (positive), e.g. '5.1 eV'"},
};

const char *const cfgi_matkey_names[MK_COUNT_ + 1] = {
  "eps_r", "homo", "lumo", "Nc", "Nv", "mu_n", "mu_p", "mobility_n", "mobility_p", "pf_gamma_n",
  "pf_gamma_p", "statistics", "sigma_n", "sigma_p", "N_D", "N_A", "langevin", "tau_n", "tau_p",
  "E_t", "C_n", "C_p", "emissive", "plqy", "peak_wavelength", "fwhm", "mu_T_ref", "gdm_Sigma_n",
  "gdm_Sigma_p", "gdm_C", "molar_mass",
  "work_function", NULL};

const cfgi_key cfgi_key_temperature = {"temperature", CK_QTY, UNIT_TEMPERATURE, CFGI_LO_OPEN, 0,
  1000, 300, NULL, "a temperature > 0 and <= 1000 K, e.g. '300 K'"};
const cfgi_key cfgi_key_outcoupling = {"outcoupling", CK_QTY, UNIT_NONE, CFGI_LO_OPEN, 0, 1, 0.2,
  NULL, "an outcoupling fraction > 0 and <= 1, e.g. '0.2'"};
const cfgi_key cfgi_key_thickness = {"thickness", CK_QTY, UNIT_LENGTH, CFGI_REQ | CFGI_LO_OPEN,
  0, 1e-3, 0, NULL, "a layer thickness > 0 and <= 1 mm, e.g. '20 nm'"};
const cfgi_key cfgi_key_layer_name = {"name", CK_STR, UNIT_NONE, CFGI_REQ, -INF, INF, 0, NULL,
  "a layer name of letters, digits, '_', '+' and '-', e.g. 'HTL'"};
const cfgi_key cfgi_key_material_label = {"name", CK_STR, UNIT_NONE, 0, -INF, INF, 0, NULL,
  "a material name of up to 63 printable characters without spaces, e.g. 'TFB'"};
const cfgi_key cfgi_key_wf = {"work_function", CK_QTY, UNIT_ENERGY, CFGI_WF, 1 * EV, 8 * EV, 0,
  NULL, "a work function between 1 and 8 eV (positive), e.g. '5.1 eV'"};
const cfgi_key cfgi_key_if_prefactor = {"prefactor", CK_QTY, UNIT_NONE, 0, 0, 1e3, 1, NULL,
  "a prefactor of the Langevin coefficient >= 0, e.g. '1e-3'"};
const cfgi_key cfgi_key_if_width = {"width", CK_QTY, UNIT_LENGTH, CFGI_LO_OPEN, 0, 1e-7, 1e-9, NULL,
  "an interaction width > 0 and <= 100 nm, e.g. '1 nm'"};
const cfgi_key cfgi_key_if_emissive = {"emissive", CK_BOOL, UNIT_NONE, 0, -INF, INF, 0, NULL,
  "true or false"};
const cfgi_key cfgi_key_if_plqy = {"plqy", CK_QTY, UNIT_NONE, 0, 0, 1, 1, NULL,
  "a radiative yield between 0 and 1, e.g. '0.1'"};
const cfgi_key cfgi_key_image_force = {"image_force", CK_BOOL, UNIT_NONE, 0, -INF, INF, 0, NULL,
  "true or false"};
const cfgi_key cfgi_key_S = {"S", CK_QTY, UNIT_VELOCITY, CFGI_INF | CFGI_LO_OPEN, 0, INF, INF,
  NULL, "a surface recombination velocity > 0 ('inf' = ideal contact), e.g. '1e5 cm/s'"};
const cfgi_key cfgi_key_nodes = {"nodes", CK_INT, UNIT_NONE, 0, 10, 1e8, 600, NULL,
  "an integer number of mesh nodes between 10 and 100000000, e.g. '600'"};
const cfgi_key cfgi_key_h_min = {"h_min", CK_QTY, UNIT_LENGTH, CFGI_LO_OPEN, 0, INF, 1e-12, NULL,
  "a smallest mesh spacing > 0, e.g. '0.001 nm'"};
const cfgi_key cfgi_key_max_ratio = {"max_ratio", CK_QTY, UNIT_NONE, CFGI_LO_OPEN, 1, 2, 1.25,
  NULL, "a ratio of neighbouring mesh spacings > 1 and <= 2, e.g. '1.25'"};
const cfgi_key cfgi_key_max_halvings = {"max_halvings", CK_INT, UNIT_NONE, 0, 0, 30, 10, NULL,
  "an integer between 0 and 30, e.g. '10'"};
const cfgi_key cfgi_key_max_newton = {"max_newton", CK_INT, UNIT_NONE, 0, 1, 1000, 50, NULL,
  "an integer between 1 and 1000, e.g. '50'"};
const cfgi_key cfgi_key_max_step = {"max_step", CK_QTY, UNIT_VOLTAGE, CFGI_LO_OPEN, 0, 100, 0.25,
  NULL, "a largest bias step > 0 V, e.g. '0.25 V'"};
const cfgi_key cfgi_key_max_update = {"max_update", CK_QTY, UNIT_NONE, CFGI_LO_OPEN, 0, INF, 5,
  NULL, "a largest Newton update > 0 in units of kT/q, e.g. '20'"};
const cfgi_key cfgi_key_string = {"", CK_STR, UNIT_NONE, 0, -INF, INF, 0, NULL,
  "a string"};
const cfgi_key cfgi_key_voltage = {"V", CK_QTY, UNIT_VOLTAGE, 0, -INF, INF, 0, NULL,
  "a voltage, e.g. '0.1 V'"};
/* clang-format on */

int cfgi_matkey_index(const char *key) {
  for (int i = 0; i < MK_COUNT_; i++)
    if (strcmp(cfgi_matkey_names[i], key) == 0) return i;
  return -1;
}

/* ---- messages -------------------------------------------------------------------------- */

static int vfail(qs_err *err, qs_errclass cls, const char *where, const char *path, const char *fmt,
                 va_list ap) {
  char msg[QS_ERR_MAX];
  vsnprintf(msg, sizeof(msg), fmt, ap);
  if (path && path[0]) return qs_fail(err, cls, "%s: %s: %s", where, path, msg);
  return qs_fail(err, cls, "%s: %s", where, msg);
}

int cfgi_fail(qs_err *err, qs_errclass cls, const char *where, const char *path, const char *fmt,
              ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = vfail(err, cls, where, path, fmt, ap);
  va_end(ap);
  return rc;
}

int cfgi_fail_at(qs_err *err, qs_errclass cls, const yt_node *node, int at_key, const char *path,
                 const char *fmt, ...) {
  char where[512];
  if (at_key)
    yt_where_key(node, where, sizeof(where));
  else
    yt_where(node, where, sizeof(where));
  va_list ap;
  va_start(ap, fmt);
  int rc = vfail(err, cls, where, path, fmt, ap);
  va_end(ap);
  return rc;
}

const char *cfgi_path(const yt_node *node, char *buf, size_t len) {
  const yt_node *chain[256];
  int n = 0;
  for (const yt_node *c = node; c && c->parent && n < 256; c = c->parent)
    chain[n++] = c;
  size_t used = 0;
  if (len) buf[0] = '\0';
  for (int i = n - 1; i >= 0 && used < len; i--) {
    const yt_node *c = chain[i];
    int w;
    if (c->parent->kind == YT_SEQ) {
      int idx = 0;
      for (const yt_node *s = c->parent->first; s && s != c; s = s->next)
        idx++;
      const yt_node *nm = yt_get(c, "name");
      if (nm && nm->kind == YT_SCALAR && nm->text[0])
        w = snprintf(buf + used, len - used, "[%d] (%.63s)", idx, nm->text);
      else
        w = snprintf(buf + used, len - used, "[%d]", idx);
    } else {
      w = snprintf(buf + used, len - used, "%s%s", used ? "." : "", c->key ? c->key : "?");
    }
    if (w < 0) break;
    used += (size_t)w;
  }
  return buf;
}

const char *cfgi_join(char *buf, size_t len, const char *path, const char *key) {
  snprintf(buf, len, "%s%s%s", path, (path[0] && key[0]) ? "." : "", key);
  return buf;
}

static const char *kind_name(const yt_node *v) {
  return v->kind == YT_MAP ? "a map" : v->kind == YT_SEQ ? "a list" : "a scalar";
}

int cfgi_need_map(const yt_node *v, const char *path, const char *what, qs_err *err) {
  if (v && v->kind == YT_MAP) return 0;
  if (v && v->kind == YT_SCALAR && !yt_is_null(v))
    return cfgi_fail_at(err, QS_ERR_TYPE, v, 0, path, "found the value '%s', expected %s", v->text,
                        what);
  return cfgi_fail_at(err, QS_ERR_TYPE, v, 0, path, "found %s, expected %s",
                      (!v || yt_is_null(v)) ? "no value" : kind_name(v), what);
}

int cfgi_check_keys(const yt_node *map, const char *const *allowed, int n, const char *path,
                    qs_err *err) {
  for (const yt_node *c = map->first; c; c = c->next) {
    int ok = 0;
    for (int i = 0; i < n && !ok; i++)
      ok = strcmp(c->key, allowed[i]) == 0;
    if (ok) continue;
    const char *s = qs_suggest(c->key, allowed, n);
    if (s)
      return cfgi_fail_at(err, QS_ERR_KEY, c, 1, path, "unknown key '%s' (did you mean '%s'?)",
                          c->key, s);
    char list[1024];
    size_t used = 0;
    list[0] = '\0';
    for (int i = 0; i < n && used < sizeof(list); i++)
      used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", allowed[i]);
    return cfgi_fail_at(err, QS_ERR_KEY, c, 1, path, "unknown key '%s' (expected one of: %s)",
                        c->key, list);
  }
  return 0;
}

int cfgi_missing(const yt_node *map, const char *path, const char *key, const char *expect,
                 qs_err *err) {
  if (expect)
    return cfgi_fail_at(err, QS_ERR_KEY, map, 0, path, "missing key '%s' (expected %s)", key,
                        expect);
  return cfgi_fail_at(err, QS_ERR_KEY, map, 0, path, "missing key '%s'", key);
}

int cfgi_valid_material_name(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 63) return 0;
  for (; *s; s++)
    if (*s <= 0x20 || *s >= 0x7f) return 0;
  return 1;
}

/* ---- reading values -------------------------------------------------------------------- */

int cfgi_check_range(const cfgi_key *k, double d, const yt_node *v, const char *path, qs_err *err) {
  const char *t = v ? v->text : "";
  if ((k->flags & CFGI_LEVEL) && d >= 0)
    return cfgi_fail_at(err, QS_ERR_RANGE, v, 0, path,
                        "%s is %s, but energy levels are measured from the vacuum level and are "
                        "negative (expected %s)",
                        t, d > 0 ? "positive" : "zero", k->expect);
  if ((k->flags & CFGI_WF) && d <= 0)
    return cfgi_fail_at(err, QS_ERR_RANGE, v, 0, path,
                        "%s is not positive, but work functions are positive (expected %s)", t,
                        k->expect);
  int below = (k->flags & CFGI_LO_OPEN) ? !(d > k->lo) : !(d >= k->lo);
  int above = (k->flags & CFGI_HI_OPEN) ? !(d < k->hi) : !(d <= k->hi);
  if (below) {
    const char *what = k->lo == 0 ? ((k->flags & CFGI_LO_OPEN) ? "is not positive" : "is negative")
                                  : "is too small";
    return cfgi_fail_at(err, QS_ERR_RANGE, v, 0, path, "%s %s (expected %s)", t, what, k->expect);
  }
  if (above)
    return cfgi_fail_at(err, QS_ERR_RANGE, v, 0, path, "%s is too large (expected %s)", t,
                        k->expect);
  return 0;
}

static int parse_bool(const char *t, int *b) {
  static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
  for (int i = 0; i < 3; i++) {
    if (!strcasecmp(t, yes[i])) return *b = 1, 1;
    if (!strcasecmp(t, no[i])) return *b = 0, 1;
  }
  return 0;
}

int cfgi_read(const cfgi_key *k, const yt_node *v, const char *path, cfgi_val *out, qs_err *err) {
  memset(out, 0, sizeof(*out));
  if (!v) return qs_fail(err, QS_ERR_OTHER, "%s: internal error: no value", path);
  if (v->kind != YT_SCALAR)
    return cfgi_fail_at(err, QS_ERR_TYPE, v, 0, path, "found %s, expected %s", kind_name(v),
                        k->expect);
  if (yt_is_null(v))
    return cfgi_fail_at(err, QS_ERR_TYPE, v, 0, path, "no value (expected %s)", k->expect);
  const char *t = v->text;
  char why[512];
  switch (k->kind) {
  case CK_QTY: {
    int rc = units_parse(t, k->dim, (k->flags & CFGI_INF) != 0, &out->d, why, sizeof(why));
    if (rc) return cfgi_fail_at(err, (qs_errclass)rc, v, 0, path, "%s", why);
    return cfgi_check_range(k, out->d, v, path, err);
  }
  case CK_INT: {
    double d;
    if (units_parse(t, UNIT_NONE, 0, &d, why, sizeof(why)) || strchr(t, '%'))
      return cfgi_fail_at(err, QS_ERR_TYPE, v, 0, path, "'%s' is not an integer (expected %s)", t,
                          k->expect);
    if (d != floor(d))
      return cfgi_fail_at(err, QS_ERR_TYPE, v, 0, path, "%s is not an integer (expected %s)", t,
                          k->expect);
    int rc = cfgi_check_range(k, d, v, path, err);
    if (rc) return rc;
    if (fabs(d) > 2e9)
      return cfgi_fail_at(err, QS_ERR_RANGE, v, 0, path, "%s is too large (expected %s)", t,
                          k->expect);
    out->d = d;
    out->i = (int)d;
    return 0;
  }
  case CK_BOOL:
    if (!parse_bool(t, &out->i))
      return cfgi_fail_at(err, QS_ERR_TYPE, v, 0, path,
                          "'%s' is not a boolean (expected true or false)", t);
    out->d = out->i;
    return 0;
  case CK_ENUM: {
    int n = 0;
    for (int i = 0; k->choices[i]; i++, n++)
      if (!strcmp(t, k->choices[i])) {
        out->i = i;
        out->d = i;
        return 0;
      }
    const char *s = qs_suggest(t, k->choices, n);
    if (s)
      return cfgi_fail_at(err, QS_ERR_TYPE, v, 0, path,
                          "unknown choice '%s' (did you mean '%s'?; expected %s)", t, s, k->expect);
    return cfgi_fail_at(err, QS_ERR_TYPE, v, 0, path, "unknown choice '%s' (expected %s)", t,
                        k->expect);
  }
  case CK_STR:
    out->s = t;
    return 0;
  }
  return qs_fail(err, QS_ERR_OTHER, "%s: internal error: bad key kind", path);
}

yt_node *cfgi_qty_node(double si, unit_dim d) {
  char buf[96];
  return yt_new(YT_SCALAR, units_format(si, d, buf, sizeof(buf)), "<resolved>", 0, 0);
}

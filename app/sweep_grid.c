/* The grid of a sweep: varied keys and their values, from --vary and the config's vary: section.
 *
 * A value list is "v1,v2,..." (or "[v1, v2]", or a YAML list in the config); a numeric key also
 * takes an inclusive range "start:step:stop", expanded with the rules of the bias sweep (the
 * step must divide the range into whole steps within 1e-9; inner values are
 * (start (n - i) + stop i) / n, so both ends are exact). Numeric values are given to the config
 * as the shortest text that parses back to exactly the same double (units_format), so a point's
 * config holds exactly the SI value stored in /sweep/varied. */
#include "app/sweep.h"
#include "io/config_query.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_AXIS_POINTS 1000000
#define MAX_GRID_POINTS 100000000L

static const char *const SI_UNITS[UNIT_COUNT_] = {
    "1",  "m",   "J",   "K",         "m^2/(V s)", "m^-3",  "m^-2",  "V",
    "s",  "m/s", "V/m", "(m/V)^0.5", "m^3/s",     "m^6/s", "A/m^2", "kg/mol"};

const char *sw_si_units(unit_dim d) { return (d >= 0 && d < UNIT_COUNT_) ? SI_UNITS[d] : "1"; }

typedef struct {
  const char *config_path;
  const char *const *sets;
  int nsets;
  int try_values;
  FILE *warn;
} grid_ctx;

static int afail(qs_err *err, qs_errclass cls, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int afail(qs_err *err, qs_errclass cls, const char *where, const char *fmt, ...) {
  char m[QS_ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m, sizeof(m), fmt, ap);
  va_end(ap);
  return qs_fail(err, cls, "%.600s: %s", where, m);
}

static char *trimmed(const char *s, size_t n) {
  while (n && (*s == ' ' || *s == '\t')) s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  char *t = malloc(n + 1);
  if (t) {
    memcpy(t, s, n);
    t[n] = '\0';
  }
  return t;
}

/* A config message produced for our own "--set 'key=value'" without that label. */
static const char *strip_set_label(const char *msg) {
  if (strncmp(msg, "--set '", 7) != 0) return msg;
  const char *e = strstr(msg, "': ");
  return e ? e + 3 : msg;
}

/* Load the base config with one extra override; returns the error class (0 = valid). */
static int try_value(const grid_ctx *c, const char *key, const char *text, qs_err *err) {
  const char **s = malloc(sizeof(char *) * (size_t)(c->nsets + 1));
  size_t len = strlen(key) + strlen(text) + 2;
  char *a = malloc(len);
  if (!s || !a) {
    free(s);
    free(a);
    return qs_fail(err, QS_ERR_OTHER, "out of memory");
  }
  for (int i = 0; i < c->nsets; i++)
    s[i] = c->sets[i];
  snprintf(a, len, "%s=%s", key, text);
  s[c->nsets] = a;
  cfg_config cfg;
  int rc = cfg_load(c->config_path, s, c->nsets + 1, &cfg, err);
  if (!rc) cfg_free(&cfg);
  free(a);
  free(s);
  return rc;
}

/* Kind and dimension of a key the schema table does not know (keys added later): try a value of
 * each dimension on the base config. The dimensions whose value is not rejected as a wrong unit
 * or type are candidates; exactly one makes the key numeric in it. */
static int probe_key(const grid_ctx *c, const char *key, const char *where, sw_axis *ax,
                     qs_err *err) {
  int ncand = 0, nkey = 0;
  unit_dim cand = UNIT_NONE;
  qs_err e, first;
  first.msg[0] = '\0';
  for (int d = 0; d < UNIT_COUNT_; d++) {
    char v[64];
    if (d == UNIT_NONE) snprintf(v, sizeof(v), "50 %%");
    else snprintf(v, sizeof(v), "1 %s", units_dim_example((unit_dim)d));
    int rc = try_value(c, key, v, &e);
    if (rc == QS_ERR_KEY || rc == QS_ERR_SYNTAX) {
      if (!nkey++) first = e;
    } else if (rc != QS_ERR_UNIT && rc != QS_ERR_TYPE) {
      ncand++;
      cand = (unit_dim)d;
    }
  }
  if (nkey == UNIT_COUNT_)
    return afail(err, first.cls, where, "%s", strip_set_label(first.msg));
  ax->numeric = ncand == 1;
  ax->dim = ncand == 1 ? cand : UNIT_NONE;
  return 0;
}

/* Append one value (text as written) to the axis. */
static int add_value(sw_axis *ax, const char *text, double si) {
  char **t = realloc(ax->text, sizeof(char *) * (size_t)(ax->n + 1));
  if (!t) return 1;
  ax->text = t;
  double *s = realloc(ax->si, sizeof(double) * (size_t)(ax->n + 1));
  if (!s) return 1;
  ax->si = s;
  if (!(ax->text[ax->n] = strdup(text))) return 1;
  ax->si[ax->n++] = si;
  return 0;
}

/* One value: numeric values are parsed and stored with their canonical text. */
static int value(sw_axis *ax, const char *text, const char *where, qs_err *err) {
  if (!text[0]) return afail(err, QS_ERR_SYNTAX, where, "empty value in the list");
  if (ax->n >= MAX_AXIS_POINTS)
    return afail(err, QS_ERR_RANGE, where, "more than %d values", MAX_AXIS_POINTS);
  if (!ax->numeric) return add_value(ax, text, NAN) ? qs_fail(err, QS_ERR_OTHER, "out of memory") : 0;
  double si;
  char why[512], canon[96];
  int rc = units_parse(text, ax->dim, 1, &si, why, sizeof(why));
  if (rc) return afail(err, (qs_errclass)rc, where, "value '%s': %s", text, why);
  units_format(si, ax->dim, canon, sizeof(canon));
  return add_value(ax, canon, si) ? qs_fail(err, QS_ERR_OTHER, "out of memory") : 0;
}

/* The value with the fewest significant digits (in the unit users read) within tol of x, so that
 * an inner range value is exactly what parsing its text gives ("30 nm", not 30.000000000000001). */
static double snap(double x, unit_dim d, double tol) {
  char s[96], t[128];
  units_format(x, d, s, sizeof(s));
  char *sp = strchr(s, ' ');
  const char *unit = sp ? sp + 1 : "";
  if (sp) *sp = '\0';
  const double v = strtod(s, NULL);
  for (int p = 1; p <= 15; p++) {
    double y;
    snprintf(t, sizeof(t), "%.*g%s%s", p, v, unit[0] ? " " : "", unit);
    if (units_parse(t, d, 0, &y, NULL, 0) == 0 && fabs(y - x) <= tol) return y;
  }
  return x;
}

static int range(sw_axis *ax, char *const part[3], const char *where, qs_err *err) {
  static const char *const names[3] = {"start", "step", "stop"};
  double v[3];
  for (int i = 0; i < 3; i++) {
    char why[512];
    if (!part[i][0])
      return afail(err, QS_ERR_SYNTAX, where, "empty %s (expected start:step:stop, e.g. '%s')",
                   names[i], "20 nm:10 nm:60 nm");
    int rc = units_parse(part[i], ax->dim, 0, &v[i], why, sizeof(why));
    if (rc) return afail(err, (qs_errclass)rc, where, "%s '%s': %s", names[i], part[i], why);
  }
  const double start = v[0], step = v[1], stop = v[2], n = (stop - start) / step;
  if (step == 0) return afail(err, QS_ERR_RANGE, where, "the step '%s' is zero", part[1]);
  if (n < 0)
    return afail(err, QS_ERR_RANGE, where,
                 "the step '%s' points away from the stop '%s' (from '%s' it needs the other sign)",
                 part[1], part[2], part[0]);
  const double nr = round(n);
  if (fabs(n - nr) > 1e-9 * fmax(1.0, fabs(n)))
    return afail(err, QS_ERR_RANGE, where,
                 "the step '%s' does not divide the range from '%s' to '%s' into whole steps "
                 "((stop - start)/step = %.10g; expected an integer)",
                 part[1], part[0], part[2], n);
  if (nr + 1 > MAX_AXIS_POINTS)
    return afail(err, QS_ERR_RANGE, where, "%.0f values, more than %d", nr + 1, MAX_AXIS_POINTS);
  const int np = (int)nr + 1;
  for (int i = 0; i < np; i++) {
    double x = i == 0 ? start : i == np - 1 ? stop : (start * (nr - i) + stop * i) / nr;
    if (i > 0 && i < np - 1) x = snap(x, ax->dim, 1e-9 * fabs(step));
    char canon[96];
    if (add_value(ax, units_format(x, ax->dim, canon, sizeof(canon)), x))
      return qs_fail(err, QS_ERR_OTHER, "out of memory");
  }
  return 0;
}

/* Values from a spec text: "a:b:c" (numeric keys), "v1,v2,...", "[v1, v2]". */
static int values_from_text(sw_axis *ax, const char *spec, const char *where, qs_err *err) {
  size_t n = strlen(spec);
  char *s = trimmed(spec, n);
  if (!s) return qs_fail(err, QS_ERR_OTHER, "out of memory");
  int rc = 0;
  n = strlen(s);
  char *body = s;
  if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
    s[n - 1] = '\0';
    body = s + 1;
  }
  if (!*body) {
    rc = afail(err, QS_ERR_SYNTAX, where,
               "no values (expected start:step:stop or a list v1,v2,..., e.g. '%s')",
               "20nm:10nm:60nm");
  } else if (ax->numeric && strchr(body, ':') && !strchr(body, ',') && body == s) {
    int ncolon = 0;
    for (const char *p = body; *p; p++)
      ncolon += *p == ':';
    if (ncolon != 2) {
      rc = afail(err, QS_ERR_SYNTAX, where,
                 "a range needs three parts, start:step:stop (found %d), e.g. '%s'", ncolon + 1,
                 "20nm:10nm:60nm");
    } else {
      char *c1 = strchr(body, ':'), *c2 = strchr(c1 + 1, ':');
      char *part[3] = {trimmed(body, (size_t)(c1 - body)), trimmed(c1 + 1, (size_t)(c2 - c1 - 1)),
                       trimmed(c2 + 1, strlen(c2 + 1))};
      if (!part[0] || !part[1] || !part[2]) rc = qs_fail(err, QS_ERR_OTHER, "out of memory");
      else rc = range(ax, part, where, err);
      for (int i = 0; i < 3; i++)
        free(part[i]);
    }
  } else {
    for (char *p = body; !rc;) {
      char *comma = strchr(p, ',');
      char *t = trimmed(p, comma ? (size_t)(comma - p) : strlen(p));
      rc = t ? value(ax, t, where, err) : qs_fail(err, QS_ERR_OTHER, "out of memory");
      free(t);
      if (!comma) break;
      p = comma + 1;
    }
  }
  free(s);
  return rc;
}

static void axis_free(sw_axis *ax) {
  for (int i = 0; i < ax->n; i++)
    free(ax->text[i]);
  free(ax->text);
  free(ax->si);
  free(ax->key);
  free(ax->spec);
  free(ax->origin);
  memset(ax, 0, sizeof(*ax));
}

/* Key, kind and dimension of an axis; values from a text spec or a YAML list. */
static int make_axis(const grid_ctx *c, const char *key, const char *spec, const yt_node *list,
                     const char *origin, const char *where, sw_axis *ax, qs_err *err) {
  memset(ax, 0, sizeof(*ax));
  if (!(ax->key = strdup(key)) || !(ax->spec = strdup(spec)) || !(ax->origin = strdup(origin)))
    return qs_fail(err, QS_ERR_OTHER, "out of memory");
  if (!key[0] || key[0] == '.' || key[strlen(key) - 1] == '.' || strstr(key, ".."))
    return afail(err, QS_ERR_SYNTAX, where,
                 "'%s' is not a key path (expected e.g. 'layers.HTL.thickness')", key);
  cfg_key_info info;
  qs_err e;
  int rc = 0;
  if (cfg_key_query(key, &info, &e) == 0) {
    ax->numeric = info.numeric;
    ax->dim = info.dim;
  } else if ((rc = probe_key(c, key, where, ax, err))) {
    return rc;
  }
  snprintf(ax->units, sizeof(ax->units), "%s", ax->numeric ? sw_si_units(ax->dim) : "");
  if (list) {
    for (const yt_node *v = list->first; v && !rc; v = v->next) {
      if (v->kind != YT_SCALAR) {
        char w[512];
        return afail(err, QS_ERR_TYPE, yt_where(v, w, sizeof(w)),
                     "vary.%s: expected a list of values, found a nested %s", key,
                     v->kind == YT_MAP ? "map" : "list");
      }
      rc = value(ax, v->text, where, err);
    }
    if (!rc && ax->n == 0) rc = afail(err, QS_ERR_SYNTAX, where, "empty list of values");
  } else {
    rc = values_from_text(ax, spec, where, err);
  }
  if (rc) return rc;
  /* try every value on the base config */
  for (int i = 0; c->try_values && i < ax->n; i++) {
    rc = try_value(c, key, ax->text[i], &e);
    if (rc == QS_ERR_SYNTAX || rc == QS_ERR_KEY || rc == QS_ERR_TYPE || rc == QS_ERR_UNIT ||
        rc == QS_ERR_MATERIAL || rc == QS_ERR_OTHER || rc == QS_ERR_FILE)
      return afail(err, (qs_errclass)rc, where, "%s", strip_set_label(e.msg));
    if (rc && c->warn)
      fprintf(c->warn, "qledsim: warning: %s: value %s: %s; the points with it will be recorded as "
                       "failed\n", where, ax->text[i], strip_set_label(e.msg));
  }
  return 0;
}

/* "device.layers.HTL.x" and "layers.HTL.x" name the same key. */
static const char *plain_key(const char *k) {
  return strncmp(k, "device.", 7) == 0 ? k + 7 : k;
}

static int find_axis(const sw_grid *g, const char *key) {
  for (int a = 0; a < g->naxes; a++)
    if (!strcmp(plain_key(g->axes[a].key), plain_key(key))) return a;
  return -1;
}

static sw_axis *new_axis(sw_grid *g) {
  sw_axis *p = realloc(g->axes, sizeof(sw_axis) * (size_t)(g->naxes + 1));
  if (!p) return NULL;
  g->axes = p;
  memset(&p[g->naxes], 0, sizeof(sw_axis));
  return &p[g->naxes++];
}

int sw_grid_finish(sw_grid *g) {
  long np = 1;
  size_t len = 1;
  for (int a = 0; a < g->naxes; a++) {
    np = (np > MAX_GRID_POINTS) ? np : np * g->axes[a].n;
    len += strlen(g->axes[a].key) + 3;
    for (int i = 0; i < g->axes[a].n; i++)
      len += strlen(g->axes[a].text[i]) + 2;
  }
  g->npoints = g->naxes ? np : 0;
  free(g->canonical);
  if (!(g->canonical = malloc(len))) return 1;
  char *p = g->canonical;
  *p = '\0';
  for (int a = 0; a < g->naxes; a++) {
    p += sprintf(p, "%s: ", g->axes[a].key);
    for (int i = 0; i < g->axes[a].n; i++)
      p += sprintf(p, "%s%s", i ? ", " : "", g->axes[a].text[i]);
    p += sprintf(p, "\n");
  }
  return 0;
}

int sw_grid_build(const char *config_path, const cfg_config *base, const char *const *sets,
                  int nsets, const char *const *varies, int nvaries, int try_values, FILE *warn,
                  sw_grid *g, qs_err *err) {
  memset(g, 0, sizeof(*g));
  grid_ctx c = {config_path, sets, nsets, try_values, warn};
  int rc = 0;
  /* the config's vary: section */
  for (const yt_node *v = base->vary ? base->vary->first : NULL; v && !rc; v = v->next) {
    char origin[512], where[1200];
    yt_where_key(v, origin, sizeof(origin));
    snprintf(where, sizeof(where), "%s: vary.%s", origin, v->key);
    if (v->kind == YT_MAP) {
      rc = afail(err, QS_ERR_TYPE, where,
                 "expected a range 'start:step:stop' or a list of values, e.g. '%s', found a map",
                 "\"20 nm:10 nm:60 nm\"");
      break;
    }
    sw_axis *ax = new_axis(g);
    if (!ax) rc = qs_fail(err, QS_ERR_OTHER, "out of memory");
    else
      rc = make_axis(&c, v->key, v->kind == YT_SCALAR ? v->text : "(list)",
                     v->kind == YT_SEQ ? v : NULL, origin, where, ax, err);
  }
  /* --vary options */
  for (int i = 0; i < nvaries && !rc; i++) {
    char where[1200];
    snprintf(where, sizeof(where), "--vary '%s'", varies[i]);
    const char *eq = strchr(varies[i], '=');
    if (!eq) {
      rc = afail(err, QS_ERR_SYNTAX, where,
                 "no '=' (expected key.path=start:step:stop or key.path=v1,v2,..., e.g. "
                 "'layers.HTL.thickness=20nm:10nm:60nm')");
      break;
    }
    char *key = trimmed(varies[i], (size_t)(eq - varies[i]));
    if (!key) {
      rc = qs_fail(err, QS_ERR_OTHER, "out of memory");
      break;
    }
    for (int j = 0; j < i && !rc; j++) {
      const char *e2 = strchr(varies[j], '=');
      char *k2 = e2 ? trimmed(varies[j], (size_t)(e2 - varies[j])) : NULL;
      if (k2 && !strcmp(plain_key(k2), plain_key(key)))
        rc = afail(err, QS_ERR_SYNTAX, where, "'%s' is varied twice on the command line", key);
      free(k2);
    }
    sw_axis ax;
    memset(&ax, 0, sizeof(ax));
    if (!rc) rc = make_axis(&c, key, eq + 1, NULL, "--vary", where, &ax, err);
    if (!rc) {
      const int at = find_axis(g, key);
      sw_axis *slot = at >= 0 ? &g->axes[at] : new_axis(g);
      if (!slot) rc = qs_fail(err, QS_ERR_OTHER, "out of memory");
      else {
        if (at >= 0) axis_free(slot);
        *slot = ax;
      }
    }
    if (rc) axis_free(&ax);
    free(key);
  }
  if (!rc && g->naxes > 64) rc = qs_fail(err, QS_ERR_RANGE, "more than 64 varied keys");
  if (!rc && g->naxes == 0)
    rc = qs_fail(err, QS_ERR_SYNTAX,
                 "nothing to vary: give --vary key.path=start:step:stop (or v1,v2,...), or a "
                 "'vary:' section in the config, e.g. --vary layers.HTL.thickness=20nm:10nm:60nm");
  if (!rc) {
    long np = 1;
    for (int a = 0; a < g->naxes && !rc; a++) {
      np *= g->axes[a].n;
      if (np > MAX_GRID_POINTS)
        rc = qs_fail(err, QS_ERR_RANGE, "the grid has more than %ld points", MAX_GRID_POINTS);
    }
  }
  if (!rc && sw_grid_finish(g)) rc = qs_fail(err, QS_ERR_OTHER, "out of memory");
  if (rc) sw_grid_free(g);
  return rc;
}

void sw_grid_free(sw_grid *g) {
  for (int a = 0; a < g->naxes; a++)
    axis_free(&g->axes[a]);
  free(g->axes);
  free(g->canonical);
  memset(g, 0, sizeof(*g));
}

void sw_grid_index(const sw_grid *g, long k, int *idx) {
  for (int a = g->naxes - 1; a >= 0; a--) {
    idx[a] = (int)(k % g->axes[a].n);
    k /= g->axes[a].n;
  }
}

int sw_point_sets(const sw_grid *g, long k, const char *const *sets, int nsets, char ***out,
                  int *nout) {
  int idx[64];
  if (g->naxes > 64) return 1;
  sw_grid_index(g, k, idx);
  char **s = calloc((size_t)nsets + (size_t)g->naxes, sizeof(char *));
  if (!s) return 1;
  for (int i = 0; i < nsets; i++)
    s[i] = (char *)sets[i];
  for (int a = 0; a < g->naxes; a++) {
    const sw_axis *ax = &g->axes[a];
    size_t len = strlen(ax->key) + strlen(ax->text[idx[a]]) + 2;
    if (!(s[nsets + a] = malloc(len))) {
      sw_point_sets_free(g, s, nsets + g->naxes);
      return 1;
    }
    snprintf(s[nsets + a], len, "%s=%s", ax->key, ax->text[idx[a]]);
  }
  *out = s;
  *nout = nsets + g->naxes;
  return 0;
}

void sw_point_sets_free(const sw_grid *g, char **s, int n) {
  if (!s) return;
  for (int i = n - g->naxes; i < n; i++)
    if (i >= 0) free(s[i]);
  free(s);
}

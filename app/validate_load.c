/* Reading a validation file (schema qledsim-validation/1, described in the header comment of
 * configs/validation/table1.yaml): the default stacks, the entries and the facts. Keys are
 * checked strictly (a misspelt key would silently drop a reported value). A problem inside one
 * entry is kept with that entry, which is then reported as failed while the others run; a problem
 * with the file itself (syntax, schema, ids, facts naming unknown entries) stops everything. */
#include "app/validate.h"
#include "io/units.h"
#include "physics/constants.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const COLOURS[3] = {"red", "green", "blue"};

int vd_colour_index(const char *colour) {
  for (int i = 0; colour && i < 3; i++)
    if (!strcmp(colour, COLOURS[i])) return i;
  return -1;
}

static const struct {
  const char *name, *units;
} QUANT[VQ_COUNT] = {{"eqe", "1"}, {"ce", "cd/A"}, {"pe", "lm/W"}, {"v_on", "V"},
                     {"homo", "eV"}, {"lumo", "eV"}, {"mu_p", "m^2/(V s)"}};

const char *vd_qname(vd_quantity q) { return QUANT[q].name; }
const char *vd_qunits(vd_quantity q) { return QUANT[q].units; }
int vd_qparse(const char *name) {
  for (int q = 0; name && q < VQ_COUNT; q++)
    if (!strcmp(name, QUANT[q].name)) return q;
  return -1;
}

const char *vd_status_name(int status) {
  switch (status) {
  case VD_OK: return "ok";
  case VD_UNCONVERGED: return "unconverged";
  case VD_FAILED: return "failed";
  default: return "not run";
  }
}

/* "file:line:col: where: message" into err (or a buffer). */
static int vfail(char *buf, size_t len, const yt_node *n, const char *where, const char *fmt,
                 va_list ap) {
  char pos[256], msg[1024];
  vsnprintf(msg, sizeof(msg), fmt, ap);
  snprintf(buf, len, "%s: %s%s%s", n ? yt_where(n, pos, sizeof(pos)) : "?", where ? where : "",
           where && *where ? ": " : "", msg);
  return 1;
}

static int file_fail(qs_err *err, qs_errclass cls, const yt_node *n, const char *where,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int file_fail(qs_err *err, qs_errclass cls, const yt_node *n, const char *where,
                     const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(err->msg, sizeof(err->msg), n, where, fmt, ap);
  va_end(ap);
  err->cls = cls;
  return cls;
}

/* An entry-level problem: kept in e->load_error (the first one wins). */
static int entry_fail(vd_entry *e, const yt_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int entry_fail(vd_entry *e, const yt_node *n, const char *fmt, ...) {
  if (e->load_error) return 1;
  char buf[1400], where[160];
  snprintf(where, sizeof(where), "entry '%s'", e->id ? e->id : "?");
  va_list ap;
  va_start(ap, fmt);
  vfail(buf, sizeof(buf), n, where, fmt, ap);
  va_end(ap);
  e->load_error = strdup(buf);
  return 1;
}

/* The first key of map not in allowed (NULL-terminated), with a suggestion; NULL if none. */
static const yt_node *bad_key(const yt_node *map, const char *const *allowed, char *hint,
                              size_t hlen) {
  int n = 0;
  while (allowed[n])
    n++;
  for (const yt_node *c = map->first; c; c = c->next) {
    int ok = 0;
    for (int i = 0; i < n && !ok; i++)
      ok = !strcmp(c->key, allowed[i]);
    if (ok) continue;
    const char *s = qs_suggest(c->key, allowed, n);
    if (s) snprintf(hint, hlen, "unknown key '%s' (did you mean '%s'?)", c->key, s);
    else {
      size_t used = (size_t)snprintf(hint, hlen, "unknown key '%s' (expected one of:", c->key);
      for (int i = 0; i < n && used < hlen; i++)
        used += (size_t)snprintf(hint + used, hlen - used, "%s%s", i ? ", " : " ", allowed[i]);
      if (used < hlen) snprintf(hint + used, hlen - used, ")");
    }
    return c;
  }
  return NULL;
}

/* Scalar text of map[key], NULL when absent or null. */
static const char *text_of(const yt_node *map, const char *key) {
  const yt_node *v = yt_get(map, key);
  return v && v->kind == YT_SCALAR && !yt_is_null(v) ? v->text : NULL;
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* A reported quantity "21.4 %", "32.3 cd/A", "-5.4 eV", "3.2 V": the number is taken exactly
 * as written when the unit is the one the table uses; other units of the right dimension are
 * converted. Returns 0, or 1 with why. */
int vd_parse_value(vd_quantity q, const char *text, double *v, char *why, size_t wl) {
  static const char *const unit[VQ_COUNT] = {"%", "cd/A", "lm/W", "V", "eV", "eV", "cm^2/Vs"};
  static const unit_dim dim[VQ_COUNT] = {UNIT_NONE,   UNIT_NONE,   UNIT_NONE,    UNIT_VOLTAGE,
                                         UNIT_ENERGY, UNIT_ENERGY, UNIT_MOBILITY};
  char *end;
  const double x = strtod(text, &end);
  const int number = end != text && isfinite(x);
  while (number && *end == ' ')
    end++;
  if (number && !strcmp(end, unit[q])) { /* the table's own unit: exactly as written */
    *v = q == VQ_EQE ? x / 100.0 : q == VQ_MU_P ? x * 1e-4 : x;
    return 0;
  }
  if (q == VQ_CE || q == VQ_PE) { /* photometric units are not in io/units: cd/A, lm/W only */
    if (number && *end == '\0') {
      *v = x;
      return 0;
    }
    snprintf(why, wl, "found '%s', expected a number with unit %s, e.g. '12.5 %s'", text,
             unit[q], unit[q]);
    return 1;
  }
  double si;
  if (units_parse(text, dim[q], 0, &si, why, wl)) return 1;
  *v = (q == VQ_HOMO || q == VQ_LUMO) ? si / PHYS_EV : si;
  return 0;
}

static int read_reported(vd_entry *e, const yt_node *rep) {
  static const char *const keys[] = {"homo", "lumo", "eqe", "ce", "pe", "v_on_min", NULL};
  static const vd_quantity which[] = {VQ_HOMO, VQ_LUMO, VQ_EQE, VQ_CE, VQ_PE, VQ_V_ON};
  char hint[512];
  for (int q = 0; q < VQ_COUNT; q++)
    e->rep[q] = NAN;
  if (!rep || yt_is_null(rep)) return 0;
  if (rep->kind != YT_MAP) return entry_fail(e, rep, "reported: expected a map");
  const yt_node *b = bad_key(rep, keys, hint, sizeof(hint));
  if (b) return entry_fail(e, b, "reported: %s", hint);
  for (int k = 0; keys[k]; k++) {
    const yt_node *v = yt_get(rep, keys[k]);
    if (!v || yt_is_null(v)) continue;
    char why[400];
    if (v->kind != YT_SCALAR || vd_parse_value(which[k], v->text, &e->rep[which[k]], why, sizeof(why)))
      return entry_fail(e, v, "reported.%s: %s", keys[k], v->kind != YT_SCALAR ? "expected a value" : why);
    e->rep_text[which[k]] = strdup(v->text);
  }
  return 0;
}

static char *reference_text(const yt_node *r) {
  if (!r || r->kind != YT_MAP) return strdup("");
  char buf[512];
  const char *fa = text_of(r, "first_author"), *j = text_of(r, "journal"),
             *vol = text_of(r, "volume"), *pg = text_of(r, "pages"), *y = text_of(r, "year"),
             *doi = text_of(r, "doi");
  int n = snprintf(buf, sizeof(buf), "%s et al., %s %s, %s (%s)", fa ? fa : "?", j ? j : "?",
                   vol ? vol : "?", pg ? pg : "?", y ? y : "?");
  if (doi && n > 0 && (size_t)n < sizeof(buf)) snprintf(buf + n, sizeof(buf) - (size_t)n, ", doi:%s", doi);
  return strdup(buf);
}

static int read_blend_record(vd_entry *e, const yt_node *b) {
  static const char *const keys[] = {"host", "crosslinker", "crosslinker_role", "fraction",
                                     "fraction_unit", "fraction_status", NULL};
  char hint[512];
  if (!b || yt_is_null(b)) return 0;
  if (b->kind != YT_MAP) return entry_fail(e, b, "blend: expected a map or null");
  const yt_node *k = bad_key(b, keys, hint, sizeof(hint));
  if (k) return entry_fail(e, k, "blend: %s", hint);
  e->blend_host = dup_or_null(text_of(b, "host"));
  e->blend_crosslinker = dup_or_null(text_of(b, "crosslinker"));
  e->blend_fraction = dup_or_null(text_of(b, "fraction"));
  e->blend_fraction_unit = dup_or_null(text_of(b, "fraction_unit"));
  e->blend_fraction_status = dup_or_null(text_of(b, "fraction_status"));
  if (!e->blend_host || !e->blend_crosslinker)
    return entry_fail(e, b, "blend: needs host and crosslinker (database names)");
  return 0;
}

static int read_device(vd_entry *e, const yt_node *d) {
  static const char *const keys[] = {"status", "known", "anode", "cathode", "layers", NULL};
  static const char *const ekeys[] = {"material", "status", NULL};
  static const char *const lkeys[] = {"name", "material", "thickness", "status", "blend", NULL};
  char hint[512];
  if (!d || d->kind != YT_MAP) return entry_fail(e, d ? d : e->node, "device: expected a map");
  const yt_node *k = bad_key(d, keys, hint, sizeof(hint));
  if (k) return entry_fail(e, k, "device: %s", hint);
  e->stack_status = strdup(text_of(d, "status") ? text_of(d, "status") : "");
  const char *which[2] = {"anode", "cathode"};
  char **dst[2] = {&e->anode, &e->cathode};
  for (int i = 0; i < 2; i++) {
    const yt_node *c = yt_get(d, which[i]);
    if (!c || yt_is_null(c)) continue;
    if (c->kind != YT_MAP) return entry_fail(e, c, "device.%s: expected a map", which[i]);
    if ((k = bad_key(c, ekeys, hint, sizeof(hint))))
      return entry_fail(e, k, "device.%s: %s", which[i], hint);
    *dst[i] = dup_or_null(text_of(c, "material"));
  }
  const yt_node *ls = yt_get(d, "layers");
  if (!ls || ls->kind != YT_SEQ || ls->nchildren < 1)
    return entry_fail(e, ls ? ls : d, "device.layers: expected a list of layers");
  e->layers = calloc((size_t)ls->nchildren, sizeof(vd_layer));
  if (!e->layers) return entry_fail(e, ls, "out of memory");
  for (const yt_node *l = ls->first; l; l = l->next) {
    if (l->kind != YT_MAP)
      return entry_fail(e, l, "device.layers[%d]: expected a map", e->nlayers);
    if ((k = bad_key(l, lkeys, hint, sizeof(hint))))
      return entry_fail(e, k, "device.layers[%d]: %s", e->nlayers, hint);
    vd_layer *L = &e->layers[e->nlayers++];
    L->node = l;
    L->name = dup_or_null(text_of(l, "name"));
    L->material = dup_or_null(text_of(l, "material"));
    L->thickness = dup_or_null(text_of(l, "thickness"));
    L->status = strdup(text_of(l, "status") ? text_of(l, "status") : "");
    const yt_node *b = yt_get(l, "blend");
    L->blend = b && !yt_is_null(b) ? b : NULL;
    if (!L->name || !L->material || !L->thickness)
      return entry_fail(e, l, "device.layers[%d]: needs name, material and thickness",
                        e->nlayers - 1);
    if (L->blend && L->blend->kind != YT_MAP)
      return entry_fail(e, L->blend, "device.layers[%d].blend: expected a map", e->nlayers - 1);
  }
  return 0;
}

static void read_entry(vd_entry *e) {
  static const char *const keys[] = {"id",          "htl",    "table1_row", "figures_from",
                                     "where",       "colour", "colour_status", "colour_note",
                                     "reported",    "derived", "reference", "blend",
                                     "device",      "notes",  NULL};
  const yt_node *n = e->node;
  char hint[512];
  e->fraction = NAN;
  e->htl = strdup(text_of(n, "htl") ? text_of(n, "htl") : "");
  e->colour = strdup(text_of(n, "colour") ? text_of(n, "colour") : "");
  e->colour_status = strdup(text_of(n, "colour_status") ? text_of(n, "colour_status") : "");
  e->figures_from = strdup(text_of(n, "figures_from") ? text_of(n, "figures_from") : "");
  e->reference = reference_text(yt_get(n, "reference"));
  const char *row = text_of(n, "table1_row");
  e->table1_row = row ? (int)strtol(row, NULL, 10) : 0; /* only a label: text that is no number reads as 0 */
  for (int q = 0; q < VQ_COUNT; q++)
    e->rep[q] = NAN;
  const yt_node *k = bad_key(n, keys, hint, sizeof(hint));
  if (k) {
    entry_fail(e, k, "%s", hint);
    return;
  }
  if (vd_colour_index(e->colour) < 0) {
    entry_fail(e, yt_get(n, "colour") ? yt_get(n, "colour") : n,
               "colour: found '%s', expected red, green or blue", e->colour);
    return;
  }
  if (!read_reported(e, yt_get(n, "reported")) && !read_blend_record(e, yt_get(n, "blend")))
    read_device(e, yt_get(n, "device"));
}

/* defaults.<colour>.device, resolved: "configs/..." against the data directory (which may be
 * moved with QLEDSIM_DATADIR), other relative paths against the validation file's directory. */
static int read_defaults(vd_file *vf, const yt_node *d, qs_err *err) {
  static const char *const keys[] = {"note", "red", "green", "blue", NULL};
  static const char *const ckeys[] = {"device", "stack", NULL};
  char hint[512];
  if (!d || d->kind != YT_MAP)
    return file_fail(err, QS_ERR_KEY, d ? d : vf->root, "defaults",
                     "expected a map with the default stack of red, green and blue");
  const yt_node *k = bad_key(d, keys, hint, sizeof(hint));
  if (k) return file_fail(err, QS_ERR_KEY, k, "defaults", "%s", hint);
  for (int c = 0; c < 3; c++) {
    const yt_node *m = yt_get(d, COLOURS[c]);
    const char *dev = m && m->kind == YT_MAP ? text_of(m, "device") : NULL;
    if (m && m->kind == YT_MAP && (k = bad_key(m, ckeys, hint, sizeof(hint))))
      return file_fail(err, QS_ERR_KEY, k, "defaults", "%s: %s", COLOURS[c], hint);
    if (!dev) continue; /* only an error if an entry of this colour needs it */
    const char *base = "";
    char dir[1024] = "";
    if (dev[0] != '/' && !strncmp(dev, "configs/", 8)) {
      base = cfg_datadir();
      dev += 8;
    } else if (dev[0] != '/') {
      snprintf(dir, sizeof(dir), "%s", vf->path);
      char *slash = strrchr(dir, '/');
      if (slash) slash[0] = '\0';
      else snprintf(dir, sizeof(dir), ".");
      base = dir;
    }
    size_t len = strlen(base) + strlen(dev) + 2;
    if (!(vf->defaults[c] = malloc(len))) return file_fail(err, QS_ERR_OTHER, d, "", "out of memory");
    snprintf(vf->defaults[c], len, "%s%s%s", base, *base ? "/" : "", dev);
  }
  return 0;
}

static int read_fact(vd_file *vf, vd_fact *f, const yt_node *n, int i, qs_err *err) {
  static const char *const keys[] = {"id",    "kind",     "entries", "quantity", "value",
                                     "check", "quote",    "location", "note",    NULL};
  static const char *const kinds[] = {"ratio", "order", "bound", "values", "info", NULL};
  char where[64], hint[512];
  snprintf(where, sizeof(where), "facts[%d]", i);
  f->node = n;
  f->predicted = f->reported = NAN;
  if (n->kind != YT_MAP) return file_fail(err, QS_ERR_TYPE, n, where, "expected a map");
  const yt_node *k = bad_key(n, keys, hint, sizeof(hint));
  if (k) return file_fail(err, QS_ERR_KEY, k, where, "%s", hint);
  f->id = dup_or_null(text_of(n, "id"));
  f->kind = dup_or_null(text_of(n, "kind"));
  f->quantity = dup_or_null(text_of(n, "quantity"));
  f->value = dup_or_null(text_of(n, "value"));
  f->check = strdup(text_of(n, "check") ? text_of(n, "check") : "");
  if (!f->id || !f->kind) return file_fail(err, QS_ERR_KEY, n, where, "needs id and kind");
  int ok = 0;
  for (int j = 0; kinds[j] && !ok; j++)
    ok = !strcmp(f->kind, kinds[j]);
  if (!ok)
    return file_fail(err, QS_ERR_TYPE, yt_get(n, "kind"), where,
                     "kind: found '%s', expected ratio, order, bound, values or info", f->kind);
  if (strcmp(f->kind, "info") && vd_qparse(f->quantity) < 0)
    return file_fail(err, QS_ERR_TYPE, yt_get(n, "quantity") ? yt_get(n, "quantity") : n, where,
                     "quantity: found '%s', expected eqe, ce, pe, v_on, homo, lumo or mu_p",
                     f->quantity ? f->quantity : "(none)");
  const yt_node *es = yt_get(n, "entries");
  if (!es || es->kind != YT_SEQ || es->nchildren < 1)
    return file_fail(err, QS_ERR_TYPE, es ? es : n, where, "entries: expected a list of entry ids");
  f->entries = calloc((size_t)es->nchildren, sizeof(char *));
  f->index = calloc((size_t)es->nchildren, sizeof(int));
  if (!f->entries || !f->index) return file_fail(err, QS_ERR_OTHER, n, where, "out of memory");
  for (const yt_node *x = es->first; x; x = x->next) {
    const int j = x->kind == YT_SCALAR ? vd_find(vf, x->text) : -1;
    if (j < 0)
      return file_fail(err, QS_ERR_KEY, x, where, "entries: no entry with id '%s'",
                       x->kind == YT_SCALAR ? x->text : "?");
    f->index[f->nentries] = j;
    f->entries[f->nentries++] = strdup(x->text);
  }
  const int need = !strcmp(f->kind, "order") ? 2 : 1;
  if (f->nentries < need || (!strcmp(f->kind, "order") && f->nentries != 2))
    return file_fail(err, QS_ERR_RANGE, es, where, "a fact of kind %s needs %s", f->kind,
                     !strcmp(f->kind, "order") ? "exactly two entries" : "at least one entry");
  return 0;
}

int vd_find(const vd_file *vf, const char *id) {
  for (int i = 0; id && i < vf->n; i++)
    if (vf->e[i].id && !strcmp(vf->e[i].id, id)) return i;
  return -1;
}

int vd_load(const char *path, vd_file *vf, qs_err *err) {
  static const char *const keys[] = {"schema", "source", "defaults", "entries", "facts",
                                     "discrepancies", NULL};
  memset(vf, 0, sizeof(*vf));
  if (!(vf->path = strdup(path))) return qs_fail(err, QS_ERR_OTHER, "out of memory");
  int rc = yt_parse_file(path, &vf->root, err);
  if (rc) return rc;
  const yt_node *root = vf->root;
  char hint[512];
  if (root->kind != YT_MAP) return file_fail(err, QS_ERR_TYPE, root, "", "expected a map");
  const yt_node *k = bad_key(root, keys, hint, sizeof(hint));
  if (k) return file_fail(err, QS_ERR_KEY, k, "", "%s", hint);
  const char *schema = text_of(root, "schema");
  if (!schema || strcmp(schema, "qledsim-validation/1"))
    return file_fail(err, QS_ERR_RANGE, yt_get(root, "schema") ? yt_get(root, "schema") : root,
                     "schema", "found '%s', expected 'qledsim-validation/1'", schema ? schema : "(none)");
  if ((rc = read_defaults(vf, yt_get(root, "defaults"), err))) return rc;
  const yt_node *es = yt_get(root, "entries");
  if (!es || es->kind != YT_SEQ || es->nchildren < 1)
    return file_fail(err, QS_ERR_TYPE, es ? es : root, "entries", "expected a list of entries");
  if (!(vf->e = calloc((size_t)es->nchildren, sizeof(vd_entry))))
    return qs_fail(err, QS_ERR_OTHER, "out of memory");
  for (const yt_node *n = es->first; n; n = n->next) {
    vd_entry *e = &vf->e[vf->n];
    char where[64];
    snprintf(where, sizeof(where), "entries[%d]", vf->n);
    e->node = n;
    const char *id = n->kind == YT_MAP ? text_of(n, "id") : NULL;
    if (!id) return file_fail(err, QS_ERR_KEY, n, where, "every entry needs an id");
    if (vd_find(vf, id) >= 0) return file_fail(err, QS_ERR_KEY, yt_get(n, "id"), where, "duplicate id '%s'", id);
    e->id = strdup(id);
    vf->n++;
    read_entry(e);
    e->selected = 1;
    if (!e->load_error && !vf->defaults[vd_colour_index(e->colour)])
      entry_fail(e, n, "no defaults.%s.device for colour %s", e->colour, e->colour);
  }
  const yt_node *fs = yt_get(root, "facts");
  if (fs && !yt_is_null(fs)) {
    if (fs->kind != YT_SEQ) return file_fail(err, QS_ERR_TYPE, fs, "facts", "expected a list");
    if (!(vf->f = calloc((size_t)fs->nchildren + 1, sizeof(vd_fact))))
      return qs_fail(err, QS_ERR_OTHER, "out of memory");
    int i = 0;
    for (const yt_node *n = fs->first; n; n = n->next, i++) {
      vf->nfacts++;
      if ((rc = read_fact(vf, &vf->f[i], n, i, err))) return rc;
    }
  }
  return 0;
}

int vd_select(vd_file *vf, const char *only, qs_err *err) {
  if (!only) return 0;
  for (int i = 0; i < vf->n; i++)
    vf->e[i].selected = 0;
  char *copy = strdup(only), *save = NULL;
  if (!copy) return qs_fail(err, QS_ERR_OTHER, "out of memory");
  int rc = 0, any = 0;
  for (char *t = strtok_r(copy, ", ", &save); t && !rc; t = strtok_r(NULL, ", ", &save)) {
    const int i = vd_find(vf, t);
    if (i < 0) {
      const char **ids = malloc(sizeof(char *) * (size_t)vf->n);
      for (int j = 0; ids && j < vf->n; j++)
        ids[j] = vf->e[j].id;
      const char *s = ids ? qs_suggest(t, ids, vf->n) : NULL;
      rc = qs_fail(err, QS_ERR_KEY, "--only: %s has no entry '%s'%s%s%s", vf->path, t,
                   s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
      free(ids);
    } else {
      vf->e[i].selected = any = 1;
    }
  }
  free(copy);
  if (!rc && !any) rc = qs_fail(err, QS_ERR_KEY, "--only: no entry ids given");
  return rc;
}

static void free_run(vd_run *r) { vd_run_free(r); }

void vd_free(vd_file *vf) {
  for (int i = 0; i < vf->n; i++) {
    vd_entry *e = &vf->e[i];
    char *s[] = {e->id, e->htl, e->colour, e->colour_status, e->figures_from, e->reference,
                 e->stack_status, e->anode, e->cathode, e->blend_host, e->blend_crosslinker,
                 e->blend_fraction_status, e->blend_fraction, e->blend_fraction_unit,
                 e->load_error};
    for (size_t j = 0; j < sizeof(s) / sizeof(s[0]); j++)
      free(s[j]);
    for (int q = 0; q < VQ_COUNT; q++)
      free(e->rep_text[q]);
    for (int l = 0; l < e->nlayers; l++) {
      free(e->layers[l].name);
      free(e->layers[l].material);
      free(e->layers[l].thickness);
      free(e->layers[l].status);
    }
    free(e->layers);
    free_run(&e->run);
  }
  for (int i = 0; i < vf->nfacts; i++) {
    vd_fact *f = &vf->f[i];
    free(f->id);
    free(f->kind);
    free(f->quantity);
    free(f->value);
    free(f->check);
    for (int j = 0; j < f->nentries; j++)
      free(f->entries[j]);
    free(f->entries);
    free(f->index);
    free(f->detail);
    free(f->ref_what);
    free_run(&f->ref);
  }
  free(vf->e);
  free(vf->f);
  for (int c = 0; c < 3; c++)
    free(vf->defaults[c]);
  yt_free(vf->root);
  free(vf->path);
  memset(vf, 0, sizeof(*vf));
}

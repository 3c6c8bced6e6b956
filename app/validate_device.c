/* From a validation entry to a device config. The entry's colour picks the default stack
 * (defaults.<colour>.device: temperature, contacts, outcoupling, bias sweep, mesh, solver); its
 * device.layers[] replace the default layers (material, thickness; a default layer of the same
 * name and material is kept with any extra keys it has), its anode/cathode the contacts.
 *
 * Blends. What the source does not give is filled by one rule for every entry, never by outcome:
 *  - fraction: when neither the layer's blend nor entry.blend reports it, VD_DEFAULT_FRACTION =
 *    5 wt% (status assumed). Cross-linkers blended into hole-transport polymers for solvent
 *    resistance are used at a few wt%: the review's authors reach full solvent resistance with
 *    small loadings and report better devices "by significantly reducing the amount of
 *    cross-linking agents" (Sun et al., ACS Appl. Mater. Interfaces 12, 58369 (2020), abstract),
 *    and shared/reference/parameters.md section 3.2 places 4-8 wt% guests in the trap-controlled
 *    (not percolating) regime. 5 wt% is the lower-middle of that range; it is the same for all
 *    entries, and `--set` cannot change it per entry.
 *  - mobility model, from the sign of the HOMO offset (physics, not outcome): a cross-linker HOMO
 *    above (shallower than) the host's makes its sites hole traps, modelled explicitly as a
 *    Gaussian trap distribution (model none, traps true; Hoesterey-Letson would count the same
 *    trapping twice); a deeper (or equal) HOMO makes them inert for holes: site dilution.
 *  - levels: the blend's HOMO/LUMO reported for the entry (Table 1) -> levels: table with that
 *    value (status reported); nothing reported -> levels: host (the host's levels; assumed).
 * Keys written in the layer's blend map (model, levels, traps, ...) win over these rules. */
#include "app/validate.h"
#include "physics/constants.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static yt_node *scalar(const char *text) { return yt_new(YT_SCALAR, text, "validate", 0, 0); }

static yt_node *map_set_text(yt_node *map, const char *key, const char *text) {
  yt_node *v = scalar(text);
  return v ? yt_map_set(map, key, v) : NULL;
}

/* [[fraction, value]] */
static yt_node *one_row_table(const char *fraction, const char *value) {
  yt_node *t = yt_new(YT_SEQ, NULL, "validate", 0, 0), *row = yt_new(YT_SEQ, NULL, "validate", 0, 0);
  yt_node *a = scalar(fraction), *b = scalar(value);
  if (!t || !row || !a || !b) {
    yt_free(t);
    yt_free(row);
    yt_free(a);
    yt_free(b);
    return NULL;
  }
  yt_seq_append(row, a);
  yt_seq_append(row, b);
  yt_seq_append(t, row);
  return t;
}

static const char *scalar_text(const yt_node *map, const char *key) {
  const yt_node *v = yt_get(map, key);
  return v && v->kind == YT_SCALAR && !yt_is_null(v) ? v->text : NULL;
}

static int contains(const char *s, const char *word) { return s && strstr(s, word) != NULL; }

/* Append ", item" to the assumed list. */
static void note_assumed(vd_entry *e, const char *item) {
  const size_t n = strlen(e->assumed);
  snprintf(e->assumed + n, sizeof(e->assumed) - n, "%s%s", n ? "," : "", item);
}

/* The fraction text of the blend and its kind: the layer's blend, then entry.blend, then the
 * default. Returns 0, or 1 with why (inconsistent or malformed). */
static int blend_fraction(vd_entry *e, const yt_node *lb, char *text, size_t tl, char *why,
                          size_t wl) {
  const char *lf = scalar_text(lb, "fraction"), *ef = e->blend_fraction;
  const char *unit = e->blend_fraction_unit;
  const char *kind = scalar_text(lb, "fraction_kind");
  char from_entry[64] = "";
  if (ef) { /* entry.blend.fraction in fraction_unit ("wt%": 5 means 5 wt%) */
    char *end;
    const double x = strtod(ef, &end);
    if (end == ef || !isfinite(x))
      return snprintf(why, wl, "blend.fraction: found '%s', expected a number", ef), 1;
    const int pct = unit && strchr(unit, '%') && !strchr(ef, '%');
    snprintf(from_entry, sizeof(from_entry), "%s%s", ef, pct ? " %" : "");
  }
  if (lf && ef && strcmp(lf, from_entry) && strcmp(lf, ef))
    return snprintf(why, wl, "the layer's blend fraction '%s' differs from blend.fraction '%s %s'",
                    lf, ef, unit ? unit : ""), 1;
  snprintf(e->fraction_kind, sizeof(e->fraction_kind), "%s",
           kind ? kind : (unit && (contains(unit, "mol") || contains(unit, "site"))) ? "site" : "weight");
  if (lf || ef) {
    snprintf(text, tl, "%s", lf ? lf : from_entry);
    snprintf(e->fraction_status, sizeof(e->fraction_status), "reported");
  } else {
    snprintf(text, tl, "%g %%", 100.0 * VD_DEFAULT_FRACTION);
    snprintf(e->fraction_status, sizeof(e->fraction_status), "assumed");
    snprintf(e->fraction_kind, sizeof(e->fraction_kind), "weight");
  }
  return 0;
}

/* The blend map for one layer: a copy of the layer's map with fraction, kind and levels filled.
 * The model is decided later (it needs the database levels), so it is left out here unless
 * given. */
static yt_node *blend_map(vd_entry *e, const vd_layer *L, int record, char *why, size_t wl) {
  if (e->blend_crosslinker && scalar_text(L->blend, "crosslinker") &&
      strcmp(e->blend_crosslinker, scalar_text(L->blend, "crosslinker"))) {
    snprintf(why, wl, "layer %s: blend crosslinker '%s' differs from blend.crosslinker '%s'",
             L->name, scalar_text(L->blend, "crosslinker"), e->blend_crosslinker);
    return NULL;
  }
  if (e->blend_host && strcmp(e->blend_host, L->material)) {
    snprintf(why, wl, "layer %s: material '%s' is not the blend's host '%s'", L->name, L->material,
             e->blend_host);
    return NULL;
  }
  char frac[64];
  if (blend_fraction(e, L->blend, frac, sizeof(frac), why, wl)) return NULL;
  yt_node *b = yt_clone(L->blend);
  if (!b) return NULL;
  if (!scalar_text(b, "crosslinker") && e->blend_crosslinker)
    map_set_text(b, "crosslinker", e->blend_crosslinker);
  map_set_text(b, "fraction", frac);
  map_set_text(b, "fraction_kind", e->fraction_kind);
  if (record) {
    char *end;
    const double x = strtod(frac, &end);
    e->fraction = strchr(end, '%') ? x / 100.0 : x;
    if (!strcmp(e->fraction_status, "assumed")) note_assumed(e, "fraction");
  }
  if (!yt_get(b, "levels")) {
    const int reported = e->rep_text[VQ_HOMO] || e->rep_text[VQ_LUMO];
    map_set_text(b, "levels", reported ? "table" : "host");
    const char *key[2] = {"homo_table", "lumo_table"};
    const vd_quantity q[2] = {VQ_HOMO, VQ_LUMO};
    for (int i = 0; i < 2; i++) {
      yt_node *t = e->rep_text[q[i]] ? one_row_table(frac, e->rep_text[q[i]]) : NULL;
      if (t) yt_map_set(b, key[i], t);
    }
    if (record) {
      snprintf(e->levels, sizeof(e->levels), "%s", reported ? "table" : "host");
      snprintf(e->levels_status, sizeof(e->levels_status), "%s", reported ? "reported" : "assumed");
      if (!reported) note_assumed(e, "levels");
    }
  } else if (record) {
    snprintf(e->levels, sizeof(e->levels), "%s", scalar_text(b, "levels"));
    snprintf(e->levels_status, sizeof(e->levels_status), "given");
  }
  return b;
}

/* The default layer with this name, or NULL. */
static const yt_node *default_layer(const yt_node *layers, const char *name) {
  for (const yt_node *l = layers ? layers->first : NULL; l; l = l->next) {
    const char *n = scalar_text(l, "name");
    if (n && !strcmp(n, name)) return l;
  }
  return NULL;
}

/* The device tree of entry e from the default stack (root, modified in place). */
static int make_tree(vd_entry *e, yt_node *root, int pristine, int record, char *why, size_t wl) {
  yt_node *dev = yt_get(root, "device");
  if (!dev || dev->kind != YT_MAP)
    return snprintf(why, wl, "the default stack has no device map"), 1;
  const char *which[2] = {"anode", "cathode"};
  const char *mat[2] = {e->anode, e->cathode};
  for (int i = 0; i < 2; i++) {
    if (!mat[i]) continue;
    yt_node *c = yt_new(YT_MAP, NULL, "validate", 0, 0);
    if (!c || !map_set_text(c, "material", mat[i]) || !yt_map_set(dev, which[i], c)) return 1;
  }
  const yt_node *old = yt_get(dev, "layers");
  yt_node *seq = yt_new(YT_SEQ, NULL, "validate", 0, 0);
  if (!seq) return 1;
  for (int l = 0; l < e->nlayers; l++) {
    const vd_layer *L = &e->layers[l];
    const yt_node *d = default_layer(old, L->name);
    const char *dm = d ? scalar_text(d, "material") : NULL;
    yt_node *m = dm && !strcmp(dm, L->material) ? yt_clone(d) : yt_new(YT_MAP, NULL, "validate", 0, 0);
    if (!m) {
      yt_free(seq);
      return 1;
    }
    yt_seq_append(seq, m);
    if (m->kind != YT_MAP || m->nchildren == 0) map_set_text(m, "name", L->name);
    map_set_text(m, "thickness", L->thickness);
    map_set_text(m, "material", L->material);
    yt_map_remove(m, "blend");
    if (L->blend && !pristine) {
      yt_node *b = blend_map(e, L, record, why, wl);
      if (!b) {
        yt_free(seq);
        return 1;
      }
      yt_map_set(m, "blend", b);
    }
  }
  yt_map_set(dev, "layers", seq);
  yt_node *out = yt_new(YT_MAP, NULL, "validate", 0, 0);
  if (!out || !map_set_text(out, "fields", "none") || !yt_map_set(root, "output", out)) return 1;
  return 0;
}

/* Layers with a blend: set the model from the HOMO offset found in the provisional device. */
static void decide_models(vd_entry *e, yt_node *root, const cfg_config *prov, int record) {
  yt_node *layers = yt_get(yt_get(root, "device"), "layers");
  int l = 0;
  for (yt_node *m = layers ? layers->first : NULL; m; m = m->next, l++) {
    yt_node *b = yt_get(m, "blend");
    if (!b || l >= prov->dev.nlayers) continue;
    if (yt_get(b, "model")) { /* written in the validation file: used as is */
      if (record) {
        snprintf(e->model, sizeof(e->model), "%s", scalar_text(b, "model") ? scalar_text(b, "model") : "");
        snprintf(e->model_rule, sizeof(e->model_rule), "given in the validation file");
      }
      continue;
    }
    const dev_layer *L = &prov->dev.layers[l];
    const double xh = L->blend.xl_homo / PHYS_EV, hh = L->host.E_homo / PHYS_EV;
    const int shallower = xh > hh;
    map_set_text(b, "model", shallower ? "none" : "dilution");
    if (!yt_get(b, "traps")) map_set_text(b, "traps", shallower ? "true" : "false");
    if (!record) continue;
    snprintf(e->model, sizeof(e->model), "%s", shallower ? "none + traps" : "dilution");
    snprintf(e->model_rule, sizeof(e->model_rule),
             "cross-linker %s HOMO %.2f eV %s than host %s %.2f eV: %s", L->blend.crosslinker, xh,
             shallower ? "shallower" : "not shallower", L->material, hh,
             shallower ? "hole traps (Gaussian, explicit)" : "inert sites (dilution)");
  }
}

/* Reported HTL levels against the device's: the layers named HTL* (or all, if none is). */
static void check_levels(vd_entry *e, const cfg_config *cfg) {
  const double rh = e->rep[VQ_HOMO], rl = e->rep[VQ_LUMO];
  if (!isfinite(rh) && !isfinite(rl)) {
    snprintf(e->levels_check, sizeof(e->levels_check), "not reported");
    return;
  }
  int any = 0;
  char got[120] = "";
  size_t used = 0;
  for (int l = 0; l < cfg->dev.nlayers; l++) {
    const dev_layer *L = &cfg->dev.layers[l];
    if (strncmp(L->name, "HTL", 3)) continue;
    const double h = L->E_homo / PHYS_EV, u = L->E_lumo / PHYS_EV;
    const int ok = (!isfinite(rh) || fabs(h - rh) < 1e-9) && (!isfinite(rl) || fabs(u - rl) < 1e-9);
    if (ok) {
      snprintf(e->levels_check, sizeof(e->levels_check), "match%s%s%s", strcmp(L->name, "HTL") ? " (" : "",
               strcmp(L->name, "HTL") ? L->name : "", strcmp(L->name, "HTL") ? ")" : "");
      return;
    }
    any = 1;
    if (used < sizeof(got))
      used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%s %.2f/%.2f", used ? ", " : "",
                               L->name, h, u);
  }
  if (!any) snprintf(e->levels_check, sizeof(e->levels_check), "no layer named HTL*");
  else
    snprintf(e->levels_check, sizeof(e->levels_check), "mismatch: %s eV vs reported %.2f/%.2f eV",
             got, rh, rl);
}

static int load_text(const vd_file *vf, const vd_entry *e, int pristine, yt_node *root,
                     const char *const *sets, int nsets, cfg_config *cfg, char **text, char *why,
                     size_t wl) {
  free(*text);
  *text = yt_emit_string(root);
  if (!*text) return snprintf(why, wl, "out of memory"), 1;
  char name[1024], pos[256];
  /* messages then read "table1.yaml:447:5: entry x (device generated from red.yaml):12:7: key":
   * the entry's place in the validation file, then the place in the generated text */
  snprintf(name, sizeof(name), "%s: entry %s%s (device generated from %s)",
           yt_where(e->node, pos, sizeof(pos)), e->id, pristine ? " with the host alone" : "",
           vf->defaults[vd_colour_index(e->colour)]);
  qs_err err;
  memset(&err, 0, sizeof(err));
  if (cfg_load_string(*text, name, sets, nsets, cfg, &err))
    return snprintf(why, wl, "%s", err.msg), 1;
  return 0;
}

int vd_build(const vd_file *vf, vd_entry *e, int pristine, const char *const *sets, int nsets,
             cfg_config *cfg, char **text, char *why, size_t whylen) {
  *text = NULL;
  const int record = !pristine;
  if (record) {
    e->assumed[0] = e->model[0] = e->model_rule[0] = e->levels[0] = e->levels_status[0] = '\0';
    e->fraction_status[0] = e->fraction_kind[0] = e->levels_check[0] = '\0';
    e->fraction = NAN;
    if (!strcmp(e->colour_status, "assumed")) note_assumed(e, "colour");
    if (contains(e->stack_status, "assumed")) note_assumed(e, "stack");
  }
  if (e->load_error) return snprintf(why, whylen, "%s", e->load_error), 1;
  const char *dpath = vf->defaults[vd_colour_index(e->colour)];
  yt_node *root = NULL;
  qs_err err;
  if (yt_parse_file(dpath, &root, &err))
    return snprintf(why, whylen, "default stack: %s", err.msg), 1;
  /* a relative materials_dir of the default stack stays relative to its file */
  const char *md = scalar_text(root, "materials_dir");
  if (md && md[0] != '/') {
    char buf[2048];
    const char *slash = strrchr(dpath, '/');
    snprintf(buf, sizeof(buf), "%.*s/%s", slash ? (int)(slash - dpath) : 1, slash ? dpath : ".", md);
    map_set_text(root, "materials_dir", buf);
  }
  int rc = make_tree(e, root, pristine, record, why, whylen);
  int blends = 0;
  for (int l = 0; l < e->nlayers; l++)
    blends += e->layers[l].blend != NULL;
  if (!rc && blends && !pristine) { /* provisional load: the database levels decide the model */
    cfg_config prov;
    rc = load_text(vf, e, pristine, root, sets, nsets, &prov, text, why, whylen);
    if (!rc) {
      decide_models(e, root, &prov, record);
      cfg_free(&prov);
    }
  }
  if (!rc) rc = load_text(vf, e, pristine, root, sets, nsets, cfg, text, why, whylen);
  if (!rc && record) check_levels(e, cfg);
  yt_free(root);
  return rc;
}

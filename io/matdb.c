/* The material database: every YAML file of a directory, validated against the material key
 * schema, indexed by name and alias. */
#define _POSIX_C_SOURCE 200809L
#include "io/matdb.h"
#include "io/config_impl.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const STATUS_NAMES[MATDB_STATUS_COUNT_ + 1] = {
    "measured", "literature", "review", "assumed", "fitted", "derived", NULL};
static const char *const ROLE_NAMES[MATDB_ROLE_COUNT_ + 1] = {
    "electrode", "hil", "htl", "eml", "etl", "crosslinker", "generic", NULL};
static const char *const TOP_KEYS[] = {"name", "aliases",    "description",
                                       "role", "parameters", "notes"};
static const char *const PARAM_KEYS[] = {"value", "status", "source", "note"};

typedef struct {
  matdb_material pub;
  yt_node *doc; /* the parsed file (owns every string the material points to) */
  yt_node *map; /* params_map */
  matdb_param *params;
  const char **aliases;
} material;

struct matdb {
  char *dir;
  int n;
  material *m;
};

const char *matdb_status_name(matdb_status s) {
  return (s >= 0 && s < MATDB_STATUS_COUNT_) ? STATUS_NAMES[s] : "?";
}
const char *matdb_role_name(matdb_role r) {
  return (r >= 0 && r < MATDB_ROLE_COUNT_) ? ROLE_NAMES[r] : "?";
}

const char *matdb_dir(const matdb *db) {
  return db ? db->dir : "";
}
int matdb_count(const matdb *db) {
  return db ? db->n : 0;
}
const matdb_material *matdb_get(const matdb *db, int i) {
  return (db && i >= 0 && i < db->n) ? &db->m[i].pub : NULL;
}

static void material_free(material *m) {
  yt_free(m->doc);
  yt_free(m->map);
  free(m->params);
  free(m->aliases);
  memset(m, 0, sizeof(*m));
}

void matdb_close(matdb *db) {
  if (!db) return;
  for (int i = 0; i < db->n; i++)
    material_free(&db->m[i]);
  free(db->m);
  free(db->dir);
  free(db);
}

/* Every DB problem is a broken database entry, whatever the detail. */
static int as_material(int rc, qs_err *err) {
  if (rc && rc != QS_ERR_FILE && err) err->cls = QS_ERR_MATERIAL;
  return rc ? (rc == QS_ERR_FILE ? rc : QS_ERR_MATERIAL) : 0;
}

static int read_string(const yt_node *doc, const char *key, int required, const char **out,
                       qs_err *err) {
  const yt_node *v = yt_get(doc, key);
  *out = NULL;
  if (!v) {
    if (!required) return 0;
    return cfgi_missing(doc, "", key, NULL, err);
  }
  cfgi_val val;
  int rc = cfgi_read(&cfgi_key_string, v, key, &val, err);
  if (rc) return rc;
  if (!val.s[0]) return cfgi_fail_at(err, QS_ERR_TYPE, v, 0, key, "empty string");
  *out = val.s;
  return 0;
}

static int load_params(material *m, const yt_node *params, qs_err *err) {
  if (!params) return cfgi_missing(m->doc, "", "parameters", "a map of material parameters", err);
  int rc = cfgi_need_map(params, "parameters",
                         "a map of material parameters, e.g. 'homo: {value: -5.4 eV, status: "
                         "literature, source: \"...\"}'",
                         err);
  if (rc) return rc;
  if ((rc = cfgi_check_keys(params, cfgi_matkey_names, MK_COUNT_, "parameters", err))) return rc;
  m->map = yt_new(YT_MAP, NULL, params->file, params->line, params->col);
  m->params = calloc((size_t)params->nchildren + 1, sizeof(matdb_param));
  if (!m->map || !m->params) return qs_fail(err, QS_ERR_OTHER, "out of memory");
  int n = 0;
  for (const yt_node *p = params->first; p; p = p->next) {
    char path[256];
    cfgi_path(p, path, sizeof(path));
    rc = cfgi_need_map(p, path, "{value: ..., status: ..., source: \"...\"}", err);
    if (rc) return rc;
    if ((rc = cfgi_check_keys(p, PARAM_KEYS, 4, path, err))) return rc;
    const yt_node *v = yt_get(p, "value"), *st = yt_get(p, "status"), *src = yt_get(p, "source");
    const yt_node *note = yt_get(p, "note");
    const cfgi_key *k = &cfgi_matkeys[cfgi_matkey_index(p->key)];
    if (!v) return cfgi_missing(p, path, "value", k->expect, err);
    if (!st)
      return cfgi_missing(p, path, "status",
                          "measured, literature, review, assumed, fitted or derived", err);
    if (!src) return cfgi_missing(p, path, "source", "the paper (and year) or a reason", err);
    char vpath[300];
    cfgi_val val;
    if ((rc = cfgi_read(k, v, cfgi_join(vpath, sizeof(vpath), path, "value"), &val, err)))
      return rc;
    matdb_param *mp = &m->params[n++];
    mp->key = p->key;
    mp->si = val.d;
    int found = -1;
    if (st->kind == YT_SCALAR)
      for (int i = 0; STATUS_NAMES[i]; i++)
        if (!strcmp(st->text, STATUS_NAMES[i])) found = i;
    if (found < 0) {
      const char *s = st->kind == YT_SCALAR ? qs_suggest(st->text, STATUS_NAMES, 6) : NULL;
      return cfgi_fail_at(err, QS_ERR_MATERIAL, st, 0,
                          cfgi_join(vpath, sizeof(vpath), path, "status"),
                          "unknown status '%s' (%s%s%sexpected measured, literature, "
                          "review, assumed, fitted or derived)",
                          st->kind == YT_SCALAR ? st->text : "(not a scalar)",
                          s ? "did you mean '" : "", s ? s : "", s ? "'?; " : "");
    }
    mp->status = (matdb_status)found;
    if (src->kind != YT_SCALAR || yt_is_null(src) || !src->text[0])
      return cfgi_fail_at(err, QS_ERR_MATERIAL, src, 0,
                          cfgi_join(vpath, sizeof(vpath), path, "source"),
                          "expected a non-empty source (paper and year, or why the "
                          "value is assumed)");
    mp->source = src->text;
    if (note) {
      if ((rc = cfgi_read(&cfgi_key_string, note, path, &val, err))) return rc;
      mp->note = val.s;
    }
    yt_node *copy = yt_clone(v);
    if (!copy || !yt_map_set(m->map, p->key, copy))
      return qs_fail(err, QS_ERR_OTHER, "out of memory");
    mp->value = copy;
  }
  m->pub.nparams = n;
  m->pub.params = m->params;
  m->pub.params_map = m->map;
  /* the levels of one material must be consistent already */
  const matdb_param *h = matdb_param_get(&m->pub, "homo"), *l = matdb_param_get(&m->pub, "lumo");
  if (h && l && !(h->si < l->si))
    return cfgi_fail_at(err, QS_ERR_MATERIAL, h->value, 0, "parameters.homo",
                        "HOMO %s is not below LUMO %s (line %d)", h->value->text, l->value->text,
                        l->value->line);
  return 0;
}

static int load_file(const char *path, material *m, qs_err *err) {
  memset(m, 0, sizeof(*m));
  int rc = yt_parse_file(path, &m->doc, err);
  if (rc) return rc;
  const yt_node *doc = m->doc;
  if (doc->kind != YT_MAP)
    return cfgi_fail_at(err, QS_ERR_MATERIAL, doc, 0, "",
                        "expected a map with name, description, role and parameters");
  if ((rc = cfgi_check_keys(doc, TOP_KEYS, 6, "", err))) return rc;
  m->pub.file = doc->file;
  if ((rc = read_string(doc, "name", 1, &m->pub.name, err))) return rc;
  const yt_node *nm = yt_get(doc, "name");
  m->pub.line = nm->line;
  if (!cfgi_valid_material_name(m->pub.name))
    return cfgi_fail_at(err, QS_ERR_MATERIAL, nm, 0, "name",
                        "invalid material name '%s' (expected "
                        "up to 63 printable characters without spaces, e.g. 'TFB')",
                        m->pub.name);
  if ((rc = read_string(doc, "description", 1, &m->pub.description, err))) return rc;
  if ((rc = read_string(doc, "notes", 0, &m->pub.notes, err))) return rc;
  const char *role;
  if ((rc = read_string(doc, "role", 1, &role, err))) return rc;
  int found = -1;
  for (int i = 0; ROLE_NAMES[i]; i++)
    if (!strcmp(role, ROLE_NAMES[i])) found = i;
  if (found < 0) {
    const char *s = qs_suggest(role, ROLE_NAMES, MATDB_ROLE_COUNT_);
    return cfgi_fail_at(err, QS_ERR_MATERIAL, yt_get(doc, "role"), 0, "role",
                        "unknown role '%s' (%s%s%sexpected electrode, hil, htl, eml, etl, "
                        "crosslinker or generic)",
                        role, s ? "did you mean '" : "", s ? s : "", s ? "'?; " : "");
  }
  m->pub.role = (matdb_role)found;
  const yt_node *al = yt_get(doc, "aliases");
  if (al) {
    if (al->kind == YT_MAP)
      return cfgi_fail_at(err, QS_ERR_MATERIAL, al, 0, "aliases",
                          "found a map, expected a list of names, e.g. '[TFB-pristine]'");
    int na = al->kind == YT_SEQ ? al->nchildren : 1;
    m->aliases = calloc((size_t)na + 1, sizeof(char *));
    if (!m->aliases) return qs_fail(err, QS_ERR_OTHER, "out of memory");
    const yt_node *a = al->kind == YT_SEQ ? al->first : al;
    for (int i = 0; i < na; i++, a = a->next) {
      char ap[64];
      snprintf(ap, sizeof(ap), "aliases[%d]", i);
      if (a->kind != YT_SCALAR || !cfgi_valid_material_name(a->text))
        return cfgi_fail_at(err, QS_ERR_MATERIAL, a, 0, ap,
                            "invalid alias (expected a name of "
                            "up to 63 printable characters without spaces)");
      m->aliases[i] = a->text;
    }
    m->pub.aliases = m->aliases;
    m->pub.naliases = na;
  }
  return load_params(m, yt_get(doc, "parameters"), err);
}

static int has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), k = strlen(suf);
  return n > k && strcmp(s + n - k, suf) == 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}
static int cmp_mat(const void *a, const void *b) {
  const material *x = a, *y = b;
  int c = strcasecmp(x->pub.name, y->pub.name);
  return c ? c : strcmp(x->pub.name, y->pub.name);
}

/* name or alias of material i, j-th (j = -1: the name) */
static const char *mat_name(const material *m, int j) {
  return j < 0 ? m->pub.name : m->pub.aliases[j];
}

static int check_unique(matdb *db, qs_err *err) {
  for (int i = 0; i < db->n; i++)
    for (int a = -1; a < db->m[i].pub.naliases; a++)
      for (int j = 0; j <= i; j++)
        for (int b = -1; b < db->m[j].pub.naliases; b++) {
          if (j == i && b >= a) break;
          if (strcmp(mat_name(&db->m[i], a), mat_name(&db->m[j], b)) != 0) continue;
          return qs_fail(err, QS_ERR_MATERIAL,
                         "%s:%d: material name '%s' is also used by %s:%d (names and aliases "
                         "must be unique in %s)",
                         db->m[i].pub.file, db->m[i].pub.line, mat_name(&db->m[i], a),
                         db->m[j].pub.file, db->m[j].pub.line, db->dir);
        }
  return 0;
}

int matdb_open(const char *dir, matdb **out, qs_err *err) {
  *out = NULL;
  DIR *d = opendir(dir);
  if (!d)
    return qs_fail(err, QS_ERR_FILE,
                   "%s: cannot open the material database directory: %s (set materials_dir in "
                   "the config or QLEDSIM_MATERIALS)",
                   dir, strerror(errno));
  char **files = NULL;
  int nf = 0, cap = 0, rc = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.' || !(has_suffix(e->d_name, ".yaml") || has_suffix(e->d_name, ".yml")))
      continue;
    if (nf == cap) {
      cap = cap ? 2 * cap : 32;
      char **nfiles = realloc(files, (size_t)cap * sizeof(char *));
      if (!nfiles) {
        rc = qs_fail(err, QS_ERR_OTHER, "out of memory");
        break;
      }
      files = nfiles;
    }
    size_t len = strlen(dir) + strlen(e->d_name) + 2;
    if (!(files[nf] = malloc(len))) {
      rc = qs_fail(err, QS_ERR_OTHER, "out of memory");
      break;
    }
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
      dl--; /* "dir/" + "x.yaml" without "//" */
    snprintf(files[nf++], len, "%.*s/%s", (int)dl, dir, e->d_name);
  }
  closedir(d);
  matdb *db = calloc(1, sizeof(*db));
  if (!rc &&
      (!db || !(db->dir = strdup(dir)) || !(db->m = calloc((size_t)nf + 1, sizeof(material)))))
    rc = qs_fail(err, QS_ERR_OTHER, "out of memory");
  if (!rc && nf > 0) qsort(files, (size_t)nf, sizeof(char *), cmp_str);
  for (int i = 0; i < nf && !rc; i++) {
    rc = as_material(load_file(files[i], &db->m[i], err), err);
    if (rc)
      material_free(&db->m[i]);
    else
      db->n++;
  }
  for (int i = 0; i < nf; i++)
    free(files[i]);
  free(files);
  if (!rc) rc = check_unique(db, err);
  if (rc) {
    matdb_close(db);
    return rc;
  }
  if (db->n > 1) qsort(db->m, (size_t)db->n, sizeof(material), cmp_mat);
  *out = db;
  return 0;
}

const matdb_material *matdb_find(const matdb *db, const char *name) {
  if (!db || !name) return NULL;
  for (int i = 0; i < db->n; i++)
    for (int a = -1; a < db->m[i].pub.naliases; a++)
      if (!strcmp(mat_name(&db->m[i], a), name)) return &db->m[i].pub;
  return NULL;
}

int matdb_lookup(const matdb *db, const char *name, const matdb_material **mat, qs_err *err) {
  *mat = matdb_find(db, name);
  if (*mat) return 0;
  int total = 0;
  for (int i = 0; db && i < db->n; i++)
    total += 1 + db->m[i].pub.naliases;
  const char **cands = calloc((size_t)total + 1, sizeof(char *));
  if (!cands) return qs_fail(err, QS_ERR_OTHER, "out of memory");
  int k = 0;
  for (int i = 0; db && i < db->n; i++)
    for (int a = -1; a < db->m[i].pub.naliases; a++)
      cands[k++] = mat_name(&db->m[i], a);
  const char *s = qs_suggest(name, cands, k);
  free(cands);
  if (s)
    return qs_fail(err, QS_ERR_MATERIAL, "unknown material '%s' (did you mean '%s'?; searched %s)",
                   name, s, matdb_dir(db));
  if (!db || db->n == 0)
    return qs_fail(err, QS_ERR_MATERIAL, "unknown material '%s' (the database %s is empty)", name,
                   matdb_dir(db));
  char list[1024];
  size_t used = 0;
  list[0] = '\0';
  for (int i = 0; i < db->n && used < sizeof(list) - 8; i++)
    used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
                             db->m[i].pub.name);
  return qs_fail(err, QS_ERR_MATERIAL, "unknown material '%s' (known: %s; searched %s)", name, list,
                 matdb_dir(db));
}

const matdb_param *matdb_param_get(const matdb_material *m, const char *key) {
  for (int i = 0; m && i < m->nparams; i++)
    if (!strcmp(m->params[i].key, key)) return &m->params[i];
  return NULL;
}

char *matdb_default_dir(void) {
  const char *env = getenv("QLEDSIM_MATERIALS");
  if (env && env[0]) return strdup(env);
  const char *dd = cfg_datadir();
  size_t n = strlen(dd) + sizeof("/materials");
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s/materials", dd);
  return s;
}

int matdb_print(const matdb *db, const char *name, FILE *f, qs_err *err) {
  if (!name) {
    fprintf(f, "Material database %s: %d materials\n", matdb_dir(db), matdb_count(db));
    fprintf(f, "%-20s %-12s %s\n", "name", "role", "description");
    for (int i = 0; i < matdb_count(db); i++) {
      const matdb_material *m = matdb_get(db, i);
      fprintf(f, "%-20s %-12s %s", m->name, matdb_role_name(m->role), m->description);
      for (int a = 0; a < m->naliases; a++)
        fprintf(f, "%s%s", a ? ", " : " (also: ", m->aliases[a]);
      fprintf(f, "%s\n", m->naliases ? ")" : "");
    }
    return 0;
  }
  const matdb_material *m;
  int rc = matdb_lookup(db, name, &m, err);
  if (rc) return rc;
  fprintf(f, "%s (%s) from %s\n  %s\n", m->name, matdb_role_name(m->role), m->file, m->description);
  for (int a = 0; a < m->naliases; a++)
    fprintf(f, "%s%s", a ? ", " : "  aliases: ", m->aliases[a]);
  if (m->naliases) fprintf(f, "\n");
  fprintf(f, "  %-16s %-22s %-11s %s\n", "parameter", "value", "status", "source");
  for (int i = 0; i < m->nparams; i++) {
    const matdb_param *p = &m->params[i];
    fprintf(f, "  %-16s %-22s %-11s %s\n", p->key, p->value->text, matdb_status_name(p->status),
            p->source);
    if (p->note) fprintf(f, "  %-16s %-22s %-11s note: %s\n", "", "", "", p->note);
  }
  if (m->notes) fprintf(f, "  notes: %s\n", m->notes);
  return 0;
}

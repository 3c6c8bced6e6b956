/* Loading a run configuration: parse, apply --set overrides, then validate every section and fill
 * cfg_config (device, bias points, mesh, solver and output settings). */
#define _POSIX_C_SOURCE 200809L
#include "io/config_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef QLEDSIM_DATADIR
#define QLEDSIM_DATADIR "configs"
#endif

#define MAX_POINTS 1000000

const char *cfg_datadir(void) {
  const char *env = getenv("QLEDSIM_DATADIR");
  return (env && env[0]) ? env : QLEDSIM_DATADIR;
}

const char *cfg_default_device_path(void) {
  static _Thread_local char buf[4096];
  snprintf(buf, sizeof(buf), "%s/devices/red.yaml", cfg_datadir());
  return buf;
}

void cfg_free(cfg_config *cfg) {
  if (!cfg) return;
  dev_free(&cfg->dev);
  free(cfg->V);
  free(cfg->solver.petsc_options);
  free(cfg->output.file);
  free(cfg->output.field_V);
  free(cfg->path);
  free(cfg->materials_dir);
  yt_free(cfg->tree);
  memset(cfg, 0, sizeof(*cfg));
}

static int oom(qs_err *err) {
  return qs_fail(err, QS_ERR_OTHER, "out of memory");
}

/* Read an optional key of map with its default. */
static int opt(const yt_node *map, const char *path, const cfgi_key *k, cfgi_val *v, qs_err *err) {
  memset(v, 0, sizeof(*v));
  v->d = k->def;
  v->i = (int)k->def;
  const yt_node *n = yt_get(map, k->key);
  if (!n) return 0;
  char kp[512];
  return cfgi_read(k, n, cfgi_join(kp, sizeof(kp), path, k->key), v, err);
}

static int read_voltages(const yt_node *seq, const char *path, double **out, int *n, qs_err *err) {
  *out = NULL;
  *n = 0;
  if (seq->kind != YT_SEQ)
    return cfgi_fail_at(err, QS_ERR_TYPE, seq, 0, path,
                        "found %s, expected a list of voltages, e.g. '[0 V, 1 V, 2.5 V]'",
                        seq->kind == YT_MAP ? "a map" : "a scalar");
  if (seq->nchildren > MAX_POINTS)
    return cfgi_fail_at(err, QS_ERR_RANGE, seq, 0, path, "%d points, more than %d", seq->nchildren,
                        MAX_POINTS);
  double *V = malloc(((size_t)seq->nchildren + 1) * sizeof(double));
  if (!V) return oom(err);
  int i = 0;
  for (const yt_node *c = seq->first; c; c = c->next, i++) {
    char ip[600];
    cfgi_val v;
    snprintf(ip, sizeof(ip), "%s[%d]", path, i);
    int rc = cfgi_read(&cfgi_key_voltage, c, ip, &v, err);
    if (rc) {
      free(V);
      return rc;
    }
    V[i] = v.d;
  }
  *out = V;
  *n = i;
  return 0;
}

static int build_sweep(const yt_node *root, cfg_config *cfg, qs_err *err) {
  static const char *const keys[] = {"from", "to", "step", "points"};
  const yt_node *sw = yt_get(root, "sweep");
  cfg_sweep *s = &cfg->sweep;
  s->mode = CFG_SWEEP_RANGE;
  s->from = 0.0;
  s->to = 8.0;
  s->step = 0.1;
  const yt_node *nf = NULL, *nt = NULL, *ns = NULL;
  if (sw) {
    int rc = cfgi_need_map(sw, "sweep",
                           "a map '{from: 0 V, to: 8 V, step: 0.1 V}' or "
                           "'{points: [0 V, 1 V]}'",
                           err);
    if (rc || (rc = cfgi_check_keys(sw, keys, 4, "sweep", err))) return rc;
    const yt_node *pts = yt_get(sw, "points");
    nf = yt_get(sw, "from");
    nt = yt_get(sw, "to");
    ns = yt_get(sw, "step");
    if (pts && (nf || nt || ns))
      return cfgi_fail_at(err, QS_ERR_KEY, pts, 1, "sweep",
                          "give either 'points' or 'from', 'to' and 'step', not both");
    if (pts) {
      s->mode = CFG_SWEEP_POINTS;
      if ((rc = read_voltages(pts, "sweep.points", &cfg->V, &cfg->nV, err))) return rc;
      if (cfg->nV == 0)
        return cfgi_fail_at(err, QS_ERR_RANGE, pts, 0, "sweep.points",
                            "empty list (expected at least one voltage, e.g. '[0 V, 1 V]')");
      s->from = cfg->V[0];
      s->to = cfg->V[cfg->nV - 1];
      s->step = 0;
      return 0;
    }
    const char *names[3] = {"from", "to", "step"};
    const yt_node *nodes[3] = {nf, nt, ns};
    double *dst[3] = {&s->from, &s->to, &s->step};
    for (int i = 0; i < 3; i++) {
      if (!nodes[i]) continue; /* default: from 0 V, to 8 V, step 0.1 V */
      cfgi_val v;
      char kp[64];
      snprintf(kp, sizeof(kp), "sweep.%s", names[i]);
      if ((rc = cfgi_read(&cfgi_key_voltage, nodes[i], kp, &v, err))) return rc;
      *dst[i] = v.d;
    }
  }
  /* from, to and step each may be the default (no node): quote what was written, else the
   * default value, and point at the step, else the sweep map, else the document */
  char tf[32], tt[32], ts[32];
  const char *f_txt = nf ? nf->text : (snprintf(tf, sizeof(tf), "%g V", s->from), tf);
  const char *t_txt = nt ? nt->text : (snprintf(tt, sizeof(tt), "%g V", s->to), tt);
  const char *s_txt = ns ? ns->text : (snprintf(ts, sizeof(ts), "%g V (the default)", s->step), ts);
  const yt_node *at = ns ? ns : sw ? sw : root;
  double n = (s->to - s->from) / s->step;
  if (s->step == 0)
    return cfgi_fail_at(err, QS_ERR_RANGE, at, 0, "sweep.step",
                        "%s is zero (expected a non-zero voltage step, e.g. '0.1 V')", s_txt);
  if (!isfinite(n))
    return cfgi_fail_at(err, QS_ERR_RANGE, at, 0, "sweep.step",
                        "from %s to %s in steps of %s is not a finite number of points", f_txt,
                        t_txt, s_txt);
  if (n < 0)
    return cfgi_fail_at(err, QS_ERR_RANGE, at, 0, "sweep.step",
                        "%s points away from 'to' (from %s to %s needs a step of the other sign)",
                        s_txt, f_txt, t_txt);
  double nr = round(n);
  if (fabs(n - nr) > 1e-9 * fmax(1.0, fabs(n)))
    return cfgi_fail_at(err, QS_ERR_RANGE, at, 0, "sweep.step",
                        "%s does not divide the range from %s to %s into whole steps ((to - "
                        "from)/step = %.10g; expected an integer)",
                        s_txt, f_txt, t_txt, n);
  if (nr + 1 > MAX_POINTS)
    return cfgi_fail_at(err, QS_ERR_RANGE, at, 0, "sweep.step", "%s gives %.0f points, more than %d",
                        s_txt, nr + 1, MAX_POINTS);
  int np = (int)nr + 1;
  if (!(cfg->V = malloc((size_t)np * sizeof(double)))) return oom(err);
  cfg->nV = np;
  for (int i = 0; i < np; i++)
    cfg->V[i] = i == 0 ? s->from : i == np - 1 ? s->to : (s->from * (nr - i) + s->to * i) / nr;
  return 0;
}

static int build_mesh(const yt_node *root, cfg_config *cfg, qs_err *err) {
  static const char *const keys[] = {"nodes", "h_min", "max_ratio"};
  const yt_node *m = yt_get(root, "mesh");
  int rc = 0;
  if (m && ((rc = cfgi_need_map(m, "mesh", "a map such as '{nodes: 600}'", err)) ||
            (rc = cfgi_check_keys(m, keys, 3, "mesh", err))))
    return rc;
  cfgi_val v;
  if ((rc = opt(m, "mesh", &cfgi_key_nodes, &v, err))) return rc;
  cfg->mesh.nodes = v.i;
  if ((rc = opt(m, "mesh", &cfgi_key_h_min, &v, err))) return rc;
  cfg->mesh.h_min = v.d;
  if ((rc = opt(m, "mesh", &cfgi_key_max_ratio, &v, err))) return rc;
  cfg->mesh.max_ratio = v.d;
  return 0;
}

static int build_solver(const yt_node *root, cfg_config *cfg, qs_err *err) {
  static const char *const keys[] = {"max_halvings", "max_newton", "max_update", "max_step",
                                     "petsc_options"};
  const yt_node *s = yt_get(root, "solver");
  int rc = 0;
  if (s && ((rc = cfgi_need_map(s, "solver", "a map such as '{max_newton: 50}'", err)) ||
            (rc = cfgi_check_keys(s, keys, 5, "solver", err))))
    return rc;
  cfgi_val v;
  if ((rc = opt(s, "solver", &cfgi_key_max_halvings, &v, err))) return rc;
  cfg->solver.max_halvings = v.i;
  if ((rc = opt(s, "solver", &cfgi_key_max_newton, &v, err))) return rc;
  cfg->solver.max_newton = v.i;
  if ((rc = opt(s, "solver", &cfgi_key_max_update, &v, err))) return rc;
  cfg->solver.max_update = v.d;
  if ((rc = opt(s, "solver", &cfgi_key_max_step, &v, err))) return rc;
  cfg->solver.max_step = v.d;
  const yt_node *po = yt_get(s, "petsc_options");
  if (po) {
    if ((rc = cfgi_read(&cfgi_key_string, po, "solver.petsc_options", &v, err))) return rc;
    if (v.s[0] && !(cfg->solver.petsc_options = strdup(v.s))) return oom(err);
  }
  return 0;
}

static int build_output(const yt_node *root, cfg_config *cfg, qs_err *err) {
  static const char *const keys[] = {"file", "fields"};
  const yt_node *o = yt_get(root, "output");
  int rc = 0;
  cfg->output.fields = CFG_FIELDS_ALL;
  if (!o) return 0;
  if ((rc = cfgi_need_map(o, "output", "a map such as '{file: out.h5}'", err)) ||
      (rc = cfgi_check_keys(o, keys, 2, "output", err)))
    return rc;
  const yt_node *f = yt_get(o, "file"), *fl = yt_get(o, "fields");
  cfgi_val v;
  if (f) {
    if ((rc = cfgi_read(&cfgi_key_string, f, "output.file", &v, err))) return rc;
    if (!v.s[0])
      return cfgi_fail_at(err, QS_ERR_TYPE, f, 0, "output.file",
                          "empty file name (expected a path, e.g. 'out.h5')");
    if (!(cfg->output.file = strdup(v.s))) return oom(err);
  }
  if (fl) {
    if (fl->kind == YT_SEQ) {
      cfg->output.fields = CFG_FIELDS_LIST;
      return read_voltages(fl, "output.fields", &cfg->output.field_V, &cfg->output.nfield_V, err);
    }
    if (fl->kind == YT_SCALAR && !strcmp(fl->text, "all")) return 0;
    if (fl->kind == YT_SCALAR && !strcmp(fl->text, "none")) {
      cfg->output.fields = CFG_FIELDS_NONE;
      return 0;
    }
    return cfgi_fail_at(err, QS_ERR_TYPE, fl, 0, "output.fields",
                        "found '%s', expected 'all', 'none' or a list of voltages, e.g. "
                        "'[0 V, 3 V]'",
                        fl->kind == YT_SCALAR ? fl->text : "a map");
  }
  return 0;
}

static int build(yt_node *root, const char *dir, cfg_config *cfg, qs_err *err) {
  static const char *const keys[] = {"temperature", "device",        "sweep",       "mesh",
                                     "solver",      "output",        "materials_dir", "description",
                                     "vary"};
  static const char *const device_keys[] = {"anode", "cathode", "layers", "outcoupling"};
  cfgi_ctx ctx = {dir, NULL, NULL, NULL, 300.0};
  int rc = 0;
  if (root->kind != YT_MAP)
    return cfgi_fail_at(err, QS_ERR_TYPE, root, 0, "",
                        "expected a map of top-level keys (temperature, device, sweep, mesh, "
                        "solver, output)");
  for (const yt_node *c = root->first; c; c = c->next)
    for (int i = 0; i < 4; i++)
      if (!strcmp(c->key, device_keys[i]))
        return cfgi_fail_at(err, QS_ERR_KEY, c, 1, "",
                            "unknown top-level key '%s' (did you mean 'device.%s'?)", c->key,
                            c->key);
  if ((rc = cfgi_check_keys(root, keys, 9, "", err))) return rc;
  cfg->vary = yt_get(root, "vary"); /* parameter sweep spec: interpreted by `qledsim sweep` */
  if (cfg->vary && cfg->vary->kind != YT_MAP)
    return cfgi_fail_at(err, QS_ERR_TYPE, cfg->vary, 0, "vary",
                        "expected a map of key paths to ranges, e.g. "
                        "'vary: {layers.HTL.thickness: \"20 nm:10 nm:60 nm\"}'");
  cfgi_val v;
  const yt_node *md = yt_get(root, "materials_dir"), *desc = yt_get(root, "description");
  if (desc && (rc = cfgi_read(&cfgi_key_string, desc, "description", &v, err))) return rc;
  if (md) {
    ctx.mdnode = md;
    if ((rc = cfgi_read(&cfgi_key_string, md, "materials_dir", &v, err))) return rc;
    size_t n = strlen(dir) + strlen(v.s) + 2;
    if (!(ctx.mdir = malloc(n))) return oom(err);
    if (v.s[0] == '/' || !strcmp(dir, "."))
      snprintf(ctx.mdir, n, "%s", v.s);
    else
      snprintf(ctx.mdir, n, "%s/%s", dir, v.s);
  } else if (!(ctx.mdir = matdb_default_dir())) {
    return oom(err);
  }
  if (!(rc = opt(root, "", &cfgi_key_temperature, &v, err))) {
    cfg->dev.T = v.d;
    ctx.T = v.d;
    rc = cfgi_build_device(&ctx, root, &cfg->dev, err);
  }
  if (!rc) rc = build_sweep(root, cfg, err);
  if (!rc) rc = build_mesh(root, cfg, err);
  if (!rc) rc = build_solver(root, cfg, err);
  if (!rc) rc = build_output(root, cfg, err);
  if (!rc && ctx.db && !(cfg->materials_dir = strdup(ctx.mdir))) rc = oom(err);
  matdb_release(ctx.db);
  free(ctx.mdir);
  return rc;
}

static int finish(yt_node *root, const char *name, const char *dir, const char *const *sets,
                  int nsets, cfg_config *cfg, qs_err *err) {
  int rc = 0;
  for (int i = 0; i < nsets && !rc; i++)
    rc = cfg_apply_set(root, sets[i], err);
  if (rc) {
    yt_free(root);
    return rc;
  }
  cfg->tree = root;
  if (!(cfg->path = strdup(name))) rc = oom(err);
  if (!rc) rc = build(root, dir, cfg, err);
  if (rc) cfg_free(cfg);
  return rc;
}

int cfg_load(const char *path, const char *const *sets, int nsets, cfg_config *cfg, qs_err *err) {
  memset(cfg, 0, sizeof(*cfg));
  char *p = strdup(path ? path : cfg_default_device_path());
  if (!p) return oom(err);
  yt_node *root;
  int rc = yt_parse_file(p, &root, err);
  if (!rc) {
    char *dir = strdup(p);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (!dir) {
      yt_free(root);
      rc = oom(err);
    } else {
      if (slash == dir)
        dir[1] = '\0';
      else if (slash)
        *slash = '\0';
      else
        strcpy(dir, ".");
      rc = finish(root, p, dir, sets, nsets, cfg, err);
      free(dir);
    }
  }
  free(p);
  return rc;
}

int cfg_load_string(const char *text, const char *name, const char *const *sets, int nsets,
                    cfg_config *cfg, qs_err *err) {
  memset(cfg, 0, sizeof(*cfg));
  if (!name) name = "<string>";
  yt_node *root;
  int rc = yt_parse_string(text, name, &root, err);
  if (rc) return rc;
  return finish(root, name, ".", sets, nsets, cfg, err);
}

#include "app/output.h"
#include "app/version.h"
#include "solver/fields.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double output_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int fail(run_output *o, const char *what) {
  if (!o->failed) qs_fail(&o->err, QS_ERR_FILE, "%s: cannot write %s", h5out_path(o->h5), what);
  o->failed = 1;
  return 1;
}

int output_begin(run_output *o, const mesh_t *m, const char *command_line) {
  char created[64];
  time_t now = time(NULL);
  strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  char *yaml = cfg_resolved_yaml(o->cfg);
  int rc = !yaml || h5out_attr_string(o->h5, "/", "qledsim_version", QLEDSIM_VERSION) ||
           h5out_attr_string(o->h5, "/", "git_commit", qledsim_git_commit) ||
           h5out_attr_string(o->h5, "/", "config", yaml) ||
           h5out_attr_string(o->h5, "/", "config_file", o->cfg->path ? o->cfg->path : "") ||
           h5out_attr_string(o->h5, "/", "command_line", command_line) ||
           h5out_attr_string(o->h5, "/", "created", created);
  free(yaml);
  if (rc) return fail(o, "root attributes");
  const int n = fields_count(m);
  double *x = malloc(sizeof(double) * (size_t)n);
  int *layer = malloc(sizeof(int) * (size_t)n);
  if (!x || !layer) rc = 1;
  else {
    fields_mesh(m, x, layer);
    rc = h5out_write_doubles(o->h5, "/mesh/x", x, (size_t)n, "m") ||
         h5out_write_ints(o->h5, "/mesh/layer", layer, (size_t)n, "1") ||
         h5out_write_doubles(o->h5, "/mesh/nodes_x", m->x, (size_t)m->n, "m");
  }
  free(x);
  free(layer);
  for (int l = 0; !rc && l < o->cfg->dev.nlayers; l++) {
    char key[32];
    snprintf(key, sizeof(key), "layer%d", l);
    rc = h5out_attr_string(o->h5, "/mesh", key, o->cfg->dev.layers[l].name);
  }
  if (rc) return fail(o, "/mesh");
  o->last_ckpt_time = output_now();
  o->last_ckpt_cost = 0.0;
  if (h5out_checkpoint(o->h5, &o->err)) return o->failed = 1;
  return 0;
}

static int write_fields(run_output *o, const sim_point *pt, const sim_fields *f) {
  char g[64];
  snprintf(g, sizeof(g), "/fields/%04d", pt->index);
  struct {
    const char *name;
    const double *data;
    const char *units;
  } ds[] = {{"psi", f->psi, "V"},  {"n", f->nn, "m^-3"},    {"p", f->pp, "m^-3"},
            {"Ec", f->Ec, "eV"},   {"Ev", f->Ev, "eV"},     {"Efn", f->Efn, "eV"},
            {"Efp", f->Efp, "eV"}, {"E", f->E, "V/m"},      {"Jn", f->Jn, "A/m^2"},
            {"Jp", f->Jp, "A/m^2"}, {"R", f->R, "m^-3 s^-1"}};
  enum { NDS = sizeof(ds) / sizeof(ds[0]) };
  const char *names[NDS], *units[NDS];
  const double *data[NDS];
  for (int k = 0; k < NDS; k++) {
    names[k] = ds[k].name;
    data[k] = ds[k].data;
    units[k] = ds[k].units;
  }
  if (h5out_write_group_doubles(o->h5, g, NDS, names, data, (size_t)f->n, units)) return 1;
  return h5out_attr_double(o->h5, g, "V", pt->V, "V");
}

/* q x recombination in each layer (all channels) and across each listed interface [A/m^2]. */
static int append_recombination(run_output *o, const sim_point *pt) {
  const dev_device *d = &o->cfg->dev;
  const em_budget *b = pt->budget;
  char path[256];
  for (int l = 0; l < d->nlayers; l++) {
    snprintf(path, sizeof(path), "/jv/recombination/%s", d->layers[l].name);
    const double v = b ? em_layer_bulk(b, l) : NAN;
    if (h5out_append_double(o->h5, path, v, "A/m^2")) return 1;
  }
  for (int k = 0; k < d->ninterfaces; k++) {
    const int l = d->interfaces[k].left;
    snprintf(path, sizeof(path), "/jv/recombination/%s|%s", d->layers[l].name,
             d->layers[l + 1].name);
    if (h5out_append_double(o->h5, path, b ? b->interface[l] : NAN, "A/m^2")) return 1;
    if (d->interfaces[k].ntraps == 0) continue;
    snprintf(path, sizeof(path), "/jv/recombination/%s|%s traps", d->layers[l].name,
             d->layers[l + 1].name);
    if (h5out_append_double(o->h5, path, b ? b->iface_traps[l] : NAN, "A/m^2")) return 1;
  }
  return h5out_append_double(o->h5, "/jv/leakage_n", b ? b->leak_n : NAN, "A/m^2") ||
         h5out_append_double(o->h5, "/jv/leakage_p", b ? b->leak_p : NAN, "A/m^2");
}

static int append_row(run_output *o, const sim_point *pt) {
  const em_fom *f = &pt->fom;
  return h5out_append_double(o->h5, "/jv/V", pt->V, "V") ||
         h5out_append_double(o->h5, "/jv/J", pt->J, "A/m^2") ||
         h5out_append_double(o->h5, "/jv/J_rad", f->J_rad, "A/m^2") ||
         h5out_append_double(o->h5, "/jv/gamma", f->gamma, "1") ||
         h5out_append_double(o->h5, "/jv/EQE", f->EQE, "1") ||
         h5out_append_double(o->h5, "/jv/L", f->L, "cd/m^2") ||
         h5out_append_double(o->h5, "/jv/CE", f->CE, "cd/A") ||
         h5out_append_double(o->h5, "/jv/PE", f->PE, "lm/W") ||
         h5out_append_int(o->h5, "/jv/converged", pt->converged, "1") ||
         h5out_append_int(o->h5, "/jv/newton_iterations", pt->iterations, "1") ||
         h5out_append_int(o->h5, "/jv/step_halvings", pt->halvings, "1") ||
         h5out_append_string(o->h5, "/jv/reason", pt->reason) || append_recombination(o, pt);
}

/* Keep the curve for the summary. */
static int remember(run_output *o, const sim_point *pt) {
  if (o->n == o->cap) {
    const int cap = o->cap ? 2 * o->cap : 64;
    double **arrays[] = {&o->V, &o->J, &o->L, &o->EQE, &o->gamma, &o->CE, &o->PE};
    for (size_t k = 0; k < sizeof(arrays) / sizeof(arrays[0]); k++) {
      double *p = realloc(*arrays[k], sizeof(double) * (size_t)cap);
      if (!p) return 1;
      *arrays[k] = p;
    }
    int *c = realloc(o->converged, sizeof(int) * (size_t)cap);
    if (!c) return 1;
    o->converged = c;
    o->cap = cap;
  }
  const int k = o->n++;
  o->V[k] = pt->V;
  o->J[k] = pt->J;
  o->L[k] = pt->fom.L;
  o->EQE[k] = pt->fom.EQE;
  o->gamma[k] = pt->fom.gamma;
  o->CE[k] = pt->fom.CE;
  o->PE[k] = pt->fom.PE;
  o->converged[k] = pt->converged;
  return 0;
}

void output_free(run_output *o) {
  free(o->V);
  free(o->J);
  free(o->L);
  free(o->EQE);
  free(o->gamma);
  free(o->CE);
  free(o->PE);
  free(o->converged);
  o->V = o->J = o->L = o->EQE = o->gamma = o->CE = o->PE = NULL;
  o->converged = NULL;
  o->n = o->cap = 0;
}

/* Checkpoint when the time since the last one is at least 10x what a checkpoint costs, so output
 * costs at most ~10% of the run, and at least OUTPUT_CKPT_MIN_INTERVAL: a killed run loses at
 * most that much work, and a short run does not rewrite its growing file image again and again
 * (the hole-only benchmark spent ~25 ms of 0.15 s on four such rewrites; the last, 4 MB, alone
 * took ~20 ms although the one before had cost 3 ms). */
static int maybe_checkpoint(run_output *o) {
  const double now = output_now();
  const double interval = fmax(10.0 * o->last_ckpt_cost, OUTPUT_CKPT_MIN_INTERVAL);
  if (now - o->last_ckpt_time < interval) return 0;
  if (h5out_checkpoint(o->h5, &o->err)) return o->failed = 1;
  const double after = output_now();
  o->last_ckpt_cost = after - now;
  o->last_ckpt_time = after;
  return 0;
}

int output_point(void *user, const sim_point *pt, const sim_fields *f) {
  run_output *o = user;
  if (append_row(o, pt)) return fail(o, "/jv");
  if (remember(o, pt)) return fail(o, "(out of memory)");
  if (f && write_fields(o, pt, f)) return fail(o, "/fields");
  if (!o->quiet) {
    if (pt->converged)
      printf("%8.3f  %13.6e  %11.4e  %8.4f  %8.4f  %4d\n", pt->V, pt->J, pt->fom.L, pt->fom.EQE,
             pt->fom.gamma, pt->iterations);
    else
      printf("%8.3f  %13s  %11s  %8s  %8s  %4d  not converged: %s\n", pt->V, "nan", "nan", "nan",
             "nan", pt->iterations, pt->reason);
    fflush(stdout);
  }
  if (o->tty)
    fprintf(stderr, "\r  point %d/%d  V = %.3f V   ", pt->index + 1, o->cfg->nV, pt->V);
  /* after the first point: create the /jv datasets now (~30 extendible datasets, ~1.5 ms at
   * the final checkpoint otherwise; with the writer thread this is off the solver's path) */
  if (o->n == 1 && h5out_flush_appends(o->h5)) return fail(o, "/jv");
  return maybe_checkpoint(o);
}

static int write_summary(run_output *o, const fom_summary *s) {
  struct {
    const char *name;
    double v;
    const char *units;
  } a[] = {{"V_on", s->V_on, "V"},
           {"J_at_V_on", s->J_at_V_on, "A/m^2"},
           {"EQE_max", s->EQE_max, "1"},
           {"V_at_EQE_max", s->V_at_EQE_max, "V"},
           {"J_at_EQE_max", s->J_at_EQE_max, "A/m^2"},
           {"L_at_EQE_max", s->L_at_EQE_max, "cd/m^2"},
           {"gamma_at_EQE_max", s->gamma_at_EQE_max, "1"},
           {"gamma_max", s->gamma_max, "1"},
           {"CE_max", s->CE_max, "cd/A"},
           {"PE_max", s->PE_max, "lm/W"},
           {"L_max", s->L_max, "cd/m^2"},
           {"V_ref", s->V_ref, "V"},
           {"J_at_V_ref", s->J_at_V_ref, "A/m^2"},
           {"L_at_V_ref", s->L_at_V_ref, "cd/m^2"},
           {"EQE_at_1000_cd", s->EQE_at_1000, "1"},
           {"rolloff_1000_cd", s->rolloff_1000, "1"},
           {"J_half_EQE", s->J_half, "A/m^2"}};
  for (size_t k = 0; k < sizeof(a) / sizeof(a[0]); k++)
    if (h5out_attr_double(o->h5, "/summary", a[k].name, a[k].v, a[k].units)) return 1;
  return h5out_attr_string(o->h5, "/summary", "V_on_status",
                           isfinite(s->V_on) ? "reached" : "not reached") ||
         h5out_attr_double(o->h5, "/summary", "turn_on_luminance", FOM_TURN_ON_LUMINANCE, "cd/m^2");
}

/* A figure with its unit, or "n/a" / "not reached". */
static void show(FILE *f, const char *label, double v, double scale, const char *unit,
                 const char *missing) {
  if (isfinite(v)) fprintf(f, "  %-28s %.4g %s\n", label, v * scale, unit);
  else fprintf(f, "  %-28s %s\n", label, missing);
}

void output_print_summary(const run_output *o, const fom_summary *s, FILE *f) {
  fprintf(f, "\nsummary of %s\n", o->cfg->path ? o->cfg->path : "(config)");
  show(f, "turn-on voltage (1 cd/m^2)", s->V_on, 1, "V", "not reached in the sweep");
  show(f, "maximum EQE", s->EQE_max, 100, "%", "n/a (no emission)");
  show(f, "  at bias", s->V_at_EQE_max, 1, "V", "n/a");
  show(f, "  at current density", s->J_at_EQE_max, 0.1, "mA/cm^2", "n/a");
  show(f, "  charge balance gamma", s->gamma_at_EQE_max, 1, "", "n/a");
  show(f, "maximum current efficiency", s->CE_max, 1, "cd/A", "n/a");
  show(f, "maximum power efficiency", s->PE_max, 1, "lm/W", "n/a");
  char lab[64];
  snprintf(lab, sizeof(lab), "J at %g V", s->V_ref);
  show(f, lab, s->J_at_V_ref, 0.1, "mA/cm^2", "n/a (bias not in the sweep)");
  snprintf(lab, sizeof(lab), "L at %g V", s->V_ref);
  show(f, lab, s->L_at_V_ref, 1, "cd/m^2", "n/a (bias not in the sweep)");
  show(f, "EQE roll-off at 1000 cd/m^2", s->rolloff_1000, 100, "% of maximum", "not reached");
}

int output_finish(run_output *o, const sim_summary *sum, fom_summary *fs) {
  if (o->tty) fprintf(stderr, "\r%60s\r", "");
  const fom_curve curve = {o->n, o->V, o->J, o->L, o->EQE, o->gamma, o->CE, o->PE, o->converged};
  fom_summarise(&curve, 5.0, fs);
  int rc = write_summary(o, fs) || h5out_attr_int(o->h5, "/summary", "points", sum->npoints) ||
           h5out_attr_int(o->h5, "/summary", "converged_points", sum->nconverged) ||
           h5out_attr_int(o->h5, "/summary", "newton_iterations", sum->newton_total) ||
           h5out_attr_double(o->h5, "/summary", "solve_time", sum->solve_seconds, "s");
  if (rc) return fail(o, "/summary");
  h5out *h = o->h5;
  o->h5 = NULL;
  if (h5out_finish(h, &o->err)) return o->failed = 1;
  return 0;
}

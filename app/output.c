#include "app/output.h"
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
           h5out_attr_string(o->h5, "/", "git_commit", QLEDSIM_GIT_COMMIT) ||
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
  char g[64], p[96];
  snprintf(g, sizeof(g), "/fields/%04d", pt->index);
  struct {
    const char *name;
    const double *data;
    const char *units;
  } ds[] = {{"psi", f->psi, "V"},  {"n", f->nn, "m^-3"},    {"p", f->pp, "m^-3"},
            {"Ec", f->Ec, "eV"},   {"Ev", f->Ev, "eV"},     {"Efn", f->Efn, "eV"},
            {"Efp", f->Efp, "eV"}, {"E", f->E, "V/m"},      {"Jn", f->Jn, "A/m^2"},
            {"Jp", f->Jp, "A/m^2"}, {"R", f->R, "m^-3 s^-1"}};
  for (size_t k = 0; k < sizeof(ds) / sizeof(ds[0]); k++) {
    snprintf(p, sizeof(p), "%s/%s", g, ds[k].name);
    if (h5out_write_doubles(o->h5, p, ds[k].data, (size_t)f->n, ds[k].units)) return 1;
  }
  return h5out_attr_double(o->h5, g, "V", pt->V, "V");
}

static int append_row(run_output *o, const sim_point *pt) {
  return h5out_append_double(o->h5, "/jv/V", pt->V, "V") ||
         h5out_append_double(o->h5, "/jv/J", pt->J, "A/m^2") ||
         h5out_append_int(o->h5, "/jv/converged", pt->converged, "1") ||
         h5out_append_int(o->h5, "/jv/newton_iterations", pt->iterations, "1") ||
         h5out_append_int(o->h5, "/jv/step_halvings", pt->halvings, "1") ||
         h5out_append_string(o->h5, "/jv/reason", pt->reason);
}

/* Checkpoint when the time since the last one is at least 10x what a checkpoint costs, so output
 * costs at most ~10% of the run while a killed run loses only the last moments. */
static int maybe_checkpoint(run_output *o) {
  const double now = output_now();
  if (now - o->last_ckpt_time < 10.0 * o->last_ckpt_cost) return 0;
  if (h5out_checkpoint(o->h5, &o->err)) return o->failed = 1;
  const double after = output_now();
  o->last_ckpt_cost = after - now;
  o->last_ckpt_time = after;
  return 0;
}

int output_point(void *user, const sim_point *pt, const sim_fields *f) {
  run_output *o = user;
  if (append_row(o, pt)) return fail(o, "/jv");
  if (f && write_fields(o, pt, f)) return fail(o, "/fields");
  if (!o->quiet) {
    if (pt->converged)
      printf("%10.4f  %14.6e  %4d\n", pt->V, pt->J, pt->iterations);
    else
      printf("%10.4f  %14s  %4d  not converged: %s\n", pt->V, "nan", pt->iterations, pt->reason);
    fflush(stdout);
  }
  if (o->tty)
    fprintf(stderr, "\r  point %d/%d  V = %.3f V   ", pt->index + 1, o->cfg->nV, pt->V);
  return maybe_checkpoint(o);
}

int output_finish(run_output *o, const sim_summary *sum) {
  if (o->tty) fprintf(stderr, "\r%60s\r", "");
  int rc = h5out_attr_int(o->h5, "/summary", "points", sum->npoints) ||
           h5out_attr_int(o->h5, "/summary", "converged_points", sum->nconverged) ||
           h5out_attr_int(o->h5, "/summary", "newton_iterations", sum->newton_total) ||
           h5out_attr_double(o->h5, "/summary", "solve_time", sum->solve_seconds, "s");
  if (rc) return fail(o, "/summary");
  h5out *h = o->h5;
  o->h5 = NULL;
  if (h5out_finish(h, &o->err)) return o->failed = 1;
  return 0;
}

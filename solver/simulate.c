#include "solver/simulate.h"
#include "solver/budget.h"
#include "solver/continuation.h"
#include "solver/fields.h"

#include <math.h>
#include <string.h>

int sim_build_mesh(const cfg_config *cfg, mesh_t *m, char *why, size_t whylen) {
  return mesh_build(&cfg->dev, cfg->mesh.nodes, cfg->mesh.h_min, cfg->mesh.max_ratio, m, why,
                    whylen);
}

void sim_newton_options(const cfg_config *cfg, void *out) {
  nt_options *o = out;
  o->max_it = cfg->solver.max_newton;
  o->max_update = cfg->solver.max_update;
  o->step_tol = 1e-10;
  o->step_rtol = 1e-11;
  o->f_abs = 1e-8;
}

int sim_fields_wanted(const cfg_config *cfg, double V) {
  if (cfg->output.fields == CFG_FIELDS_ALL) return 1;
  if (cfg->output.fields == CFG_FIELDS_NONE) return 0;
  for (int k = 0; k < cfg->output.nfield_V; k++)
    if (fabs(cfg->output.field_V[k] - V) <= 1e-9 * fmax(1.0, fabs(V))) return 1;
  return 0;
}

static void record(sim_point *pt, int k, double V, const ct_result *r, double J) {
  memset(pt, 0, sizeof(*pt));
  pt->index = k;
  pt->V = V;
  pt->converged = r->converged;
  pt->iterations = r->iterations;
  pt->halvings = r->halvings;
  snprintf(pt->reason, sizeof(pt->reason), "%s", r->reason);
  pt->J = r->converged ? J : NAN;
  pt->fom = (em_fom){NAN, NAN, NAN, NAN, NAN, NAN};
  pt->budget = NULL;
}

typedef struct {
  mesh_t mesh;
  dd_ctx dd;
  nt_solver nt;
  ct_state ct;
  dd_currents cur;
  sim_fields fields;
  em_model em;
  em_budget budget;
} sim_work;

static PetscErrorCode work_create(const cfg_config *cfg, sim_work *w) {
  char why[256];
  nt_options opt;
  PetscFunctionBeginUser;
  memset(w, 0, sizeof(*w));
  PetscCheck(sim_build_mesh(cfg, &w->mesh, why, sizeof(why)) == 0, PETSC_COMM_SELF,
             PETSC_ERR_USER_INPUT, "mesh: %s", why);
  PetscCheck(dd_create(&cfg->dev, &w->mesh, &w->dd) == 0, PETSC_COMM_SELF, PETSC_ERR_MEM,
             "cannot set up the device model (out of memory, or a statistics/mobility/trap "
             "parameter outside its tabulated range)");
  sim_newton_options(cfg, &opt);
  PetscCall(nt_create(&w->dd, &opt, &w->nt));
  PetscCall(ct_create(&w->dd, &w->nt, cfg->solver.max_halvings, cfg->solver.max_step, &w->ct));
  PetscCheck(dd_currents_alloc(&w->cur, w->mesh.n) == 0 && fields_alloc(&w->fields, &w->mesh) == 0 &&
                 em_budget_alloc(&w->budget, cfg->dev.nlayers) == 0,
             PETSC_COMM_SELF, PETSC_ERR_MEM, "out of memory");
  PetscCheck(em_model_create(&cfg->dev, &w->em, why, sizeof(why)) == 0, PETSC_COMM_SELF,
             PETSC_ERR_USER_INPUT, "emission: %s", why);
  PetscFunctionReturn(0);
}

static PetscErrorCode work_destroy(sim_work *w) {
  PetscFunctionBeginUser;
  PetscCall(ct_destroy(&w->ct));
  PetscCall(nt_destroy(&w->nt));
  dd_currents_free(&w->cur);
  fields_free(&w->fields);
  em_model_free(&w->em);
  em_budget_free(&w->budget);
  dd_free(&w->dd);
  mesh_free(&w->mesh);
  PetscFunctionReturn(0);
}

/* Report every point as failed (equilibrium did not converge). */
static int report_all_failed(const cfg_config *cfg, const ct_result *eq, sim_point_fn fn,
                             void *user, sim_summary *sum) {
  for (int k = 0; k < cfg->nV; k++) {
    sim_point pt;
    ct_result r = *eq;
    r.converged = 0;
    r.iterations = 0;
    snprintf(r.reason, sizeof(r.reason), "equilibrium failed: %.40s", eq->reason);
    record(&pt, k, cfg->V[k], &r, NAN);
    sum->npoints++;
    if (fn(user, &pt, NULL)) return 1;
  }
  return 0;
}

/* Equilibrium, then every bias point in order, each reported through fn. */
static PetscErrorCode sweep_points(const cfg_config *cfg, sim_work *w, sim_point_fn fn, void *user,
                                   sim_summary *sum) {
  ct_result r;
  PetscFunctionBeginUser;
  PetscCall(ct_equilibrium(&w->ct, &r));
  sum->newton_total += r.iterations;
  if (!r.converged) {
    sum->stopped = report_all_failed(cfg, &r, fn, user, sum);
    PetscFunctionReturn(0);
  }
  for (int k = 0; k < cfg->nV && !sum->stopped; k++) {
    sim_point pt;
    PetscCall(ct_goto(&w->ct, cfg->V[k], &r));
    sum->newton_total += r.iterations;
    const sim_fields *f = NULL;
    if (r.converged) {
      dd_compute_currents(&w->dd, w->ct.x, &w->cur);
      if (sim_fields_wanted(cfg, cfg->V[k])) {
        fields_compute(&w->dd, w->ct.x, &w->cur, &w->fields);
        f = &w->fields;
      }
    }
    record(&pt, k, cfg->V[k], &r, w->cur.J);
    if (r.converged) {
      dd_budget(&w->dd, w->ct.x, &w->cur, &w->budget);
      pt.fom = em_evaluate(&cfg->dev, &w->em, &w->budget, cfg->V[k]);
      pt.budget = &w->budget;
    }
    sum->npoints++;
    sum->nconverged += pt.converged;
    sum->stopped = fn(user, &pt, f);
  }
  PetscFunctionReturn(0);
}

PetscErrorCode sim_run(const cfg_config *cfg, sim_point_fn fn, void *user, sim_summary *sum) {
  sim_work w;
  PetscLogDouble t0, t1;
  PetscFunctionBeginUser;
  memset(sum, 0, sizeof(*sum));
  PetscCall(PetscTime(&t0));
  PetscCall(work_create(cfg, &w));
  /* the work is released on every path, also when a solve ends in a PETSc error (a sweep goes
   * on with the next point, so nothing may leak) */
  const PetscErrorCode ierr = sweep_points(cfg, &w, fn, user, sum);
  PetscCall(work_destroy(&w));
  PetscCall(ierr);
  PetscCall(PetscTime(&t1));
  sum->solve_seconds = t1 - t0;
  PetscFunctionReturn(0);
}

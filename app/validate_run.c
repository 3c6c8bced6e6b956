/* One validation device: simulate its bias sweep (the pattern of `qledsim run`, without fields
 * or per-point output) and summarise it with fom_summarise, as `run` and `sweep` do. */
#include "app/output.h"
#include "app/validate.h"
#include "physics/constants.h"
#include "physics/fom.h"
#include "solver/simulate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void vd_run_free(vd_run *r) {
  free(r->reason);
  free(r->config);
  free(r->V);
  free(r->J);
  free(r->L);
  free(r->EQE);
  free(r->gamma);
  free(r->CE);
  free(r->PE);
  free(r->converged);
  memset(r, 0, sizeof(*r));
}

static void clear_figures(vd_run *r) {
  for (int q = 0; q < VQ_COUNT; q++)
    r->pred[q] = NAN;
  r->gamma_at_eqe_max = r->v_at_eqe_max = r->l_max = r->gamma_max = r->mu_n = NAN;
}

static int collect(void *user, const sim_point *pt, const sim_fields *f) {
  (void)f;
  vd_run *r = user;
  const int i = pt->index;
  if (i < 0 || i >= r->n) return 0;
  r->V[i] = pt->V;
  r->J[i] = pt->J;
  r->L[i] = pt->fom.L;
  r->EQE[i] = pt->fom.EQE;
  r->gamma[i] = pt->fom.gamma;
  r->CE[i] = pt->fom.CE;
  r->PE[i] = pt->fom.PE;
  r->converged[i] = pt->converged;
  if (!pt->converged && r->reason && !r->reason[0]) {
    char msg[160];
    snprintf(msg, sizeof(msg), "first failed bias point %.3g V: %s", pt->V, pt->reason);
    free(r->reason);
    r->reason = strdup(msg);
  }
  return 0;
}

int vd_simulate(cfg_config *cfg, vd_run *r) {
  const double t0 = output_now();
  clear_figures(r);
  cfg->output.fields = CFG_FIELDS_NONE;
  const int n = cfg->nV;
  r->n = n;
  double **arr[] = {&r->V, &r->J, &r->L, &r->EQE, &r->gamma, &r->CE, &r->PE};
  for (size_t k = 0; k < sizeof(arr) / sizeof(arr[0]); k++)
    if (!(*arr[k] = malloc(sizeof(double) * (size_t)(n + 1)))) return 1;
  if (!(r->converged = calloc((size_t)n + 1, sizeof(int)))) return 1;
  for (int i = 0; i < n; i++) {
    r->V[i] = cfg->V[i];
    r->J[i] = r->L[i] = r->EQE[i] = r->gamma[i] = r->CE[i] = r->PE[i] = NAN;
  }
  free(r->reason);
  if (!(r->reason = strdup(""))) return 1;
  /* the HTL: the layer just before the first emissive one */
  const dev_device *d = &cfg->dev;
  int htl = -1;
  for (int l = 0; l < d->nlayers && htl < 0; l++)
    if (d->layers[l].emissive) htl = l - 1;
  if (htl >= 0) {
    r->pred[VQ_HOMO] = d->layers[htl].E_homo / PHYS_EV;
    r->pred[VQ_LUMO] = d->layers[htl].E_lumo / PHYS_EV;
    r->pred[VQ_MU_P] = d->layers[htl].vb.mu0;
    r->mu_n = d->layers[htl].cb.mu0;
  }
  mesh_t m;
  char why[256];
  if (sim_build_mesh(cfg, &m, why, sizeof(why))) {
    free(r->reason);
    char msg[300];
    snprintf(msg, sizeof(msg), "mesh: %s", why);
    r->reason = strdup(msg);
    r->status = VD_FAILED;
    r->wall_time = output_now() - t0;
    return !r->reason;
  }
  mesh_free(&m);
  sim_summary sum;
  memset(&sum, 0, sizeof(sum));
  PetscErrorCode ierr = sim_run(cfg, collect, r, &sum);
  r->wall_time = output_now() - t0;
  r->n_converged = sum.nconverged;
  if (ierr) {
    char msg[96];
    snprintf(msg, sizeof(msg), "solver error (PETSc error %d)", (int)ierr);
    free(r->reason);
    r->reason = strdup(msg);
    r->status = VD_FAILED;
    return !r->reason;
  }
  if (sum.nconverged < n) {
    /* Figures over a partial curve could miss the true maximum: not reported (NaN). */
    char msg[300];
    snprintf(msg, sizeof(msg), "%d of %d bias points did not converge (%s)", n - sum.nconverged, n,
             r->reason);
    free(r->reason);
    r->reason = strdup(msg);
    r->status = VD_UNCONVERGED;
    return !r->reason;
  }
  const fom_curve c = {n, r->V, r->J, r->L, r->EQE, r->gamma, r->CE, r->PE, r->converged};
  fom_summary s;
  fom_summarise(&c, 5.0, &s);
  r->pred[VQ_EQE] = s.EQE_max;
  r->pred[VQ_CE] = s.CE_max;
  r->pred[VQ_PE] = s.PE_max;
  r->pred[VQ_V_ON] = s.V_on;
  r->gamma_at_eqe_max = s.gamma_at_EQE_max;
  r->v_at_eqe_max = s.V_at_EQE_max;
  r->l_max = s.L_max;
  r->gamma_max = s.gamma_max;
  r->status = VD_OK;
  return 0;
}

int vd_run_entry(const vd_file *vf, vd_entry *e, int pristine, const char *const *sets,
                 int nsets, vd_run *r) {
  vd_run_free(r);
  clear_figures(r);
  cfg_config cfg;
  char why[2048] = "could not build the device (out of memory)", *text = NULL;
  const double t0 = output_now();
  if (vd_build(vf, e, pristine, sets, nsets, &cfg, &text, why, sizeof(why))) {
    r->status = VD_FAILED;
    r->reason = strdup(why);
    r->config = text;
    r->wall_time = output_now() - t0;
    return !r->reason;
  }
  free(text);
  r->config = cfg_resolved_yaml(&cfg);
  const int rc = vd_simulate(&cfg, r) || !r->config;
  r->wall_time = output_now() - t0;
  cfg_free(&cfg);
  return rc;
}

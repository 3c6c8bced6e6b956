/* What `qledsim validate` shows: values for people, the comparison table, the error statistics
 * (mean absolute error and Spearman rank correlation of predicted vs reported maxima), the facts,
 * and the same table as CSV. The HDF5 file is written by validate_h5.c. */
#include "app/validate.h"
#include "io/atomic_write.h"
#include "physics/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *vd_fmt(vd_quantity q, double v, char *buf, size_t len) {
  if (!isfinite(v)) {
    snprintf(buf, len, "n/a");
    return buf;
  }
  switch (q) {
  case VQ_EQE: snprintf(buf, len, "%.2f %%", 100.0 * v); break;
  case VQ_CE: snprintf(buf, len, "%.2f cd/A", v); break;
  case VQ_PE: snprintf(buf, len, "%.2f lm/W", v); break;
  case VQ_V_ON: snprintf(buf, len, "%.2f V", v); break;
  case VQ_MU_P: snprintf(buf, len, "%.3g cm^2/Vs", 1e4 * v); break;
  default: snprintf(buf, len, "%.2f eV", v); break;
  }
  return buf;
}

/* Values within this relative difference share a rank: the predicted maxima of devices whose
 * charge balance is perfect differ only by solver round-off (~1e-12), which must not order them.
 * The CSV prints 6 significant digits for the same reason. */
#define VD_TIE_RTOL 1e-6

/* The three compared figures, in the order of vd_summary's arrays, and their display scale. */
static const vd_quantity FIG[3] = {VQ_EQE, VQ_CE, VQ_PE};
static const double FIG_SCALE[3] = {100.0, 1.0, 1.0};

void vd_summarise(const vd_file *vf, vd_summary *s) {
  const double wall = s->wall_time;
  memset(s, 0, sizeof(*s));
  s->wall_time = wall;
  double *p = malloc(sizeof(double) * (size_t)(vf->n + 1));
  double *r = malloc(sizeof(double) * (size_t)(vf->n + 1));
  for (int i = 0; i < vf->n; i++) {
    const vd_entry *e = &vf->e[i];
    if (!e->selected) continue;
    s->n_entries++;
    s->n_ok += e->run.status == VD_OK;
    s->n_unconverged += e->run.status == VD_UNCONVERGED;
    s->n_failed += e->run.status != VD_OK && e->run.status != VD_UNCONVERGED;
  }
  for (int k = 0; k < 3; k++) {
    s->mae[k] = s->rho[k] = NAN;
    if (!p || !r) continue;
    int m = 0;
    for (int i = 0; i < vf->n; i++) {
      const vd_entry *e = &vf->e[i];
      if (!e->selected) continue;
      p[m] = FIG_SCALE[k] * e->run.pred[FIG[k]];
      r[m++] = FIG_SCALE[k] * e->rep[FIG[k]];
    }
    s->mae[k] = stats_mae(p, r, m, &s->n[k]);
    s->rho[k] = stats_spearman_tol(p, r, m, VD_TIE_RTOL, NULL);
  }
  free(p);
  free(r);
}

/* "reported / predicted" of one figure, numbers only (the unit is in the column header). */
static const char *pair(const vd_entry *e, vd_quantity q, double scale, const char *fmt,
                        char *buf, size_t len) {
  char a[24] = "-", b[24] = "-";
  if (isfinite(e->rep[q])) snprintf(a, sizeof(a), fmt, scale * e->rep[q]);
  if (isfinite(e->run.pred[q])) snprintf(b, sizeof(b), fmt, scale * e->run.pred[q]);
  snprintf(buf, len, "%s / %s", a, b);
  return buf;
}

/* Predicted turn-on ("> 8.00" when not reached in the sweep), with the reported bound if any. */
static void von_cell(const vd_entry *e, char *buf, size_t len) {
  char v[24] = "-";
  if (isfinite(e->run.pred[VQ_V_ON])) snprintf(v, sizeof(v), "%.2f", e->run.pred[VQ_V_ON]);
  else if (e->run.status == VD_OK && e->run.n > 0) snprintf(v, sizeof(v), "> %.2f", e->run.V[e->run.n - 1]);
  if (isfinite(e->rep[VQ_V_ON])) snprintf(buf, len, "%s (>%g)", v, e->rep[VQ_V_ON]);
  else snprintf(buf, len, "%s", v);
}

void vd_print_table(const vd_file *vf, FILE *f) {
  fprintf(f, "%-21s %-20s %-6s %15s %15s %15s  %-14s %-11s %s\n", "entry", "HTL", "colour",
          "EQE % rep/pred", "CE cd/A r/p", "PE lm/W r/p", "V_on [V]", "status", "assumed");
  for (int i = 0; i < vf->n; i++) {
    const vd_entry *e = &vf->e[i];
    if (!e->selected) continue;
    char eqe[40], ce[40], pe[40], von[64];
    von_cell(e, von, sizeof(von));
    fprintf(f, "%-21s %-20s %-6s %15s %15s %15s  %-14s %-11s %s\n", e->id, e->htl, e->colour,
            pair(e, VQ_EQE, 100, "%.2f", eqe, sizeof(eqe)), pair(e, VQ_CE, 1, "%.2f", ce, sizeof(ce)),
            pair(e, VQ_PE, 1, "%.2f", pe, sizeof(pe)), von, vd_status_name(e->run.status),
            e->assumed[0] ? e->assumed : "-");
  }
  for (int i = 0; i < vf->n; i++) {
    const vd_entry *e = &vf->e[i];
    if (e->selected && e->run.status != VD_OK)
      fprintf(f, "  %s %s: %s\n", e->id, vd_status_name(e->run.status),
              e->run.reason ? e->run.reason : "");
  }
}

void vd_print_summary(const vd_file *vf, const vd_summary *s, FILE *f) {
  static const char *const label[3] = {"EQE", "CE", "PE"}, *const unit[3] = {"%-points", "cd/A", "lm/W"};
  fprintf(f, "\nagreement with %s (maxima; pairs where both are known):\n", vf->path);
  for (int k = 0; k < 3; k++) {
    char mae[32] = "n/a", rho[32] = "n/a";
    if (isfinite(s->mae[k])) snprintf(mae, sizeof(mae), "%.2f %s", s->mae[k], unit[k]);
    if (isfinite(s->rho[k])) snprintf(rho, sizeof(rho), "%+.2f", s->rho[k]);
    fprintf(f, "  %-3s  n = %2d   mean |predicted - reported| = %-16s Spearman rho = %s\n",
            label[k], s->n[k], mae, rho);
  }
  int dark = 0;
  for (int i = 0; i < vf->n; i++) {
    const vd_entry *e = &vf->e[i];
    if (e->selected && e->run.status == VD_OK && !isfinite(e->run.pred[VQ_EQE]) &&
        isfinite(e->rep[VQ_EQE]))
      fprintf(f, "%s%s", dark++ ? ", " : "  left out, no light (L < 1 cd/m^2) in the bias range: ",
              e->id);
  }
  if (dark) fprintf(f, "\n");
  fprintf(f, "  entries: %d run, %d ok, %d unconverged, %d failed; %.1f s\n", s->n_entries, s->n_ok,
          s->n_unconverged, s->n_failed, s->wall_time);
  fprintf(f, "  assumed when not reported: cross-linker fraction %g wt%% (all blends), levels of the "
             "host, the default stack of the colour\n",
          100.0 * VD_DEFAULT_FRACTION);
}

void vd_print_facts(const vd_file *vf, FILE *f) {
  if (vf->nfacts) fprintf(f, "\nfacts:\n");
  for (int i = 0; i < vf->nfacts; i++) {
    const vd_fact *x = &vf->f[i];
    fprintf(f, "  %-30s %-14s %s\n", x->id, x->verdict[0] ? x->verdict : "not evaluable",
            x->detail ? x->detail : "");
  }
}

/* ---- CSV ------------------------------------------------------------------------------------ */

/* A CSV field: quoted when it holds a comma, quote or newline. */
static void csv_text(FILE *f, const char *s, int last) {
  s = s ? s : "";
  if (strpbrk(s, ",\"\n\r")) {
    fputc('"', f);
    for (const char *p = s; *p; p++) {
      if (*p == '"') fputc('"', f);
      fputc(*p, f);
    }
    fputc('"', f);
  } else {
    fputs(s, f);
  }
  fputc(last ? '\n' : ',', f);
}

static void csv_num(FILE *f, double v, double scale) {
  if (isfinite(v)) fprintf(f, "%.6g,", scale * v);
  else fputc(',', f);
}

static const char CSV_HEADER[] =
    "id,table1_row,htl,colour,colour_status,status,eqe_reported_percent,eqe_predicted_percent,"
    "ce_reported_cd_per_A,ce_predicted_cd_per_A,pe_reported_lm_per_W,pe_predicted_lm_per_W,"
    "v_on_min_reported_V,v_on_predicted_V,homo_reported_eV,homo_model_eV,lumo_reported_eV,"
    "lumo_model_eV,mu_p_model_cm2_per_Vs,gamma_at_eqe_max,v_at_eqe_max_V,fraction,"
    "fraction_kind,fraction_status,blend_model,levels,levels_status,levels_check,assumed,"
    "reason\n";

static void csv_row(FILE *f, const vd_entry *e) {
  const vd_run *r = &e->run;
  char row[16] = "";
  if (e->table1_row) snprintf(row, sizeof(row), "%d", e->table1_row);
  csv_text(f, e->id, 0);
  csv_text(f, row, 0);
  csv_text(f, e->htl, 0);
  csv_text(f, e->colour, 0);
  csv_text(f, e->colour_status, 0);
  csv_text(f, vd_status_name(r->status), 0);
  const vd_quantity q[7] = {VQ_EQE, VQ_CE, VQ_PE, VQ_V_ON, VQ_HOMO, VQ_LUMO, VQ_MU_P};
  for (int k = 0; k < 6; k++) {
    csv_num(f, e->rep[q[k]], q[k] == VQ_EQE ? 100 : 1);
    csv_num(f, r->pred[q[k]], q[k] == VQ_EQE ? 100 : 1);
  }
  csv_num(f, r->pred[VQ_MU_P], 1e4);
  csv_num(f, r->gamma_at_eqe_max, 1);
  csv_num(f, r->v_at_eqe_max, 1);
  csv_num(f, e->fraction, 1);
  const char *t[] = {e->fraction_kind, e->fraction_status, e->model, e->levels, e->levels_status,
                     e->levels_check, e->assumed};
  for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++)
    csv_text(f, t[k], 0);
  csv_text(f, r->reason, 1);
}

int vd_write_csv(const vd_file *vf, const char *path, qs_err *err) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) return qs_fail(err, QS_ERR_FILE, "%s: out of memory", path);
  fputs(CSV_HEADER, f);
  for (int i = 0; i < vf->n; i++)
    if (vf->e[i].selected) csv_row(f, &vf->e[i]);
  const int bad = ferror(f);
  int rc = fclose(f) != 0 || bad ? qs_fail(err, QS_ERR_FILE, "%s: out of memory", path)
                                 : atomic_write(path, text, len, 1, NULL, err);
  free(text);
  return rc;
}

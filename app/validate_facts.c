/* The qualitative facts of a validation file, evaluated on the predictions:
 *   ratio   quantity(entry) / quantity(reference): the reference is the entry's stack with every
 *           blend removed (the host alone, e.g. pristine TFB), simulated here. Holds when the
 *           predicted ratio lies on the reported side of 1 by at least VD_RATIO_TOL (the claim is
 *           a direction: "20% higher than pristine"); the size is printed next to it.
 *   order   the comparison written in `check` ("V_on(a) < V_on(b)") between the two entries.
 *   bound   the comparison in `check` against `value` ("V_on(cbp-v) > 3.2 V").
 *   values  predicted against the listed values; holds when every pair is in the reported order
 *           (an entry that ran but never reaches 1 cd/m^2 has no maximum: the fact fails).
 *   info    printed only.
 * A turn-on voltage not reached in the sweep counts as above every simulated bias (order, bound).
 * A fact is "not evaluable" when an entry it needs was not run (--only), failed, or has no
 * predicted value. */
#include "app/validate.h"
#include "physics/stats.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define VD_RATIO_TOL 0.01

static void say(vd_fact *f, const char *verdict, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(vd_fact *f, const char *verdict, const char *fmt, ...) {
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  snprintf(f->verdict, sizeof(f->verdict), "%s", verdict);
  free(f->detail);
  f->detail = strdup(buf);
}

/* The first comparison operator in text: '<' -> -1, '>' -> +1, none -> 0. */
static int comparison(const char *text) {
  for (const char *p = text; p && *p; p++) {
    if (*p == '<') return -1;
    if (*p == '>') return 1;
  }
  return 0;
}

/* Quantity q of a run. A turn-on voltage not reached in the sweep counts as +inf: the device
 * needs more than every bias simulated (a comparison with it is decided, its size is not). */
static double value_of(const vd_run *r, int q) {
  if (q == VQ_V_ON && r->status == VD_OK && !isfinite(r->pred[q])) return INFINITY;
  return r->pred[q];
}

/* The last converged bias of a run [V], or NaN. */
static double last_bias(const vd_run *r) {
  for (int i = r->n - 1; i >= 0; i--)
    if (r->converged[i]) return r->V[i];
  return NAN;
}

/* A value for the detail text: "not reached (> 8.00 V)" for a turn-on beyond the sweep. */
static const char *show(const vd_run *r, int q, double v, char *buf, size_t len) {
  if (q == VQ_V_ON && isinf(v)) {
    snprintf(buf, len, "not reached (> %.2f V)", last_bias(r));
    return buf;
  }
  return vd_fmt((vd_quantity)q, v, buf, len);
}

/* Every entry of f was run and has quantity q; else say why not and return 0. */
static int usable(const vd_file *vf, vd_fact *f, int q) {
  for (int j = 0; j < f->nentries; j++) {
    const vd_entry *e = &vf->e[f->index[j]];
    if (!e->selected) {
      say(f, "not evaluable", "entry %s was not run (--only)", e->id);
      return 0;
    }
    if (e->run.status != VD_OK) {
      say(f, "not evaluable", "entry %s %s: %s", e->id, vd_status_name(e->run.status),
          e->run.reason ? e->run.reason : "");
      return 0;
    }
    if (q >= 0 && isnan(value_of(&e->run, q))) {
      say(f, "not evaluable", "entry %s has no predicted %s (not reached in the sweep)", e->id,
          vd_qname((vd_quantity)q));
      return 0;
    }
  }
  return 1;
}

static void eval_ratio(vd_file *vf, vd_fact *f, int q, const char *const *sets, int nsets) {
  vd_entry *e = &vf->e[f->index[0]];
  char *end;
  f->reported = f->value ? strtod(f->value, &end) : NAN;
  int blends = 0;
  const char *host = "", *xl = "";
  for (int l = 0; l < e->nlayers; l++)
    if (e->layers[l].blend) {
      blends++;
      host = e->layers[l].material;
      xl = e->blend_crosslinker ? e->blend_crosslinker : "the cross-linker";
    }
  if (!blends) {
    say(f, "not evaluable", "entry %s has no blend: no reference device defined", e->id);
    return;
  }
  char what[256];
  snprintf(what, sizeof(what), "%s with %s alone (no %s)", e->id, host, xl);
  free(f->ref_what);
  f->ref_what = strdup(what);
  vd_run_entry(vf, e, 1, sets, nsets, &f->ref);
  if (f->ref.status != VD_OK || !isfinite(f->ref.pred[q]) || !(f->ref.pred[q] > 0)) {
    say(f, "not evaluable", "reference device (%s) %s: %s", what, vd_status_name(f->ref.status),
        f->ref.reason && f->ref.reason[0] ? f->ref.reason : "quantity not reached");
    return;
  }
  f->predicted = e->run.pred[q] / f->ref.pred[q];
  char a[32], b[32];
  const int up = f->reported > 1, holds = up ? f->predicted >= 1 + VD_RATIO_TOL
                                              : f->predicted <= 1 - VD_RATIO_TOL;
  say(f, holds ? "holds" : "fails",
      "%s %s / %s (%s) = %.3f predicted vs %s reported (direction: %s 1 by >= %g%%)",
      vd_qname((vd_quantity)q), vd_fmt((vd_quantity)q, e->run.pred[q], a, sizeof(a)),
      vd_fmt((vd_quantity)q, f->ref.pred[q], b, sizeof(b)), what, f->predicted, f->value,
      up ? "above" : "below", 100 * VD_RATIO_TOL);
}

static void eval_order(vd_file *vf, vd_fact *f, int q) {
  const vd_entry *a = &vf->e[f->index[0]], *b = &vf->e[f->index[1]];
  const int op = comparison(f->check);
  if (!op) {
    say(f, "not evaluable", "check has no '<' or '>' to evaluate");
    return;
  }
  const double x = value_of(&a->run, q), y = value_of(&b->run, q);
  f->predicted = isinf(x) && isinf(y) ? NAN : x - y;
  if (isinf(x) && isinf(y)) {
    say(f, "not evaluable", "neither %s nor %s reaches %s in the sweep", a->id, b->id,
        vd_qname((vd_quantity)q));
    return;
  }
  const int holds = op < 0 ? x < y : x > y;
  char s1[48], s2[48];
  say(f, holds ? "holds" : "fails",
      "%s(%s) = %s %s %s(%s) = %s predicted (wanted %s); HTL HOMO %.2f eV vs %.2f eV",
      vd_qname((vd_quantity)q), a->id, show(&a->run, q, x, s1, sizeof(s1)),
      x < y ? "<" : x > y ? ">" : "=", vd_qname((vd_quantity)q), b->id,
      show(&b->run, q, y, s2, sizeof(s2)), op < 0 ? "<" : ">", a->run.pred[VQ_HOMO],
      b->run.pred[VQ_HOMO]);
}

static void eval_bound(vd_file *vf, vd_fact *f, int q) {
  const vd_entry *e = &vf->e[f->index[0]];
  const int op = comparison(f->check);
  char why[300], s1[48];
  if (!op || !f->value || vd_parse_value((vd_quantity)q, f->value, &f->reported, why, sizeof(why))) {
    say(f, "not evaluable", "%s", !op ? "check has no '<' or '>'" : !f->value ? "no value" : why);
    return;
  }
  f->predicted = value_of(&e->run, q);
  const int holds = op < 0 ? f->predicted < f->reported : f->predicted > f->reported;
  const int beyond = isinf(f->predicted);
  say(f, holds ? "holds" : "fails", "%s(%s) = %s predicted, bound %s %s%s",
      vd_qname((vd_quantity)q), e->id, show(&e->run, q, f->predicted, s1, sizeof(s1)),
      op < 0 ? "<" : ">", f->value,
      beyond ? " (but the simulated device gives no 1 cd/m^2 at any bias simulated)" : "");
}

static void eval_values(vd_file *vf, vd_fact *f, int q) {
  yt_node *list = NULL;
  qs_err err;
  double rep[64], pred[64];
  int n = 0;
  if (!f->value || yt_parse_string(f->value, "value", &list, &err) || list->kind != YT_SEQ ||
      list->nchildren != f->nentries || f->nentries > 64) {
    yt_free(list);
    say(f, "not evaluable", "value: expected a list of %d values", f->nentries);
    return;
  }
  char why[300], buf[1400] = "";
  size_t used = 0;
  for (const yt_node *v = list->first; v; v = v->next, n++) {
    if (v->kind != YT_SCALAR || vd_parse_value((vd_quantity)q, v->text, &rep[n], why, sizeof(why))) {
      yt_free(list);
      say(f, "not evaluable", "value[%d]: %s", n, v->kind == YT_SCALAR ? why : "not a value");
      return;
    }
    const vd_run *r = &vf->e[f->index[n]].run;
    pred[n] = r->pred[q];
    char a[64], b[32];
    if (isnan(pred[n])) /* ran, but never reached 1 cd/m^2: no maximum to compare */
      snprintf(a, sizeof(a), "no light (L < 1 cd/m^2 up to %.2f V)", last_bias(r));
    else
      vd_fmt((vd_quantity)q, pred[n], a, sizeof(a));
    if (used < sizeof(buf))
      used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s %s (reported %s)",
                               n ? ", " : "", f->entries[n], a,
                               vd_fmt((vd_quantity)q, rep[n], b, sizeof(b)));
  }
  yt_free(list);
  int holds = 1;
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if ((rep[i] > rep[j] && !(pred[i] > pred[j])) || (rep[i] < rep[j] && !(pred[i] < pred[j])))
        holds = 0;
  int used_pairs = 0;
  f->predicted = stats_mae(pred, rep, n, &used_pairs);
  char m[32];
  say(f, holds ? "holds" : "fails", "%s; reported order %s; mean |error| %s over %d of %d", buf,
      holds ? "reproduced" : "not reproduced", vd_fmt((vd_quantity)q, f->predicted, m, sizeof(m)),
      used_pairs, n);
}

static void eval_info(vd_file *vf, vd_fact *f, int q) {
  char buf[1400] = "";
  size_t used = 0;
  for (int j = 0; j < f->nentries && used < sizeof(buf); j++) {
    const vd_entry *e = &vf->e[f->index[j]];
    char a[32];
    used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s: %s %s predicted", j ? "; " : "",
                             e->id, q >= 0 ? vd_qname((vd_quantity)q) : "",
                             q >= 0 && e->run.status == VD_OK ? vd_fmt((vd_quantity)q, e->run.pred[q], a, sizeof(a))
                                                              : vd_status_name(e->run.status));
  }
  if (q >= 0 && f->nentries == 1) f->predicted = vf->e[f->index[0]].run.pred[q];
  say(f, "info", "%s%s%s", buf, f->value ? "; stated " : "", f->value ? f->value : "");
}

int vd_facts(vd_file *vf, const char *const *sets, int nsets) {
  for (int i = 0; i < vf->nfacts; i++) {
    vd_fact *f = &vf->f[i];
    const int q = vd_qparse(f->quantity);
    f->predicted = f->reported = NAN;
    if (!strcmp(f->kind, "info")) {
      int any = 0;
      for (int j = 0; j < f->nentries; j++)
        any |= vf->e[f->index[j]].selected;
      if (any) eval_info(vf, f, q);
      else say(f, "not evaluable", "entries not run (--only)");
      continue;
    }
    /* values: an entry that ran but gives no light still counts (it fails to reproduce) */
    if (!usable(vf, f, strcmp(f->kind, "values") ? q : -1)) continue;
    if (!strcmp(f->kind, "ratio")) eval_ratio(vf, f, q, sets, nsets);
    else if (!strcmp(f->kind, "order")) eval_order(vf, f, q);
    else if (!strcmp(f->kind, "bound")) eval_bound(vf, f, q);
    else eval_values(vf, f, q);
    if (!f->detail) return 1;
  }
  return 0;
}

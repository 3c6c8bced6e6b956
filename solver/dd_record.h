/* What the last dd_assemble computed on the way, kept for the outputs of a converged point.
 *
 * A Newton solve ends with an assembly at the accepted state (its residual is what the
 * convergence test reads). The per-point outputs then need the same quantities again: the
 * Scharfetter-Gummel current of every cell (dd_compute_currents) and the recombination of every
 * node by channel (dd_budget). Evaluating them a second time cost 14% of a hole-only sweep
 * (callgrind). The assembly records them, with a copy of its state and bias; the readers use the
 * record only when their state and bias equal it bit for bit, and evaluate directly otherwise. */
#ifndef QLEDSIM_DD_RECORD_H
#define QLEDSIM_DD_RECORD_H

#include "solver/dd.h"

enum { DD_REC_LANGEVIN = 0, DD_REC_SRH, DD_REC_AUGER, DD_REC_TRAPS, DD_REC_NCH };
enum { DD_REC_NCELL = 4 };

struct dd_record {
  int valid;       /* set by a complete, finite assembly */
  double V;        /* its bias [V] */
  dd_field *x;     /* its state (n nodes) */
  /* per node i and side s (0 left, 1 right): rate of each channel [m^-3 s^-1] at
   * side[(2 i + s) DD_REC_NCH + ch]; inside a layer only side 0 (it holds for both halves) */
  double *side;
  double *iface;   /* per node: [2 i] interface, [2 i + 1] interface-trap rate [m^-2 s^-1] */
  /* per cell: conductances Gn = K_n n_i B(-a_n), Gp = K_p p_i B(a_p) [A/m^2] (mobility factor
   * included), expm1(zn_j - zn_i) and expm1(-(zp_j - zp_i)), at cell[DD_REC_NCELL cell + 0..3] */
  double *cell;
};

/* The channel rates of side s of node i (DD_REC_NCH entries). */
static inline double *dd_record_side(const dd_record *r, int i, int s) {
  return r->side + (2 * (size_t)i + (size_t)s) * DD_REC_NCH;
}

/* Net rate of side s of node i from the record: the bulk channels plus bulk traps, i.e.
 * dd_side_rate's return value [m^-3 s^-1]. */
static inline double dd_recorded_side_rate(const dd_ctx *c, int i, int s) {
  const double *r = dd_record_side(c->rec, i, s);
  return r[DD_REC_LANGEVIN] + r[DD_REC_SRH] + r[DD_REC_AUGER] + r[DD_REC_TRAPS];
}

int dd_record_alloc(dd_record **r, int n);
void dd_record_free(dd_record *r);
/* Non-zero if the record was made at state x and the context's present bias. */
int dd_record_matches(const dd_ctx *c, const dd_field *x);
/* Forget the record (a test that wants the direct evaluation). */
void dd_record_forget(dd_ctx *c);

#endif

/* The assembly's record for the outputs of a converged point (see dd_record.h). */
#include "solver/dd_record.h"

#include <stdlib.h>
#include <string.h>

int dd_record_alloc(dd_record **out, int n) {
  dd_record *r = calloc(1, sizeof(*r));
  *out = r;
  if (!r) return 1;
  r->x = calloc((size_t)n, sizeof(dd_field));
  r->side = calloc((size_t)n * 2 * DD_REC_NCH, sizeof(double));
  r->iface = calloc((size_t)n * 2, sizeof(double));
  r->cell = calloc((size_t)n * DD_REC_NCELL, sizeof(double));
  return !(r->x && r->side && r->iface && r->cell);
}

void dd_record_free(dd_record *r) {
  if (!r) return;
  free(r->x);
  free(r->side);
  free(r->iface);
  free(r->cell);
  free(r);
}

int dd_record_matches(const dd_ctx *c, const dd_field *x) {
  const dd_record *r = c->rec;
  return r && r->valid && r->V == c->V && memcmp(r->x, x, sizeof(dd_field) * (size_t)c->n) == 0;
}

void dd_record_forget(dd_ctx *c) {
  if (c->rec) c->rec->valid = 0;
}

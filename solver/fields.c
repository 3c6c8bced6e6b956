#include "solver/fields.h"
#include "solver/dd_record.h"
#include "physics/constants.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int fields_count(const mesh_t *m) {
  int k = m->n;
  for (int i = 1; i < m->n - 1; i++) k += mesh_is_interface(m, i);
  return k;
}

void fields_mesh(const mesh_t *m, double *x, int *layer) {
  int k = 0;
  for (int i = 0; i < m->n; i++) {
    x[k] = m->x[i];
    layer[k++] = i < m->n - 1 ? m->cell_layer[i] : m->cell_layer[m->n - 2];
    if (mesh_is_interface(m, i)) {
      layer[k - 1] = m->cell_layer[i - 1];
      x[k] = m->x[i];
      layer[k++] = m->cell_layer[i];
    }
  }
}

int fields_alloc(sim_fields *f, const mesh_t *m) {
  memset(f, 0, sizeof(*f));
  f->n = fields_count(m);
  const size_t n = (size_t)f->n;
  double **arrays[] = {&f->x, &f->psi, &f->nn, &f->pp, &f->Ec, &f->Ev, &f->Efn, &f->Efp, &f->E,
                       &f->Jn, &f->Jp, &f->R};
  int ok = (f->layer = malloc(n * sizeof(int))) != NULL;
  for (size_t k = 0; k < sizeof(arrays) / sizeof(arrays[0]); k++)
    ok = (*arrays[k] = malloc(n * sizeof(double))) != NULL && ok;
  ok = dd_currents_alloc(&f->cons, m->n) == 0 && ok;
  ok = (f->Ecell = malloc(sizeof(double) * (size_t)(m->n - 1))) != NULL && ok;
  if (!ok) fields_free(f);
  return !ok;
}

void fields_free(sim_fields *f) {
  double *arrays[] = {f->x, f->psi, f->nn, f->pp, f->Ec, f->Ev, f->Efn, f->Efp, f->E,
                      f->Jn, f->Jp, f->R};
  for (size_t k = 0; k < sizeof(arrays) / sizeof(arrays[0]); k++) free(arrays[k]);
  free(f->layer);
  dd_currents_free(&f->cons);
  free(f->Ecell);
  memset(f, 0, sizeof(*f));
}

/* Cell quantity q interpolated to node i from the side s (0 left, 1 right); at an interior node
 * of a layer the two adjacent cells are interpolated linearly to the node position. */
static double cell_to_node(const mesh_t *m, const double *q, int i, int s, int iface) {
  if (i == 0) return q[0];
  if (i == m->n - 1) return q[m->n - 2];
  if (iface) return s == 0 ? q[i - 1] : q[i];
  const double hl = m->h[i - 1], hr = m->h[i];
  return (q[i - 1] * hr + q[i] * hl) / (hl + hr);
}

static void fill_entry(const dd_ctx *c, const dd_field *x, const dd_currents *cur,
                       const double *Ecell, int i, int s, int iface, int rec, int k,
                       sim_fields *f) {
  const mesh_t *m = c->mesh;
  const dev_device *dev = c->dev;
  int side = s;
  if (i == 0) side = 1;
  if (i == m->n - 1) side = 0;
  const int layer = m->cell_layer[side == 0 ? i - 1 : i];
  const dev_layer *ly = &dev->layers[layer];
  const double kT_eV = c->kT / PHYS_EV, Wc = dev->cathode.work_function / PHYS_EV;
  trap_state ts; /* densities and what the recombination rate needs, evaluated once */
  dd_trap_state(c, x, i, side, &ts);
  const double n = ts.n, p = ts.p;
  f->x[k] = m->x[i];
  f->layer[k] = layer;
  f->psi[k] = x[i].v * c->Vt;
  f->nn[k] = n;
  f->pp[k] = p;
  f->Ec[k] = -f->psi[k] + ly->E_lumo / PHYS_EV;
  f->Ev[k] = -f->psi[k] + ly->E_homo / PHYS_EV;
  f->Efn[k] = -Wc + kT_eV * x[i].zn;
  f->Efp[k] = -Wc - c->V + kT_eV * x[i].zp;
  f->E[k] = cell_to_node(m, Ecell, i, s, iface);
  f->Jn[k] = cell_to_node(m, cur->Jn, i, s, iface);
  f->Jp[k] = cell_to_node(m, cur->Jp, i, s, iface);
  f->R[k] = rec ? dd_recorded_side_rate(c, i, side) : dd_side_rate_at(c, i, side, &ts, NULL, NULL);
}

void fields_compute(const dd_ctx *c, const dd_field *x, const dd_currents *cur, sim_fields *f) {
  dd_currents *cons = &f->cons;
  memcpy(cons->Jn, cur->Jn, sizeof(double) * (size_t)(c->n - 1));
  memcpy(cons->Jp, cur->Jp, sizeof(double) * (size_t)(c->n - 1));
  cons->J = cur->J;
  cons->J_cell = cur->J_cell;
  dd_conserved_currents(c, x, cons);
  const mesh_t *m = c->mesh;
  for (int cell = 0; cell < m->n - 1; cell++)
    f->Ecell[cell] = -(x[cell + 1].v - x[cell].v) * c->Vt / m->h[cell];
  const int rec = dd_record_matches(c, x);
  int k = 0;
  for (int i = 0; i < m->n; i++) {
    const int iface = mesh_is_interface(m, i);
    fill_entry(c, x, cons, f->Ecell, i, 0, iface, rec, k++, f);
    if (iface) fill_entry(c, x, cons, f->Ecell, i, 1, iface, rec, k++, f);
  }
}

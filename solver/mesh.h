/* Non-uniform 1D finite-volume mesh of a layer stack. Spacing grows geometrically away from the
 * contacts and from every heterointerface, where it is smallest (h_min). A heterointerface is one
 * mesh node carrying two material sides (a "double node": the two halves share the potential and
 * the quasi-Fermi levels, while densities and band edges are evaluated on each side). */
#ifndef QLEDSIM_MESH_H
#define QLEDSIM_MESH_H

#include <stddef.h>
#include "physics/device.h"

typedef struct {
  int n;            /* number of nodes */
  double *x;        /* node positions [m], x[0] = 0 (anode), x[n-1] = L (cathode) */
  double *h;        /* cell widths h[c] = x[c+1] - x[c] [m], c = 0..n-2 */
  int *cell_layer;  /* layer index of cell c */
  int *layer_first; /* first node of each layer (nlayers + 1 entries; last = n - 1) */
  int nlayers;
  double h_min_used; /* smallest spacing actually produced [m] */
  double ratio_max;  /* largest ratio of neighbouring spacings inside a layer */
} mesh_t;

/* Build the mesh: nodes total nodes, spacing h_min at contacts and interfaces, neighbouring
 * spacings differing by at most max_ratio where the node budget allows. Returns 0, or non-zero with
 * a reason in why (too few nodes, h_min too large for a layer, ...). */
int mesh_build(const dev_device *dev, int nodes, double h_min, double max_ratio, mesh_t *m,
               char *why, size_t whylen);
void mesh_free(mesh_t *m);

/* Layer to the left (side 0) or right (side 1) of node i, or -1 beyond a contact. */
static inline int mesh_side_layer(const mesh_t *m, int i, int side) {
  if (side == 0) return i > 0 ? m->cell_layer[i - 1] : -1;
  return i < m->n - 1 ? m->cell_layer[i] : -1;
}

/* Node i is a heterointerface (an interior node whose two cells belong to different layers). */
static inline int mesh_is_interface(const mesh_t *m, int i) {
  return i > 0 && i < m->n - 1 && m->cell_layer[i - 1] != m->cell_layer[i];
}

#endif

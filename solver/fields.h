/* Post-processing of a converged state into physical fields on the output node list. */
#ifndef QLEDSIM_FIELDS_H
#define QLEDSIM_FIELDS_H

#include "solver/dd.h"
#include "solver/simulate.h"

/* Number of output entries for mesh m (nodes plus one per heterointerface). */
int fields_count(const mesh_t *m);
/* Output node positions [m] and layer indices (arrays of fields_count(m) entries). */
void fields_mesh(const mesh_t *m, double *x, int *layer);
/* Output arrays and the scratch of fields_compute for mesh m; 0, or 1 when out of memory. */
int fields_alloc(sim_fields *f, const mesh_t *m);
void fields_free(sim_fields *f);
/* Fill f from the converged state x; currents are the conserved ones (dd_conserved_currents)
 * started from cur's terminal current. Allocates nothing (the scratch is f's). */
void fields_compute(const dd_ctx *c, const dd_field *x, const dd_currents *cur, sim_fields *f);

#endif

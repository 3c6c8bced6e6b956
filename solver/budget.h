/* The recombination budget of a converged state: where the terminal current goes. */
#ifndef QLEDSIM_BUDGET_H
#define QLEDSIM_BUDGET_H

#include "physics/emission.h"
#include "solver/dd.h"

/* Fill b: q x recombination integrated over each layer by channel (traps count as SRH), across
 * each interface and through interface traps
 * (interior nodes; the 1 pm half cells at the contacts belong to the contacts), the electron
 * current into the anode and the hole current into the cathode (Scharfetter-Gummel fluxes of the
 * contact cells) and the terminal current. The discrete equations make
 * leak_n + sum(recombination) + leak_p = J up to the solver tolerance. */
void dd_budget(const dd_ctx *c, const dd_field *x, const dd_currents *cur, em_budget *b);

#endif

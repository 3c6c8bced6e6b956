#include "solver/budget.h"
#include "solver/dd_record.h"
#include "physics/constants.h"

#include <math.h>
#include <string.h>

/* Rates of node i, side s, and of its interface channels: from the assembly's record when it
 * was made at this state, else evaluated. */
static void node_rates(const dd_ctx *c, const dd_field *x, int rec, int i, int s, rec_channels *ch,
                       double *trap) {
  if (rec) {
    const double *r = dd_record_side(c->rec, i, s);
    ch->langevin = r[DD_REC_LANGEVIN];
    ch->srh = r[DD_REC_SRH];
    ch->auger = r[DD_REC_AUGER];
    *trap = r[DD_REC_TRAPS];
  } else {
    dd_side_rate(c, x, i, s, ch, trap);
  }
}

void dd_budget(const dd_ctx *c, const dd_field *x, const dd_currents *cur, em_budget *b) {
  const int nl = b->nlayers, n = c->n, rec = dd_record_matches(c, x);
  memset(b->langevin, 0, sizeof(double) * (size_t)nl);
  memset(b->srh, 0, sizeof(double) * (size_t)nl);
  memset(b->auger, 0, sizeof(double) * (size_t)nl);
  memset(b->interface, 0, sizeof(double) * (size_t)nl);
  memset(b->iface_traps, 0, sizeof(double) * (size_t)nl);
  for (int i = 1; i < n - 1; i++) {
    /* inside a layer both half cells have the same rates: one evaluation for the whole volume */
    const int same = c->mesh->cell_layer[i - 1] == c->mesh->cell_layer[i];
    for (int s = 0; s < 2 - same; s++) {
      const int l = c->mesh->cell_layer[s == 0 ? i - 1 : i];
      const double vol = same ? c->volL[i] + c->volR[i] : s == 0 ? c->volL[i] : c->volR[i];
      rec_channels ch;
      double trap;
      node_rates(c, x, rec, i, s, &ch, &trap);
      b->langevin[l] += PHYS_Q * ch.langevin * vol;
      b->srh[l] += PHYS_Q * (ch.srh + trap) * vol; /* SRH lifetimes and explicit traps */
      b->auger[l] += PHYS_Q * ch.auger * vol;
    }
    const double rif = rec ? c->rec->iface[2 * i] : dd_interface_recombination(c, x, i);
    if (rif != 0.0) b->interface[c->mesh->cell_layer[i - 1]] += PHYS_Q * rif;
    const double rit = rec ? c->rec->iface[2 * i + 1] : dd_interface_trap_recombination(c, x, i);
    if (rit != 0.0) b->iface_traps[c->mesh->cell_layer[i - 1]] += PHYS_Q * rit;
  }
  b->leak_n = cur->Jn[0];
  b->leak_p = cur->Jp[n - 2];
  b->J = cur->J;
}

/* The assembly's record (solver/dd_record.h) gives the per-point outputs without evaluating the
 * state again. Checks, on converged states of a three-layer stack with Gauss-Fermi statistics,
 * bulk traps, an interface with cross-interface recombination and interface traps, SRH and
 * Auger, at 0.5 to 6 V:
 * 1. the record is used (it matches the state the solve ended at);
 * 2. cell currents, J and every recombination channel of every layer from the record equal the
 *    direct evaluation to 1e-12 relative (both are the same formulas; the densities come from
 *    exp(ln N + ln(n/N) - ln scale) * scale in the assembly and exp(ln N + ln(n/N)) directly,
 *    so they differ by a few ulps, and the sums over 1000 nodes by ~1e-14 relative);
 *    The same for the conserved currents (dd_conserved_currents: node rates from the record).
 * 3. the record is not used for another state or another bias (a stale record would give the
 *    previous point's currents). */
#include "check.h"
#include "support.h"
#include "solver/budget.h"
#include "solver/dd_record.h"

#include <petscsys.h>
#include <stdlib.h>
#include <string.h>

static const char *sets[] = {
    "layers.HTL.material.statistics=gauss-fermi", "layers.HTL.material.sigma_n=0.1 eV",
    "layers.HTL.material.sigma_p=0.1 eV",
    "layers.HTL.traps=[{carrier: hole, density: 1e18 cm^-3, depth: 0.3 eV, distribution: "
    "gaussian, width: 0.05 eV}]",
    "layers.EML.material.tau_n=100 ns", "layers.EML.material.tau_p=100 ns",
    "layers.EML.material.C_n=1e-28 cm^6/s",
    "device.interfaces=[{between: [HTL, EML], prefactor: 0.01, traps: [{carrier: electron, "
    "density: 1e12 cm^-2, depth: 0.3 eV}]}]"};

static double rel(double a, double b) {
  const double s = fmax(fabs(a), fabs(b));
  return s > 0 ? fabs(a - b) / s : 0.0;
}

/* Largest relative difference of the channels of two budgets (each relative to the largest
 * channel of its layer, so that a channel that is 0 in one layer cannot divide by 0). */
static double budget_diff(const em_budget *a, const em_budget *b) {
  double w = 0.0;
  for (int l = 0; l < a->nlayers; l++) {
    const double xs[5] = {a->langevin[l], a->srh[l], a->auger[l], a->interface[l], a->iface_traps[l]};
    const double ys[5] = {b->langevin[l], b->srh[l], b->auger[l], b->interface[l], b->iface_traps[l]};
    double s = 0.0;
    for (int k = 0; k < 5; k++) s = fmax(s, fmax(fabs(xs[k]), fabs(ys[k])));
    for (int k = 0; s > 0 && k < 5; k++) w = fmax(w, fabs(xs[k] - ys[k]) / s);
  }
  return w;
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  tdev t;
  CHECK(tdev_create(&t, tdev_three_layer_yaml, sets, (int)(sizeof(sets) / sizeof(sets[0]))) == 0,
        "device builds");
  em_budget br, bd;
  dd_currents direct, cons;
  CHECK(em_budget_alloc(&br, t.cfg.dev.nlayers) == 0 && em_budget_alloc(&bd, t.cfg.dev.nlayers) == 0 &&
            dd_currents_alloc(&direct, t.mesh.n) == 0 && dd_currents_alloc(&cons, t.mesh.n) == 0,
        "allocation");
  const int ncell = t.mesh.n - 1;
  double traps = 0.0, iface = 0.0, auger = 0.0;
  for (double V = 0.5; V <= 6.0 + 1e-9; V += 0.5) {
    if (!tdev_goto(&t, V)) {
      CHECK(0, "V = %g converges", V);
      break;
    }
    CHECK(dd_record_matches(&t.dd, t.ct.x), "V = %g: the record is the accepted state's", V);
    dd_budget(&t.dd, t.ct.x, &t.cur, &br); /* t.cur came from the record (tdev_goto) */
    dd_record_forget(&t.dd);
    dd_compute_currents(&t.dd, t.ct.x, &direct);
    dd_budget(&t.dd, t.ct.x, &direct, &bd);
    double wj = 0.0, jmax = 0.0;
    for (int k = 0; k < ncell; k++) jmax = fmax(jmax, fmax(fabs(direct.Jn[k]), fabs(direct.Jp[k])));
    for (int k = 0; k < ncell; k++)
      wj = fmax(wj, fmax(fabs(t.cur.Jn[k] - direct.Jn[k]), fabs(t.cur.Jp[k] - direct.Jp[k])) / jmax);
    CHECK(wj <= 1e-12, "V = %g: cell currents from the record differ by %.3g of max |J|", V, wj);
    CHECK(rel(t.cur.J, direct.J) <= 1e-12, "V = %g: J record %.17g direct %.17g", V, t.cur.J, direct.J);
    CHECK(budget_diff(&br, &bd) <= 1e-12, "V = %g: budget channels differ by %.3g", V,
          budget_diff(&br, &bd));
    /* conserved currents: node rates from the record (made again: forget above cleared it) */
    memcpy(cons.Jn, t.cur.Jn, sizeof(double) * (size_t)ncell);
    cons.J_cell = t.cur.J_cell, cons.J = t.cur.J;
    dd_conserved_currents(&t.dd, t.ct.x, &direct); /* direct: no record now */
    dd_field *f0 = malloc(sizeof(dd_field) * (size_t)t.mesh.n);
    if (f0) dd_assemble(&t.dd, t.ct.x, f0, NULL);
    free(f0);
    CHECK(dd_record_matches(&t.dd, t.ct.x), "V = %g: record made again", V);
    dd_conserved_currents(&t.dd, t.ct.x, &cons);
    double wc = 0.0;
    for (int k = 0; k < ncell; k++)
      wc = fmax(wc, fmax(fabs(cons.Jn[k] - direct.Jn[k]), fabs(cons.Jp[k] - direct.Jp[k])) / jmax);
    CHECK(wc <= 1e-12, "V = %g: conserved currents from the record differ by %.3g of max |J|", V, wc);
    for (int l = 0; l < bd.nlayers; l++) {
      traps += bd.srh[l], iface += bd.interface[l] + bd.iface_traps[l], auger += bd.auger[l];
    }
  }
  /* the channels the record must carry were active (else the comparison proves nothing) */
  CHECK(traps > 0 && iface > 0 && auger > 0, "SRH+traps %g, interface %g, Auger %g all > 0", traps,
        iface, auger);

  /* a stale record: assemble at another bias, then ask for the converged state's currents */
  const double J = t.cur.J;
  dd_field *y = malloc(sizeof(dd_field) * (size_t)t.mesh.n), *f = malloc(sizeof(dd_field) * (size_t)t.mesh.n);
  CHECK(y && f, "allocation");
  if (y && f) {
    memcpy(y, t.ct.x, sizeof(dd_field) * (size_t)t.mesh.n);
    const double V = t.dd.V;
    dd_set_bias(&t.dd, V - 0.5);
    dd_assemble(&t.dd, y, f, NULL);
    dd_set_bias(&t.dd, V);
    CHECK(!dd_record_matches(&t.dd, t.ct.x), "record at another bias not used");
    dd_compute_currents(&t.dd, t.ct.x, &direct);
    CHECK_CLOSE(direct.J, J, 1e-12, 0.0);
    y[t.mesh.n / 2].zn += 1e-3; /* another state at the same bias */
    dd_assemble(&t.dd, y, f, NULL);
    CHECK(!dd_record_matches(&t.dd, t.ct.x), "record of another state not used");
    dd_compute_currents(&t.dd, t.ct.x, &direct);
    CHECK_CLOSE(direct.J, J, 1e-12, 0.0);
  }
  free(y);
  free(f);
  dd_currents_free(&direct);
  dd_currents_free(&cons);
  em_budget_free(&br);
  em_budget_free(&bd);
  tdev_destroy(&t);
  PetscCall(PetscFinalize());
  CHECK_DONE();
}

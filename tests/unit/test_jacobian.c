/* The analytic Jacobian equals central finite differences of the residual (relative 1e-6 of the
 * largest entry in the row) on a 3-layer device with doping, Langevin, SRH and Auger
 * recombination, at the converged states at 0, 2 and 5 V and at randomly perturbed states.
 * Central differences with step 1e-7 (|z| + 1) have truncation error ~1e-14 and rounding error
 * ~1e-16 / 1e-7 = 1e-9 relative to the row scale (rows are scaled to O(1) entries). In a 1 pm
 * cell a potential step of 1e-7 kT/q changes the field by ~3e3 V/m, comparable to the 1e3 V/m
 * below which the field dependences (Poole-Frenkel, image force) are smoothed, so potential
 * columns also try 1e-8 and keep the better. 1e-6 keeps 2-3 orders of margin while any wrong term (typically O(1) of the row) fails it. A second device
 * switches on every optional model: Poole-Frenkel mobilities, recombination across both
 * heterointerfaces, image-force lowering and finite surface recombination velocities. Each device
 * also checks the pseudo-transient term of solver/ptc.c. */
#include "check.h"
#include "support.h"

#include "solver/ptc.h"

#include <petscsys.h>
#include <stdlib.h>

/* When set, every assembly adds the pseudo-transient term of solver/ptc.c (an implicit-Euler
 * step of length transient->dt from the densities it holds), through ptc_assemble as Newton's
 * time steps do. */
static const ptc_mass *transient;

static int assemble(dd_ctx *c, const dd_field *x, dd_field *f, dd_jac *J) {
  return ptc_assemble(transient, c, x, f, J);
}

static const char *sets[] = {
    "layers.EML.material.tau_n=10 ns", "layers.EML.material.tau_p=20 ns",
    "layers.EML.material.C_n=1e-28 cm^6/s", "layers.EML.material.C_p=2e-28 cm^6/s",
    "layers.HTL.material.N_A=1e17 cm^-3", "layers.ETL.material.N_D=1e17 cm^-3",
    "layers.HTL.material.langevin=0.5", "mesh.nodes=250"};

/* Every optional model of the core and QD-LED physics on at once. */
static const char *sets_models[] = {
    "layers.EML.material.tau_n=10 ns", "layers.EML.material.tau_p=20 ns",
    "layers.EML.material.C_n=1e-28 cm^6/s", "layers.HTL.material.N_A=1e17 cm^-3",
    "layers.HTL.material.mobility_p=poole-frenkel", "layers.HTL.material.pf_gamma_p=3e-3 (cm/V)^0.5",
    "layers.ETL.material.mobility_n=poole-frenkel", "layers.ETL.material.pf_gamma_n=2e-3 (cm/V)^0.5",
    "device.interfaces=[{between: [HTL, EML], prefactor: 0.1}, {between: [EML, ETL], prefactor: 1e-3, width: 2 nm}]",
    "anode.image_force=true", "cathode.image_force=true", "anode.S_n=1e2", "cathode.S_p=50 cm/s",
    "anode.S_p=1e5", "mesh.nodes=250"};

/* Gauss-Fermi statistics in every layer (excess-chemical-potential fluxes, generalised Einstein
 * relation) with EGDM (density- and field-dependent), GDM and Poole-Frenkel mobilities,
 * bulk traps of all three shapes, interface traps, interface recombination, finite S and image
 * force. */
static const char *sets_gauss[] = {
    "layers.HTL.material.statistics=gauss-fermi", "layers.HTL.material.sigma_n=0.08 eV",
    "layers.HTL.material.sigma_p=0.1 eV", "layers.EML.material.statistics=gauss-fermi",
    "layers.EML.material.sigma_n=0.12 eV", "layers.EML.material.sigma_p=0.07 eV",
    "layers.ETL.material.statistics=gauss-fermi", "layers.ETL.material.sigma_n=0.1 eV",
    "layers.ETL.material.sigma_p=0.1 eV", "layers.EML.material.tau_n=10 ns",
    "layers.EML.material.tau_p=20 ns", "layers.HTL.material.mobility_p=egdm",
    "layers.HTL.material.mu_T_ref=295 K", "layers.EML.material.mobility_n=gdm",
    "layers.EML.material.gdm_Sigma_n=2.5", "layers.ETL.material.mobility_n=egdm",
    "layers.ETL.material.mobility_p=poole-frenkel", "layers.ETL.material.pf_gamma_p=3e-3 (cm/V)^0.5",
    "device.interfaces=[{between: [HTL, EML], prefactor: 0.1}, {between: [EML, ETL], traps: "
    "[{carrier: electron, density: 1e11 cm^-2, depth: 0.2 eV}, {carrier: hole, density: 1e11 "
    "cm^-2, depth: 0.3 eV, distribution: gaussian, width: 0.05 eV}]}]",
    "layers.HTL.traps=[{carrier: hole, density: 1e18 cm^-3, depth: 0.25 eV, distribution: "
    "gaussian, width: 0.06 eV}]",
    "layers.EML.traps=[{carrier: electron, density: 1e17 cm^-3, depth: 0.4 eV, c_n: 1e-11 "
    "cm^3/s}]",
    "layers.ETL.traps=[{carrier: electron, density: 1e18 cm^-3, depth: 0, distribution: "
    "exponential, width: 0.05 eV}]",
    "anode.image_force=true", "cathode.S_p=50 cm/s", "mesh.nodes=250"};

static double *block(dd_jac *J, int i, int j) {
  return i == j ? J->D[i] : (j == i - 1 ? J->Lo[i] : J->Up[i]);
}

/* Largest entry of row r of block row i. */
static double row_max(dd_jac *J, int i) {
  double m = 0.0;
  for (int q = 0; q < 9; q++) m = fmax(m, fmax(fabs(J->D[i][q]), fmax(fabs(J->Lo[i][q]), fabs(J->Up[i][q]))));
  return m;
}

/* Central difference of all residual rows w.r.t. unknown k of node j with step h, into fd[3][3]
 * (rows j-1..j+1, equations v, zn, zp). */
static void central_difference(dd_ctx *c, dd_field *x, int j, int k, double h, dd_field *fp,
                               dd_field *fm, double fd[3][3]) {
  double *xv = (double *)&x[j];
  const double save = xv[k];
  xv[k] = save + h;
  assemble(c, x, fp, NULL);
  xv[k] = save - h;
  assemble(c, x, fm, NULL);
  xv[k] = save;
  for (int di = 0; di < 3; di++) {
    const int i = j - 1 + di;
    if (i < 0 || i >= c->n) continue;
    for (int r = 0; r < 3; r++)
      fd[di][r] = (((double *)&fp[i])[r] - ((double *)&fm[i])[r]) / (2.0 * h);
  }
}

/* Worst |analytic - FD| / (largest |entry| of the row) over the whole matrix. Quasi-Fermi
 * columns use the step 1e-7 (|z| + 1); potential columns the better of 1e-7 and 1e-8 (rounding
 * against resolving the field smoothing in picometre cells). */
static double jacobian_error(dd_ctx *c, dd_field *x) {
  const int n = c->n;
  dd_field *f0 = malloc(sizeof(dd_field) * n), *fp = malloc(sizeof(dd_field) * n),
           *fm = malloc(sizeof(dd_field) * n);
  dd_jac J;
  dd_jac_alloc(&J, n);
  dd_freeze_scales(c, x);
  assemble(c, x, f0, &J);
  double worst = 0.0;
  for (int j = 0; j < n; j++)
    for (int k = 0; k < 3; k++) {
      const double steps[2] = {1e-7 * (fabs(((double *)&x[j])[k]) + 1.0), 1e-8};
      double err[3][3];
      for (int s = 0; s < (k == 0 ? 2 : 1); s++) {
        double fd[3][3] = {{0}};
        central_difference(c, x, j, k, steps[s], fp, fm, fd);
        for (int di = 0; di < 3; di++) {
          const int i = j - 1 + di;
          if (i < 0 || i >= n) continue;
          for (int r = 0; r < 3; r++) {
            const double e = fabs(block(&J, i, j)[r * 3 + k] - fd[di][r]) / row_max(&J, i);
            err[di][r] = s == 0 ? e : fmin(err[di][r], e);
          }
        }
      }
      for (int di = 0; di < 3; di++) {
        const int i = j - 1 + di;
        if (i < 0 || i >= n) continue;
        for (int r = 0; r < 3; r++) {
          if (err[di][r] > 1e-6 && getenv("JAC_VERBOSE"))
            printf("  row %d eq %d, col %d var %d: error %.3e\n", i, r, j, k, err[di][r]);
          worst = fmax(worst, err[di][r]);
        }
      }
    }
  dd_jac_free(&J);
  free(f0);
  free(fp);
  free(fm);
  return worst;
}

/* A hole quasi-Fermi level that jumps by 60 kT/q between two nodes (as in a layer where holes
 * are absent, or in a Newton iterate on the way): the residual stays finite and the Jacobian
 * exact. The flux's expm1(-d) was once formed as -E/(1+E) with E = expm1(d), and 1 + E is 0 in
 * double precision below d = -37: an Inf flux and a NaN residual. */
static void check_quasi_fermi_jump(const char *label, tdev *t, dd_field *xp) {
  const int n = t->dd.n, i0 = n / 2;
  for (int s = -1; s <= 1; s += 2) {
    for (int i = 0; i < n; i++) xp[i] = t->ct.x[i];
    for (int i = i0 + 1; i < n - 1; i++) xp[i].zp += s * 60.0;
    for (int i = 0; i < n; i++) xp[i].zn = xp[i].zp; /* and the electrons' */
    dd_field *f = malloc(sizeof(dd_field) * n);
    const int bad = dd_assemble(&t->dd, xp, f, NULL);
    free(f);
    CHECK(!bad, "%s: residual finite with a %+g kT/q quasi-Fermi jump", label, s * 60.0);
    const double e = jacobian_error(&t->dd, xp);
    printf("%s: %+g kT/q quasi-Fermi jump, worst row-relative error %.2e\n", label, s * 60.0, e);
    CHECK(e < 1e-6, "%s: Jacobian with a %+g kT/q quasi-Fermi jump: error %.3e", label, s * 60.0, e);
  }
}

/* The pseudo-transient term (solver/ptc.c) adds q vol (n - n_old)/dt to the continuity rows:
 * its Jacobian at the perturbed state xp with dt = 1e-20 s (PTC's smallest step, where the term
 * dominates every continuity row; a sign error in any of its entries fails all three devices)
 * and 1e-12 s (its first step). The previous time level is xp's own densities, as in a time
 * step's first Newton iteration: with the converged state's instead, n_old / (density scale at
 * xp) reached ~1e150 in a Gauss-Fermi layer and the central differences lost every digit to that
 * constant. */
static void check_transient(const char *label, tdev *t, dd_field *xp) {
  const int n = t->dd.n;
  ptc_mass m;
  m.nL = malloc(sizeof(double) * n), m.nR = malloc(sizeof(double) * n);
  m.pL = malloc(sizeof(double) * n), m.pR = malloc(sizeof(double) * n);
  for (int i = 0; i < n; i++) {
    dd_node_densities(&t->dd, xp, i, 0, &m.nL[i], &m.pL[i]);
    dd_node_densities(&t->dd, xp, i, 1, &m.nR[i], &m.pR[i]);
  }
  for (int k = 0; k < 2; k++) {
    m.dt = k == 0 ? 1e-20 : 1e-12;
    transient = &m;
    const double e = jacobian_error(&t->dd, xp);
    transient = NULL;
    printf("%s: pseudo-transient term, dt = %.0e s, worst row-relative error %.2e\n", label, m.dt, e);
    CHECK(e < 1e-6, "%s: Jacobian with the transient term, dt = %g s: error %.3e", label, m.dt, e);
  }
  free(m.nL), free(m.nR), free(m.pL), free(m.pR);
}

static void check_device(const char *label, const char *const *s, int ns) {
  tdev t;
  CHECK(tdev_create(&t, tdev_three_layer_yaml, s, ns) == 0, "%s: device set-up", label);
  const double V[] = {0.0, 2.0, 5.0};
  srand(12345);
  dd_field *xp = malloc(sizeof(dd_field) * t.dd.n);
  for (int k = 0; k < 3; k++) {
    CHECK(tdev_goto(&t, V[k]), "converged at %g V", V[k]);
    const double e = jacobian_error(&t.dd, t.ct.x);
    printf("%s, V = %.1f V: converged state, worst row-relative error %.2e\n", label, V[k], e);
    CHECK(e < 1e-6, "%s: Jacobian at the solution, V = %g V: error %.3e", label, V[k], e);
    /* away from the solution: perturb every unknown by up to 2 kT/q */
    for (int i = 0; i < t.dd.n; i++) {
      xp[i] = t.ct.x[i];
      if (i == 0 || i == t.dd.n - 1) continue;
      xp[i].v += 4.0 * (rand() / (double)RAND_MAX - 0.5);
      xp[i].zn += 4.0 * (rand() / (double)RAND_MAX - 0.5);
      xp[i].zp += 4.0 * (rand() / (double)RAND_MAX - 0.5);
    }
    const double ep = jacobian_error(&t.dd, xp);
    printf("%s, V = %.1f V: perturbed state, worst row-relative error %.2e\n", label, V[k], ep);
    CHECK(ep < 1e-6, "%s: Jacobian off the solution, V = %g V: error %.3e", label, V[k], ep);
  }
  check_transient(label, &t, xp); /* at the perturbed state of 5 V */
  check_quasi_fermi_jump(label, &t, xp);
  free(xp);
  tdev_destroy(&t);
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  check_device("bulk recombination and doping", sets, 8);
  check_device("all models", sets_models, (int)(sizeof(sets_models) / sizeof(sets_models[0])));
  check_device("gauss-fermi", sets_gauss, (int)(sizeof(sets_gauss) / sizeof(sets_gauss[0])));
  PetscCall(PetscFinalize());
  CHECK_DONE();
}

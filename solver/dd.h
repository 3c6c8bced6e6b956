/* Finite-volume Poisson/drift-diffusion system on a mesh_t, in scaled unknowns per node:
 *   v  = q psi / kT                 (electrostatic potential; vacuum level E_vac = -q psi,
 *                                    psi = 0 at the cathode)
 *   zn = (E_fn - E_F,cathode) / kT  (electron quasi-Fermi level, referred to the cathode)
 *   zp = (E_fp - E_F,anode) / kT    (hole quasi-Fermi level, referred to the anode)
 * Densities follow from them (Boltzmann): n = Nc exp(zn + v + (chi - W_c)/kT),
 * p = Nv exp(-zp - v + (W_c - IP)/kT + qV/kT). A heterointerface node has one set of unknowns
 * (continuous psi and quasi-Fermi levels) and two material sides (the double node), so densities
 * jump by exactly the band offset. Fluxes are Scharfetter-Gummel in quasi-Fermi form,
 *   Jn = (mu_n kT / h) n_i B(-dv) expm1(zn_j - zn_i),
 * which vanishes exactly when the quasi-Fermi level is flat. Rows are scaled (Poisson by the
 * largest eps/h of the node, continuity by the node's conductance and by a density scale frozen
 * at the start of each Newton solve) so that all Jacobian entries are O(1). */
#ifndef QLEDSIM_DD_H
#define QLEDSIM_DD_H

#include "physics/device.h"
#include "physics/recombination.h"
#include "physics/statistics.h"
#include "physics/mobility.h"
#include "physics/traps.h"
#include "solver/mesh.h"

typedef struct {
  double v, zn, zp;
} dd_field;

/* Per-layer constants derived from the device at the current temperature. Reduced quasi-Fermi
 * levels: eta_n = zn + v + cn, eta_p = -zp - v + cp0 + qV/kT; n = exp(sn.lnN + ln(n/N)(eta_n)). */
typedef struct {
  double cn;    /* (chi - W_c)/kT */
  double cp0;   /* (W_c - IP)/kT (add qV/kT for the bias) */
  stat_band sn, sp; /* statistics of electrons and holes */
  double an;    /* ln Nc + cn (Boltzmann shortcut, kept for tests and contacts) */
  double ap0;   /* ln Nv + cp0 */
  double eps;   /* eps0 eps_r [F/m] */
  double dop;   /* N_D - N_A [m^-3] */
  double mun, mup;  /* low-field low-density mobilities at the simulation temperature */
  mob_band mobn, mobp; /* mobility models */
  rec_params rec;
  trap_set traps;   /* bulk trap levels (quadrature of the distributions) */
} dd_layer;

/* Jacobian as 3x3 blocks of a block-tridiagonal matrix, row-major (row = equation v, zn, zp;
 * column = unknown v, zn, zp): D[i] couples node i to itself, Lo[i] to node i-1, Up[i] to i+1. */
typedef struct {
  int n;
  double (*D)[9], (*Lo)[9], (*Up)[9];
} dd_jac;

typedef struct dd_record dd_record; /* solver/dd_record.h */

typedef struct {
  const dev_device *dev;
  const mesh_t *mesh;
  int n;
  double kT, Vt;         /* [J], [V] */
  double V;              /* applied bias (anode w.r.t. cathode) [V] */
  double v_builtin;      /* (W_c - W_a)/kT: v at the anode at zero bias */
  dd_layer *lay;
  double *volL, *volR;   /* half-cell widths left/right of each node [m] */
  double *Kn0, *Kp0;     /* mu0 kT / h per cell [A m] */
  double *pois_scale;    /* 1 / (largest eps Vt / h at the node) [m^2/C] */
  double *cont_n, *cont_p; /* 1 / (largest mu0 kT / h at the node) [1/(A m)] */
  double *Ln, *Lp;       /* log density scales, frozen per solve */
  double *sn, *sp;       /* exp(Ln), exp(Lp) [m^-3] */
  /* cross-interface recombination at heterointerface nodes (0 elsewhere):
   * R_if = (kx_RL n_R p_L + kx_LR n_L p_R) X per unit area [m^4/s] */
  double *kx_RL, *kx_LR;
  /* interface traps at heterointerface nodes: levels, and the side (0 left, 1 right) whose
   * electrons / holes they exchange with */
  trap_set *iftraps;     /* per node (n entries; .n = 0 where none) */
  int *if_eside, *if_hside;
  /* work arrays, left/right side of each node: scaled densities, excess chemical potentials
   * zeta = eta - ln(n/N), and g = d ln n / d eta */
  double *ntL, *ntR, *ptL, *ptR;
  double *zeL, *zeR, *zhL, *zhR, *geL, *geR, *ghL, *ghR;
  dd_record *rec; /* what the last assembly computed on the way (solver/dd_record.h) */
} dd_ctx;

/* Build the context for a device and mesh (allocates); dd_free releases it. */
int dd_create(const dev_device *dev, const mesh_t *mesh, dd_ctx *c);
void dd_free(dd_ctx *c);

/* Set the applied bias [V] (changes boundary values and hole constants). */
void dd_set_bias(dd_ctx *c, double V);
/* Boundary values of (v, zn, zp) at the anode (node 0) and cathode (node n-1). */
void dd_boundary(const dd_ctx *c, dd_field *anode, dd_field *cathode);
/* Freeze the density row scales at state x (call at the start of each Newton solve). */
void dd_freeze_scales(dd_ctx *c, const dd_field *x);
/* Initial guess at the current bias: potential linear between the contacts, quasi-Fermi levels
 * linear between their contact values. */
void dd_initial_guess(const dd_ctx *c, dd_field *x);

/* Residual f(x) and, if jac != NULL, its exact Jacobian. Returns 0, or 1 if any entry is not
 * finite (the state is outside the domain where the model is defined). */
int dd_assemble(dd_ctx *c, const dd_field *x, dd_field *f, dd_jac *jac);
/* Meshes with fewer nodes are assembled by one thread (OpenMP builds); default 20000. */
extern int dd_omp_min_nodes;

/* Contact rows (called by dd_assemble after the interior). */
void dd_assemble_contacts(dd_ctx *c, const dd_field *x, dd_field *f, dd_jac *J);

int dd_jac_alloc(dd_jac *J, int n);
void dd_jac_free(dd_jac *J);

/* Size of a residual f in physical terms: *fkt is the largest Poisson or contact row (their
 * scaled units are kT/q), *jsum the interior continuity rows converted back to A/m^2 (with the
 * row scales of the last dd_freeze_scales) and summed. */
void dd_residual_physical(const dd_ctx *c, const dd_field *f, double *fkt, double *jsum);

/* Physical quantities at a converged state. */
typedef struct {
  double *Jn, *Jp;     /* per cell [A/m^2], positive in forward bias (anode -> cathode) */
  double J;            /* terminal current density [A/m^2], read at the cleanest cell */
  int J_cell;          /* the cell J was read at */
} dd_currents;

int dd_currents_alloc(dd_currents *cur, int n);
void dd_currents_free(dd_currents *cur);
/* Cell currents and terminal current at state x. */
void dd_compute_currents(const dd_ctx *c, const dd_field *x, dd_currents *cur);

/* Replace the cell currents by those the discrete continuity equations imply: start from the
 * cleanest cell (J_cell) and add q R vol node by node. Jn + Jp then equals J in every cell, and
 * cells inside accumulation layers no longer carry the rounding floor eps |z| G of the direct
 * flux formula. */
void dd_conserved_currents(const dd_ctx *c, const dd_field *x, dd_currents *cur);

/* Trap state of side s of node i for trap evaluation. */
void dd_trap_state(const dd_ctx *c, const dd_field *x, int i, int s, trap_state *ts);

/* Net recombination on side s of node i [m^-3 s^-1]: bulk channels (ch may be NULL) plus traps
 * (returned in *trap, may be NULL). */
double dd_side_rate(const dd_ctx *c, const dd_field *x, int i, int s, rec_channels *ch,
                    double *trap);
/* The same from the carrier state ts of side s of node i (dd_trap_state), when the caller has
 * it already. */
double dd_side_rate_at(const dd_ctx *c, int i, int s, const trap_state *ts, rec_channels *ch,
                       double *trap);

/* Recombination through interface traps at node i per unit area [m^-2 s^-1] (0 if none). */
double dd_interface_trap_recombination(const dd_ctx *c, const dd_field *x, int i);

/* Cross-interface recombination rate at node i per unit area [m^-2 s^-1] (0 if none). */
double dd_interface_recombination(const dd_ctx *c, const dd_field *x, int i);

/* Recombination rate integrated over the control volume of node i (both sides, and across the
 * interface if node i is a heterointerface) [m^-2 s^-1]. */
double dd_node_recombination(const dd_ctx *c, const dd_field *x, int i);

/* Excess chemical potentials zeta = eta - ln(n/N) of electrons and holes on side s of node i
 * (0 for Boltzmann statistics). */
void dd_node_zeta(const dd_ctx *c, const dd_field *x, int i, int s, double *zeta_n,
                  double *zeta_p);

/* Electron and hole densities [m^-3] on side s (0 = left, 1 = right) of node i; on a contact the
 * missing side returns the existing one. */
void dd_node_densities(const dd_ctx *c, const dd_field *x, int i, int s, double *n, double *p);

#endif

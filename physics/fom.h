/* Summary figures of merit of a J-V-L sweep, as device papers report them. */
#ifndef QLEDSIM_FOM_H
#define QLEDSIM_FOM_H

typedef struct {
  int n;                   /* points */
  const double *V, *J;     /* bias [V], current density [A/m^2] */
  const double *L;         /* luminance [cd/m^2] */
  const double *EQE, *gamma, *CE, *PE;
  const int *converged;    /* only converged points are used */
} fom_curve;

typedef struct {
  double V_on;             /* first bias where L reaches 1 cd/m^2 [V], NaN if not reached */
  double J_at_V_on;        /* [A/m^2] */
  double EQE_max, V_at_EQE_max, J_at_EQE_max, gamma_at_EQE_max, L_at_EQE_max;
  double gamma_max;
  double CE_max, PE_max;   /* [cd/A], [lm/W] */
  double L_max;            /* [cd/m^2] */
  double V_ref, J_at_V_ref, L_at_V_ref; /* at the reference bias (5 V) */
  double EQE_at_1000;      /* EQE where L = 1000 cd/m^2 (NaN if not reached) */
  double rolloff_1000;     /* EQE_at_1000 / EQE_max */
  double J_half;           /* current density beyond the EQE maximum where EQE has fallen to half
                              of it [A/m^2] (NaN if not reached) */
} fom_summary;

/* The luminance threshold that defines turn-on [cd/m^2]. */
#define FOM_TURN_ON_LUMINANCE 1.0

/* Summarise a sweep (points in sweep order; crossings found in that order). EQE, gamma, CE and
 * PE maxima are taken over the converged points with L >= FOM_TURN_ON_LUMINANCE, as measured
 * devices are (below that no light is detected; the model's sub-turn-on efficiencies at pA
 * currents are not what a device maker reports); they are NaN if no point reaches it.
 * Interpolation: log-linear in L (or J) against V where both ends are positive; V_on is the
 * first point's bias when the point before it has L = 0 (no emission: nothing to interpolate). */
void fom_summarise(const fom_curve *c, double V_ref, fom_summary *s);

/* y at x by interpolation between (x0,y0) and (x1,y1): log-linear when both y > 0. */
double fom_interp(double x, double x0, double x1, double y0, double y1);

#endif

/* Mobility models for disordered organic semiconductors, as pure functions with analytic
 * derivatives (SI units throughout: sigma in J, fields in V/m, densities in m^-3, mobilities in
 * m^2/(V s)). No globals; every function is thread safe.
 *
 * 1. EGDM, Pasveer et al., Phys. Rev. Lett. 94, 206601 (2005): nearest-neighbour Miller-Abrahams
 *    hopping on a simple cubic lattice (a = N0^(-1/3)) with an uncorrelated Gaussian DOS:
 *      mu(T, p, E) = mu0(T) g1(p, T) g2(E, T),   sigma_hat = sigma / kT,
 *      mu0(T) = mu0* c1 exp(-c2 sigma_hat^2),    c1 = 1.8e-9, c2 = 0.42,
 *      g1 = exp[ 1/2 (sigma_hat^2 - sigma_hat) (2 p a^3)^delta ],
 *      delta = 2 [ln(sigma_hat^2 - sigma_hat) - ln(ln 4)] / sigma_hat^2,
 *      g2 = exp{ 0.44 (sigma_hat^(3/2) - 2.2) [ sqrt(1 + 0.8 (E q a / sigma)^2) - 1 ] }.
 *    mu0* is NOT the T -> infinity limit of mu0(T): that limit is c1 mu0*. mu0* stands for
 *    a^2 nu0 e / sigma (nu0 the attempt frequency), and c1 = 1.8e-9 holds the overlap factor
 *    of the Miller-Abrahams rate: mkemerink/FitSCLC ODDD.m notes "in paper c1=1.8e-9=0.87*exp(-20)"
 *    and uses c1 = 0.87 with exp(-20) moved into nu0 (and c2 = 0.44, not 0.42: see the report).
 *    Range of the fit, as documented by OEDES (mzszym/oedes, oedes/functions/egdm.py):
 *    "recommended 3<=nsigma<=6", "recommended c<0.1" (c = p/N0), "recommended En2<4"; OEDES clips
 *    p/N0 at 0.1 and (E a/sigma)^2 at 4 in the mobility, and so can we (options below). Below
 *    sigma_hat = MOBD_EGDM_SHAT_MIN, delta <= 0 and g1 no longer tends to 1 at low density, so
 *    initialisation refuses it.
 *    p stands for the density of the carrier in question (holes, or electrons with p -> n).
 *
 * 2. GDM, Baessler, Phys. Status Solidi B 175, 15 (1993), zero-density limit:
 *      mu(T, E) = mu_inf exp[-(2 sigma_hat / 3)^2] exp{ C [sigma_hat^2 - Sigma^2] sqrt(E) },
 *    with Sigma^2 replaced by 2.25 when Sigma < 1.5; C = 2.9e-4 (cm/V)^(1/2) = 2.9e-5 (m/V)^(1/2).
 */
#ifndef QLEDSIM_MOBILITY_DISORDER_H
#define QLEDSIM_MOBILITY_DISORDER_H

/* Published EGDM constants (Pasveer 2005) and the clipping bounds used by OEDES. */
#define MOBD_EGDM_C1          1.8e-9 /* mu0(T) = mu0* c1 exp(-c2 sigma_hat^2) [-] */
#define MOBD_EGDM_C2          0.42   /* [-] */
#define MOBD_EGDM_PA3_MAX     0.1    /* density clip: g1 evaluated at p a^3 = p/N0 <= 0.1 [-] */
#define MOBD_EGDM_EN2_MAX     4.0    /* field clip: g2 evaluated at (E q a / sigma)^2 <= 4 [-] */
#define MOBD_EGDM_SHAT_FIT_LO 3.0    /* sigma_hat range the parametrisation was fitted to */
#define MOBD_EGDM_SHAT_FIT_HI 6.0
/* Smallest sigma_hat with delta > 0: sigma_hat^2 - sigma_hat = ln 4, (1 + sqrt(1 + 4 ln 4))/2 */
#define MOBD_EGDM_SHAT_MIN 1.7791772203724903

/* GDM constant C of Baessler (1993), 2.9e-4 (cm/V)^(1/2), in SI [(m/V)^(1/2)]. */
#define MOBD_GDM_C_SI          2.9e-5
#define MOBD_GDM_SIGMA_POS_MIN 1.5 /* below this, Sigma^2 is replaced by 2.25 */

/* Error codes of the initialisation / check functions. */
enum {
  MOBD_OK = 0,
  MOBD_ERR_SIGMA,     /* sigma not finite and > 0 */
  MOBD_ERR_N0,        /* N0 not finite and > 0 */
  MOBD_ERR_T,         /* T not finite and > 0 */
  MOBD_ERR_MU0,       /* mu0 / mu_inf not finite and > 0 */
  MOBD_ERR_C12,       /* c1 not finite and > 0, or c2 not finite */
  MOBD_ERR_SHAT_LOW,  /* sigma/kT <= MOBD_EGDM_SHAT_MIN: g1 parametrisation breaks down */
  MOBD_ERR_SIGMA_POS, /* GDM positional disorder Sigma not finite and >= 0 */
  MOBD_ERR_GDM_C,     /* GDM C or E_smooth not finite, or E_smooth < 0 */
  MOBD_ERR_MU0_KIND   /* unknown mu0_kind */
};

/* How mobd_egdm_params.mu0 is to be read. */
typedef enum {
  MOBD_MU0_STAR = 0, /* mu0 is Pasveer's temperature-independent mu0* */
  MOBD_MU0_AT_T = 1  /* mu0 is mu0(T) at the temperature T of the struct (low p, low E) */
} mobd_mu0_kind;

typedef struct {
  double sigma;           /* Gaussian DOS width [J] */
  double N0;              /* site density [m^-3]; lattice constant a = N0^(-1/3) */
  double T;               /* temperature [K] */
  double mu0;             /* mobility prefactor [m^2/(V s)], read as mu0_kind says */
  mobd_mu0_kind mu0_kind; /* MOBD_MU0_STAR or MOBD_MU0_AT_T */
  double c1, c2;          /* mu0(T) = mu0* c1 exp(-c2 sigma_hat^2) [-] */
  int clip_density;       /* nonzero: g1 at min(p a^3, PA3_MAX), dg1/dp = 0 beyond */
  int clip_field;         /* nonzero: g2 at min((E q a/sigma)^2, EN2_MAX), dg2/dE = 0 beyond */
} mobd_egdm_params;

/* Derived, per-material-and-temperature constants; fill with mobd_egdm_init, then read-only. */
typedef struct {
  double sigma_hat; /* sigma / kT [-] */
  double delta;     /* density exponent [-] */
  double A1;        /* (sigma_hat^2 - sigma_hat) / 2 [-] */
  double A2;        /* 0.44 (sigma_hat^(3/2) - 2.2) [-] */
  double a;         /* lattice constant N0^(-1/3) [m] */
  double N0;        /* [m^-3] */
  double mu0T;      /* mu0(T) [m^2/(V s)] */
  double mu0_star;  /* mu0* [m^2/(V s)] */
  double En_per_E;  /* q a / sigma [m/V] */
  double pa3_max;   /* density clip (INFINITY when off) [-] */
  double En2_max;   /* field clip (INFINITY when off) [-] */
  int in_fit_range; /* 1 if MOBD_EGDM_SHAT_FIT_LO <= sigma_hat <= MOBD_EGDM_SHAT_FIT_HI */
} mobd_egdm;

/* Mobility and its partial derivatives at one point. */
typedef struct {
  double mu;       /* [m^2/(V s)] */
  double dmu_dp;   /* d mu / d p [m^5/(V s)]; 0 for p <= 0 and beyond the density clip */
  double dmu_dlnp; /* p d mu / d p [m^2/(V s)]; finite everywhere, -> 0 as p -> 0 */
  double dmu_dE;   /* d mu / d|E| [m^3/(V^2 s)] */
} mobd_result;

typedef struct {
  double mu_inf;   /* mobility prefactor, T -> infinity, E -> 0 [m^2/(V s)] */
  double sigma;    /* energetic disorder [J] */
  double Sigma;    /* positional disorder [-] */
  double C;        /* field coefficient [(m/V)^(1/2)], normally MOBD_GDM_C_SI */
  double T;        /* temperature [K] */
  double E_smooth; /* [V/m]; 0: exact sqrt(E). > 0: sqrt(E) -> (E^2+Es^2)^(1/4) - Es^(1/2), which
                      keeps mu(0) and makes dmu/dE finite (0) at E = 0, for Newton */
} mobd_gdm_params;

/* Published defaults: c1, c2 as in Pasveer (2005), both clips on; physical fields zero. */
mobd_egdm_params mobd_egdm_params_default(void);

/* Check par and fill m with the derived constants; returns MOBD_OK or an MOBD_ERR_* code. */
int mobd_egdm_init(mobd_egdm *m, const mobd_egdm_params *par);

/* mu(p, |E|) [m^2/(V s)] and derivatives, p [m^-3] (p <= 0 acts as 0), E [V/m] (sign ignored). */
mobd_result mobd_egdm_eval(const mobd_egdm *m, double p, double E);

/* Pasveer delta(sigma_hat) [-], for sigma_hat > 1. */
double mobd_egdm_delta(double sigma_hat);

/* Density enhancement g1 [-] at reduced density pa3 = p a^3 = p/N0 [-] (no clipping);
 * dg1_dpa3 (may be NULL) receives d g1 / d(p a^3); pa3 <= 0 gives g1 = 1 and derivative 0. */
double mobd_egdm_g1(double sigma_hat, double pa3, double *dg1_dpa3);

/* Field enhancement g2 [-] at reduced field En = E q a / sigma [-] (no clipping);
 * dg2_dEn (may be NULL) receives d g2 / d|En|. */
double mobd_egdm_g2(double sigma_hat, double En, double *dg2_dEn);

/* mu0(T) = mu0_star c1 exp(-c2 sigma_hat^2) [m^2/(V s)] for mu0_star [m^2/(V s)]. */
double mobd_egdm_mu0T(double mu0_star, double sigma_hat, double c1, double c2);

/* mu0* [m^2/(V s)] such that mu0(T) = mu0_T [m^2/(V s)] at temperature T [K], sigma [J]. */
double mobd_egdm_mu0_star(double mu0_T, double sigma, double T, double c1, double c2);

/* Check a GDM parameter set; returns MOBD_OK or an MOBD_ERR_* code. */
int mobd_gdm_check(const mobd_gdm_params *g);

/* GDM mu(T, |E|) [m^2/(V s)] and d mu/d|E| at field E [V/m] (sign ignored); dmu_dp = 0.
 * With E_smooth = 0 the exact derivative at E = 0 is infinite: returned as +-INFINITY (0 if
 * sigma_hat^2 = Sigma^2); use E_smooth > 0 inside a Newton solve. */
mobd_result mobd_gdm_eval(const mobd_gdm_params *g, double E);

/* Text for an MOBD_* code (static string). */
const char *mobd_strerror(int code);

#endif

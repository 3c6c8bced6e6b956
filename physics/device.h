/* The device: everything the physics needs, in SI units (energies in J, relative to the vacuum
 * level, lengths in m, densities in m^-3, mobilities in m^2/(V s)). Built once from the config,
 * then read-only for the solver. */
#ifndef QLEDSIM_DEVICE_H
#define QLEDSIM_DEVICE_H

#include <stddef.h>

#define DEV_NAME_MAX 64

typedef enum { DEV_STAT_BOLTZMANN = 0, DEV_STAT_GAUSS_FERMI = 1 } dev_statistics;

typedef enum {
  DEV_MOB_CONSTANT = 0,      /* mu = mu0 */
  DEV_MOB_POOLE_FRENKEL = 1, /* mu = mu0 exp(gamma sqrt|E|) */
  DEV_MOB_EGDM = 2,          /* Pasveer et al. 2005: mu0(T) g1(c, T) g2(E, T) */
  DEV_MOB_GDM = 3            /* Baessler 1993: mu(T, E), zero-density limit */
} dev_mobility_model;

/* One transport band (electrons in the LUMO/conduction band, holes in the HOMO/valence band). */
typedef struct {
  double N;                    /* effective density of states (Boltzmann) or site density N0 [m^-3] */
  double sigma;                /* Gaussian DOS width [J]; used by Gauss-Fermi statistics only */
  double mu0;                  /* low-field (and low-density) mobility at T_ref [m^2/(V s)] */
  dev_mobility_model mobility; /* field/density dependence of the mobility */
  double pf_gamma;             /* Poole-Frenkel coefficient [(m/V)^(1/2)] */
  double T_ref;                /* temperature at which mu0 is given (EGDM, GDM) [K] */
  double gdm_Sigma;            /* GDM positional disorder [1] */
  double gdm_C;                /* GDM field coefficient [(m/V)^(1/2)] */
} dev_band;

#define DEV_MAX_TRAPS 8

typedef enum { DEV_TRAP_DISCRETE = 0, DEV_TRAP_GAUSSIAN = 1, DEV_TRAP_EXPONENTIAL = 2 } dev_trap_shape;

/* A trap distribution: electron traps sit below the LUMO, hole traps above the HOMO, at `depth`
 * into the gap (the centre of a Gaussian, the start of an exponential tail). */
typedef struct {
  int hole;             /* 0: electron trap (negative when filled), 1: hole trap (positive) */
  dev_trap_shape shape;
  double density;       /* total density [m^-3] (per area [m^-2] for interface traps) */
  double depth;         /* [J] >= 0 */
  double width;         /* Gaussian sigma or exponential characteristic energy [J] */
  double c_n, c_p;      /* capture coefficients for electrons and holes [m^3/s] */
} dev_trap;

#define DEV_BLEND_TABLE_MAX 32

typedef enum { DEV_BLEND_LEVELS_LINEAR = 0, DEV_BLEND_LEVELS_HOST, DEV_BLEND_LEVELS_TABLE } dev_blend_levels;

enum { /* mobility models of a blend, combinable (table excludes the others) */
  DEV_BLEND_MOB_HL = 1,       /* Hoesterey-Letson trap-controlled hopping */
  DEV_BLEND_MOB_DILUTION = 2, /* inert cross-linker sites dilute the host's hopping sites */
  DEV_BLEND_MOB_DISORDER = 4, /* extra energetic disorder of the mixture */
  DEV_BLEND_MOB_TABLE = 8     /* measured mobility vs fraction */
};

/* A cross-linker blended into a host layer, and what it was resolved to. */
typedef struct {
  int active;
  char crosslinker[DEV_NAME_MAX];
  double fraction;             /* as given */
  int fraction_weight;         /* 1: weight fraction, 0: site fraction */
  dev_blend_levels levels;
  int mobility_models;         /* DEV_BLEND_MOB_* bits; 0: host mobility */
  int model_auto;              /* 1: not given, chosen from the levels (io/config_blend.c) */
  int traps;                   /* cross-linker sites as trap distributions */
  double loc_length;           /* dilution: wave-function decay length rho0 [m] */
  double c_n, c_p;             /* capture coefficients of the cross-linker traps [m^3/s] */
  int n_mu, n_homo, n_lumo;    /* tables: fraction (same kind as `fraction`) -> value */
  double mu_tab[DEV_BLEND_TABLE_MAX][2], homo_tab[DEV_BLEND_TABLE_MAX][2],
      lumo_tab[DEV_BLEND_TABLE_MAX][2];
  /* cross-linker and host properties (database) */
  double xl_homo, xl_lumo;     /* [J] */
  double xl_sigma;             /* DOS width of the cross-linker sites [J] (0: the host's) */
  double xl_molar_mass, host_molar_mass; /* per site / repeat unit [kg/mol] (0: unknown) */
  /* results */
  double site_fraction;        /* c */
  double mu_n_factor, mu_p_factor;
  double trap_density;         /* [m^-3] */
} dev_blend;

typedef struct {
  char name[DEV_NAME_MAX];     /* layer name from the config, unique */
  char material[DEV_NAME_MAX]; /* database name, or "inline" */
  double thickness;            /* [m] */
  double eps_r;                /* relative permittivity */
  double E_lumo, E_homo;       /* band edges relative to vacuum [J], E_homo < E_lumo < 0 */
  dev_statistics statistics;
  dev_band cb, vb;             /* electrons (cb) and holes (vb) */
  double N_D, N_A;             /* ionised donor / acceptor density [m^-3] */
  double langevin;             /* Langevin prefactor (1 = full Langevin rate), >= 0 */
  double tau_n, tau_p;         /* SRH lifetimes [s]; INFINITY disables SRH */
  double E_t;                  /* SRH trap level relative to vacuum [J] (default mid-gap) */
  double C_n, C_p;             /* Auger coefficients [m^6/s] */
  int emissive;                /* recombination here can emit light */
  double plqy;                 /* photoluminescence quantum yield, 0..1 */
  double peak_wavelength;      /* emission peak [m] */
  double fwhm;                 /* emission full width at half maximum [m] */
  int ntraps;
  dev_trap traps[DEV_MAX_TRAPS];
  dev_blend blend;             /* cross-linker blend (blend.active = 0: none) */
  struct dev_layer_host {      /* the host's own values before the blend (for output) */
    double E_homo, E_lumo, mu_n, mu_p, sigma_n, sigma_p;
    int ntraps;
  } host;
} dev_layer;

typedef struct {
  double work_function; /* [J], positive */
  int image_force;      /* apply image-force barrier lowering */
  double S_n, S_p;      /* surface recombination velocities [m/s]; INFINITY = ideal contact */
} dev_contact;

/* Recombination across the heterointerface between layers `left` and `left + 1`: an electron
 * on one side with a hole on the other, R = width * prefactor * kL * (n_R p_L + n_L p_R) X
 * per unit area, kL the Langevin coefficient of the carriers involved. A loss unless emissive. */
typedef struct {
  int left;             /* index of the layer on the anode side */
  double prefactor;     /* multiplies the Langevin coefficient, >= 0 */
  double width;         /* interaction width over which the two sides overlap [m] */
  int emissive;         /* photons from this channel leave as light */
  double plqy;          /* their radiative yield, 0..1 */
  int ntraps;           /* interface traps (densities per area); electrons are taken from the
                           side with the lower LUMO, holes from the side with the higher HOMO,
                           depths measured from those band edges */
  dev_trap traps[DEV_MAX_TRAPS];
} dev_interface;

typedef struct {
  double T;             /* lattice temperature [K] */
  dev_contact anode;    /* at x = 0, biased at +V */
  dev_contact cathode;  /* at x = L, grounded */
  int nlayers;
  dev_layer *layers;    /* from anode to cathode */
  double outcoupling;   /* fraction of internally generated photons leaving the device, 0..1 */
  int ninterfaces;
  dev_interface *interfaces; /* heterointerfaces with cross-interface recombination */
} dev_device;

/* Total thickness [m]. */
double dev_thickness(const dev_device *dev);
/* Thermal energy kT [J]. */
double dev_kT(const dev_device *dev);
/* Index of the layer with this name, or -1. */
int dev_find_layer(const dev_device *dev, const char *name);
/* Interface entry between layers left and left+1, or NULL. */
const dev_interface *dev_find_interface(const dev_device *dev, int left);
/* Free the layer and interface arrays and zero the struct. */
void dev_free(dev_device *dev);

#endif

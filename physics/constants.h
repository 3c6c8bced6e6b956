/* Physical constants (SI, CODATA 2018; the first five are exact by the 2019 SI definition). */
#ifndef QLEDSIM_CONSTANTS_H
#define QLEDSIM_CONSTANTS_H

#define PHYS_Q     1.602176634e-19  /* elementary charge [C] */
#define PHYS_KB    1.380649e-23     /* Boltzmann constant [J/K] */
#define PHYS_H     6.62607015e-34   /* Planck constant [J s] */
#define PHYS_C     299792458.0      /* speed of light in vacuum [m/s] */
#define PHYS_NA    6.02214076e23    /* Avogadro constant [1/mol] */
#define PHYS_KCD   683.0            /* luminous efficacy of 540 THz radiation [lm/W] (SI candela) */
#define PHYS_EPS0  8.8541878128e-12 /* vacuum permittivity [F/m] (CODATA 2018) */
#define PHYS_EV    PHYS_Q           /* one electronvolt [J] */
#define PHYS_PI    3.14159265358979323846

#endif

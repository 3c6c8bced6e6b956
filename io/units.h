/* Physical quantities written as text with units ("40 nm", "1e-4 cm^2/Vs", "-5.4 eV", "300 K")
 * parsed into SI values, with a dimension check. A bare number is taken as SI. */
#ifndef QLEDSIM_UNITS_H
#define QLEDSIM_UNITS_H

#include <stddef.h>

/* Expected dimension of a quantity. */
typedef enum {
  UNIT_NONE = 0,         /* dimensionless (also accepts "%": 50 % = 0.5) */
  UNIT_LENGTH,           /* m   (nm, um, cm, A, ...) */
  UNIT_ENERGY,           /* J   (eV, meV, J) */
  UNIT_TEMPERATURE,      /* K */
  UNIT_MOBILITY,         /* m^2/(V s)  (cm^2/Vs, cm^2/(V s), cm2/Vs) */
  UNIT_DENSITY,          /* m^-3  (cm^-3) */
  UNIT_AREAL_DENSITY,    /* m^-2  (cm^-2) */
  UNIT_VOLTAGE,          /* V  (mV) */
  UNIT_TIME,             /* s  (ns, us, ps) */
  UNIT_VELOCITY,         /* m/s (cm/s) */
  UNIT_FIELD,            /* V/m (V/cm, MV/cm) */
  UNIT_SQRT_INV_FIELD,   /* (m/V)^(1/2), the Poole-Frenkel gamma ((cm/V)^0.5) */
  UNIT_RATE_BIMOLECULAR, /* m^3/s (cm^3/s) */
  UNIT_RATE_AUGER,       /* m^6/s (cm^6/s) */
  UNIT_CURRENT_DENSITY,  /* A/m^2 (mA/cm^2) */
  UNIT_MOLAR_MASS,       /* kg/mol (g/mol) */
  UNIT_COUNT_
} unit_dim;

/* Parse text as a quantity of dimension want; on success store the SI value in *si and return 0.
 * On failure return non-zero and write a one-line reason (what was found, what is expected, an
 * example) into why[whylen]. NaN and Inf are rejected unless allow_inf and the text is "inf".
 * The non-zero value is a qs_errclass: QS_ERR_TYPE (empty, not a number), QS_ERR_UNIT (unknown
 * unit, malformed unit, wrong dimension) or QS_ERR_RANGE (NaN, Inf, overflow). */
int units_parse(const char *text, unit_dim want, int allow_inf, double *si, char *why,
                size_t whylen);

/* Human name of a dimension ("length") and a typical unit for it ("nm"; "" when dimensionless).
 * units_dim_sample gives a typical quantity written with its unit ("40 nm"), for messages. */
const char *units_dim_name(unit_dim d);
const char *units_dim_example(unit_dim d);
const char *units_dim_sample(unit_dim d);

/* Format an SI value for output in the unit users read (eV for energies, nm for lengths,
 * cm^2/Vs for mobilities ...), with the fewest digits that make units_parse give back exactly
 * the same double (falls back to the bare SI number if needed). Returns buf. */
const char *units_format(double si, unit_dim d, char *buf, size_t buflen);

#endif

/* Quantities with units, the public side (io/units.h): the dimensions that unit_dim names, with
 * their names, typical units and samples for messages; units_parse (number, unit expression,
 * dimension check, exact conversion to SI) and units_format. The unit-expression parser itself,
 * which tracks the dimension as a vector of doubled exponents over the SI base units so that
 * square roots such as (cm/V)^0.5 stay exact, is in units_expr.c. */
#include "io/units.h"
#include "io/qserr.h"
#include "io/units_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Dimensions of the unit_dim values, doubled exponents (m, kg, s, A, K, mol, cd). */
static const signed char DIMS[UNIT_COUNT_][NBASE] = {
    [UNIT_NONE] = {0},
    [UNIT_LENGTH] = {2, 0, 0, 0, 0, 0, 0},
    [UNIT_ENERGY] = {4, 2, -4, 0, 0, 0, 0},
    [UNIT_TEMPERATURE] = {0, 0, 0, 0, 2, 0, 0},
    [UNIT_MOBILITY] = {0, -2, 4, 2, 0, 0, 0},
    [UNIT_DENSITY] = {-6, 0, 0, 0, 0, 0, 0},
    [UNIT_AREAL_DENSITY] = {-4, 0, 0, 0, 0, 0, 0},
    [UNIT_VOLTAGE] = {4, 2, -6, -2, 0, 0, 0},
    [UNIT_TIME] = {0, 0, 2, 0, 0, 0, 0},
    [UNIT_VELOCITY] = {2, 0, -2, 0, 0, 0, 0},
    [UNIT_FIELD] = {2, 2, -6, -2, 0, 0, 0},
    [UNIT_SQRT_INV_FIELD] = {-1, -1, 3, 1, 0, 0, 0},
    [UNIT_RATE_BIMOLECULAR] = {6, 0, -2, 0, 0, 0, 0},
    [UNIT_RATE_AUGER] = {12, 0, -2, 0, 0, 0, 0},
    [UNIT_CURRENT_DENSITY] = {-4, 0, 0, 2, 0, 0, 0},
    [UNIT_MOLAR_MASS] = {0, 2, 0, 0, 0, -2, 0},
};

static const char *const DIM_NAMES[UNIT_COUNT_] = {"dimensionless number",
                                                   "length",
                                                   "energy",
                                                   "temperature",
                                                   "mobility",
                                                   "density",
                                                   "areal density",
                                                   "voltage",
                                                   "time",
                                                   "velocity",
                                                   "electric field",
                                                   "Poole-Frenkel coefficient",
                                                   "bimolecular rate constant",
                                                   "Auger coefficient",
                                                   "current density",
                                                   "molar mass"};
static const char *const DIM_UNITS[UNIT_COUNT_] = {
    "",   "nm",   "eV",   "K",          "cm^2/Vs", "cm^-3",  "cm^-2",   "V",
    "ns", "cm/s", "V/cm", "(cm/V)^0.5", "cm^3/s",  "cm^6/s", "mA/cm^2", "g/mol"};
static const char *const DIM_SAMPLES[UNIT_COUNT_] = {
    "0.5",          "40 nm",        "-5.4 eV",    "300 K",    "1e-4 cm^2/Vs", "1e18 cm^-3",
    "1e12 cm^-2",   "0.1 V",        "10 ns",      "1e5 cm/s", "1e5 V/cm",     "3e-4 (cm/V)^0.5",
    "1e-10 cm^3/s", "1e-29 cm^6/s", "10 mA/cm^2", "350 g/mol"};

/* Further dimensions that have a name, for messages about the wrong unit. */
static const struct {
  signed char e[NBASE];
  const char *name;
} OTHER_DIMS[] = {
    {{4, 0, 0, 0, 0, 0, 0}, "an area"},
    {{6, 0, 0, 0, 0, 0, 0}, "a volume"},
    {{-2, 0, 0, 0, 0, 0, 0}, "an inverse length"},
    {{0, 0, -2, 0, 0, 0, 0}, "a rate (1/s)"},
    {{0, 2, 0, 0, 0, 0, 0}, "a mass"},
    {{0, 0, 2, 2, 0, 0, 0}, "a charge"},
    {{0, 0, 0, 2, 0, 0, 0}, "a current"},
    {{0, 0, 0, 0, 0, 2, 0}, "an amount of substance"},
    {{4, 2, -6, 0, 0, 0, 0}, "a power"},
    {{-4, -2, 8, 4, 0, 0, 0}, "a capacitance"},
    {{0, 0, 0, 0, 0, 0, 2}, "a luminous intensity"},
    {{4, 0, -2, 0, 0, 0, 0}, "a diffusion coefficient"},
    {{4, 2, -2, 0, 0, 0, 0}, "an action (energy x time)"},
};

const char *units_dim_name(unit_dim d) {
  return (d >= 0 && d < UNIT_COUNT_) ? DIM_NAMES[d] : "unknown dimension";
}
const char *units_dim_example(unit_dim d) {
  return (d >= 0 && d < UNIT_COUNT_) ? DIM_UNITS[d] : "";
}
const char *units_dim_sample(unit_dim d) {
  return (d >= 0 && d < UNIT_COUNT_) ? DIM_SAMPLES[d] : "1";
}

static const char *article(const char *word) {
  return strchr("aeiouAEIOU", word[0]) ? "an" : "a";
}

/* "a length", "an energy", or the dimension written out in base units. */
static void describe_dims(const int e[NBASE], char *buf, size_t len) {
  for (int d = 0; d < UNIT_COUNT_; d++) {
    int same = 1;
    for (int i = 0; i < NBASE; i++)
      same &= (DIMS[d][i] == e[i]);
    if (same) {
      if (d == UNIT_NONE)
        snprintf(buf, len, "dimensionless");
      else
        snprintf(buf, len, "%s %s", article(DIM_NAMES[d]), DIM_NAMES[d]);
      return;
    }
  }
  for (size_t k = 0; k < sizeof(OTHER_DIMS) / sizeof(OTHER_DIMS[0]); k++) {
    int same = 1;
    for (int i = 0; i < NBASE; i++)
      same &= (OTHER_DIMS[k].e[i] == e[i]);
    if (same) {
      snprintf(buf, len, "%s", OTHER_DIMS[k].name);
      return;
    }
  }
  static const char *const base[NBASE] = {"m", "kg", "s", "A", "K", "mol", "cd"};
  size_t n = (size_t)snprintf(buf, len, "of dimension");
  for (int i = 0; i < NBASE && n < len; i++) {
    if (e[i] == 0) continue;
    if (e[i] == 2)
      n += (size_t)snprintf(buf + n, len - n, " %s", base[i]);
    else if (e[i] % 2 == 0)
      n += (size_t)snprintf(buf + n, len - n, " %s^%d", base[i], e[i] / 2);
    else
      n += (size_t)snprintf(buf + n, len - n, " %s^%g", base[i], e[i] / 2.0);
  }
}

/* ---- units_parse ----------------------------------------------------------------------- */

static int ci_eq(const char *a, size_t n, const char *b) {
  if (strlen(b) != n) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != b[i]) return 0;
  }
  return 1;
}

int units_parse(const char *text, unit_dim want, int allow_inf, double *si, char *why,
                size_t whylen) {
  char dummy[8];
  if (!why || whylen == 0) {
    why = dummy;
    whylen = sizeof(dummy);
  }
  if (want < 0 || want >= UNIT_COUNT_) want = UNIT_NONE;
  const char *name = DIM_NAMES[want];
  const char *sample = DIM_SAMPLES[want];
  const char *art = article(name);
  if (!text) text = "";
  while (is_space(*text) || *text == '\n' || *text == '\r')
    text++;
  size_t len = strlen(text);
  while (len > 0 && (is_space(text[len - 1]) || text[len - 1] == '\n' || text[len - 1] == '\r'))
    len--;
  if (len == 0) {
    snprintf(why, whylen, "empty value (expected %s %s, e.g. '%s')", art, name, sample);
    return QS_ERR_TYPE;
  }
  if (len > 200) {
    snprintf(why, whylen, "value of %zu characters is too long (expected %s %s, e.g. '%s')", len,
             art, name, sample);
    return QS_ERR_TYPE;
  }
  char buf[256];
  memcpy(buf, text, len);
  buf[len] = '\0';

  /* number part */
  const char *p = buf;
  int neg = 0;
  if (*p == '+' || *p == '-') neg = (*p++ == '-');
  const char *word = p;
  while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '.')
    p++;
  size_t wn = (size_t)(p - word);
  int is_inf =
      wn > 0 && (ci_eq(word, wn, "inf") || ci_eq(word, wn, ".inf") || ci_eq(word, wn, "infinity"));
  int is_nan = wn > 0 && (ci_eq(word, wn, "nan") || ci_eq(word, wn, ".nan"));
  if (is_nan) {
    snprintf(why, whylen, "'%s' is not a number (expected %s %s, e.g. '%s')", buf, art, name,
             sample);
    return QS_ERR_RANGE;
  }
  char num[256];
  const char *rest;
  if (is_inf) {
    if (!allow_inf) {
      snprintf(why, whylen, "'%s' is not finite (expected %s finite %s, e.g. '%s')", buf, art, name,
               sample);
      return QS_ERR_RANGE;
    }
    rest = p;
  } else {
    p = buf;
    if (*p == '+' || *p == '-') p++;
    int digits = 0;
    while (is_digit(*p))
      p++, digits++;
    if (*p == '.') {
      p++;
      while (is_digit(*p))
        p++, digits++;
    }
    if (digits == 0) {
      snprintf(why, whylen, "'%s' is not a number (expected %s %s, e.g. '%s')", buf, art, name,
               sample);
      return QS_ERR_TYPE;
    }
    if (*p == 'e' || *p == 'E') {
      const char *q = p + 1;
      if (*q == '+' || *q == '-') q++;
      if (is_digit(*q)) {
        while (is_digit(*q))
          q++;
        p = q;
      }
    }
    memcpy(num, buf, (size_t)(p - buf));
    num[p - buf] = '\0';
    rest = p;
  }
  while (is_space(*rest))
    rest++;

  qty q = unitsi_qty_one();
  int has_unit = 0;
  if (*rest) {
    if (!starts_factor(rest) && *rest != '/') {
      snprintf(why, whylen, "'%s' is not a number (expected %s %s, e.g. '%s')", buf, art, name,
               sample);
      return QS_ERR_TYPE;
    }
    uparser u;
    if (!unitsi_parse_unit(rest, &q, &u)) {
      if (u.bad == 1)
        snprintf(why, whylen, "unknown unit '%s' in '%s' (expected %s %s, e.g. '%s')", u.word, buf,
                 art, name, sample);
      else if (u.word[0])
        snprintf(why, whylen, "unit '%s' has %s (expected %s %s, e.g. '%s')", rest, u.word, art,
                 name, sample);
      else
        snprintf(why, whylen, "malformed unit '%s' in '%s' (expected %s %s, e.g. '%s')", rest, buf,
                 art, name, sample);
      return QS_ERR_UNIT;
    }
    has_unit = 1;
    int same = 1;
    for (int i = 0; i < NBASE; i++)
      same &= (q.e[i] == DIMS[want][i]);
    if (!same) {
      char found[96];
      describe_dims(q.e, found, sizeof(found));
      if (want == UNIT_NONE)
        snprintf(why, whylen, "unit '%s' is %s, expected a dimensionless number (e.g. '%s')", rest,
                 found, sample);
      else
        snprintf(why, whylen, "unit '%s' is %s, expected %s %s (e.g. '%s')", rest, found, art, name,
                 sample);
      return QS_ERR_UNIT;
    }
  }

  double v;
  if (is_inf) {
    v = (neg ? -INFINITY : INFINITY);
    if (q.scale < 0) v = -v;
  } else if (!has_unit) {
    v = strtod(num, NULL);
  } else if (!unitsi_exact_value(num, &q, &v)) {
    v = (double)(strtold(num, NULL) * q.scale);
  }
  if (!is_inf && !isfinite(v)) {
    snprintf(why, whylen,
             "'%s' is too large for a double-precision number (expected %s %s, "
             "e.g. '%s')",
             buf, art, name, sample);
    return QS_ERR_RANGE;
  }
  *si = v;
  return 0;
}

/* ---- units_format ---------------------------------------------------------------------- */

static int same_bits(double a, double b) {
  return memcmp(&a, &b, sizeof(double)) == 0;
}

/* Integer mantissa m times 10^e written the way people write numbers ("40", "0.001", "1.5e20"). */
static void decimal_text(int neg, unsigned long long m, int e, char *out, size_t len) {
  char d[32];
  while (m && m % 10 == 0) {
    m /= 10;
    e++;
  }
  int L = snprintf(d, sizeof(d), "%llu", m);
  int x = L - 1 + e; /* exponent of the leading digit */
  const char *sg = neg ? "-" : "";
  if (x < -5 || x >= 7)
    snprintf(out, len, "%s%c%s%.*s%s%d", sg, d[0], L > 1 ? "." : "", L - 1, d + 1, "e", x);
  else if (e >= 0)
    snprintf(out, len, "%s%s%.*s", sg, d, e, "0000000");
  else if (x >= 0)
    snprintf(out, len, "%s%.*s.%s", sg, x + 1, d, d + x + 1);
  else
    snprintf(out, len, "%s0.%.*s%s", sg, -x - 1, "00000", d);
}

/* The p-significant-digit decimal m * 10^e whose conversion with unit q gives exactly x > 0, or 0
 * if none lies near v = x / scale. Conversion is monotonic, so a bisection finds it. */
static int find_decimal(double x, double v, const qty *q, int p, unsigned long long *m, int *e) {
  char t[64];
  snprintf(t, sizeof(t), "%.*e", p - 1, v);
  char *ep = strchr(t, 'e');
  if (!ep) return 0;
  unsigned long long m0 = 0;
  for (const char *c = t; c < ep; c++)
    if (is_digit(*c)) m0 = m0 * 10 + (unsigned long long)(*c - '0');
  int e0 = (int)strtol(ep + 1, NULL, 10) - (p - 1); /* printf's own exponent */
  unsigned long long w = p >= 15 ? 64 : 2;
  unsigned long long lo = m0 > w ? m0 - w : 1, hi = m0 + w;
  double y;
  for (;;) { /* smallest mantissa in [lo, hi] whose value is >= x */
    snprintf(t, sizeof(t), "%llue%d", lo + (hi - lo) / 2, e0);
    if (!unitsi_exact_value(t, q, &y)) return 0;
    if (lo == hi) break;
    if (y >= x)
      hi = lo + (hi - lo) / 2;
    else
      lo = lo + (hi - lo) / 2 + 1;
  }
  if (y != x) return 0;
  *m = lo;
  *e = e0;
  return 1;
}

const char *units_format(double si, unit_dim d, char *buf, size_t buflen) {
  if (!buf || buflen == 0) return buf;
  if (d < 0 || d >= UNIT_COUNT_) d = UNIT_NONE;
  const char *unit = DIM_UNITS[d], *sp = unit[0] ? " " : "";
  if (isnan(si)) {
    snprintf(buf, buflen, "nan");
    return buf;
  }
  if (isinf(si)) {
    snprintf(buf, buflen, si > 0 ? "inf" : "-inf");
    return buf;
  }
  if (si == 0) {
    snprintf(buf, buflen, "%s0%s%s", signbit(si) ? "-" : "", sp, unit);
    return buf;
  }
  qty q = unitsi_qty_one();
  uparser u;
  double back;
  char num[64];
  if (!unit[0] || unitsi_parse_unit(unit, &q, &u)) {
    double a = fabs(si), v = a / (double)q.scale;
    for (int p = 1; p <= 17 && isnormal(v); p++) {
      unsigned long long m;
      int e;
      if (!find_decimal(a, v, &q, p, &m, &e)) continue;
      decimal_text(si < 0, m, e, num, sizeof(num));
      snprintf(buf, buflen, "%s%s%s", num, sp, unit);
      if (units_parse(buf, d, 0, &back, NULL, 0) == 0 && same_bits(back, si)) return buf;
    }
  }
  snprintf(buf, buflen, "%.17g", si); /* bare SI: strtod is exact */
  return buf;
}

/* Quantities with units: a small unit-expression parser (products, '/', powers, parentheses,
 * SI prefixes) that tracks the dimension as a vector of doubled exponents over the SI base units,
 * so that square roots such as (cm/V)^0.5 stay exact. */
#include "io/units.h"
#include "io/qserr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { B_M, B_KG, B_S, B_A, B_K, B_MOL, B_CD, NBASE };

/* A unit expression: SI scale factor and doubled exponents of the base units. The scale is also
 * kept exactly as 1602176634^(ev2/2) * 10^(t2/2) (every unit here is a power of ten, or the eV)
 * so that quantities are converted with one correctly rounded decimal-to-binary step. */
typedef struct {
  long double scale;
  int e[NBASE];
  int t2, ev2; /* doubled powers of ten and of the eV mantissa */
  int inexact; /* the exact form does not apply (e.g. a square root of 10) */
} qty;

typedef struct {
  const char *sym;
  signed char e[NBASE]; /* plain (not doubled) exponents */
  long double scale;
  int prefixable;
  signed char e10, evm; /* scale = 1602176634^evm * 10^e10 */
} unitdef;

static const unitdef UNITS[] = {
    {"m", {1, 0, 0, 0, 0, 0, 0}, 1.0L, 1, 0, 0},
    {"g", {0, 1, 0, 0, 0, 0, 0}, 1e-3L, 1, -3, 0},
    {"s", {0, 0, 1, 0, 0, 0, 0}, 1.0L, 1, 0, 0},
    {"A", {0, 0, 0, 1, 0, 0, 0}, 1.0L, 1, 0, 0}, /* ampere; the angstrom is "Å" or "angstrom" */
    {"K", {0, 0, 0, 0, 1, 0, 0}, 1.0L, 1, 0, 0},
    {"mol", {0, 0, 0, 0, 0, 1, 0}, 1.0L, 1, 0, 0},
    {"cd", {0, 0, 0, 0, 0, 0, 1}, 1.0L, 0, 0, 0},
    {"lm", {0, 0, 0, 0, 0, 0, 1}, 1.0L, 0, 0, 0}, /* cd sr */
    {"V", {2, 1, -3, -1, 0, 0, 0}, 1.0L, 1, 0, 0},
    {"eV", {2, 1, -2, 0, 0, 0, 0}, 1.602176634e-19L, 1, -28, 1},
    {"J", {2, 1, -2, 0, 0, 0, 0}, 1.0L, 1, 0, 0},
    {"C", {0, 0, 1, 1, 0, 0, 0}, 1.0L, 1, 0, 0},
    {"F", {-2, -1, 4, 2, 0, 0, 0}, 1.0L, 1, 0, 0},
    {"W", {2, 1, -3, 0, 0, 0, 0}, 1.0L, 1, 0, 0},
    {"Hz", {0, 0, -1, 0, 0, 0, 0}, 1.0L, 1, 0, 0},
    {"Vs", {2, 1, -2, -1, 0, 0, 0}, 1.0L, 0, 0, 0},             /* as in cm^2/Vs */
    {"\xc3\x85", {1, 0, 0, 0, 0, 0, 0}, 1e-10L, 0, -10, 0},     /* U+00C5 */
    {"\xe2\x84\xab", {1, 0, 0, 0, 0, 0, 0}, 1e-10L, 0, -10, 0}, /* U+212B ANGSTROM SIGN */
    {"angstrom", {1, 0, 0, 0, 0, 0, 0}, 1e-10L, 0, -10, 0},
};
#define NUNITS ((int)(sizeof(UNITS) / sizeof(UNITS[0])))

static const struct {
  const char *sym;
  long double f;
  int e10;
} PREFIXES[] = {
    {"f", 1e-15L, -15},      {"p", 1e-12L, -12},      {"n", 1e-9L, -9}, {"u", 1e-6L, -6},
    {"\xc2\xb5", 1e-6L, -6}, {"\xce\xbc", 1e-6L, -6}, {"m", 1e-3L, -3}, {"c", 1e-2L, -2},
    {"k", 1e3L, 3},          {"M", 1e6L, 6},          {"G", 1e9L, 9},   {"T", 1e12L, 12},
};
#define NPREFIXES ((int)(sizeof(PREFIXES) / sizeof(PREFIXES[0])))

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

/* ---- unit expression parser ------------------------------------------------------------ */

typedef struct {
  const char *p; /* cursor */
  int depth;
  int bad;       /* 1: unknown unit word, 2: malformed */
  char word[64]; /* the offending word or a description of the problem */
} uparser;

static int is_space(char c) {
  return c == ' ' || c == '\t';
}
static int is_digit(char c) {
  return c >= '0' && c <= '9';
}
static int is_middot(const char *p) {
  return (unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xb7;
}
static int is_word_char(const char *p) {
  unsigned char c = (unsigned char)*p;
  if (c >= 0x80) return !is_middot(p);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int starts_factor(const char *p) {
  return is_word_char(p) || *p == '(' || *p == '%';
}
static void skip_ws(uparser *u) {
  while (is_space(*u->p))
    u->p++;
}

static qty qty_one(void) {
  qty q;
  memset(&q, 0, sizeof(q));
  q.scale = 1.0L;
  return q;
}
static qty qty_mul(qty a, qty b, int sign) {
  for (int i = 0; i < NBASE; i++)
    a.e[i] += sign * b.e[i];
  a.scale = sign > 0 ? a.scale * b.scale : a.scale / b.scale;
  a.t2 += sign * b.t2;
  a.ev2 += sign * b.ev2;
  a.inexact |= b.inexact;
  return a;
}

static int lookup_unit(const char *w, size_t n, qty *q) {
  for (int pass = 0; pass < 2; pass++) {
    for (int i = 0; i < NUNITS; i++) {
      const unitdef *u = &UNITS[i];
      size_t ls = strlen(u->sym);
      long double f = 1.0L;
      int e10 = 0;
      if (pass == 0) {
        if (ls != n || memcmp(w, u->sym, n) != 0) continue;
      } else {
        if (!u->prefixable || ls >= n || memcmp(w + n - ls, u->sym, ls) != 0) continue;
        int found = 0;
        for (int k = 0; k < NPREFIXES; k++)
          if (strlen(PREFIXES[k].sym) == n - ls && memcmp(w, PREFIXES[k].sym, n - ls) == 0) {
            f = PREFIXES[k].f;
            e10 = PREFIXES[k].e10;
            found = 1;
          }
        if (!found) continue;
      }
      *q = qty_one();
      for (int k = 0; k < NBASE; k++)
        q->e[k] = 2 * u->e[k];
      q->scale = u->scale * f;
      q->t2 = 2 * (u->e10 + e10);
      q->ev2 = 2 * u->evm;
      return 1;
    }
  }
  return 0;
}

/* Power after '^': an integer or half-integer, optionally in parentheses or as a/b. Returns
 * the doubled power in *dp. */
static int parse_power(uparser *u, int *dp) {
  int paren = 0;
  if (*u->p == '(') {
    paren = 1;
    u->p++;
  }
  int sign = 1;
  if (*u->p == '-' || *u->p == '+') sign = (*u->p++ == '-') ? -1 : 1;
  if (!is_digit(*u->p)) return 0;
  long num = 0, den = 1;
  while (is_digit(*u->p)) {
    num = num * 10 + (*u->p++ - '0');
    if (num > 1000) return 0;
  }
  if (*u->p == '.') {
    u->p++;
    while (is_digit(*u->p)) {
      num = num * 10 + (*u->p++ - '0');
      den *= 10;
      if (den > 1000 || num > 100000) return 0;
    }
  } else if (*u->p == '/' && paren) {
    u->p++;
    long d2 = 0;
    if (!is_digit(*u->p)) return 0;
    while (is_digit(*u->p)) {
      d2 = d2 * 10 + (*u->p++ - '0');
      if (d2 > 1000) return 0;
    }
    if (d2 == 0) return 0;
    den = d2;
  }
  if (paren) {
    if (*u->p != ')') return 0;
    u->p++;
  }
  if ((2 * num) % den != 0) {
    snprintf(u->word, sizeof(u->word), "a power that is not a multiple of 1/2");
    return 0;
  }
  *dp = sign * (int)(2 * num / den);
  return 1;
}

static int apply_power(uparser *u, qty *q, int dp) {
  for (int i = 0; i < NBASE; i++) {
    if ((q->e[i] * dp) % 2 != 0) {
      snprintf(u->word, sizeof(u->word), "a fractional power of a square root");
      return 0;
    }
  }
  for (int i = 0; i < NBASE; i++)
    q->e[i] = q->e[i] * dp / 2;
  if ((q->t2 * dp) % 2 || (q->ev2 * dp) % 2) q->inexact = 1;
  q->t2 = q->t2 * dp / 2;
  q->ev2 = q->ev2 * dp / 2;
  /* dp even: dp / 2 is exact */
  q->scale = (dp % 2 == 0) ? powl(q->scale, dp / 2) : powl(q->scale, dp / 2.0L); // NOLINT(bugprone-integer-division)
  return 1;
}

static int parse_expr(uparser *u, qty *q);

static int parse_factor(uparser *u, qty *q) {
  if (*u->p == '(') {
    if (++u->depth > 20) return 0;
    u->p++;
    skip_ws(u);
    if (!parse_expr(u, q)) return 0;
    skip_ws(u);
    if (*u->p != ')') return 0;
    u->p++;
    u->depth--;
  } else if (*u->p == '%') {
    u->p++;
    *q = qty_one();
    q->scale = 1e-2L;
    q->t2 = -4;
  } else if (is_word_char(u->p)) {
    const char *w = u->p;
    while (is_word_char(u->p))
      u->p++;
    size_t n = (size_t)(u->p - w);
    if (!lookup_unit(w, n, q)) {
      u->bad = 1;
      snprintf(u->word, sizeof(u->word), "%.*s", (int)(n < 60 ? n : 60), w);
      return 0;
    }
    /* "cm2", "cm-3": an integer power written right after the unit */
    if (is_digit(*u->p) || (*u->p == '-' && is_digit(u->p[1]))) {
      int sign = 1;
      if (*u->p == '-') {
        sign = -1;
        u->p++;
      }
      int k = 0;
      while (is_digit(*u->p)) {
        k = k * 10 + (*u->p++ - '0');
        if (k > 100) return 0;
      }
      if (!apply_power(u, q, 2 * sign * k)) return 0;
    }
  } else {
    return 0;
  }
  if (*u->p == '^' || (u->p[0] == '*' && u->p[1] == '*')) {
    u->p += (*u->p == '^') ? 1 : 2;
    int dp;
    if (!parse_power(u, &dp)) return 0;
    if (!apply_power(u, q, dp)) return 0;
  }
  return 1;
}

/* Juxtaposed factors ("V s") bind tighter than '*' and '/': "cm^2/V s" is cm^2/(V s). */
static int parse_group(uparser *u, qty *q) {
  if (!parse_factor(u, q)) return 0;
  for (;;) {
    const char *save = u->p;
    skip_ws(u);
    if (u->p == save || !starts_factor(u->p)) {
      u->p = save;
      return 1;
    }
    qty f;
    if (!parse_factor(u, &f)) return 0;
    *q = qty_mul(*q, f, 1);
  }
}

static int parse_expr(uparser *u, qty *q) {
  skip_ws(u);
  if (*u->p == '/') {
    *q = qty_one(); /* "/cm^3" */
  } else if (!parse_group(u, q)) {
    return 0;
  }
  for (;;) {
    skip_ws(u);
    int sign;
    if (*u->p == '/') {
      sign = -1;
      u->p++;
    } else if (*u->p == '*') {
      sign = 1;
      u->p++;
    } else if (is_middot(u->p)) {
      sign = 1;
      u->p += 2;
    } else {
      return 1;
    }
    skip_ws(u);
    qty f;
    if (!parse_group(u, &f)) return 0;
    *q = qty_mul(*q, f, sign);
  }
}

/* Parse a whole unit expression (already trimmed of leading space). */
static int parse_unit(const char *text, qty *q, uparser *u) {
  memset(u, 0, sizeof(*u));
  u->p = text;
  if (!parse_expr(u, q)) {
    if (!u->bad) u->bad = 2;
    return 0;
  }
  skip_ws(u);
  if (*u->p) {
    u->bad = 2;
    return 0;
  }
  return 1;
}

/* ---- exact conversion ------------------------------------------------------------------ */

/* num (a checked decimal number) times the exact scale of q, rounded once by strtod. Returns 0
 * when the scale has no exact decimal form. */
static int exact_value(const char *num, const qty *q, double *out) {
  if (q->inexact || q->t2 % 2 || q->ev2 % 2 || q->ev2 < 0 || q->ev2 > 16) return 0;
  enum { CAP = 512 };
  unsigned char r[CAP]; /* digits, least significant first */
  int nd = 0, neg = 0;
  long e = 0;
  const char *p = num;
  if (*p == '+' || *p == '-') neg = (*p++ == '-');
  char lead[CAP];
  int nl = 0;
  for (; is_digit(*p); p++)
    if ((nl || *p != '0') && nl < CAP - 200)
      lead[nl++] = *p;
    else if (nl)
      e++;
  if (*p == '.')
    for (p++; is_digit(*p); p++) {
      if ((nl || *p != '0') && nl < CAP - 200) lead[nl++] = *p;
      e--;
    }
  if (*p == 'e' || *p == 'E') {
    long x = strtol(p + 1, NULL, 10);
    e += x > 100000 ? 100000 : x < -100000 ? -100000 : x;
  }
  if (nl == 0) {
    *out = neg ? -0.0 : 0.0;
    return 1;
  }
  for (int i = 0; i < nl; i++)
    r[i] = (unsigned char)(lead[nl - 1 - i] - '0');
  nd = nl;
  for (int k = 0; k < q->ev2 / 2; k++) {
    unsigned long long carry = 0;
    for (int i = 0; i < nd; i++) {
      unsigned long long t = (unsigned long long)r[i] * 1602176634ull + carry;
      r[i] = (unsigned char)(t % 10);
      carry = t / 10;
    }
    while (carry && nd < CAP) {
      r[nd++] = (unsigned char)(carry % 10);
      carry /= 10;
    }
  }
  e += q->t2 / 2;
  char text[CAP + 32];
  int n = 0;
  if (neg) text[n++] = '-';
  for (int i = nd - 1; i >= 0; i--)
    text[n++] = (char)('0' + r[i]);
  snprintf(text + n, sizeof(text) - (size_t)n, "e%ld", e);
  *out = strtod(text, NULL);
  return 1;
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

  qty q = qty_one();
  int has_unit = 0;
  if (*rest) {
    if (!starts_factor(rest) && *rest != '/') {
      snprintf(why, whylen, "'%s' is not a number (expected %s %s, e.g. '%s')", buf, art, name,
               sample);
      return QS_ERR_TYPE;
    }
    uparser u;
    if (!parse_unit(rest, &q, &u)) {
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
  } else if (!exact_value(num, &q, &v)) {
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
    if (!exact_value(t, q, &y)) return 0;
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
  qty q = qty_one();
  uparser u;
  double back;
  char num[64];
  if (!unit[0] || parse_unit(unit, &q, &u)) {
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

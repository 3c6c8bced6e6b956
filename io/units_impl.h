/* Internal to io/units*.c: the dimension vector over the SI base units, the parsed form of a unit
 * expression (qty) and the parser state, shared by the public entry points (units.c) and the
 * unit-expression parser with its exact decimal conversion (units_expr.c). */
#ifndef QLEDSIM_UNITS_IMPL_H
#define QLEDSIM_UNITS_IMPL_H

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
  const char *p; /* cursor */
  int depth;
  int bad;       /* 1: unknown unit word, 2: malformed */
  char word[64]; /* the offending word or a description of the problem */
} uparser;

/* Character classes of the number and unit syntax. */
static inline int is_space(char c) {
  return c == ' ' || c == '\t';
}
static inline int is_digit(char c) {
  return c >= '0' && c <= '9';
}
static inline int is_middot(const char *p) {
  return (unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xb7;
}
static inline int is_word_char(const char *p) {
  unsigned char c = (unsigned char)*p;
  if (c >= 0x80) return !is_middot(p);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline int starts_factor(const char *p) {
  return is_word_char(p) || *p == '(' || *p == '%';
}

/* The dimensionless unit: scale 1, all exponents 0. */
qty unitsi_qty_one(void);
/* Parse a whole unit expression (already trimmed of leading space) into *q; on failure returns
 * 0 and u->bad / u->word say why. */
int unitsi_parse_unit(const char *text, qty *q, uparser *u);
/* num (a checked decimal number) times the exact scale of q, rounded once by strtod. Returns 0
 * when the scale has no exact decimal form. */
int unitsi_exact_value(const char *num, const qty *q, double *out);

#endif

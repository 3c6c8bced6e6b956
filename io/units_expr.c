/* Unit expressions: the table of unit symbols and SI prefixes, a small parser (products, '/',
 * powers, parentheses, SI prefixes) that tracks the dimension as a vector of doubled exponents
 * over the SI base units so that square roots such as (cm/V)^0.5 stay exact, and the exact
 * decimal conversion of a number times such a unit. Used by units.c through units_impl.h. */
#include "io/units_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- unit expression parser ------------------------------------------------------------ */

static void skip_ws(uparser *u) {
  while (is_space(*u->p))
    u->p++;
}

qty unitsi_qty_one(void) {
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
      *q = unitsi_qty_one();
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
    *q = unitsi_qty_one();
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
    *q = unitsi_qty_one(); /* "/cm^3" */
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
int unitsi_parse_unit(const char *text, qty *q, uparser *u) {
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
int unitsi_exact_value(const char *num, const qty *q, double *out) {
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

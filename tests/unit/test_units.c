/* units_parse / units_format: every documented spelling, the dimension check, the messages for
 * wrong input, and the exact format -> parse round trip. */
#include "io/qserr.h"
#include "io/units.h"
#include "physics/constants.h"
#include "check.h"

#include <stdint.h>
#include <string.h>

static double parse_ok(const char *text, unit_dim d) {
  double v = NAN;
  char why[512] = "";
  int rc = units_parse(text, d, 0, &v, why, sizeof(why));
  CHECK(rc == 0, "'%s' (%s) failed: %s", text, units_dim_name(d), why);
  return v;
}

static void expect_ok(const char *text, unit_dim d, double want) {
  CHECK_CLOSE(parse_ok(text, d), want, 1e-15, 0.0);
}

static void expect_fail(const char *text, unit_dim d, int allow_inf, qs_errclass cls,
                        const char *sub1, const char *sub2) {
  double v = 12345.0;
  char why[512] = "";
  int rc = units_parse(text, d, allow_inf, &v, why, sizeof(why));
  CHECK(rc == (int)cls, "'%s': got class %d (%s), want %s", text, rc, why, qs_errclass_name(cls));
  CHECK(v == 12345.0, "'%s': output written on failure", text);
  CHECK(!sub1 || strstr(why, sub1), "'%s': message '%s' lacks '%s'", text, why, sub1);
  CHECK(!sub2 || strstr(why, sub2), "'%s': message '%s' lacks '%s'", text, why, sub2);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}

int main(void) {
  const double eV = PHYS_EV;
  /* the examples of the brief */
  expect_ok("40 nm", UNIT_LENGTH, 40e-9);
  expect_ok("1e-4 cm^2/Vs", UNIT_MOBILITY, 1e-8);
  expect_ok("1e-4 cm^2/(V s)", UNIT_MOBILITY, 1e-8);
  expect_ok("1e-4 cm2/Vs", UNIT_MOBILITY, 1e-8);
  expect_ok("1e-4 cm^2/V/s", UNIT_MOBILITY, 1e-8);
  expect_ok("1e-4 cm^2 V^-1 s^-1", UNIT_MOBILITY, 1e-8);
  expect_ok("1e18 cm^-3", UNIT_DENSITY, 1e24);
  expect_ok("1e18 /cm^3", UNIT_DENSITY, 1e24);
  expect_ok("1e18 cm-3", UNIT_DENSITY, 1e24);
  expect_ok("-5.4 eV", UNIT_ENERGY, -5.4 * eV);
  expect_ok("300 K", UNIT_TEMPERATURE, 300.0);
  expect_ok("0.1 V", UNIT_VOLTAGE, 0.1);
  expect_ok("10 ns", UNIT_TIME, 10e-9);
  expect_ok("1e5 V/cm", UNIT_FIELD, 1e7);
  expect_ok("3e-4 (cm/V)^0.5", UNIT_SQRT_INV_FIELD, 3e-5);
  expect_ok("3e-4 (cm/V)^(1/2)", UNIT_SQRT_INV_FIELD, 3e-5);
  expect_ok("3e-4 cm^0.5 V^-0.5", UNIT_SQRT_INV_FIELD, 3e-5);
  expect_ok("1e-10 cm^3/s", UNIT_RATE_BIMOLECULAR, 1e-16);
  expect_ok("1e-29 cm^6/s", UNIT_RATE_AUGER, 1e-41);
  expect_ok("10 mA/cm^2", UNIT_CURRENT_DENSITY, 100.0);
  expect_ok("350 g/mol", UNIT_MOLAR_MASS, 0.35);
  expect_ok("50 %", UNIT_NONE, 0.5);
  /* YAML numbers are SI */
  expect_ok("1e26", UNIT_DENSITY, 1e26);
  expect_ok("1.0E-4", UNIT_MOBILITY, 1e-4);
  expect_ok("-5", UNIT_NONE, -5.0);
  expect_ok(".5", UNIT_NONE, 0.5);
  expect_ok("+2.", UNIT_NONE, 2.0);
  expect_ok("  7 nm  ", UNIT_LENGTH, 7e-9);
  expect_ok("7nm", UNIT_LENGTH, 7e-9);
  /* prefixes and other units */
  expect_ok("5 \xc3\x85", UNIT_LENGTH, 5e-10);     /* Å U+00C5 */
  expect_ok("5 \xe2\x84\xab", UNIT_LENGTH, 5e-10); /* Å U+212B */
  expect_ok("5 angstrom", UNIT_LENGTH, 5e-10);
  expect_ok("2 \xc2\xb5m", UNIT_LENGTH, 2e-6); /* µm micro sign */
  expect_ok("2 \xce\xbcm", UNIT_LENGTH, 2e-6); /* μm Greek mu */
  expect_ok("2 um", UNIT_LENGTH, 2e-6);
  expect_ok("3 pm", UNIT_LENGTH, 3e-12);
  expect_ok("1 mm", UNIT_LENGTH, 1e-3);
  expect_ok("80 meV", UNIT_ENERGY, 0.08 * eV);
  expect_ok("1 J", UNIT_ENERGY, 1.0);
  expect_ok("1e-19 C V", UNIT_ENERGY, 1e-19);
  expect_ok("1 MV/cm", UNIT_FIELD, 1e8);
  expect_ok("2 kV/m", UNIT_FIELD, 2e3);
  expect_ok("1 ps", UNIT_TIME, 1e-12);
  expect_ok("1 us", UNIT_TIME, 1e-6);
  expect_ok("1e5 cm/s", UNIT_VELOCITY, 1e3);
  expect_ok("1e12 cm^-2", UNIT_AREAL_DENSITY, 1e16);
  expect_ok("2500 mV", UNIT_VOLTAGE, 2.5);
  expect_ok("1 kg/mol", UNIT_MOLAR_MASS, 1.0);
  expect_ok("1 A/m^2", UNIT_CURRENT_DENSITY, 1.0);
  expect_ok("1 W/A", UNIT_VOLTAGE, 1.0);
  expect_ok("1 C/F", UNIT_VOLTAGE, 1.0);
  expect_ok("1 nm/nm", UNIT_NONE, 1.0);
  expect_ok("2 cm*cm/V/s", UNIT_MOBILITY, 2e-4);
  expect_ok("2 cm\xc2\xb7"
            "cm/(V\xc2\xb7"
            "s)",
            UNIT_MOBILITY, 2e-4); /* middle dot */
  expect_ok("1e-4 m^2/(V*s)", UNIT_MOBILITY, 1e-4);
  expect_ok("4 eV^2/eV", UNIT_ENERGY, 4 * eV);
  expect_ok("1 Hz s", UNIT_NONE, 1.0);

  /* infinity only where allowed, and only as a word */
  double v = 0;
  CHECK(units_parse("inf", UNIT_TIME, 1, &v, NULL, 0) == 0 && isinf(v) && v > 0, "inf");
  CHECK(units_parse(".inf", UNIT_TIME, 1, &v, NULL, 0) == 0 && isinf(v), ".inf");
  CHECK(units_parse("Infinity", UNIT_TIME, 1, &v, NULL, 0) == 0 && isinf(v), "Infinity");
  CHECK(units_parse("-.Inf", UNIT_TIME, 1, &v, NULL, 0) == 0 && isinf(v) && v < 0, "-.Inf");
  CHECK(units_parse("inf cm/s", UNIT_VELOCITY, 1, &v, NULL, 0) == 0 && isinf(v), "inf cm/s");
  expect_fail("inf", UNIT_LENGTH, 0, QS_ERR_RANGE, "'inf' is not finite", "e.g. '40 nm'");
  expect_fail("1e400", UNIT_NONE, 1, QS_ERR_RANGE, "too large", NULL);
  expect_fail("1e306 km", UNIT_LENGTH, 1, QS_ERR_RANGE, "too large", NULL);
  expect_fail("nan", UNIT_LENGTH, 1, QS_ERR_RANGE, "'nan' is not a number", NULL);
  expect_fail(".NaN", UNIT_LENGTH, 1, QS_ERR_RANGE, "is not a number", NULL);

  /* wrong dimension: say what was found and what is expected, with an example */
  expect_fail("1e-4 cm^2", UNIT_MOBILITY, 0, QS_ERR_UNIT,
              "unit 'cm^2' is an area, expected a mobility (e.g. '1e-4 cm^2/Vs')", NULL);
  expect_fail("5 A", UNIT_LENGTH, 0, QS_ERR_UNIT, "unit 'A' is a current, expected a length", NULL);
  expect_fail("27 C", UNIT_TEMPERATURE, 0, QS_ERR_UNIT, "is a charge, expected a temperature",
              "'300 K'");
  expect_fail("300 eV", UNIT_TEMPERATURE, 0, QS_ERR_UNIT, "is an energy", NULL);
  expect_fail("40 nm", UNIT_NONE, 0, QS_ERR_UNIT, "expected a dimensionless number", NULL);
  expect_fail("50 %", UNIT_LENGTH, 0, QS_ERR_UNIT, "unit '%' is dimensionless", NULL);
  expect_fail("1 m^5", UNIT_LENGTH, 0, QS_ERR_UNIT, "dimension m^5", NULL);
  expect_fail("1 cm^-3", UNIT_AREAL_DENSITY, 0, QS_ERR_UNIT, "is a density", NULL);
  expect_fail("1 Hz", UNIT_TIME, 0, QS_ERR_UNIT, "is a rate (1/s), expected a time", NULL);
  expect_fail("1 cm/V", UNIT_SQRT_INV_FIELD, 0, QS_ERR_UNIT, "expected a Poole-Frenkel", NULL);
  /* unknown and malformed units */
  expect_fail("40 nmm", UNIT_LENGTH, 0, QS_ERR_UNIT, "unknown unit 'nmm'", "e.g. '40 nm'");
  expect_fail("40 nm xyz", UNIT_LENGTH, 0, QS_ERR_UNIT, "unknown unit 'xyz'", NULL);
  expect_fail("40 Nm", UNIT_LENGTH, 0, QS_ERR_UNIT, "unknown unit 'Nm'", NULL);
  expect_fail("40 nm)", UNIT_LENGTH, 0, QS_ERR_UNIT, "malformed unit", NULL);
  expect_fail("1 cm^", UNIT_LENGTH, 0, QS_ERR_UNIT, "malformed unit", NULL);
  expect_fail("1 (cm", UNIT_LENGTH, 0, QS_ERR_UNIT, "malformed unit", NULL);
  expect_fail("1 cm^0.25", UNIT_LENGTH, 0, QS_ERR_UNIT, "not a multiple of 1/2", NULL);
  expect_fail("1 (cm^0.5)^0.5", UNIT_LENGTH, 0, QS_ERR_UNIT, "fractional power", NULL);
  /* not numbers at all */
  expect_fail("", UNIT_LENGTH, 0, QS_ERR_TYPE, "empty value", "e.g. '40 nm'");
  expect_fail("   ", UNIT_LENGTH, 0, QS_ERR_TYPE, "empty value", NULL);
  expect_fail(NULL, UNIT_LENGTH, 0, QS_ERR_TYPE, "empty value", NULL);
  expect_fail("abc", UNIT_LENGTH, 0, QS_ERR_TYPE, "'abc' is not a number", "expected a length");
  expect_fail("nm", UNIT_LENGTH, 0, QS_ERR_TYPE, "is not a number", NULL);
  expect_fail("1.2.3", UNIT_NONE, 0, QS_ERR_TYPE, "'1.2.3' is not a number", NULL);
  expect_fail("5 5", UNIT_NONE, 0, QS_ERR_TYPE, "is not a number", NULL);
  expect_fail("1,5", UNIT_NONE, 0, QS_ERR_TYPE, "is not a number", NULL);
  expect_fail("--5", UNIT_NONE, 0, QS_ERR_TYPE, "is not a number", NULL);
  expect_fail(".", UNIT_NONE, 0, QS_ERR_TYPE, "is not a number", NULL);
  expect_fail("0x10", UNIT_NONE, 0, QS_ERR_UNIT, "unknown unit 'x'", NULL);

  /* names and samples */
  CHECK(strcmp(units_dim_name(UNIT_MOBILITY), "mobility") == 0, "dim name");
  CHECK(strcmp(units_dim_example(UNIT_LENGTH), "nm") == 0, "dim example");
  CHECK(strcmp(units_dim_sample(UNIT_ENERGY), "-5.4 eV") == 0, "dim sample");
  for (int d = 0; d < UNIT_COUNT_; d++) { /* every sample parses as its own dimension */
    double s;
    CHECK(units_parse(units_dim_sample((unit_dim)d), (unit_dim)d, 0, &s, NULL, 0) == 0,
          "sample of %s", units_dim_name((unit_dim)d));
  }

  /* format: customary units, short, exact */
  char buf[96];
  CHECK(!strcmp(units_format(40e-9, UNIT_LENGTH, buf, sizeof(buf)), "40 nm"), "got %s", buf);
  CHECK(!strcmp(units_format(-5.4 * eV, UNIT_ENERGY, buf, sizeof(buf)), "-5.4 eV"), "got %s", buf);
  CHECK(!strcmp(units_format(1e-8, UNIT_MOBILITY, buf, sizeof(buf)), "0.0001 cm^2/Vs"), "got %s",
        buf);
  CHECK(!strcmp(units_format(1e24, UNIT_DENSITY, buf, sizeof(buf)), "1e18 cm^-3"), "got %s", buf);
  CHECK(!strcmp(units_format(300, UNIT_TEMPERATURE, buf, sizeof(buf)), "300 K"), "got %s", buf);
  CHECK(!strcmp(units_format(1e-8, UNIT_TIME, buf, sizeof(buf)), "10 ns"), "got %s", buf);
  CHECK(!strcmp(units_format(3e-5, UNIT_SQRT_INV_FIELD, buf, sizeof(buf)), "0.0003 (cm/V)^0.5"),
        "got %s", buf);
  CHECK(!strcmp(units_format(0.5, UNIT_NONE, buf, sizeof(buf)), "0.5"), "got %s", buf);
  CHECK(!strcmp(units_format(INFINITY, UNIT_TIME, buf, sizeof(buf)), "inf"), "got %s", buf);
  CHECK(!strcmp(units_format(1e-6, UNIT_LENGTH, buf, sizeof(buf)), "1000 nm"), "got %s", buf);

  /* round trip on random doubles of every magnitude, in every dimension */
  int bad = 0, tried = 0;
  for (int i = 0; i < 20000; i++) {
    uint64_t bits = rng();
    double x;
    if (i % 2) { /* uniformly random bit patterns (all magnitudes) */
      memcpy(&x, &bits, sizeof(x));
      if (!isfinite(x)) continue;
    } else { /* physically sized values */
      x = ldexp((double)(bits >> 11), -53) * pow(10.0, (double)(int)(rng() % 80) - 40);
      if (bits & 1) x = -x;
    }
    unit_dim d = (unit_dim)(i % UNIT_COUNT_);
    units_format(x, d, buf, sizeof(buf));
    double y;
    tried++;
    if (units_parse(buf, d, 0, &y, NULL, 0) != 0 || memcmp(&x, &y, sizeof(x)) != 0) {
      if (bad++ < 5) CHECK(0, "round trip of %.17g (%s): '%s'", x, units_dim_name(d), buf);
    }
  }
  CHECK(bad == 0, "%d of %d round trips failed", bad, tried);
  /* signed zero and extremes */
  double xs[] = {0.0, -0.0, 5e-324, -5e-324, 1.7976931348623157e308, 2.2250738585072014e-308};
  for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++)
    for (int d = 0; d < UNIT_COUNT_; d++) {
      double y;
      units_format(xs[i], (unit_dim)d, buf, sizeof(buf));
      CHECK(units_parse(buf, (unit_dim)d, 0, &y, NULL, 0) == 0 &&
                memcmp(&xs[i], &y, sizeof(y)) == 0,
            "round trip of %g (%s): '%s'", xs[i], units_dim_name((unit_dim)d), buf);
    }
  CHECK_DONE();
}

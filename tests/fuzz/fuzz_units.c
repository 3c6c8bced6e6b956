/* libFuzzer harness for the unit parser and the YAML tree.
 *  - units_parse on the input for every dimension: no crash/UB; a rejection has a reason and a
 *    known class; an accepted value is finite (or an allowed inf) and units_format gives text
 *    that parses back to exactly the same double.
 *  - yt_parse_string on the input: an accepted document emits YAML that parses back to an equal
 *    tree (yt_equal). */
#include "io/qserr.h"
#include "io/units.h"
#include "io/yamltree.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_units(const char *text) {
  for (int d = 0; d < UNIT_COUNT_; d++) {
    for (int allow_inf = 0; allow_inf < 2; allow_inf++) {
      double si = 0;
      char why[256];
      why[0] = '\0';
      int rc = units_parse(text, (unit_dim)d, allow_inf, &si, why, sizeof(why));
      if (rc) {
        if (why[0] == '\0' || rc < QS_ERR_FILE || rc > QS_ERR_OTHER) {
          fprintf(stderr, "units_parse('%s', %d): rc %d, reason '%s'\n", text, d, rc, why);
          abort();
        }
        continue;
      }
      if (isnan(si) || (isinf(si) && !allow_inf)) {
        fprintf(stderr, "units_parse('%s', %d) accepted %g\n", text, d, si);
        abort();
      }
      if (isinf(si)) continue;
      char buf[128];
      units_format(si, (unit_dim)d, buf, sizeof(buf));
      double back = 0;
      if (units_parse(buf, (unit_dim)d, 0, &back, why, sizeof(why)) || back != si) {
        fprintf(stderr, "units_format round trip: '%s' -> %.17g -> '%s' -> %.17g (%s)\n", text,
                si, buf, back, why);
        abort();
      }
    }
  }
}

static void check_yaml(const char *text) {
  yt_node *root = NULL;
  qs_err err;
  memset(&err, 0, sizeof(err));
  if (yt_parse_string(text, "fuzz.yaml", &root, &err)) {
    if (err.msg[0] == '\0') abort();
    return;
  }
  char *out = yt_emit_string(root);
  if (!out) abort();
  yt_node *again = NULL;
  if (yt_parse_string(out, "emitted.yaml", &again, &err) || !yt_equal(root, again)) {
    fprintf(stderr, "yt_emit round trip failed (%s)\n--- emitted:\n%s\n", err.msg, out);
    abort();
  }
  yt_free(again);
  free(out);
  yt_free(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 16 * 1024) return 0;
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  if (size <= 256) check_units(text);
  check_yaml(text);
  free(text);
  return 0;
}

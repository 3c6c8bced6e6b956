/* User-facing error reports and the did-you-mean helper shared by units, YAML and config. */
#define QS_FAIL_DEFINITION
#include "io/qserr.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int qs_fail(qs_err *err, qs_errclass cls, const char *fmt, ...) {
  if (cls == QS_OK) cls = QS_ERR_OTHER;
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    err->cls = cls;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
  }
  return (int)cls;
}

const char *qs_errclass_name(qs_errclass cls) {
  switch (cls) {
  case QS_OK:
    return "ok";
  case QS_ERR_FILE:
    return "file";
  case QS_ERR_SYNTAX:
    return "syntax";
  case QS_ERR_KEY:
    return "key";
  case QS_ERR_TYPE:
    return "type";
  case QS_ERR_UNIT:
    return "unit";
  case QS_ERR_RANGE:
    return "range";
  case QS_ERR_MATERIAL:
    return "material";
  case QS_ERR_OTHER:
    return "other";
  }
  return "other";
}

int qs_edit_distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 200 || m > 200) return (int)(n > m ? n : m); /* names are short; do not waste time */
  /* three rolling rows: i-2, i-1, i */
  int *buf = malloc(3 * (m + 1) * sizeof(int));
  if (!buf) return (int)(n > m ? n : m);
  int *r2 = buf, *r1 = buf + (m + 1), *r0 = buf + 2 * (m + 1);
  for (size_t j = 0; j <= m; j++)
    r1[j] = (int)j;
  for (size_t i = 1; i <= n; i++) {
    r0[0] = (int)i;
    int ca = tolower((unsigned char)a[i - 1]);
    for (size_t j = 1; j <= m; j++) {
      int cb = tolower((unsigned char)b[j - 1]);
      int d = r1[j - 1] + (ca != cb);
      if (r1[j] + 1 < d) d = r1[j] + 1;
      if (r0[j - 1] + 1 < d) d = r0[j - 1] + 1;
      if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
          tolower((unsigned char)a[i - 2]) == cb && r2[j - 2] + 1 < d)
        d = r2[j - 2] + 1;
      r0[j] = d;
    }
    int *t = r2;
    r2 = r1;
    r1 = r0;
    r0 = t;
  }
  int d = r1[m];
  free(buf);
  return d;
}

const char *qs_suggest(const char *word, const char *const *cands, int ncands) {
  if (!word || !*word) return NULL;
  /* at most 2 edits, and fewer edits than the word has characters ("xy" is not a typo of "Nc") */
  int len = (int)strlen(word), limit = len - 1 < 2 ? len - 1 : 2;
  const char *best = NULL;
  int bestd = limit + 1;
  for (int i = 0; i < ncands; i++) {
    if (!cands[i] || strcmp(cands[i], word) == 0) continue;
    int d = qs_edit_distance(word, cands[i]);
    if (d < bestd) {
      bestd = d;
      best = cands[i];
    }
  }
  return best;
}

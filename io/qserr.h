/* User-facing error reports for input problems (config, units, files). PETSc errors travel as
 * PetscErrorCode; this is for messages a user acts on: "FILE:LINE:COL: KEY: what is wrong". */
#ifndef QLEDSIM_QSERR_H
#define QLEDSIM_QSERR_H

#include <stddef.h>

#define QS_ERR_MAX 2048

typedef enum {
  QS_OK = 0,
  QS_ERR_FILE,     /* file missing, unreadable, unwritable */
  QS_ERR_SYNTAX,   /* YAML syntax error */
  QS_ERR_KEY,      /* unknown or missing key, duplicate name */
  QS_ERR_TYPE,     /* wrong kind of value (map where a scalar is expected, not a number, ...) */
  QS_ERR_UNIT,     /* unknown unit or unit of the wrong dimension */
  QS_ERR_RANGE,    /* value out of its physical range, NaN/Inf, inconsistent values */
  QS_ERR_MATERIAL, /* unknown material or broken database entry */
  QS_ERR_OTHER
} qs_errclass;

typedef struct {
  qs_errclass cls;
  char msg[QS_ERR_MAX];
} qs_err;

/* Format a message into err (if err is non-NULL) and return the class (non-zero). */
int qs_fail(qs_err *err, qs_errclass cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#if defined(__clang_analyzer__) && !defined(QS_FAIL_DEFINITION)
/* For clang-tidy's static analyzer only (it cannot see into qserr.c): a failure report returns
 * non-zero, as documented above. Without this, every "rc = qs_fail(...)" is also explored as if
 * it returned 0, which gives false leak and null-pointer reports. Compiled code is unchanged. */
#define qs_fail(...) (qs_fail(__VA_ARGS__) | 1)
#endif
/* Short name of an error class ("syntax", "unknown-key", ...), used in messages and tests. */
const char *qs_errclass_name(qs_errclass cls);

/* Optimal-string-alignment edit distance between a and b, ignoring ASCII case. */
int qs_edit_distance(const char *a, const char *b);
/* The candidate closest to word if it is a plausible misspelling (edit distance <= 2 and less
 * than the length of word, case ignored; so a case-only difference always matches), else NULL.
 * Candidates equal to word are skipped. */
const char *qs_suggest(const char *word, const char *const *cands, int ncands);

#endif

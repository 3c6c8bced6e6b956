/* Minimal assertion helpers for qledsim's C tests: count failures, report them with file and
 * line, and make main() return non-zero if any check failed. */
#ifndef QLEDSIM_TEST_CHECK_H
#define QLEDSIM_TEST_CHECK_H

#include <math.h>
#include <stdio.h>

static int check_failures_ = 0;
static int check_count_ = 0;

#define CHECK(cond, ...)                                                                       \
  do {                                                                                         \
    check_count_++;                                                                            \
    if (!(cond)) {                                                                             \
      check_failures_++;                                                                       \
      fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond);                \
      fprintf(stderr, __VA_ARGS__);                                                            \
      fputc('\n', stderr);                                                                     \
    }                                                                                          \
  } while (0)

/* |a - b| <= atol + rtol |b| (b is the reference value). */
#define CHECK_CLOSE(a, b, rtol, atol)                                                          \
  do {                                                                                         \
    double a_ = (a), b_ = (b);                                                                 \
    CHECK(isfinite(a_) && fabs(a_ - b_) <= (atol) + (rtol) * fabs(b_),                         \
          "%s = %.17g, %s = %.17g, rel diff %.3g (rtol %g, atol %g)", #a, a_, #b, b_,          \
          b_ != 0 ? fabs(a_ - b_) / fabs(b_) : fabs(a_ - b_), (double)(rtol), (double)(atol)); \
  } while (0)

#define CHECK_DONE()                                                                           \
  do {                                                                                         \
    fprintf(stderr, "%s: %d checks, %d failed\n", __FILE__, check_count_, check_failures_);    \
    return check_failures_ ? 1 : 0;                                                            \
  } while (0)

#endif

/* Summary figures of merit on synthetic curves with known answers. L = exp(k (V - V1)) crosses
 * 1 cd/m^2 exactly at V1, and log-linear interpolation is exact for it, so V_on must come out to
 * rounding; J(V) exponential likewise at the reference bias. EQE maxima only count points at or
 * above 1 cd/m^2. Half-EQE current and 1000 cd/m^2 roll-off on a piecewise-linear EQE. */
#include "check.h"
#include "physics/fom.h"

int main(void) {
  enum { N = 41 };
  double V[N], J[N], L[N], EQE[N], g[N], CE[N], PE[N];
  int conv[N];
  const double V1 = 2.137, k = 6.0;
  for (int i = 0; i < N; i++) {
    V[i] = 0.2 * i;
    J[i] = 1e-3 * exp(3.0 * V[i]);
    L[i] = exp(k * (V[i] - V1));
    /* EQE rises to 0.2 at 3 V then falls linearly, 0.02 per volt; a spurious high value far
     * below turn-on must be ignored */
    EQE[i] = V[i] < 0.5 ? 0.9 : (V[i] <= 3.0 ? 0.2 * V[i] / 3.0 : 0.2 - 0.02 * (V[i] - 3.0));
    g[i] = EQE[i] / 0.2;
    CE[i] = 100 * EQE[i];
    PE[i] = V[i] > 0 ? 3.14159 * CE[i] / V[i] : NAN;
    conv[i] = 1;
  }
  conv[20] = 0; /* a failed point (4 V) is skipped */
  fom_curve c = {N, V, J, L, EQE, g, CE, PE, conv};
  fom_summary s;
  fom_summarise(&c, 5.0, &s);
  CHECK_CLOSE(s.V_on, V1, 1e-12, 0.0);
  CHECK_CLOSE(s.J_at_V_on, 1e-3 * exp(3.0 * V1), 1e-12, 0.0);
  CHECK_CLOSE(s.EQE_max, 0.2, 1e-12, 0.0);
  CHECK_CLOSE(s.V_at_EQE_max, 3.0, 1e-12, 0.0);
  CHECK_CLOSE(s.J_at_V_ref, 1e-3 * exp(15.0), 1e-12, 0.0);
  CHECK_CLOSE(s.L_at_V_ref, exp(k * (5.0 - V1)), 1e-12, 0.0);
  /* L = 1000 at V = V1 + ln(1000)/k; EQE there from the linear piece */
  const double v1000 = V1 + log(1000.0) / k;
  const double eqe1000 = v1000 <= 3.0 ? 0.2 * v1000 / 3.0 : 0.2 - 0.02 * (v1000 - 3.0);
  CHECK_CLOSE(s.EQE_at_1000, eqe1000, 1e-9, 0.0);
  /* EQE = 0.1 at 8 V, the last point: half of the maximum is reached exactly there */
  CHECK_CLOSE(s.J_half, 1e-3 * exp(24.0), 1e-9, 0.0);
  /* nothing reaches turn-on: NaN, not a made-up number */
  for (int i = 0; i < N; i++) L[i] = 1e-3;
  fom_summarise(&c, 5.0, &s);
  CHECK(isnan(s.V_on) && isnan(s.EQE_max) && isnan(s.CE_max), "not reached -> NaN");
  CHECK_DONE();
}

#include "physics/contact.h"
#include "physics/constants.h"

#include <math.h>

double contact_image_force(double E, double eps, double *dphi_dE) {
  const double Es = 1e3;
  const double r = sqrt(E * E + Es * Es);
  /* (E + r)/2 without cancellation for E < 0; its derivative (1 + E/r)/2 equals Ep / r */
  const double Ep = E >= 0.0 ? 0.5 * (E + r) : 0.5 * Es * Es / (r - E), dEp = Ep / r;
  const double C = sqrt(PHYS_Q / (4.0 * PHYS_PI * eps)); /* [sqrt(V m)] */
  const double phi = PHYS_Q * C * (sqrt(Ep) - sqrt(0.5 * Es));
  *dphi_dE = PHYS_Q * C * dEp / (2.0 * sqrt(Ep));
  return phi;
}

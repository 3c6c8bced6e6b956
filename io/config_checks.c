/* Checks of a built device that need more than one key: models that depend on the temperature,
 * and doping the layer's states cannot hold. */
#include "io/config_impl.h"
#include "physics/constants.h"
#include "physics/gaussfermi.h"
#include "physics/mobility.h"

/* Gauss-Fermi statistics: a band holds at most N electrons (or holes) per m^3, so a layer
 * doped above that cannot be neutral anywhere and its equilibrium bends the bands by thousands
 * of volts (measured: a 235 nm layer with N_D = 2.7e25 m^-3 on N_c = 1.1e24 m^-3). Boltzmann
 * statistics have no such ceiling and are not checked. */
static int check_doping(const dev_device *dev, int l, const yt_node *where, qs_err *err) {
  const dev_layer *ly = &dev->layers[l];
  if (ly->statistics != DEV_STAT_GAUSS_FERMI) return 0;
  const double dop[2] = {ly->N_D, ly->N_A}, N[2] = {ly->cb.N, ly->vb.N};
  for (int b = 0; b < 2; b++)
    if (dop[b] > N[b])
      return cfgi_fail_at(err, QS_ERR_RANGE, where, 0, "device.layers",
                          "layer %s: %s = %.4g m^-3 exceeds the %s site density %s = %.4g m^-3; "
                          "with Gauss-Fermi statistics the layer could never be neutral (lower "
                          "the doping or raise %s)",
                          ly->name, b ? "N_A" : "N_D", dop[b], b ? "hole" : "electron",
                          b ? "Nv" : "Nc", N[b], b ? "Nv" : "Nc");
  return 0;
}

int cfgi_check_layer_models(const dev_device *dev, const yt_node *layers, qs_err *err) {
  for (int l = 0; l < dev->nlayers; l++) {
    const yt_node *where = yt_get(yt_child(layers, l), "name");
    int rc;
    if ((rc = check_doping(dev, l, where, err))) return rc;
    for (int b = 0; b < 2; b++) { /* models that depend on T: check them at this T */
      mob_band mb;
      char why[160];
      const dev_band *band = b ? &dev->layers[l].vb : &dev->layers[l].cb;
      const double s = band->sigma / (PHYS_KB * dev->T);
      if (dev->layers[l].statistics == DEV_STAT_GAUSS_FERMI && !(s <= GF_S_MAX))
        return cfgi_fail_at(err, QS_ERR_RANGE, where, 0, "device.layers",
                            "layer %s: %s DOS width sigma_%c = %.4g eV is %.3g kT at T = %g K "
                            "(after any blend disorder); Gauss-Fermi statistics are tabulated "
                            "up to sigma = %g kT (raise the temperature or lower sigma)",
                            dev->layers[l].name, b ? "hole" : "electron", b ? 'p' : 'n',
                            band->sigma / PHYS_EV, s, dev->T, GF_S_MAX);
      if (mob_band_init(&mb, band, dev->T, why, sizeof(why)))
        return cfgi_fail_at(err, QS_ERR_RANGE, where, 0, "device.layers",
                            "layer %s: %s mobility: %s at T = %g K", dev->layers[l].name,
                            b ? "hole" : "electron", why, dev->T);
    }
  }
  return 0;
}

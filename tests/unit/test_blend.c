/* Cross-linker blend models (physics/blend.c) and their configuration.
 * - fraction 0 gives the host exactly (every value bit-identical);
 * - Hoesterey-Letson reduces to mu_host for dE << kT at small c (factor 1 - c/(1-c) to first order)
 *   and to the trap-controlled limit (1-c)/c exp(-dE/kT) for deep traps;
 * - dilution is monotone decreasing in c and is 1 at c = 0;
 * - weight -> site fraction with the molar masses per site (hand-computed);
 * - the disorder model's sigma is the standard deviation of the two-component mixture;
 * - a shallower-HOMO cross-linker with traps on becomes a Gaussian hole-trap distribution of
 *   density c N0 at the HOMO offset, and "6 %" reads as 0.06;
 * - the resolved YAML of a blended device reloads to the same device (bit-identical). */
#include "check.h"
#include "io/config.h"
#include "physics/blend.h"
#include "physics/constants.h"

#include <stdlib.h>
#include <string.h>

static const char *yaml =
    "temperature: 300 K\n"
    "device:\n"
    "  anode: {work_function: 5.1 eV}\n"
    "  cathode: {work_function: 4.2 eV}\n"
    "  layers:\n"
    "    - name: HTL\n"
    "      thickness: 35 nm\n"
    "      material: {eps_r: 3, homo: -5.4 eV, lumo: -2.5 eV, Nc: 1e27, Nv: 1e27, mu_n: 1e-10,\n"
    "                 mu_p: 1e-6, statistics: gauss-fermi, sigma_n: 0.1 eV, sigma_p: 0.1 eV}\n"
    "      blend: {crosslinker: X, fraction: 6 %, crosslinker_homo: -5.2 eV, crosslinker_lumo: -2.3 eV,\n"
    "              crosslinker_molar_mass: 500 g/mol, host_molar_mass: 688 g/mol,\n"
    "              model: [hoesterey-letson, dilution, disorder], traps: true}\n"
    "    - {name: ETL, thickness: 40 nm, material: {eps_r: 8, homo: -7.6 eV, lumo: -4.2 eV,\n"
    "       Nc: 1e25, Nv: 1e25, mu_n: 1e-7, mu_p: 1e-10}}\n";

static int load(const char *text, const char *set, cfg_config *cfg) {
  qs_err err;
  const char *sets[] = {set};
  const int rc = cfg_load_string(text, "<blend>", sets, set ? 1 : 0, cfg, &err);
  if (rc) fprintf(stderr, "%s\n", err.msg);
  return rc;
}

static void models(void) {
  const double kT = PHYS_KB * 300;
  CHECK_CLOSE(blend_hoesterey_letson(1e-4, 1e-3 * kT, kT), 1.0, 2e-4, 0.0);
  const double c = 0.01, dE = 0.4 * PHYS_EV;
  /* deep traps: 1/(1 + x) -> 1/x, relative difference ~ 1/x = 1.9e-5 here */
  CHECK_CLOSE(blend_hoesterey_letson(c, dE, kT), (1 - c) / c * exp(-dE / kT), 1e-4, 0.0);
  CHECK(blend_hoesterey_letson(0.1, -0.2 * PHYS_EV, kT) == 1.0, "deeper cross-linker: no trapping");
  CHECK(blend_dilution(0.0, 1e27, 1.2e-10) == 1.0, "dilution at c = 0");
  double prev = 1.0;
  for (double cc = 0.02; cc < 0.5; cc += 0.02) {
    const double f = blend_dilution(cc, 1e27, 1.2e-10);
    CHECK(f < prev, "dilution monotone: %g at c = %g", f, cc);
    prev = f;
  }
  /* mixture of two Gaussians of widths s1, s2 and centres dE apart: variance check */
  CHECK_CLOSE(blend_disorder_sigma(0.25, 0.1, 0.08, 0.3),
              sqrt(0.75 * 0.01 + 0.25 * 0.0064 + 0.25 * 0.75 * 0.09), 1e-14, 0.0);
  dev_blend b = {.fraction = 0.06, .fraction_weight = 1, .xl_molar_mass = 0.5, .host_molar_mass = 0.688};
  CHECK_CLOSE(blend_site_fraction(&b), (0.06 / 500) / (0.06 / 500 + 0.94 / 688), 1e-14, 0.0);
  b.host_molar_mass = 0;
  CHECK(blend_site_fraction(&b) < 0, "weight fraction without molar mass is refused");
}

static void config(void) {
  cfg_config h, z, c, r;
  CHECK(load(yaml, "layers.HTL.blend.fraction=0", &z) == 0, "fraction 0 loads");
  /* host reference: the same layer without the blend key */
  char *hostyaml = strdup(yaml);
  *strstr(hostyaml, "      blend:") = '\0';
  char *full = malloc(strlen(yaml) + 1);
  strcpy(full, hostyaml);
  strcat(full, strstr(yaml, "    - {name: ETL"));
  CHECK(load(full, NULL, &h) == 0, "host-only config");
  const dev_layer *L0 = &z.dev.layers[0], *H = &h.dev.layers[0];
  CHECK(L0->E_homo == H->E_homo && L0->E_lumo == H->E_lumo && L0->vb.mu0 == H->vb.mu0 &&
            L0->cb.mu0 == H->cb.mu0 && L0->vb.sigma == H->vb.sigma && L0->ntraps == 0,
        "fraction 0 gives the host exactly");
  CHECK(load(yaml, NULL, &c) == 0, "blend loads");
  const dev_layer *L = &c.dev.layers[0];
  const double cs = L->blend.site_fraction;
  CHECK_CLOSE(cs, (0.06 / 500) / (0.06 / 500 + 0.94 / 688), 1e-14, 0.0);
  CHECK_CLOSE(L->E_homo, (1 - cs) * -5.4 * PHYS_EV + cs * -5.2 * PHYS_EV, 1e-14, 0.0);
  CHECK(L->ntraps == 1 && L->traps[0].hole && L->traps[0].shape == DEV_TRAP_GAUSSIAN,
        "a shallower cross-linker HOMO becomes a Gaussian hole trap");
  CHECK_CLOSE(L->traps[0].density, cs * 1e27, 1e-14, 0.0);
  CHECK_CLOSE(L->traps[0].depth, -5.2 * PHYS_EV - L->E_homo, 1e-12, 0.0);
  CHECK(L->vb.sigma > 0.1 * PHYS_EV && L->vb.mu0 < 1e-6, "disorder widens sigma, mobility drops");
  printf("site fraction %.5f, HOMO %.4f eV, mu_p %.4e m^2/Vs, sigma_p %.4f eV, traps %.3e m^-3\n",
         cs, L->E_homo / PHYS_EV, L->vb.mu0, L->vb.sigma / PHYS_EV, L->traps[0].density);
  char *text = cfg_resolved_yaml(&c);
  CHECK(text && load(text, NULL, &r) == 0, "resolved YAML loads");
  const dev_layer *R = &r.dev.layers[0];
  CHECK(R->E_homo == L->E_homo && R->vb.mu0 == L->vb.mu0 && R->vb.sigma == L->vb.sigma &&
            R->ntraps == L->ntraps && R->traps[0].depth == L->traps[0].depth &&
            R->blend.site_fraction == cs,
        "resolved YAML reproduces the blended layer");
  char *text2 = cfg_resolved_yaml(&r);
  CHECK(text2 && strcmp(strchr(text, '\n'), strchr(text2, '\n')) == 0, "resolved YAML is a fixed point");
  free(text);
  free(text2);
  free(hostyaml);
  free(full);
  cfg_free(&h);
  cfg_free(&z);
  cfg_free(&c);
  cfg_free(&r);
}

/* No model given: chosen from the levels. Shallower cross-linker (-5.2 vs host -5.4 eV): no
 * mobility formula, its sites as hole traps (unless traps is given); deeper (-6.0 eV):
 * dilution, no traps; the host mobility then drops, and it does not with the shallower one. */
static void auto_model(void) {
  char *text = strdup(yaml);
  char *m = strstr(text, "model: [hoesterey-letson, dilution, disorder], traps: true}");
  CHECK(m != NULL, "fixture has the model key");
  if (!m) return;
  strcpy(m, "traps: false}\n"); /* cuts the text here: the ETL line is added back below */
  char *full = malloc(strlen(yaml) + 64);
  const char *etl = strstr(yaml, "    - {name: ETL");
  strcpy(full, text);
  strcat(full, etl);
  char *no_traps = strstr(full, "traps: false}");
  cfg_config a, b, c;
  CHECK(load(full, NULL, &a) == 0, "shallower cross-linker without model loads");
  const dev_blend *ba = &a.dev.layers[0].blend;
  CHECK(ba->model_auto && ba->mobility_models == 0 && ba->traps == 0,
        "shallower, traps: false given: no mobility model, no traps");
  memmove(no_traps, no_traps + strlen("traps: false"), strlen(no_traps + strlen("traps: false")) + 1);
  CHECK(load(full, NULL, &b) == 0, "shallower cross-linker without model or traps loads");
  const dev_blend *bb = &b.dev.layers[0].blend;
  CHECK(bb->model_auto && bb->mobility_models == 0 && bb->traps == 1 && b.dev.layers[0].ntraps > 0,
        "shallower: cross-linker sites become hole traps");
  CHECK(load(full, "layers.HTL.blend.crosslinker_homo=-6.0 eV", &c) == 0, "deeper cross-linker loads");
  const dev_blend *bc = &c.dev.layers[0].blend;
  CHECK(bc->model_auto && bc->mobility_models == DEV_BLEND_MOB_DILUTION && bc->traps == 0 &&
            c.dev.layers[0].vb.mu0 < c.dev.layers[0].host.mu_p,
        "deeper: dilution lowers the hole mobility");
  free(text);
  free(full);
  cfg_free(&a);
  cfg_free(&b);
  cfg_free(&c);
}

int main(void) {
  models();
  config();
  auto_model();
  CHECK_DONE();
}

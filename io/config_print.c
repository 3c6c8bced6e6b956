/* Human-readable summary of a resolved configuration (for `qledsim check` and run logs), in the
 * units device people read: nm, eV, cm^-3, cm^2/Vs. */
#include "io/config_impl.h"
#include "physics/constants.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define EV PHYS_EV

/* Value in a customary unit, or "inf" / "-". */
static const char *fmt(char *buf, size_t n, double v, double unit, const char *f) {
  if (isinf(v))
    snprintf(buf, n, "%s", v > 0 ? "inf" : "-inf");
  else
    snprintf(buf, n, f, v / unit);
  return buf;
}

static void print_contact(FILE *f, const char *which, const dev_contact *c, const dev_layer *L,
                          int anode) {
  char s1[32], s2[32];
  double barrier = anode ? (-L->E_homo - c->work_function) : (c->work_function + L->E_lumo);
  fprintf(f, "  %-8s work function %.3f eV; %s barrier to the %s of %s (%.3f eV): %+.3f eV\n",
          which, c->work_function / EV, anode ? "hole" : "electron", anode ? "HOMO" : "LUMO",
          L->name, (anode ? L->E_homo : L->E_lumo) / EV, barrier / EV);
  fprintf(f, "  %-8s image-force lowering %s, S_n %s cm/s, S_p %s cm/s\n", "",
          c->image_force ? "on" : "off", fmt(s1, sizeof(s1), c->S_n, 1e-2, "%.3g"),
          fmt(s2, sizeof(s2), c->S_p, 1e-2, "%.3g"));
}

static const char *mobility(char *buf, size_t n, const dev_band *b) {
  if (b->mobility == DEV_MOB_POOLE_FRENKEL)
    snprintf(buf, n, "%.3g PF(%.3g)", b->mu0 / 1e-4, b->pf_gamma / 1e-1);
  else if (b->mobility == DEV_MOB_EGDM)
    snprintf(buf, n, "%.3g EGDM@%gK", b->mu0 / 1e-4, b->T_ref);
  else if (b->mobility == DEV_MOB_GDM)
    snprintf(buf, n, "%.3g GDM@%gK", b->mu0 / 1e-4, b->T_ref);
  else
    snprintf(buf, n, "%.3g", b->mu0 / 1e-4);
  return buf;
}

void cfg_print(const cfg_config *cfg, FILE *f) {
  const dev_device *d = &cfg->dev;
  char a[64], b[64], c[64], e[64];
  fprintf(f, "Device from %s\n", cfg->path ? cfg->path : "<string>");
  if (cfg->materials_dir) fprintf(f, "  materials from %s\n", cfg->materials_dir);
  fprintf(f, "  temperature %g K, %d layer%s, total thickness %.4g nm, outcoupling %g\n", d->T,
          d->nlayers, d->nlayers == 1 ? "" : "s", dev_thickness(d) / 1e-9, d->outcoupling);
  if (d->nlayers > 0) {
    fprintf(f, "\nContacts\n");
    print_contact(f, "anode", &d->anode, &d->layers[0], 1);
    print_contact(f, "cathode", &d->cathode, &d->layers[d->nlayers - 1], 0);
  }

  fprintf(f, "\nLayers (anode -> cathode)\n");
  fprintf(f, "  %-2s %-10s %-16s %9s %6s %9s %9s %7s\n", "#", "name", "material", "d [nm]", "eps_r",
          "HOMO [eV]", "LUMO [eV]", "Eg [eV]");
  for (int i = 0; i < d->nlayers; i++) {
    const dev_layer *L = &d->layers[i];
    fprintf(f, "  %-2d %-10s %-16s %9.4g %6.3g %9.3f %9.3f %7.3f\n", i, L->name, L->material,
            L->thickness / 1e-9, L->eps_r, L->E_homo / EV, L->E_lumo / EV,
            (L->E_lumo - L->E_homo) / EV);
  }

  fprintf(f, "\nTransport (mobilities in cm^2/Vs; PF(gamma) in (cm/V)^0.5)\n");
  fprintf(f, "  %-2s %-10s %11s %11s %-20s %-20s %s\n", "#", "name", "Nc [cm^-3]", "Nv [cm^-3]",
          "mu_n", "mu_p", "statistics");
  for (int i = 0; i < d->nlayers; i++) {
    const dev_layer *L = &d->layers[i];
    char st[64];
    if (L->statistics == DEV_STAT_GAUSS_FERMI)
      snprintf(st, sizeof(st), "gauss-fermi (sigma_n %.3g eV, sigma_p %.3g eV)", L->cb.sigma / EV,
               L->vb.sigma / EV);
    else
      snprintf(st, sizeof(st), "boltzmann");
    fprintf(f, "  %-2d %-10s %11.3g %11.3g %-20s %-20s %s\n", i, L->name, L->cb.N / 1e6,
            L->vb.N / 1e6, mobility(a, sizeof(a), &L->cb), mobility(b, sizeof(b), &L->vb), st);
  }

  fprintf(f, "\nDoping and recombination\n");
  fprintf(f, "  %-2s %-10s %11s %11s %8s %10s %10s %9s %11s %11s\n", "#", "name", "N_D [cm^-3]",
          "N_A [cm^-3]", "langevin", "tau_n [ns]", "tau_p [ns]", "E_t [eV]", "C_n [cm6/s]",
          "C_p [cm6/s]");
  for (int i = 0; i < d->nlayers; i++) {
    const dev_layer *L = &d->layers[i];
    fprintf(f, "  %-2d %-10s %11.3g %11.3g %8.3g %10s %10s %9.3f %11.3g %11.3g\n", i, L->name,
            L->N_D / 1e6, L->N_A / 1e6, L->langevin, fmt(a, sizeof(a), L->tau_n, 1e-9, "%.3g"),
            fmt(b, sizeof(b), L->tau_p, 1e-9, "%.3g"), L->E_t / EV, L->C_n / 1e-12, L->C_p / 1e-12);
  }

  fprintf(f, "\nEmission\n");
  fprintf(f, "  %-2s %-10s %-8s %6s %9s %9s\n", "#", "name", "emissive", "PLQY", "peak [nm]",
          "FWHM [nm]");
  for (int i = 0; i < d->nlayers; i++) {
    const dev_layer *L = &d->layers[i];
    if (L->emissive)
      fprintf(f, "  %-2d %-10s %-8s %6.3g %9.4g %9.4g\n", i, L->name, "yes", L->plqy,
              L->peak_wavelength / 1e-9, L->fwhm / 1e-9);
    else
      fprintf(f, "  %-2d %-10s %-8s %6s %9s %9s\n", i, L->name, "no", "-", "-", "-");
  }

  int any = 0;
  for (int i = 0; i < d->nlayers; i++) any += d->layers[i].ntraps;
  for (int i = 0; i < d->ninterfaces; i++) any += d->interfaces[i].ntraps;
  if (any) {
    static const char *const shape[] = {"discrete", "gaussian", "exponential"};
    fprintf(f, "\nTraps (depth from the LUMO for electron traps, from the HOMO for hole traps)\n");
    for (int i = 0; i < d->nlayers + d->ninterfaces; i++) {
      const int is_if = i >= d->nlayers;
      const dev_trap *t = is_if ? d->interfaces[i - d->nlayers].traps : d->layers[i].traps;
      const int n = is_if ? d->interfaces[i - d->nlayers].ntraps : d->layers[i].ntraps;
      char where[2 * DEV_NAME_MAX + 2];
      if (is_if)
        snprintf(where, sizeof(where), "%s/%s", d->layers[d->interfaces[i - d->nlayers].left].name,
                 d->layers[d->interfaces[i - d->nlayers].left + 1].name);
      else
        snprintf(where, sizeof(where), "%s", d->layers[i].name);
      for (int k = 0; k < n; k++)
        fprintf(f, "  %-14s %-8s %-11s %10.3g %s, depth %.3f eV, width %.3f eV, c_n %.3g c_p %.3g cm^3/s\n",
                where, t[k].hole ? "hole" : "electron", shape[t[k].shape],
                t[k].density / (is_if ? 1e4 : 1e6), is_if ? "cm^-2" : "cm^-3", t[k].depth / EV,
                t[k].width / EV, t[k].c_n * 1e6, t[k].c_p * 1e6);
    }
  }

  for (int i = 0; i < d->nlayers; i++) {
    const dev_layer *L = &d->layers[i];
    const dev_blend *bl = &L->blend;
    if (!bl->active) continue;
    static const char *const mods[] = {"hoesterey-letson", "dilution", "disorder", "table"};
    char models[128] = "";
    for (int k = 0; k < 4; k++)
      if (bl->mobility_models & (1 << k))
        snprintf(models + strlen(models), sizeof(models) - strlen(models), "%s%s",
                 models[0] ? "+" : "", mods[k]);
    fprintf(f, "\nBlend in %s: host %s + cross-linker %s at %g %s fraction (site fraction %.4g)\n",
            L->name, L->material, bl->crosslinker, bl->fraction, bl->fraction_weight ? "weight" : "site",
            bl->site_fraction);
    fprintf(f, "  cross-linker HOMO %.3f eV, LUMO %.3f eV; levels %s; mobility model %s%s\n",
            bl->xl_homo / EV, bl->xl_lumo / EV,
            bl->levels == DEV_BLEND_LEVELS_LINEAR ? "linear" : bl->levels == DEV_BLEND_LEVELS_HOST ? "host" : "table",
            models[0] ? models : "none", bl->traps ? "; cross-linker sites as traps" : "");
    if (bl->model_auto)
      fprintf(f, "  (model not given: chosen because the cross-linker HOMO is %s than the host's)\n",
              bl->xl_homo > L->host.E_homo ? "shallower" : "not shallower");
    fprintf(f, "  effective HOMO %.4f eV (host %.4f), LUMO %.4f eV (host %.4f)\n", L->E_homo / EV,
            L->host.E_homo / EV, L->E_lumo / EV, L->host.E_lumo / EV);
    fprintf(f, "  effective mu_p %.4g cm^2/Vs (host %.4g, x%.4g), mu_n %.4g cm^2/Vs (host %.4g, x%.4g)\n",
            L->vb.mu0 / 1e-4, L->host.mu_p / 1e-4, bl->mu_p_factor, L->cb.mu0 / 1e-4,
            L->host.mu_n / 1e-4, bl->mu_n_factor);
    if (L->statistics == DEV_STAT_GAUSS_FERMI)
      fprintf(f, "  DOS width sigma_p %.4f eV (host %.4f), sigma_n %.4f eV (host %.4f)\n",
              L->vb.sigma / EV, L->host.sigma_p / EV, L->cb.sigma / EV, L->host.sigma_n / EV);
    fprintf(f, "  cross-linker trap density %.4g cm^-3\n", bl->trap_density / 1e6);
  }

  fprintf(f, "\nHeterointerfaces (recombination across the interface)\n");
  for (int i = 0; i + 1 < d->nlayers; i++) {
    const dev_interface *x = dev_find_interface(d, i);
    const double dEc = (d->layers[i + 1].E_lumo - d->layers[i].E_lumo) / EV;
    const double dEv = (d->layers[i + 1].E_homo - d->layers[i].E_homo) / EV;
    fprintf(f, "  %s/%s: LUMO step %+.3f eV, HOMO step %+.3f eV; ", d->layers[i].name,
            d->layers[i + 1].name, dEc, dEv);
    if (x)
      fprintf(f, "prefactor %g, width %.3g nm, %s (PLQY %g)\n", x->prefactor, x->width / 1e-9,
              x->emissive ? "emissive" : "loss", x->plqy);
    else
      fprintf(f, "no cross-interface recombination\n");
  }

  fprintf(f, "\nBias: %d point%s", cfg->nV, cfg->nV == 1 ? "" : "s");
  if (cfg->nV > 0) {
    if (cfg->sweep.mode == CFG_SWEEP_RANGE)
      fprintf(f, " from %g V to %g V, step %g V\n", cfg->sweep.from, cfg->sweep.to,
              cfg->sweep.step);
    else
      fprintf(f, " (list), first %g V, last %g V\n", cfg->V[0], cfg->V[cfg->nV - 1]);
  } else {
    fprintf(f, "\n");
  }
  fprintf(f, "Mesh: %d nodes, h_min %s nm, max ratio %g\n", cfg->mesh.nodes,
          fmt(c, sizeof(c), cfg->mesh.h_min, 1e-9, "%.3g"), cfg->mesh.max_ratio);
  fprintf(f, "Solver: max_newton %d, max_halvings %d, max_update %g kT/q, max_step %g V, PETSc "
             "options: %s\n",
          cfg->solver.max_newton, cfg->solver.max_halvings, cfg->solver.max_update,
          cfg->solver.max_step,
          cfg->solver.petsc_options ? cfg->solver.petsc_options : "(none)");
  fprintf(f, "Output: file %s, fields ", cfg->output.file ? cfg->output.file : "(default)");
  if (cfg->output.fields == CFG_FIELDS_ALL)
    fprintf(f, "at every bias\n");
  else if (cfg->output.fields == CFG_FIELDS_NONE)
    fprintf(f, "none\n");
  else {
    for (int i = 0; i < cfg->output.nfield_V; i++)
      fprintf(f, "%s%s V", i ? ", " : "", fmt(e, sizeof(e), cfg->output.field_V[i], 1, "%g"));
    fprintf(f, "%s\n", cfg->output.nfield_V ? "" : "(empty list)");
  }
}

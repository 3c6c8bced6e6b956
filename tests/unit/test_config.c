/* Config loading: a valid device gives exactly the expected SI values; every broken config in
 * tests/data/configs/bad_NAME.yaml gives the error class, line and message its first line promises;
 * --set overrides; the resolved YAML reloads to a bit-identical cfg_config; cfg_print. */
#define _POSIX_C_SOURCE 200809L
#include "io/config.h"
#include "physics/constants.h"
#include "check.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static const double eV = PHYS_EV;

static const char *testdata(void) {
  const char *d = getenv("QLEDSIM_TESTDATA");
  return d ? d : "tests/data";
}

static char *path_of(const char *rel) {
  static char buf[4][1024];
  static int k = 0;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof(buf[k]), "%s/%s", testdata(), rel);
  return buf[k];
}

static int load(const char *rel, const char *const *sets, int nsets, cfg_config *cfg) {
  qs_err err = {0};
  int rc = cfg_load(path_of(rel), sets, nsets, cfg, &err);
  CHECK(rc == 0, "%s: %s", rel, err.msg);
  return rc;
}

#define SAME(a, b)                                                                                 \
  CHECK(memcmp(&(a), &(b), sizeof(a)) == 0, "%s differs: %.17g vs %.17g", #a, (double)(a),         \
        (double)(b))

/* Every field that the simulation reads must come back bit-identical. */
static void check_same(const cfg_config *x, const cfg_config *y) {
  const dev_device *a = &x->dev, *b = &y->dev;
  SAME(a->T, b->T);
  SAME(a->outcoupling, b->outcoupling);
  const dev_contact *ca[2] = {&a->anode, &a->cathode}, *cb[2] = {&b->anode, &b->cathode};
  for (int i = 0; i < 2; i++) {
    SAME(ca[i]->work_function, cb[i]->work_function);
    SAME(ca[i]->image_force, cb[i]->image_force);
    SAME(ca[i]->S_n, cb[i]->S_n);
    SAME(ca[i]->S_p, cb[i]->S_p);
  }
  CHECK(a->nlayers == b->nlayers, "nlayers");
  for (int i = 0; i < a->nlayers && i < b->nlayers; i++) {
    const dev_layer *p = &a->layers[i], *q = &b->layers[i];
    CHECK(!strcmp(p->name, q->name) && !strcmp(p->material, q->material), "layer %d names", i);
    SAME(p->thickness, q->thickness);
    SAME(p->eps_r, q->eps_r);
    SAME(p->E_lumo, q->E_lumo);
    SAME(p->E_homo, q->E_homo);
    SAME(p->statistics, q->statistics);
    const dev_band *bp[2] = {&p->cb, &p->vb}, *bq[2] = {&q->cb, &q->vb};
    for (int k = 0; k < 2; k++) {
      SAME(bp[k]->N, bq[k]->N);
      SAME(bp[k]->sigma, bq[k]->sigma);
      SAME(bp[k]->mu0, bq[k]->mu0);
      SAME(bp[k]->mobility, bq[k]->mobility);
      SAME(bp[k]->pf_gamma, bq[k]->pf_gamma);
    }
    SAME(p->N_D, q->N_D);
    SAME(p->N_A, q->N_A);
    SAME(p->langevin, q->langevin);
    SAME(p->tau_n, q->tau_n);
    SAME(p->tau_p, q->tau_p);
    SAME(p->E_t, q->E_t);
    SAME(p->C_n, q->C_n);
    SAME(p->C_p, q->C_p);
    SAME(p->emissive, q->emissive);
    SAME(p->plqy, q->plqy);
    SAME(p->peak_wavelength, q->peak_wavelength);
    SAME(p->fwhm, q->fwhm);
  }
  CHECK(x->nV == y->nV, "nV %d %d", x->nV, y->nV);
  for (int i = 0; i < x->nV && i < y->nV; i++)
    SAME(x->V[i], y->V[i]);
  SAME(x->sweep.mode, y->sweep.mode);
  SAME(x->sweep.from, y->sweep.from);
  SAME(x->sweep.to, y->sweep.to);
  SAME(x->sweep.step, y->sweep.step);
  SAME(x->mesh.nodes, y->mesh.nodes);
  SAME(x->mesh.h_min, y->mesh.h_min);
  SAME(x->mesh.max_ratio, y->mesh.max_ratio);
  SAME(x->solver.max_halvings, y->solver.max_halvings);
  SAME(x->solver.max_newton, y->solver.max_newton);
  SAME(x->solver.max_update, y->solver.max_update);
  CHECK((x->solver.petsc_options == NULL) == (y->solver.petsc_options == NULL) &&
            (!x->solver.petsc_options || !strcmp(x->solver.petsc_options, y->solver.petsc_options)),
        "petsc_options");
  CHECK((x->output.file == NULL) == (y->output.file == NULL) &&
            (!x->output.file || !strcmp(x->output.file, y->output.file)),
        "output.file");
  SAME(x->output.fields, y->output.fields);
  CHECK(x->output.nfield_V == y->output.nfield_V, "nfield_V");
  for (int i = 0; i < x->output.nfield_V && i < y->output.nfield_V; i++)
    SAME(x->output.field_V[i], y->output.field_V[i]);
}

/* resolved YAML -> cfg_load_string -> identical; and resolving again gives the same text */
static void resolved_round_trip(const cfg_config *cfg, const char *what) {
  char *text = cfg_resolved_yaml(cfg);
  CHECK(text != NULL, "%s: no resolved YAML", what);
  if (!text) return;
  cfg_config back;
  qs_err err = {0};
  int rc = cfg_load_string(text, "resolved.yaml", NULL, 0, &back, &err);
  CHECK(rc == 0, "%s: resolved YAML does not load: %s\n%s", what, err.msg, text);
  if (rc == 0) {
    check_same(cfg, &back);
    CHECK(back.materials_dir == NULL, "%s: resolved YAML needs no database", what);
    char *again = cfg_resolved_yaml(&back);
    const char *b1 = strchr(text, '\n'), *b2 = again ? strchr(again, '\n') : NULL;
    CHECK(b1 && b2 && !strcmp(b1, b2), "%s: resolving twice differs", what);
    free(again);
    cfg_free(&back);
  }
  free(text);
}

static void test_good(void) {
  cfg_config cfg;
  if (load("configs/good.yaml", NULL, 0, &cfg)) return;
  const dev_device *d = &cfg.dev;
  CHECK(strstr(cfg.path, "configs/good.yaml") != NULL, "path");
  CHECK(cfg.tree && yt_get(cfg.tree, "device") != NULL, "tree kept");
  CHECK(cfg.materials_dir && strstr(cfg.materials_dir, "configs/../materials"), "materials dir %s",
        cfg.materials_dir);
  CHECK(d->T == 300.0, "T");
  CHECK(d->outcoupling == 0.25, "outcoupling");
  CHECK_CLOSE(d->anode.work_function, 4.8 * eV, 1e-15, 0); /* from the ITO entry */
  CHECK(d->anode.image_force == 0 && isinf(d->anode.S_n) && isinf(d->anode.S_p), "anode");
  CHECK_CLOSE(d->cathode.work_function, 4.2 * eV, 1e-15, 0);
  CHECK(d->cathode.image_force == 1 && d->cathode.S_n == 1e5 && isinf(d->cathode.S_p), "cathode");
  CHECK(d->nlayers == 3, "nlayers");
  if (d->nlayers != 3) return;
  const dev_layer *h = &d->layers[0], *e = &d->layers[1], *t = &d->layers[2];
  CHECK(!strcmp(h->name, "HTL") && !strcmp(h->material, "TFB"), "HTL names");
  CHECK_CLOSE(h->thickness, 35e-9, 1e-15, 0);
  CHECK(h->eps_r == 3.0, "eps_r");
  CHECK_CLOSE(h->E_homo, -5.4 * eV, 1e-15, 0);
  CHECK_CLOSE(h->E_lumo, -2.3 * eV, 1e-15, 0);
  CHECK_CLOSE(h->cb.N, 1e26, 1e-15, 0);
  CHECK_CLOSE(h->vb.N, 1e26, 1e-15, 0);
  CHECK_CLOSE(h->cb.mu0, 1e-10, 1e-15, 0);
  CHECK_CLOSE(h->vb.mu0, 2e-7, 1e-15, 0); /* layer override of the DB's 1e-2 cm^2/Vs */
  CHECK(h->cb.mobility == DEV_MOB_CONSTANT && h->vb.mobility == DEV_MOB_POOLE_FRENKEL, "models");
  CHECK(h->cb.pf_gamma == 0, "pf_gamma_n");
  CHECK_CLOSE(h->vb.pf_gamma, 3e-5, 1e-15, 0);
  CHECK(h->statistics == DEV_STAT_BOLTZMANN && h->cb.sigma == 0 && h->vb.sigma == 0, "stats");
  CHECK(h->N_D == 0 && h->N_A == 0 && h->langevin == 1.0, "doping, langevin");
  CHECK(isinf(h->tau_n) && isinf(h->tau_p) && h->C_n == 0 && h->C_p == 0, "no SRH, no Auger");
  CHECK_CLOSE(h->E_t, -3.85 * eV, 1e-15, 0); /* mid-gap */
  CHECK(h->emissive == 0 && h->plqy == 1.0 && h->peak_wavelength == 0 && h->fwhm == 0, "dark");
  CHECK(!strcmp(e->name, "EML") && !strcmp(e->material, "CdSe-red"), "EML names");
  CHECK_CLOSE(e->thickness, 20e-9, 1e-15, 0);
  CHECK(e->eps_r == 9.0, "EML eps");
  CHECK_CLOSE(e->E_homo, -6.6 * eV, 1e-15, 0);
  CHECK_CLOSE(e->E_lumo, -4.6 * eV, 1e-15, 0);
  CHECK_CLOSE(e->cb.mu0, 1e-8, 1e-15, 0);
  CHECK_CLOSE(e->vb.mu0, 1e-9, 1e-15, 0);
  CHECK_CLOSE(e->tau_n, 20e-9, 1e-15, 0);
  CHECK_CLOSE(e->tau_p, 20e-9, 1e-15, 0);
  CHECK(e->emissive == 1 && e->plqy == 0.9, "plqy from '90 %%' overrides the DB");
  CHECK_CLOSE(e->peak_wavelength, 630e-9, 1e-15, 0);
  CHECK_CLOSE(e->fwhm, 25e-9, 1e-15, 0);
  CHECK_CLOSE(e->E_t, -5.6 * eV, 1e-15, 0);
  CHECK(!strcmp(t->material, "ZnO-np") && t->eps_r == 8.5, "ETL");
  CHECK_CLOSE(t->thickness, 40e-9, 1e-15, 0);
  CHECK_CLOSE(t->cb.N, 2.2e24, 1e-15, 0);
  CHECK_CLOSE(t->vb.N, 1e25, 1e-15, 0);
  CHECK_CLOSE(t->cb.mu0, 1e-7, 1e-15, 0);
  CHECK_CLOSE(t->N_D, 1e23, 1e-15, 0);
  CHECK_CLOSE(dev_thickness(d), 95e-9, 1e-14, 0);
  /* sweep 0..5 V step 0.5 V: 11 points, exact decimal values */
  CHECK(cfg.nV == 11 && cfg.sweep.mode == CFG_SWEEP_RANGE, "nV %d", cfg.nV);
  for (int i = 0; i < cfg.nV; i++)
    CHECK(cfg.V[i] == 0.5 * i, "V[%d] = %.17g", i, cfg.V[i]);
  CHECK(cfg.mesh.nodes == 800 && cfg.mesh.max_ratio == 1.2, "mesh");
  CHECK_CLOSE(cfg.mesh.h_min, 1e-12, 1e-15, 0);
  CHECK(cfg.solver.max_newton == 40 && cfg.solver.max_halvings == 5 && cfg.solver.max_update == 10,
        "solver");
  CHECK(cfg.solver.petsc_options &&
            !strcmp(cfg.solver.petsc_options, "-snes_monitor -ksp_type preonly"),
        "petsc options");
  CHECK(cfg.output.file && !strcmp(cfg.output.file, "out.h5"), "output file");
  CHECK(cfg.output.fields == CFG_FIELDS_LIST && cfg.output.nfield_V == 2 &&
            cfg.output.field_V[0] == 0 && cfg.output.field_V[1] == 3,
        "fields");
  resolved_round_trip(&cfg, "good.yaml");

  /* the printed summary shows the numbers people check */
  FILE *f = tmpfile();
  if (f) {
    cfg_print(&cfg, f);
    long n = ftell(f);
    char *text = calloc((size_t)n + 1, 1);
    rewind(f);
    CHECK(fread(text, 1, (size_t)n, f) == (size_t)n, "read back");
    const char *want[] = {"temperature 300 K",
                          "3 layers",
                          "total thickness 95 nm",
                          "hole barrier to the HOMO of HTL (-5.400 eV): +0.600 eV",
                          "electron barrier to the LUMO of ETL (-4.200 eV): +0.000 eV",
                          "HTL        TFB",
                          "CdSe-red",
                          "-6.600",
                          "0.002 PF(0.0003)",
                          "Bias: 11 points from 0 V to 5 V, step 0.5 V",
                          "Mesh: 800 nodes",
                          "max_newton 40",
                          "-snes_monitor",
                          "fields 0 V, 3 V",
                          "630        25"};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
      CHECK(strstr(text, want[i]), "cfg_print lacks '%s':\n%s", want[i], text);
    free(text);
    fclose(f);
  }
  cfg_free(&cfg);
  CHECK(cfg.tree == NULL && cfg.V == NULL && cfg.dev.layers == NULL, "cfg_free zeroes");
}

static void test_good_inline(void) {
  cfg_config cfg;
  if (load("configs/good_inline.yaml", NULL, 0, &cfg)) return;
  const dev_device *d = &cfg.dev;
  CHECK(cfg.materials_dir == NULL, "no database needed");
  CHECK(d->T == 290 && d->outcoupling == 0.2, "defaults");
  CHECK_CLOSE(d->anode.work_function, 5.2 * eV, 1e-15, 0);
  CHECK(d->cathode.S_p == 10.0 && isinf(d->cathode.S_n), "S_p 1e3 cm/s");
  CHECK(d->nlayers == 2, "nlayers");
  if (d->nlayers != 2) return;
  const dev_layer *h = &d->layers[0], *q = &d->layers[1];
  CHECK(!strcmp(h->name, "HTL-x") && !strcmp(h->material, "my-polymer"), "label");
  CHECK(h->thickness == 4.5e-8, "bare SI thickness");
  CHECK(h->statistics == DEV_STAT_GAUSS_FERMI, "gauss-fermi");
  CHECK_CLOSE(h->cb.sigma, 0.075 * eV, 1e-15, 0);
  CHECK_CLOSE(h->vb.sigma, 0.080 * eV, 1e-15, 0);
  CHECK_CLOSE(h->cb.N, 1e27, 1e-15, 0);
  CHECK_CLOSE(h->cb.mu0, 1e-11, 1e-15, 0);
  CHECK_CLOSE(h->vb.mu0, 3e-8, 1e-15, 0);
  CHECK(h->vb.mobility == DEV_MOB_POOLE_FRENKEL, "PF");
  CHECK_CLOSE(h->vb.pf_gamma, 2e-5, 1e-15, 0);
  CHECK_CLOSE(h->N_A, 1e22, 1e-15, 0);
  CHECK(!strcmp(q->material, "inline"), "unnamed inline material");
  CHECK(q->cb.N == 1e26 && q->cb.mu0 == 1e-8 && q->vb.mu0 == 1e-9, "bare SI values");
  CHECK_CLOSE(q->tau_n, 5e-9, 1e-15, 0);
  CHECK_CLOSE(q->tau_p, 7e-9, 1e-15, 0);
  CHECK_CLOSE(q->E_t, -5.0 * eV, 1e-15, 0);
  CHECK_CLOSE(q->C_n, 1e-41, 1e-15, 0);
  CHECK_CLOSE(q->C_p, 2e-41, 1e-15, 0);
  CHECK(q->langevin == 0.5 && q->emissive && q->plqy == 0.7, "QD");
  CHECK_CLOSE(q->peak_wavelength, 620e-9, 1e-15, 0);
  CHECK_CLOSE(q->fwhm, 30e-9, 1e-15, 0);
  CHECK(cfg.sweep.mode == CFG_SWEEP_POINTS && cfg.nV == 4 && cfg.V[0] == 0 && cfg.V[1] == 1.5 &&
            cfg.V[2] == 2 && cfg.V[3] == 2.5,
        "points");
  CHECK(cfg.mesh.nodes == 600 && cfg.mesh.h_min == 1e-12 && cfg.mesh.max_ratio == 1.25, "defaults");
  CHECK(cfg.solver.max_halvings == 10 && cfg.solver.max_newton == 50 &&
            cfg.solver.max_update == 5 && cfg.solver.petsc_options == NULL,
        "solver defaults");
  CHECK(cfg.output.file == NULL && cfg.output.fields == CFG_FIELDS_NONE, "output");
  resolved_round_trip(&cfg, "good_inline.yaml");
  cfg_free(&cfg);
}

/* "# expect: CLASS LINE "sub" "sub" ..." on the first line of each bad_*.yaml */
static int run_bad(const char *file) {
  char rel[512];
  snprintf(rel, sizeof(rel), "configs/%s", file);
  const char *path = path_of(rel);
  FILE *f = fopen(path, "r");
  char head[1024] = "";
  if (!f || !fgets(head, sizeof(head), f)) {
    CHECK(0, "%s: cannot read", path);
    if (f) fclose(f);
    return 0;
  }
  fclose(f);
  char cls[32];
  int line, off;
  if (sscanf(head, "# expect: %31s %d %n", cls, &line, &off) != 2) {
    CHECK(0, "%s: no '# expect:' line", file);
    return 0;
  }
  cfg_config cfg;
  qs_err err = {0};
  int rc = cfg_load(path, NULL, 0, &cfg, &err);
  CHECK(rc != 0 && rc == (int)err.cls, "%s: loaded without error", file);
  CHECK(!strcmp(qs_errclass_name(err.cls), cls), "%s: class %s, want %s: %s", file,
        qs_errclass_name(err.cls), cls, err.msg);
  CHECK(cfg.tree == NULL && cfg.dev.layers == NULL && cfg.V == NULL, "%s: cfg not cleared", file);
  char where[600];
  snprintf(where, sizeof(where), "%s:%d:", file, line);
  CHECK(strstr(err.msg, line > 0 ? where : file), "%s: message lacks '%s': %s", file, where,
        err.msg);
  CHECK(strstr(err.msg, path) == err.msg, "%s: message does not start with the path: %s", file,
        err.msg);
  for (const char *p = head + off; (p = strchr(p, '"'));) {
    const char *q = strchr(p + 1, '"');
    if (!q) break;
    char sub[256];
    snprintf(sub, sizeof(sub), "%.*s", (int)(q - p - 1), p + 1);
    CHECK(strstr(err.msg, sub), "%s: message lacks \"%s\": %s", file, sub, err.msg);
    p = q + 1;
  }
  if (getenv("QLEDSIM_TEST_VERBOSE")) fprintf(stderr, "  %s\n", err.msg);
  return 1;
}

static void test_bad(void) {
  DIR *d = opendir(path_of("configs"));
  CHECK(d != NULL, "configs dir");
  if (!d) return;
  char *names[256];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 256)
    if (!strncmp(e->d_name, "bad_", 4) && strstr(e->d_name, ".yaml"))
      names[n++] = strdup(e->d_name);
  closedir(d);
  int ran = 0;
  for (int i = 0; i < n; i++) {
    ran += run_bad(names[i]);
    free(names[i]);
  }
  CHECK(ran >= 40, "only %d broken configs", ran);

  /* a file that does not exist */
  cfg_config cfg;
  qs_err err;
  int rc = cfg_load(path_of("configs/no-such.yaml"), NULL, 0, &cfg, &err);
  CHECK(rc == QS_ERR_FILE &&
            strstr(err.msg, "no-such.yaml: cannot open: No such file or directory"),
        "missing file: %s", err.msg);
  /* not a map at the top */
  rc = cfg_load_string("- 1\n- 2\n", "list.yaml", NULL, 0, &cfg, &err);
  CHECK(rc == QS_ERR_TYPE && strstr(err.msg, "list.yaml:1:1: expected a map"), "list: %s", err.msg);
  /* an empty document lacks the device */
  rc = cfg_load_string("", "empty.yaml", NULL, 0, &cfg, &err);
  CHECK(rc == QS_ERR_KEY && strstr(err.msg, "empty.yaml:1:1: missing key 'device'"), "empty: %s",
        err.msg);
  /* a broken database entry is reported at the database file */
  char text[2048];
  snprintf(text, sizeof(text),
           "materials_dir: %s/materials_bad/wrong_unit\n"
           "device:\n  anode: {work_function: 5 eV}\n  cathode: {work_function: 4 eV}\n"
           "  layers: [{name: L, thickness: 10 nm, material: X}]\n",
           testdata());
  rc = cfg_load_string(text, "dbbroken.yaml", NULL, 0, &cfg, &err);
  CHECK(rc == QS_ERR_MATERIAL && strstr(err.msg, "wrong_unit/a.yaml:6:18"), "broken db: %s",
        err.msg);
}

static void test_set(void) {
  const char *sets[] = {"temperature=310 K",
                        "device.layers.HTL.thickness=50 nm",
                        "layers.EML.thickness = 25 nm ",
                        "anode.work_function=5.3 eV",
                        "layers.0.mu_p=3e-3 cm^2/Vs",
                        "device.layers.EML.material.plqy=0.5",
                        "layers.ETL.material.mu_n=2e-3 cm^2/Vs", /* DB name -> {base: ZnO-np} */
                        "layers.2.statistics=gauss-fermi",
                        "layers.ETL.sigma_n=50 meV",
                        "layers.ETL.sigma_p=0.06 eV",
                        "mesh.nodes=1000",
                        "sweep.to=4 V",
                        "solver.max_newton=7",
                        "output.file=\"my out.h5\"",
                        "output.fields=[1 V, 2 V]"};
  int n = (int)(sizeof(sets) / sizeof(sets[0]));
  cfg_config cfg;
  if (load("configs/good.yaml", sets, n, &cfg)) return;
  const dev_device *d = &cfg.dev;
  CHECK(d->T == 310, "temperature");
  CHECK_CLOSE(d->layers[0].thickness, 50e-9, 1e-15, 0);
  CHECK_CLOSE(d->layers[1].thickness, 25e-9, 1e-15, 0);
  CHECK_CLOSE(d->anode.work_function, 5.3 * eV, 1e-15, 0);
  CHECK_CLOSE(d->layers[0].vb.mu0, 3e-7, 1e-15, 0);
  CHECK(d->layers[1].plqy == 0.5, "plqy in inline map");
  CHECK_CLOSE(d->layers[1].peak_wavelength, 630e-9, 1e-15, 0); /* base kept */
  CHECK_CLOSE(d->layers[2].cb.mu0, 2e-7, 1e-15, 0);
  CHECK(!strcmp(d->layers[2].material, "ZnO-np") && d->layers[2].eps_r == 8.5, "base after --set");
  CHECK(d->layers[2].statistics == DEV_STAT_GAUSS_FERMI, "statistics");
  CHECK_CLOSE(d->layers[2].cb.sigma, 0.05 * eV, 1e-15, 0);
  CHECK(cfg.mesh.nodes == 1000 && cfg.nV == 9 && cfg.V[8] == 4.0, "mesh, sweep");
  CHECK(cfg.solver.max_newton == 7, "solver");
  CHECK(cfg.output.file && !strcmp(cfg.output.file, "my out.h5"), "quoted value");
  CHECK(cfg.output.nfield_V == 2 && cfg.output.field_V[1] == 2.0, "flow list value");
  /* the tree holds the overrides, and the resolved YAML reproduces the result */
  const yt_node *th =
      yt_get(yt_child(yt_get(yt_get(cfg.tree, "device"), "layers"), 0), "thickness");
  CHECK(th && !strcmp(th->text, "50 nm") && strstr(th->file, "--set"), "tree");
  resolved_round_trip(&cfg, "good.yaml with --set");
  cfg_free(&cfg);

  /* a new key through --set is validated like any other */
  struct {
    const char *set;
    qs_errclass cls;
    const char *s1, *s2;
  } bad[] = {
      {"layers.HTL.thickness=-5 nm", QS_ERR_RANGE,
       "--set 'layers.HTL.thickness=-5 nm': device.layers[0] (HTL).thickness: -5 nm is not "
       "positive",
       NULL},
      {"layers.XYZ.thickness=5 nm", QS_ERR_KEY, "no item named 'XYZ' in device.layers",
       "names: HTL, EML, ETL"},
      {"layers.7.thickness=5 nm", QS_ERR_KEY, "index 7 is out of range (device.layers has 3 items)",
       NULL},
      {"layers.HTL.thicknes=5 nm", QS_ERR_KEY,
       "--set 'layers.HTL.thicknes=5 nm': device.layers[0] (HTL)",
       "unknown key 'thicknes' (did you mean 'thickness'?)"},
      {"temperature", QS_ERR_SYNTAX, "--set 'temperature': no '='", "key.path=value"},
      {"=300 K", QS_ERR_SYNTAX, "empty key path", NULL},
      {"mesh..nodes=5", QS_ERR_SYNTAX, "empty component", NULL},
      {"mesh.nodes=ten", QS_ERR_TYPE, "--set 'mesh.nodes=ten': mesh.nodes: 'ten' is not an integer",
       NULL},
      {"temperature.x=1", QS_ERR_TYPE, "temperature is a value ('300 K')", NULL},
      {"sweep.to=[1", QS_ERR_SYNTAX, "--set 'sweep.to=[1'", "YAML syntax error"},
      {"layers.HTL.mu_p=", QS_ERR_TYPE, "device.layers[0] (HTL).mu_p: no value", NULL},
      {"layers.HTL.material=TBF", QS_ERR_MATERIAL, "--set 'layers.HTL.material=TBF'",
       "did you mean 'TFB'?"},
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    qs_err err = {0};
    const char *one[1] = {bad[i].set};
    int rc = cfg_load(path_of("configs/good.yaml"), one, 1, &cfg, &err);
    CHECK(rc == (int)bad[i].cls, "--set %s: class %s: %s", bad[i].set, qs_errclass_name(err.cls),
          err.msg);
    CHECK(strstr(err.msg, bad[i].s1), "--set %s: '%s' lacks '%s'", bad[i].set, err.msg, bad[i].s1);
    CHECK(!bad[i].s2 || strstr(err.msg, bad[i].s2), "--set %s: '%s' lacks '%s'", bad[i].set,
          err.msg, bad[i].s2);
    if (rc == 0) cfg_free(&cfg);
  }
  /* cfg_apply_set on a bare tree */
  yt_node *root = NULL;
  qs_err err;
  CHECK(yt_parse_string("a: 1\n", "x", &root, &err) == 0, "parse");
  CHECK(cfg_apply_set(root, "b.c.d=2", &err) == 0, "creates maps");
  const yt_node *dd = yt_get(yt_get(yt_get(root, "b"), "c"), "d");
  CHECK(dd && !strcmp(dd->text, "2") && dd->line == 0 && !strcmp(dd->file, "--set 'b.c.d=2'"),
        "created");
  CHECK(cfg_apply_set(root, "b={x: [1, 2]}", &err) == 0 && yt_get(root, "b")->kind == YT_MAP,
        "flow map");
  yt_free(root);
}

static void test_misc(void) {
  /* sweeps: exact values, descending, single point, defaults */
  cfg_config cfg;
  qs_err err;
  const char *base = "device:\n  anode: {work_function: 5 eV}\n  cathode: {work_function: 4 eV}\n"
                     "  layers: [{name: L, thickness: 10 nm, material: {eps_r: 3, homo: -5 eV, "
                     "lumo: -3 eV, Nc: 1e26, Nv: 1e26, mu_n: 1e-8, mu_p: 1e-8}}]\n";
  char text[2048];
  snprintf(text, sizeof(text), "%s", base);
  int rc = cfg_load_string(text, "default.yaml", NULL, 0, &cfg, &err);
  CHECK(rc == 0, "%s", err.msg);
  if (rc == 0) {
    CHECK(cfg.nV == 81 && cfg.V[0] == 0 && cfg.V[80] == 8.0 && cfg.V[3] == 0.3 && cfg.V[7] == 0.7,
          "default sweep 0..8 step 0.1: V[3] = %.17g", cfg.V[3]);
    CHECK(cfg.dev.T == 300 && cfg.output.fields == CFG_FIELDS_ALL &&
              !strcmp(cfg.path, "default.yaml"),
          "defaults");
    resolved_round_trip(&cfg, "defaults");
    cfg_free(&cfg);
  }
  snprintf(text, sizeof(text), "%ssweep: {from: 2 V, to: -1 V, step: -0.25 V}\n", base);
  rc = cfg_load_string(text, "down.yaml", NULL, 0, &cfg, &err);
  CHECK(rc == 0 && cfg.nV == 13 && cfg.V[0] == 2 && cfg.V[12] == -1 && cfg.V[4] == 1.0,
        "descending");
  if (rc == 0) cfg_free(&cfg);
  snprintf(text, sizeof(text), "%ssweep: {from: 1 V, to: 1 V, step: 0.1 V}\n", base);
  rc = cfg_load_string(text, "one.yaml", NULL, 0, &cfg, &err);
  CHECK(rc == 0 && cfg.nV == 1 && cfg.V[0] == 1, "single point");
  if (rc == 0) cfg_free(&cfg);
  snprintf(text, sizeof(text), "%ssweep: {from: 0 V, to: 1000 V, step: 0.0001 V}\n", base);
  rc = cfg_load_string(text, "many.yaml", NULL, 0, &cfg, &err);
  CHECK(rc == QS_ERR_RANGE && strstr(err.msg, "more than 1000000"), "too many: %s", err.msg);
  /* the default device path follows QLEDSIM_DATADIR */
  setenv("QLEDSIM_DATADIR", "/opt/q", 1);
  CHECK(!strcmp(cfg_datadir(), "/opt/q") &&
            !strcmp(cfg_default_device_path(), "/opt/q/devices/red.yaml"),
        "datadir");
  rc = cfg_load(NULL, NULL, 0, &cfg, &err);
  CHECK(rc == QS_ERR_FILE && strstr(err.msg, "/opt/q/devices/red.yaml: cannot open"), "default: %s",
        err.msg);
  unsetenv("QLEDSIM_DATADIR");
}

/* The shipped devices (every YAML file in configs/devices, with the real database) must load and
 * reproduce themselves through the resolved YAML. */
static void test_shipped_devices(void) {
  const char *dd = getenv("QLEDSIM_DATADIR");
  if (!dd) return;
  char dir[1024];
  snprintf(dir, sizeof(dir), "%s/devices", dd);
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  int n = 0;
  while ((e = readdir(d))) {
    size_t len = strlen(e->d_name);
    if (len < 6 || strcmp(e->d_name + len - 5, ".yaml")) continue;
    char path[2048];
    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
    cfg_config cfg;
    qs_err err;
    int rc = cfg_load(path, NULL, 0, &cfg, &err);
    CHECK(rc == 0, "shipped device %s: %s", path, err.msg);
    if (rc) continue;
    CHECK(cfg.dev.nlayers > 0 && cfg.nV > 0, "%s", path);
    resolved_round_trip(&cfg, path);
    cfg_free(&cfg);
    n++;
  }
  closedir(d);
  if (getenv("QLEDSIM_TEST_VERBOSE")) fprintf(stderr, "  %d shipped devices checked\n", n);
}

int main(void) {
  test_shipped_devices();
  test_good();
  test_good_inline();
  test_bad();
  test_set();
  test_misc();
  CHECK_DONE();
}

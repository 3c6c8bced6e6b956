/* The io/ pieces `qledsim sweep` stands on: key paths against the schema (cfg_key_query,
 * cfg_value_si), the HDF5 writer's element updates and string arrays, and reading HDF5 back
 * (h5read) bit for bit, including a file written by checkpoint (what --resume and merge read). */
#include "check.h"
#include "io/config_query.h"
#include "io/h5out.h"
#include "io/h5read.h"
#include "physics/constants.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_key_query(void) {
  const struct {
    const char *path;
    int numeric, integer;
    unit_dim dim;
  } ok[] = {{"temperature", 1, 0, UNIT_TEMPERATURE},
            {"layers.HTL.thickness", 1, 0, UNIT_LENGTH},
            {"device.layers.0.thickness", 1, 0, UNIT_LENGTH},
            {"layers.HTL.mu_p", 1, 0, UNIT_MOBILITY},
            {"layers.HTL.material.homo", 1, 0, UNIT_ENERGY},
            {"layers.EML.plqy", 1, 0, UNIT_NONE},
            {"layers.EML.tau_n", 1, 0, UNIT_TIME},
            {"layers.HTL.N_A", 1, 0, UNIT_DENSITY},
            {"layers.HTL.mobility_p", 0, 0, UNIT_NONE},
            {"anode.work_function", 1, 0, UNIT_ENERGY},
            {"cathode.S_n", 1, 0, UNIT_VELOCITY},
            {"device.outcoupling", 1, 0, UNIT_NONE},
            {"outcoupling", 1, 0, UNIT_NONE},
            {"mesh.nodes", 1, 1, UNIT_NONE},
            {"solver.max_newton", 1, 1, UNIT_NONE},
            {"sweep.to", 1, 0, UNIT_VOLTAGE},
            {"device.interfaces.0.width", 1, 0, UNIT_LENGTH},
            {"layers.HTL.blend.fraction", 1, 0, UNIT_NONE},
            {"layers.HTL.blend.crosslinker_homo", 1, 0, UNIT_ENERGY},
            {"layers.HTL.blend.model", 0, 0, UNIT_NONE}};
  for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
    cfg_key_info info;
    qs_err err;
    int rc = cfg_key_query(ok[i].path, &info, &err);
    CHECK(rc == 0, "%s: %s", ok[i].path, err.msg);
    if (rc) continue;
    CHECK(info.numeric == ok[i].numeric && info.integer == ok[i].integer && info.dim == ok[i].dim,
          "%s: numeric %d integer %d dim %d", ok[i].path, info.numeric, info.integer,
          (int)info.dim);
  }
  const char *bad[] = {"", "temperatur", "layers.HTL", "layers.HTL.thicknes", "mesh.nodes.x",
                       "layers.HTL.molar_mass", "anode.homo", "a..b", "layers.HTL.material.x"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    cfg_key_info info;
    qs_err err;
    CHECK(cfg_key_query(bad[i], &info, &err) == QS_ERR_KEY, "'%s' should be unknown", bad[i]);
  }
}

static void test_value_si(void) {
  const char *yaml =
      "device:\n"
      "  anode: {work_function: 5.2 eV}\n"
      "  cathode: {work_function: 3.6 eV}\n"
      "  layers:\n"
      "    - {name: HTL, thickness: 40 nm, material: {eps_r: 3, homo: -5.2 eV, lumo: -2.2 eV,\n"
      "       Nc: 1e26, Nv: 1e26, mu_n: 1e-8, mu_p: 1e-8}}\n"
      "mesh: {nodes: 300}\n";
  const char *sets[] = {"layers.HTL.thickness=30 nm", "temperature=280 K",
                        "layers.HTL.material.mu_p=2e-4 cm^2/Vs"};
  cfg_config cfg;
  qs_err err;
  int rc = cfg_load_string(yaml, "t.yaml", sets, 3, &cfg, &err);
  CHECK(rc == 0, "load: %s", err.msg);
  if (rc) return;
  double si;
  unit_dim d;
  CHECK(cfg_value_si(&cfg, "layers.HTL.thickness", &si, &d, &err) == 0 && si == 30e-9 &&
            d == UNIT_LENGTH && si == cfg.dev.layers[0].thickness,
        "thickness %g", si);
  CHECK(cfg_value_si(&cfg, "device.layers.0.thickness", &si, &d, &err) == 0 && si == 30e-9,
        "by index %g", si);
  CHECK(cfg_value_si(&cfg, "temperature", &si, &d, &err) == 0 && si == 280.0 &&
            si == cfg.dev.T,
        "temperature %g", si);
  CHECK(cfg_value_si(&cfg, "layers.HTL.material.mu_p", &si, &d, &err) == 0 &&
            si == cfg.dev.layers[0].vb.mu0,
        "mu_p %g vs %g", si, cfg.dev.layers[0].vb.mu0);
  CHECK(cfg_value_si(&cfg, "mesh.nodes", &si, &d, &err) == 0 && si == 300, "nodes");
  CHECK(cfg_value_si(&cfg, "layers.HTL.mu_n", &si, &d, &err) == QS_ERR_KEY,
        "absent from the document");
  cfg_free(&cfg);
}

static void test_h5_roundtrip(void) {
  char path[] = "test_sweep_io_XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0, "mkstemp");
  if (fd < 0) return;
  close(fd);
  h5out *h;
  qs_err err;
  CHECK(h5out_open(path, 1, &h, &err) == 0, "open: %s", err.msg);
  const double x[4] = {1.5, NAN, -0.0, 1e-300};
  const int iv[4] = {0, 1, -1, 2};
  const char *s[4] = {"a", "", NULL, "a longer string with UTF-8: \xc2\xb5m"};
  CHECK(h5out_write_doubles(h, "/g/x", x, 4, "m") == 0 && h5out_write_ints(h, "/g/i", iv, 4, "1") == 0 &&
            h5out_write_strings(h, "/g/s", s, 4) == 0 && h5out_write_strings(h, "/g/e", NULL, 0) == 0,
        "write");
  CHECK(h5out_set_double(h, "/g/x", 1, 2.25) == 0 && h5out_set_int(h, "/g/i", 3, 7) == 0 &&
            h5out_set_string(h, "/g/s", 2, "set later") == 0,
        "set");
  CHECK(h5out_set_double(h, "/g/x", 4, 0) != 0, "set past the end fails");
  CHECK(h5out_set_double(h, "/g/nope", 0, 0) != 0, "set on a missing dataset fails");
  CHECK(h5out_attr_string(h, "/g", "text", "multi\nline") == 0 && h5out_attr_int(h, "/g", "n", 42) == 0 &&
            h5out_attr_double(h, "/g", "v", 0.1, "V") == 0,
        "attributes");
  CHECK(h5out_checkpoint(h, &err) == 0, "checkpoint: %s", err.msg);

  /* the checkpointed file is readable while the writer still holds its image */
  h5read *r;
  CHECK(h5read_open(path, &r, &err) == 0, "h5read_open: %s", err.msg);
  if (r) {
    double y[4];
    long l[4];
    char *t[4], *a = NULL, *u = NULL;
    size_t n;
    CHECK(h5read_length(r, "/g/x", &n) == 0 && n == 4, "length");
    CHECK(h5read_doubles(r, "/g/x", y, 4) == 0, "%s", h5read_error(r));
    CHECK(y[0] == 1.5 && y[1] == 2.25 && y[2] == 0 && signbit(y[2]) && y[3] == 1e-300,
          "doubles back bit for bit");
    CHECK(h5read_doubles(r, "/g/x", y, 3) != 0 && strstr(h5read_error(r), "expected 3"),
          "length mismatch reported: %s", h5read_error(r));
    CHECK(h5read_longs(r, "/g/i", l, 4) == 0 && l[0] == 0 && l[2] == -1 && l[3] == 7, "ints");
    CHECK(h5read_strings(r, "/g/s", t, 4) == 0, "%s", h5read_error(r));
    CHECK(!strcmp(t[0], "a") && !strcmp(t[1], "") && !strcmp(t[2], "set later") &&
              !strcmp(t[3], s[3]),
          "strings back");
    for (int i = 0; i < 4; i++)
      free(t[i]);
    CHECK(h5read_length(r, "/g/e", &n) == 0 && n == 0, "empty string dataset");
    CHECK(h5read_attr_string(r, "/g", "text", &a) == 0 && !strcmp(a, "multi\nline"), "string attr");
    free(a);
    long nn;
    double v;
    CHECK(h5read_attr_long(r, "/g", "n", &nn) == 0 && nn == 42, "long attr");
    CHECK(h5read_attr_double(r, "/g", "v", &v) == 0 && v == 0.1, "double attr");
    CHECK(h5read_attr_long(r, "/", "complete", &nn) == 0 && nn == 0, "complete = 0");
    CHECK(h5read_units(r, "/g/x", &u) == 0 && !strcmp(u, "m"), "units");
    free(u);
    char **names;
    CHECK(h5read_list(r, "/g", &names, &n) == 0 && n == 4 && !strcmp(names[0], "e") &&
              !strcmp(names[3], "x"),
          "list");
    h5read_free_strings(names, n);
    CHECK(h5read_exists(r, "/g/x") && !h5read_exists(r, "/g/x/y") && !h5read_exists(r, "/nope/x"),
          "exists");
    CHECK(h5read_attr_string(r, "/g", "missing", &a) != 0 && strstr(h5read_error(r), "missing"),
          "missing attribute reported: %s", h5read_error(r));
    h5read_close(r);
  }
  CHECK(h5out_finish(h, &err) == 0, "finish");
  CHECK(h5read_open("no/such/file.h5", &r, &err) == QS_ERR_FILE && strstr(err.msg, "no such file"),
        "missing file: %s", err.msg);
  CHECK(h5read_open("/proc/self/status", &r, &err) == QS_ERR_FILE && strstr(err.msg, "not an HDF5"),
        "not HDF5: %s", err.msg);
  unlink(path);
}

int main(void) {
  test_key_query();
  test_value_si();
  test_h5_roundtrip();
  CHECK_DONE();
}

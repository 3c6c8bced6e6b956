/* Material database: loading the fixture database, lookups by name and alias, did-you-mean for
 * unknown names, the parameter map for config resolution, and every kind of broken database. */
#define _POSIX_C_SOURCE 200809L
#include "io/config.h"
#include "io/matdb.h"
#include "physics/constants.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

static const char *testdata(void) {
  const char *d = getenv("QLEDSIM_TESTDATA");
  return d ? d : "tests/data";
}

static void test_good(void) {
  char dir[1024];
  snprintf(dir, sizeof(dir), "%s/materials", testdata());
  matdb *db = NULL;
  qs_err err = {0};
  int rc = matdb_open(dir, &db, &err);
  CHECK(rc == 0, "open %s: %s", dir, err.msg);
  if (rc) return;
  CHECK(!strcmp(matdb_dir(db), dir), "dir");
  CHECK(matdb_count(db) == 5, "5 materials, got %d", matdb_count(db));
  /* sorted by name, case-insensitively */
  const char *order[] = {"Al", "CdSe-red", "ITO", "TFB", "ZnO-np"};
  for (int i = 0; i < 5 && i < matdb_count(db); i++)
    CHECK(!strcmp(matdb_get(db, i)->name, order[i]), "order %d: %s", i, matdb_get(db, i)->name);
  CHECK(matdb_get(db, 5) == NULL && matdb_get(db, -1) == NULL, "out of range");

  const matdb_material *tfb = matdb_find(db, "TFB");
  CHECK(tfb && tfb == matdb_find(db, "TFB-pristine"), "alias finds the same material");
  CHECK(matdb_find(db, "tfb") == NULL, "names are case-sensitive");
  CHECK(tfb->role == MATDB_HTL && !strcmp(matdb_role_name(tfb->role), "htl"), "role");
  CHECK(tfb->naliases == 1 && !strcmp(tfb->aliases[0], "TFB-pristine"), "aliases");
  CHECK(strstr(tfb->description, "poly[(9,9-dioctylfluorenyl") == tfb->description, "description");
  CHECK(tfb->notes && strstr(tfb->notes, "Fixture"), "notes");
  CHECK(strstr(tfb->file, "tfb.yaml") && tfb->line == 2, "file %s line %d", tfb->file, tfb->line);
  CHECK(tfb->nparams == 10, "nparams %d", tfb->nparams);
  const matdb_param *homo = matdb_param_get(tfb, "homo");
  CHECK(homo && homo->status == MATDB_REVIEW && !strcmp(homo->source, "test fixture"), "homo");
  CHECK_CLOSE(homo->si, -5.4 * PHYS_EV, 1e-15, 0);
  CHECK(!strcmp(homo->value->text, "-5.4 eV") && homo->value->line == 8, "homo node line %d",
        homo->value->line);
  const matdb_param *mup = matdb_param_get(tfb, "mu_p");
  CHECK(mup && mup->status == MATDB_LITERATURE && mup->note && strstr(mup->note, "SCLC"), "note");
  CHECK_CLOSE(mup->si, 1e-6, 1e-15, 0);
  CHECK(matdb_param_get(tfb, "mobility_p")->si == 1.0, "enum index");
  CHECK_CLOSE(matdb_param_get(tfb, "molar_mass")->si, 0.35, 1e-15, 0);
  CHECK(!strcmp(matdb_status_name(matdb_param_get(tfb, "molar_mass")->status), "derived"),
        "status");
  CHECK(matdb_param_get(tfb, "tau_n") == NULL, "absent parameter");
  /* the parameter map: key -> value node with DB positions */
  const yt_node *pm = tfb->params_map;
  CHECK(pm && pm->kind == YT_MAP && pm->nchildren == 10, "params map");
  const yt_node *h = yt_get(pm, "homo");
  CHECK(h && h->line == 8 && strstr(h->file, "tfb.yaml") && !strcmp(h->text, "-5.4 eV"),
        "map node");
  CHECK(matdb_param_get(matdb_find(db, "CdSe/ZnS-red"), "emissive")->si == 1.0, "bool value");
  CHECK(matdb_find(db, "Al") && strstr(matdb_find(db, "Al")->file, "al.yml"), ".yml files");

  /* unknown names */
  const matdb_material *m = (const matdb_material *)1;
  rc = matdb_lookup(db, "TBF", &m, &err);
  CHECK(rc == QS_ERR_MATERIAL && err.cls == QS_ERR_MATERIAL && m == NULL, "unknown TBF");
  CHECK(strstr(err.msg, "unknown material 'TBF' (did you mean 'TFB'?; searched ") &&
            strstr(err.msg, dir),
        "msg: %s", err.msg);
  rc = matdb_lookup(db, "zno-NP", &m, &err);
  CHECK(rc == QS_ERR_MATERIAL && strstr(err.msg, "did you mean 'ZnO-np'?"), "case: %s", err.msg);
  rc = matdb_lookup(db, "ito", &m, &err);
  CHECK(rc == QS_ERR_MATERIAL && strstr(err.msg, "did you mean 'ITO'?"), "short case: %s", err.msg);
  rc = matdb_lookup(db, "PEDOT:PSS", &m, &err);
  CHECK(rc == QS_ERR_MATERIAL && strstr(err.msg, "known: Al, CdSe-red, ITO, TFB, ZnO-np"),
        "list: %s", err.msg);
  rc = matdb_lookup(db, "TFB-pristine", &m, &err);
  CHECK(rc == 0 && m == tfb, "lookup by alias");

  /* printing for `qledsim materials` */
  FILE *f = tmpfile();
  if (f) {
    CHECK(matdb_print(db, NULL, f, &err) == 0, "print all");
    CHECK(matdb_print(db, "TFB", f, &err) == 0, "print one");
    CHECK(matdb_print(db, "nope", f, &err) == QS_ERR_MATERIAL, "print unknown");
    long n = ftell(f);
    char *text = calloc((size_t)n + 1, 1);
    rewind(f);
    CHECK(fread(text, 1, (size_t)n, f) == (size_t)n, "read back");
    CHECK(strstr(text, "5 materials") && strstr(text, "(also: TFB-pristine)"), "table:\n%s", text);
    CHECK(strstr(text, "mu_p") && strstr(text, "1e-2 cm^2/Vs") && strstr(text, "literature") &&
              strstr(text, "note: SCLC"),
          "details:\n%s", text);
    free(text);
    fclose(f);
  }
  matdb_close(db);
}

static void expect_broken(const char *sub, qs_errclass cls, const char *s1, const char *s2,
                          const char *s3) {
  char dir[1024];
  snprintf(dir, sizeof(dir), "%s/materials_bad/%s", testdata(), sub);
  matdb *db = (matdb *)1;
  qs_err err = {0};
  int rc = matdb_open(dir, &db, &err);
  CHECK(rc == (int)cls && err.cls == cls && db == NULL, "%s: class %d (%s)", sub, rc, err.msg);
  CHECK(strstr(err.msg, s1), "%s: '%s' lacks '%s'", sub, err.msg, s1);
  CHECK(!s2 || strstr(err.msg, s2), "%s: '%s' lacks '%s'", sub, err.msg, s2);
  CHECK(!s3 || strstr(err.msg, s3), "%s: '%s' lacks '%s'", sub, err.msg, s3);
}

static void test_broken(void) {
  expect_broken("dup_name", QS_ERR_MATERIAL, "b.yaml:1: material name 'X' is also used by",
                "a.yaml:1", "unique");
  expect_broken("dup_alias", QS_ERR_MATERIAL, "b.yaml:1: material name 'X'", "a.yaml:1", NULL);
  expect_broken("unknown_param", QS_ERR_MATERIAL, "a.yaml:6:3: parameters: unknown key 'hommo'",
                "did you mean 'homo'?", NULL);
  expect_broken("bad_status", QS_ERR_MATERIAL, "a.yaml:6:", "unknown status 'guessed'",
                "parameters.homo.status");
  expect_broken("missing_source", QS_ERR_MATERIAL, "a.yaml:7:", "parameters.lumo",
                "missing key 'source'");
  expect_broken("empty_source", QS_ERR_MATERIAL, "a.yaml:7:", "non-empty source", NULL);
  expect_broken("wrong_unit", QS_ERR_MATERIAL, "a.yaml:6:", "parameters.homo.value",
                "unit 'nm' is a length, expected an energy");
  expect_broken("syntax", QS_ERR_MATERIAL, "a.yaml:3:", "YAML syntax error", NULL);
  expect_broken("missing_name", QS_ERR_MATERIAL, "a.yaml:1:1", "missing key 'name'", NULL);
  expect_broken("bad_role", QS_ERR_MATERIAL, "a.yaml:3:", "unknown role 'htl2'",
                "did you mean 'htl'?");
  expect_broken("homo_above_lumo", QS_ERR_MATERIAL, "a.yaml:6:", "HOMO -2.0 eV is not below LUMO",
                NULL);
  expect_broken("positive_level", QS_ERR_MATERIAL, "a.yaml:6:", "5.4 eV is positive", NULL);
  expect_broken("short_form", QS_ERR_MATERIAL, "a.yaml:6:", "parameters.homo",
                "{value: ..., status: ..., source:");
  expect_broken("unknown_top_key", QS_ERR_MATERIAL, "a.yaml:2:1: unknown key 'descripton'",
                "did you mean 'description'?", NULL);
  expect_broken("bad_name", QS_ERR_MATERIAL, "a.yaml:1:", "invalid material name 'two words'",
                NULL);
  expect_broken("no-such-directory", QS_ERR_FILE, "no-such-directory: cannot open",
                "No such file or directory", "QLEDSIM_MATERIALS");

  char dir[1024];
  snprintf(dir, sizeof(dir), "%s/materials_bad/empty", testdata());
  matdb *db = NULL;
  qs_err err;
  CHECK(matdb_open(dir, &db, &err) == 0 && matdb_count(db) == 0, "empty database opens");
  const matdb_material *m;
  CHECK(matdb_lookup(db, "X", &m, &err) == QS_ERR_MATERIAL && strstr(err.msg, "is empty"),
        "empty: %s", err.msg);
  matdb_close(db);
}

static void test_default_dir(void) {
  setenv("QLEDSIM_MATERIALS", "/some/where", 1);
  char *d = matdb_default_dir();
  CHECK(d && !strcmp(d, "/some/where"), "env QLEDSIM_MATERIALS: %s", d);
  free(d);
  unsetenv("QLEDSIM_MATERIALS");
  setenv("QLEDSIM_DATADIR", "/data", 1);
  d = matdb_default_dir();
  CHECK(d && !strcmp(d, "/data/materials"), "datadir: %s", d);
  CHECK(!strcmp(cfg_default_device_path(), "/data/devices/red.yaml"), "default device");
  free(d);
}

int main(void) {
  test_good();
  test_broken();
  test_default_dir();
  CHECK_DONE();
}

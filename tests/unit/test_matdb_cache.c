/* The material database cache (io/matdb_cache.c): loads of an unchanged directory share one
 * database; any edit (even one keeping the file's size, made within the same millisecond), an
 * added or removed file, or a broken file is seen by the next load exactly as without the cache;
 * a database still held by a load outlives its replacement in the cache. ASan checks the
 * reference counting (no leak, no use after free). */
#define _POSIX_C_SOURCE 200809L
#include "io/config.h"
#include "io/matdb.h"
#include "physics/constants.h"
#include "check.h"
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256], mdir[300], cdir[300];

static const char *testdata(void) {
  const char *d = getenv("QLEDSIM_TESTDATA");
  return d ? d : "tests/data";
}

static int spill(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f) return 1;
  fputs(text, f);
  return fclose(f) != 0;
}

static int copy(const char *from_dir, const char *name, const char *to_dir) {
  char a[600], b[600];
  snprintf(a, sizeof(a), "%s/%s", from_dir, name);
  snprintf(b, sizeof(b), "%s/%s", to_dir, name);
  char *s = test_read_file(a, NULL);
  int rc = !s || spill(b, s);
  free(s);
  return rc;
}

/* A private copy of the fixture database and of the good config beside it. */
static int make_copy(void) {
  snprintf(root, sizeof(root), "/tmp/qledsim_matdb_cache_XXXXXX");
  if (!mkdtemp(root)) return 1;
  snprintf(mdir, sizeof(mdir), "%s/materials", root);
  snprintf(cdir, sizeof(cdir), "%s/configs", root);
  char src[600];
  snprintf(src, sizeof(src), "%s/materials", testdata());
  const char *files[] = {"al.yml", "cdse_red.yaml", "ito.yaml", "tfb.yaml", "zno.yaml"};
  int rc = mkdir(mdir, 0700) || mkdir(cdir, 0700);
  for (int i = 0; !rc && i < 5; i++)
    rc = copy(src, files[i], mdir);
  snprintf(src, sizeof(src), "%s/configs", testdata());
  return rc || copy(src, "good.yaml", cdir);
}

/* Replace the first `from` in file by `to` (same length keeps the size). */
static int edit(const char *file, const char *from, const char *to) {
  char path[600];
  snprintf(path, sizeof(path), "%s/%s", mdir, file);
  char *s = test_read_file(path, NULL);
  char *at = s ? strstr(s, from) : NULL;
  if (!at || strlen(from) != strlen(to)) {
    free(s);
    return 1;
  }
  memcpy(at, to, strlen(to));
  int rc = spill(path, s);
  free(s);
  return rc;
}

static double homo_of(const matdb *db, const char *name) {
  const matdb_material *m = matdb_find(db, name);
  const matdb_param *p = m ? matdb_param_get(m, "homo") : NULL;
  return p ? p->si / PHYS_EV : 0.0;
}

static void test_shared_and_edits(void) {
  matdb *a = NULL, *b = NULL, *c = NULL, *d = NULL;
  qs_err err = {0};
  CHECK(matdb_acquire(mdir, &a, &err) == 0 && a, "first load: %s", err.msg);
  CHECK(matdb_acquire(mdir, &b, &err) == 0 && b == a, "unchanged directory: the same database");
  matdb_release(b);
  CHECK(fabs(homo_of(a, "TFB") + 5.4) < 1e-12, "TFB HOMO %g eV", homo_of(a, "TFB"));

  /* same size, same second: only the bytes tell */
  CHECK(edit("tfb.yaml", "-5.4 eV", "-5.5 eV") == 0, "edit tfb.yaml");
  CHECK(matdb_acquire(mdir, &c, &err) == 0 && c && c != a, "edited file: a new database");
  CHECK(fabs(homo_of(c, "TFB") + 5.5) < 1e-12, "new HOMO seen: %g eV", homo_of(c, "TFB"));
  /* a, retired from the cache, is still whole for its holder */
  CHECK(matdb_count(a) == 5 && fabs(homo_of(a, "TFB") + 5.4) < 1e-12, "old database intact");
  matdb_release(a);

  /* a removed file */
  char path[600];
  snprintf(path, sizeof(path), "%s/al.yml", mdir);
  CHECK(unlink(path) == 0, "remove al.yml");
  CHECK(matdb_acquire(mdir, &d, &err) == 0 && d && d != c && matdb_count(d) == 4,
        "removed file: %d materials", d ? matdb_count(d) : -1);
  matdb_release(d);
  matdb_release(c);

  /* a broken file fails as matdb_open does, and the next good state loads again */
  CHECK(edit("zno.yaml", "name:", "nane:") == 0, "break zno.yaml");
  d = (matdb *)1;
  int rc = matdb_acquire(mdir, &d, &err);
  CHECK(rc == QS_ERR_MATERIAL && d == NULL && strstr(err.msg, "zno.yaml"), "broken: %d %s", rc,
        err.msg);
  CHECK(edit("zno.yaml", "nane:", "name:") == 0, "mend zno.yaml");
  CHECK(matdb_acquire(mdir, &d, &err) == 0 && d && matdb_count(d) == 4, "mended: %s", err.msg);
  matdb_release(d);

  /* an unreadable directory: the same error as without the cache */
  d = (matdb *)1;
  rc = matdb_acquire("/nonexistent/qledsim-materials", &d, &err);
  CHECK(rc == QS_ERR_FILE && d == NULL && strstr(err.msg, "cannot open"), "no dir: %s", err.msg);
  matdb_cache_clear();
  matdb_cache_clear(); /* twice is harmless */
}

/* Through cfg_load, as a sweep uses it: an edit between two loads is seen by the second. */
static void test_config_loads(void) {
  char cfgpath[600];
  snprintf(cfgpath, sizeof(cfgpath), "%s/good.yaml", cdir);
  cfg_config cfg;
  qs_err err = {0};
  double homo[3] = {0, 0, 0};
  for (int i = 0; i < 3; i++) {
    if (i == 2) CHECK(edit("tfb.yaml", "-5.5 eV", "-5.3 eV") == 0, "edit between loads");
    int rc = cfg_load(cfgpath, NULL, 0, &cfg, &err);
    CHECK(rc == 0, "load %d: %s", i, err.msg);
    if (rc) return;
    homo[i] = cfg.dev.layers[0].E_homo / PHYS_EV;
    cfg_free(&cfg);
  }
  CHECK(fabs(homo[0] + 5.5) < 1e-12 && homo[1] == homo[0], "loads 1 and 2: %g %g eV", homo[0],
        homo[1]);
  CHECK(fabs(homo[2] + 5.3) < 1e-12, "load 3 sees the edit: %g eV", homo[2]);
  matdb_cache_clear();
}

static void remove_copy(void) {
  const char *files[] = {"al.yml", "cdse_red.yaml", "ito.yaml", "tfb.yaml", "zno.yaml"};
  char path[700];
  for (int i = 0; i < 5; i++) {
    snprintf(path, sizeof(path), "%s/%s", mdir, files[i]);
    unlink(path);
  }
  snprintf(path, sizeof(path), "%s/good.yaml", cdir);
  unlink(path);
  rmdir(mdir);
  rmdir(cdir);
  rmdir(root);
}

int main(void) {
  CHECK(make_copy() == 0, "private copy of the fixtures in %s", root);
  test_shared_and_edits();
  test_config_loads();
  remove_copy();
  CHECK_DONE();
}

/* yamltree: positions of keys and values, the errors (syntax, duplicate keys, unsupported YAML
 * features), tree editing, and emit -> parse round trips. */
#include "io/yamltree.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

static yt_node *parse(const char *text) {
  yt_node *root = NULL;
  qs_err err = {0};
  int rc = yt_parse_string(text, "t.yaml", &root, &err);
  CHECK(rc == 0, "parse failed: %s", err.msg);
  return root;
}

static void expect_error(const char *text, qs_errclass cls, const char *sub1, const char *sub2) {
  yt_node *root = (yt_node *)1;
  qs_err err = {0};
  int rc = yt_parse_string(text, "bad.yaml", &root, &err);
  CHECK(rc == (int)cls && err.cls == cls, "'%s': class %d, want %s (%s)", text, rc,
        qs_errclass_name(cls), err.msg);
  CHECK(root == NULL, "root not cleared on error");
  CHECK(strstr(err.msg, sub1) != NULL, "message '%s' lacks '%s'", err.msg, sub1);
  CHECK(!sub2 || strstr(err.msg, sub2) != NULL, "message '%s' lacks '%s'", err.msg, sub2);
}

/* emit, parse again, compare; also check the quoting flag survives for quoted scalars */
static void round_trip(const yt_node *root) {
  char *text = yt_emit_string(root);
  CHECK(text != NULL, "emit failed");
  if (!text) return;
  yt_node *back = NULL;
  qs_err err = {0};
  int rc = yt_parse_string(text, "emitted", &back, &err);
  CHECK(rc == 0, "emitted text does not parse: %s\n%s", err.msg, text);
  CHECK(rc == 0 && yt_equal(root, back), "round trip differs:\n%s", text);
  yt_free(back);
  free(text);
}

static void test_positions(void) {
  const char *text = "temperature: 300 K\n" /* 1 */
                     "device:\n"            /* 2 */
                     "  anode:   {work_function: 5.1 eV}\n"
                     "  layers:\n"       /* 4 */
                     "    - name: HTL\n" /* 5 */
                     "      thickness: \"35 nm\"\n"
                     "    - {name: EML, thickness: 20 nm}\n" /* 7 */
                     "empty:\n";
  yt_node *root = parse(text);
  if (!root) return;
  yt_node *t = yt_get(root, "temperature");
  CHECK(t && t->kind == YT_SCALAR && !strcmp(t->text, "300 K"), "temperature");
  CHECK(t->key_line == 1 && t->key_col == 1 && t->line == 1 && t->col == 14,
        "temperature pos %d:%d %d:%d", t->key_line, t->key_col, t->line, t->col);
  yt_node *wf = yt_get(yt_get(yt_get(root, "device"), "anode"), "work_function");
  CHECK(wf && wf->key_line == 3 && wf->key_col == 13 && wf->line == 3 && wf->col == 28,
        "work_function pos");
  yt_node *layers = yt_get(yt_get(root, "device"), "layers");
  CHECK(layers && layers->kind == YT_SEQ && layers->nchildren == 2, "layers");
  yt_node *l0 = yt_child(layers, 0), *l1 = yt_child(layers, 1);
  CHECK(l0 && l0->line == 5 && l0->col == 7, "layer 0 at %d:%d", l0->line, l0->col);
  yt_node *th = yt_get(l0, "thickness");
  CHECK(th && th->line == 6 && th->col == 18 && th->key_line == 6 && th->key_col == 7 && th->quoted,
        "thickness pos");
  yt_node *th1 = yt_get(l1, "thickness");
  CHECK(th1 && th1->line == 7 && th1->col == 30 && !th1->quoted, "flow thickness at %d:%d",
        th1->line, th1->col);
  char buf[256];
  CHECK(!strcmp(yt_where(th, buf, sizeof(buf)), "t.yaml:6:18"), "where %s", buf);
  CHECK(!strcmp(yt_where_key(th, buf, sizeof(buf)), "t.yaml:6:7"), "where_key %s", buf);
  CHECK(!strcmp(yt_path(th1, buf, sizeof(buf)), "device.layers[1].thickness"), "path %s", buf);
  CHECK(!strcmp(yt_path(root, buf, sizeof(buf)), ""), "root path '%s'", buf);
  yt_node *e = yt_get(root, "empty");
  CHECK(e && e->kind == YT_SCALAR && yt_is_null(e), "empty value is null");
  CHECK(yt_get(root, "nope") == NULL && yt_child(root, 99) == NULL && yt_get(t, "x") == NULL,
        "absent");
  CHECK(!strcmp(t->file, "t.yaml"), "file name");
  round_trip(root);
  yt_free(root);
}

static void test_errors(void) {
  expect_error("a: 1\nb: [1, 2\n", QS_ERR_SYNTAX, "bad.yaml:3:1: YAML syntax error", "',' or ']'");
  expect_error("a: 1\nb: c: d\n", QS_ERR_SYNTAX, "bad.yaml:2:5: YAML syntax error",
               "mapping values are not allowed in this context");
  expect_error("a:\n  b: 1\n c: 2\n", QS_ERR_SYNTAX, "bad.yaml:3:2", NULL);
  expect_error("a: \"unterminated\n", QS_ERR_SYNTAX, "bad.yaml:2:1", "YAML syntax error");
  expect_error("x: 1\nlayer:\n  a: 1\n  b: 2\n  a: 3\n", QS_ERR_KEY,
               "bad.yaml:5:3: layer: duplicate key 'a'", "first defined at line 3");
  expect_error("a: 1\na: 2\n", QS_ERR_KEY,
               "bad.yaml:2:1: duplicate key 'a' (first defined at line 1)", NULL);
  expect_error("a: &x 1\nb: *x\n", QS_ERR_SYNTAX, "bad.yaml:1:4: YAML anchors ('&x')", NULL);
  expect_error("a: [1]\nb: *x\n", QS_ERR_SYNTAX, "", "alias"); /* unknown alias: libyaml or us */
  expect_error("a: !!str 1\n", QS_ERR_SYNTAX, "bad.yaml:1:4: YAML tags ('!!str')", NULL);
  expect_error("a: !custom 1\n", QS_ERR_SYNTAX, "YAML tags ('!custom')", NULL);
  expect_error("a: 1\n---\nb: 2\n", QS_ERR_SYNTAX, "bad.yaml:2:1: a second YAML document", NULL);
  expect_error("? [a, b]\n: 1\n", QS_ERR_SYNTAX, "a key must be a plain string, not a list", NULL);
  expect_error("{a: 1}: 2\n", QS_ERR_SYNTAX, "not a map", NULL);
  expect_error("a: \"x\\0y\"\n", QS_ERR_SYNTAX, "NUL", NULL);
  expect_error("a: \xff\xfe\n", QS_ERR_SYNTAX, "bad.yaml:1:", "YAML syntax error");
  /* very deep nesting is refused instead of exhausting the stack */
  char *deep = malloc(5000);
  memset(deep, '[', 4000);
  deep[4000] = '\0';
  expect_error(deep, QS_ERR_SYNTAX, "nesting deeper than", NULL);
  free(deep);
  /* files */
  yt_node *root = (yt_node *)1;
  qs_err err = {0};
  int rc = yt_parse_file("/nonexistent/cfg.yaml", &root, &err);
  CHECK(rc == QS_ERR_FILE && root == NULL, "missing file");
  CHECK(!strcmp(err.msg, "/nonexistent/cfg.yaml: cannot open: No such file or directory"), "msg %s",
        err.msg);
  rc = yt_parse_file(".", &root, &err);
  CHECK(rc == QS_ERR_FILE && strstr(err.msg, "cannot read"), "directory: %s", err.msg);
}

static void test_empty(void) {
  const char *empties[] = {"", "\n\n", "# only a comment\n", "---\n", "~\n", "--- # x\n...\n"};
  for (size_t i = 0; i < sizeof(empties) / sizeof(empties[0]); i++) {
    yt_node *root = parse(empties[i]);
    CHECK(root && root->kind == YT_MAP && root->nchildren == 0, "'%s' gives an empty map",
          empties[i]);
    yt_free(root);
  }
  yt_node *s = parse("- 1\n- two\n");
  CHECK(s && s->kind == YT_SEQ && s->nchildren == 2, "top-level list is kept");
  yt_free(s);
}

static void test_edit_and_emit(void) {
  yt_node *root = yt_new(YT_MAP, NULL, "built", 0, 0);
  const char *tricky[] = {"yes",
                          "no",
                          "1e3 nm",
                          "a: b",
                          "#x",
                          "",
                          "x #y",
                          "-",
                          "- a",
                          "[1]",
                          "{a}",
                          "&a",
                          "*a",
                          "!t",
                          "|",
                          ">",
                          "'q'",
                          "\"dq\"",
                          "%x",
                          "@x",
                          "`x",
                          " lead",
                          "trail ",
                          "line1\nline2",
                          "tab\there",
                          "back\\slash",
                          "ends:",
                          "---",
                          "...",
                          "null",
                          "~",
                          "-5.4 eV",
                          "?",
                          "? x",
                          ":x",
                          "x:y",
                          "µm \xc3\x85",
                          "nel\xc2\x85x",
                          "ls\xe2\x80\xa8x",
                          "c1\xc2\x9a",
                          "bom\xef\xbb\xbfx",
                          "\x7f",
                          "ctl\x01"};
  int n = (int)(sizeof(tricky) / sizeof(tricky[0]));
  yt_node *seq = yt_map_set(root, "strings", yt_new(YT_SEQ, NULL, "built", 0, 0));
  for (int i = 0; i < n; i++) {
    yt_node *q = yt_new(YT_SCALAR, tricky[i], "built", 0, 0);
    q->quoted = 1;
    yt_seq_append(seq, q);
    char key[32];
    snprintf(key, sizeof(key), "k%d", i);
    yt_map_set(root, key, yt_new(YT_SCALAR, tricky[i], "built", 0, 0)); /* plain flag */
    yt_map_set(root, tricky[i][0] ? tricky[i] : "empty-key-avoided",
               yt_new(YT_SCALAR, "v", "b", 0, 0));
  }
  yt_node *nested = yt_map_set(root, "nested", yt_new(YT_SEQ, NULL, "b", 0, 0));
  yt_node *inner = yt_new(YT_SEQ, NULL, "b", 0, 0);
  yt_seq_append(inner, yt_new(YT_SCALAR, "a", "b", 0, 0));
  yt_seq_append(inner, yt_new(YT_SCALAR, "b", "b", 0, 0));
  yt_seq_append(nested, inner);
  yt_seq_append(nested, yt_new(YT_MAP, NULL, "b", 0, 0));
  yt_seq_append(nested, yt_new(YT_SEQ, NULL, "b", 0, 0));
  yt_node *m = yt_new(YT_MAP, NULL, "b", 0, 0);
  yt_map_set(m, "x", yt_new(YT_SCALAR, "1", "b", 0, 0));
  yt_node *deep = yt_map_set(m, "y", yt_new(YT_MAP, NULL, "b", 0, 0));
  yt_map_set(deep, "z", yt_new(YT_SCALAR, "", "b", 0, 0));
  yt_seq_append(nested, m);
  round_trip(root);

  /* quoted scalars stay quoted, plain ones stay plain where possible */
  char *text = yt_emit_string(root);
  yt_node *back = parse(text);
  yt_node *bs = yt_get(back, "strings");
  int i = 0;
  for (yt_node *c = bs ? bs->first : NULL; c; c = c->next, i++)
    CHECK(c->quoted && !strcmp(c->text, tricky[i]), "item %d quoted", i);
  CHECK(!yt_get(back, "k0")->quoted && !strcmp(yt_get(back, "k0")->text, "yes"), "plain yes");
  CHECK(yt_is_null(yt_get(back, "k5")), "plain empty stays null");
  CHECK(yt_is_null(yt_get(yt_get(yt_child(yt_get(back, "nested"), 3), "y"), "z")), "nested null");
  yt_free(back);
  free(text);

  /* editing: replace keeps order, remove, detach, clone */
  yt_node *r = parse("a: 1\nb: 2\nc: 3\n");
  yt_map_set(r, "b", yt_new(YT_SCALAR, "20", "--set", 0, 0));
  char buf[64];
  CHECK(!strcmp(yt_child(r, 1)->key, "b") && !strcmp(yt_child(r, 1)->text, "20"),
        "replaced in place");
  CHECK(yt_get(r, "b")->key_line == 2, "replacement keeps the key position");
  CHECK(!strcmp(yt_where(yt_get(r, "b"), buf, sizeof(buf)), "--set"), "where without line: %s",
        buf);
  yt_map_remove(r, "a");
  CHECK(r->nchildren == 2 && !strcmp(r->first->key, "b"), "removed first");
  yt_map_remove(r, "c");
  CHECK(r->nchildren == 1 && r->last == r->first, "removed last");
  yt_map_set(r, "d", yt_new(YT_SCALAR, "4", "x", 0, 0));
  CHECK(r->nchildren == 2 && !strcmp(r->last->key, "d"), "append after removals");
  yt_node *cl = yt_clone(r);
  CHECK(yt_equal(r, cl) && cl != r && strcmp(cl->first->file, "--set") == 0, "clone");
  yt_node *det = yt_detach(yt_get(cl, "b"));
  CHECK(cl->nchildren == 1 && det->parent == NULL, "detach");
  yt_free(det);
  yt_node *rep = yt_replace(yt_get(cl, "d"), yt_new(YT_SEQ, NULL, "x", 0, 0));
  CHECK(rep && yt_get(cl, "d") == rep && rep->kind == YT_SEQ, "replace");
  CHECK(yt_relocate(cl, "--set 'x=1'", 0, 0) == 0 && !strcmp(rep->file, "--set 'x=1'"), "relocate");
  CHECK(!yt_equal(r, cl), "different trees are not equal");
  yt_free(cl);
  yt_free(r);
  yt_free(root);
}

static void test_file_round_trip(void) {
  const char *dir = getenv("QLEDSIM_TESTDATA");
  if (!dir) dir = "tests/data";
  const char *files[] = {"configs/good.yaml", "configs/good_inline.yaml", "materials/tfb.yaml"};
  for (size_t i = 0; i < 3; i++) {
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
    yt_node *root = NULL;
    qs_err err;
    int rc = yt_parse_file(path, &root, &err);
    CHECK(rc == 0, "%s: %s", path, err.msg);
    if (rc) continue;
    CHECK(strstr(root->file, files[i]) != NULL, "file name kept");
    round_trip(root);
    yt_free(root);
  }
}

int main(void) {
  test_positions();
  test_errors();
  test_empty();
  test_edit_and_emit();
  test_file_round_trip();
  CHECK_DONE();
}

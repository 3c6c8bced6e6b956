/* Command-line overrides "key.path=value", applied to the parsed document before validation. */
#define _POSIX_C_SOURCE 200809L
#include "io/config_impl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEGS 32

static int all_digits(const char *s) {
  if (!*s) return 0;
  for (; *s; s++)
    if (!isdigit((unsigned char)*s)) return 0;
  return 1;
}

/* Item of a list by index or by its name: key. */
static int seq_item(yt_node *seq, const char *seg, const char *label, const char *done,
                    yt_node **out, qs_err *err) {
  *out = NULL;
  if (all_digits(seg)) {
    long i = strtol(seg, NULL, 10);
    if (i < seq->nchildren) {
      *out = yt_child(seq, (int)i);
      return 0;
    }
    return qs_fail(err, QS_ERR_KEY, "%s: index %s is out of range (%s has %d item%s)", label, seg,
                   done, seq->nchildren, seq->nchildren == 1 ? "" : "s");
  }
  char names[1024];
  size_t used = 0;
  names[0] = '\0';
  for (yt_node *c = seq->first; c; c = c->next) {
    const yt_node *nm = yt_get(c, "name");
    if (!nm || nm->kind != YT_SCALAR) continue;
    if (!strcmp(nm->text, seg)) {
      *out = c;
      return 0;
    }
    if (used < sizeof(names))
      used +=
          (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "", nm->text);
  }
  return qs_fail(err, QS_ERR_KEY, "%s: no item named '%s' in %s (names: %s; or use an index)",
                 label, seg, done, used ? names : "none");
}

/* The value: flow YAML when it starts like flow YAML or a quoted string, else the plain text. */
static int make_value(const char *text, const char *label, yt_node **out, qs_err *err) {
  *out = NULL;
  if (strchr("[{\"'", text[0]) && text[0]) {
    int rc = yt_parse_string(text, label, out, err);
    if (rc) return rc;
  } else if (!(*out = yt_new(YT_SCALAR, text, label, 0, 0))) {
    return qs_fail(err, QS_ERR_OTHER, "out of memory");
  }
  if (yt_relocate(*out, label, 0, 0)) return qs_fail(err, QS_ERR_OTHER, "out of memory");
  return 0;
}

static char *trim(char *s) {
  while (isspace((unsigned char)*s))
    s++;
  size_t n = strlen(s);
  while (n > 0 && isspace((unsigned char)s[n - 1]))
    s[--n] = '\0';
  return s;
}

static int apply(yt_node *root, char *path, const char *value, const char *label, qs_err *err) {
  char *segs[MAX_SEGS + 1];
  int n = 0;
  static const char *const shorthand[] = {"layers", "anode", "cathode", "outcoupling"};
  for (char *p = path;; p++) {
    char *dot = strchr(p, '.');
    if (dot) *dot = '\0';
    if (!*p)
      return qs_fail(err, QS_ERR_SYNTAX,
                     "%s: empty component in the key path (expected "
                     "'key.path=value', e.g. 'layers.HTL.thickness=40 nm')",
                     label);
    if (n == MAX_SEGS) return qs_fail(err, QS_ERR_SYNTAX, "%s: key path too long", label);
    if (n == 0)
      for (int i = 0; i < 4; i++)
        if (!strcmp(p, shorthand[i])) segs[n++] = "device";
    segs[n++] = p;
    if (!dot) break;
    p = dot;
  }
  if (root->kind != YT_MAP)
    return qs_fail(err, QS_ERR_TYPE, "%s: the document is not a map", label);
  yt_node *cur = root;
  char done[512] = "";
  for (int i = 0; i < n; i++) {
    const char *seg = segs[i];
    int last = i == n - 1;
    yt_node *next = NULL;
    if (cur->kind == YT_SEQ) {
      int rc = seq_item(cur, seg, label, done, &next, err);
      if (rc) return rc;
      if (last) {
        yt_node *v;
        if ((rc = make_value(value, label, &v, err))) return rc;
        yt_replace(next, v);
        return 0;
      }
    } else if (cur->kind == YT_MAP) {
      next = yt_get(cur, seg);
      if (last) {
        yt_node *v;
        int rc = make_value(value, label, &v, err);
        if (rc) return rc;
        if (!yt_map_set(cur, seg, v)) return qs_fail(err, QS_ERR_OTHER, "out of memory");
        return 0;
      }
      if (next && next->kind == YT_SCALAR && (yt_is_null(next) || !strcmp(seg, "material"))) {
        /* material: NAME becomes {base: NAME} so that single properties can be overridden */
        yt_node *map = yt_new(YT_MAP, NULL, label, 0, 0);
        if (!map) return qs_fail(err, QS_ERR_OTHER, "out of memory");
        if (!yt_is_null(next)) {
          yt_node *base = yt_clone(next);
          if (!base || !yt_map_set(map, "base", base)) {
            yt_free(map);
            return qs_fail(err, QS_ERR_OTHER, "out of memory");
          }
        }
        next = yt_replace(next, map);
      } else if (!next) {
        yt_node *map = yt_new(YT_MAP, NULL, label, 0, 0);
        if (!map || !(next = yt_map_set(cur, seg, map)))
          return qs_fail(err, QS_ERR_OTHER, "out of memory");
      }
    } else {
      return qs_fail(err, QS_ERR_TYPE, "%s: %s is a value ('%s'), not a map or list", label, done,
                     cur->text);
    }
    size_t used = strlen(done);
    snprintf(done + used, sizeof(done) - used, "%s%s", used ? "." : "", seg);
    cur = next;
  }
  return 0;
}

int cfg_apply_set(yt_node *root, const char *assignment, qs_err *err) {
  if (!assignment) assignment = "";
  size_t len = strlen(assignment);
  char *label = malloc(len + 16), *copy = strdup(assignment);
  int rc;
  if (!label || !copy) {
    rc = qs_fail(err, QS_ERR_OTHER, "out of memory");
  } else {
    snprintf(label, len + 16, "--set '%s'", assignment);
    char *eq = strchr(copy, '=');
    if (!eq) {
      rc = qs_fail(err, QS_ERR_SYNTAX,
                   "%s: no '=' (expected 'key.path=value', e.g. "
                   "'layers.HTL.thickness=40 nm')",
                   label);
    } else {
      *eq = '\0';
      char *path = trim(copy), *value = trim(eq + 1);
      if (!*path)
        rc = qs_fail(err, QS_ERR_SYNTAX,
                     "%s: empty key path (expected 'key.path=value', e.g. "
                     "'temperature=300 K')",
                     label);
      else if (!root)
        rc = qs_fail(err, QS_ERR_OTHER, "%s: no document", label);
      else
        rc = apply(root, path, value, label, err);
    }
  }
  free(label);
  free(copy);
  return rc;
}

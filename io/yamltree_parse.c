/* Building a yt_node tree from libyaml's event stream (yt_parse_file, yt_parse_string), with
 * file:line:col messages for syntax errors, duplicate keys, anchors, aliases, tags and second
 * documents. */
#include "io/yamltree.h"
#include "io/yamltree_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YT_MAX_FILE  (64L * 1024 * 1024)

/* ---- parsing --------------------------------------------------------------------------- */

typedef struct {
  const char *name;
  yt_node *root;
  yt_node *stack[YT_MAX_DEPTH];
  char *pkey[YT_MAX_DEPTH]; /* pending key of each open map */
  int pline[YT_MAX_DEPTH], pcol[YT_MAX_DEPTH];
  int depth;
  qs_err *err;
} builder;

static int props_ok(builder *b, const yaml_char_t *anchor, const yaml_char_t *tag, yaml_mark_t m) {
  if (anchor)
    return qs_fail(b->err, QS_ERR_SYNTAX,
                   "%s:%zu:%zu: YAML anchors ('&%s') are not supported; write values out", b->name,
                   m.line + 1, m.column + 1, (const char *)anchor);
  if (tag) {
    const char *t = (const char *)tag, *std = "tag:yaml.org,2002:";
    int shortform = strncmp(t, std, strlen(std)) == 0;
    return qs_fail(b->err, QS_ERR_SYNTAX, "%s:%zu:%zu: YAML tags ('%s%s') are not supported",
                   b->name, m.line + 1, m.column + 1, shortform ? "!!" : "",
                   shortform ? t + strlen(std) : t);
  }
  return 0;
}

static int attach(builder *b, yt_node *node) {
  if (b->depth == 0) {
    if (b->root) {
      yt_free(node);
      return qs_fail(b->err, QS_ERR_SYNTAX, "%s: more than one root node", b->name);
    }
    b->root = node;
  } else {
    yt_node *parent = b->stack[b->depth - 1];
    if (parent->kind == YT_SEQ) {
      yti_append_child(parent, node);
    } else if (!b->pkey[b->depth - 1]) {
      if (node->kind != YT_SCALAR) {
        int rc = qs_fail(b->err, QS_ERR_SYNTAX, "%s:%d:%d: a key must be a plain string, not a %s",
                         b->name, node->line, node->col, node->kind == YT_MAP ? "map" : "list");
        yt_free(node);
        return rc;
      }
      b->pkey[b->depth - 1] = node->text;
      b->pline[b->depth - 1] = node->line;
      b->pcol[b->depth - 1] = node->col;
      node->text = NULL;
      yt_free(node);
      return 0;
    } else {
      char *key = b->pkey[b->depth - 1];
      for (yt_node *c = parent->first; c; c = c->next) {
        if (strcmp(c->key, key) == 0) {
          char path[512];
          yt_path(parent, path, sizeof(path));
          int rc = qs_fail(b->err, QS_ERR_KEY,
                           "%s:%d:%d: %s%sduplicate key '%s' (first defined at line %d)", b->name,
                           b->pline[b->depth - 1], b->pcol[b->depth - 1], path, path[0] ? ": " : "",
                           key, c->key_line);
          yt_free(node);
          return rc;
        }
      }
      node->key = key;
      node->key_line = b->pline[b->depth - 1];
      node->key_col = b->pcol[b->depth - 1];
      b->pkey[b->depth - 1] = NULL;
      yti_append_child(parent, node);
    }
  }
  if (node->kind != YT_SCALAR) {
    if (b->depth >= YT_MAX_DEPTH)
      return qs_fail(b->err, QS_ERR_SYNTAX, "%s:%d:%d: nesting deeper than %d levels", b->name,
                     node->line, node->col, YT_MAX_DEPTH);
    b->pkey[b->depth] = NULL;
    b->stack[b->depth++] = node;
  }
  return 0;
}

static void offset_to_linecol(const char *text, size_t len, size_t off, int *line, int *col) {
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off && i < len; i++) {
    if (text[i] == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

static int parser_error(builder *b, yaml_parser_t *p, const char *text, size_t len) {
  const char *problem = p->problem ? p->problem : "unknown error";
  switch (p->error) {
  case YAML_MEMORY_ERROR:
    return qs_fail(b->err, QS_ERR_OTHER, "%s: out of memory while reading YAML", b->name);
  case YAML_READER_ERROR: {
    int line, col;
    offset_to_linecol(text, len, p->problem_offset, &line, &col);
    return qs_fail(b->err, QS_ERR_SYNTAX, "%s:%d:%d: YAML syntax error: %s (byte 0x%02x)", b->name,
                   line, col, problem, (unsigned)p->problem_value & 0xffu);
  }
  default:
    if (p->context)
      return qs_fail(b->err, QS_ERR_SYNTAX,
                     "%s:%zu:%zu: YAML syntax error: %s (%s that started at line %zu)", b->name,
                     p->problem_mark.line + 1, p->problem_mark.column + 1, problem, p->context,
                     p->context_mark.line + 1);
    return qs_fail(b->err, QS_ERR_SYNTAX, "%s:%zu:%zu: YAML syntax error: %s", b->name,
                   p->problem_mark.line + 1, p->problem_mark.column + 1, problem);
  }
}

static int parse_buffer(const char *text, size_t len, const char *name, yt_node **root,
                        qs_err *err) {
  builder b;
  memset(&b, 0, sizeof(b));
  b.name = name;
  b.err = err;
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser))
    return qs_fail(err, QS_ERR_OTHER, "%s: cannot initialise the YAML parser", name);
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  int rc = 0, done = 0, ndocs = 0;
  while (!rc && !done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      rc = parser_error(&b, &parser, text, len);
      break;
    }
    yaml_mark_t m = ev.start_mark;
    int line = (int)m.line + 1, col = (int)m.column + 1;
    yt_node *node = NULL;
    switch (ev.type) {
    case YAML_DOCUMENT_START_EVENT:
      if (++ndocs > 1)
        rc = qs_fail(err, QS_ERR_SYNTAX,
                     "%s:%d:%d: a second YAML document ('---'); one file holds one document", name,
                     line, col);
      break;
    case YAML_SCALAR_EVENT:
      if ((rc = props_ok(&b, ev.data.scalar.anchor, ev.data.scalar.tag, m))) break;
      if (strlen((const char *)ev.data.scalar.value) != ev.data.scalar.length) {
        rc = qs_fail(err, QS_ERR_SYNTAX, "%s:%d:%d: string contains a NUL character", name, line,
                     col);
        break;
      }
      node = yt_new(YT_SCALAR, (const char *)ev.data.scalar.value, name, line, col);
      if (!node) {
        rc = qs_fail(err, QS_ERR_OTHER, "%s: out of memory", name);
        break;
      }
      node->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
      rc = attach(&b, node);
      break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
      int is_map = ev.type == YAML_MAPPING_START_EVENT;
      rc = is_map ? props_ok(&b, ev.data.mapping_start.anchor, ev.data.mapping_start.tag, m)
                  : props_ok(&b, ev.data.sequence_start.anchor, ev.data.sequence_start.tag, m);
      if (rc) break;
      node = yt_new(is_map ? YT_MAP : YT_SEQ, NULL, name, line, col);
      if (!node) {
        rc = qs_fail(err, QS_ERR_OTHER, "%s: out of memory", name);
        break;
      }
      rc = attach(&b, node);
      break;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      if (b.depth > 0) b.depth--;
      break;
    case YAML_ALIAS_EVENT:
      rc = qs_fail(err, QS_ERR_SYNTAX,
                   "%s:%d:%d: YAML aliases ('*%s') are not supported; write values out", name, line,
                   col, (const char *)ev.data.alias.anchor);
      break;
    case YAML_STREAM_END_EVENT:
      done = 1;
      break;
    default:
      break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  for (int i = 0; i < YT_MAX_DEPTH; i++)
    free(b.pkey[i]);
  if (rc) {
    yt_free(b.root);
    *root = NULL;
    return rc;
  }
  if (b.root && b.root->kind == YT_SCALAR && yt_is_null(b.root)) {
    yt_free(b.root);
    b.root = NULL;
  }
  if (!b.root && !(b.root = yt_new(YT_MAP, NULL, name, 1, 1)))
    return qs_fail(err, QS_ERR_OTHER, "%s: out of memory", name);
  *root = b.root;
  return 0;
}

int yt_parse_string(const char *text, const char *name, yt_node **root, qs_err *err) {
  *root = NULL;
  if (!name) name = "<string>";
  if (!text) text = "";
  return parse_buffer(text, strlen(text), name, root, err);
}

int yt_parse_file(const char *path, yt_node **root, qs_err *err) {
  *root = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return qs_fail(err, QS_ERR_FILE, "%s: cannot open: %s", path, strerror(errno));
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  int rc = buf ? 0 : qs_fail(err, QS_ERR_OTHER, "%s: out of memory", path);
  while (!rc) {
    if (len + 1 >= cap) {
      char *nb = cap > (size_t)YT_MAX_FILE ? NULL : realloc(buf, cap * 2);
      if (!nb) {
        rc = cap > (size_t)YT_MAX_FILE
                 ? qs_fail(err, QS_ERR_FILE, "%s: file is larger than %ld MiB", path,
                           YT_MAX_FILE / (1024 * 1024))
                 : qs_fail(err, QS_ERR_OTHER, "%s: out of memory", path);
        break;
      }
      buf = nb;
      cap *= 2;
    }
    size_t got = fread(buf + len, 1, cap - len - 1, f);
    len += got;
    if (got == 0) {
      if (ferror(f)) rc = qs_fail(err, QS_ERR_FILE, "%s: cannot read: %s", path, strerror(errno));
      break;
    }
  }
  fclose(f);
  if (!rc) rc = parse_buffer(buf, len, path, root, err);
  free(buf);
  return rc;
}

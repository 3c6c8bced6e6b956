/* YAML documents as position-carrying trees, built from libyaml's event stream, and a block-style
 * emitter whose output parses back to an equal tree. */
#define _POSIX_C_SOURCE 200809L
#include "io/yamltree.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YT_MAX_DEPTH 200
#define YT_MAX_FILE  (64L * 1024 * 1024)

/* ---- nodes ----------------------------------------------------------------------------- */

yt_node *yt_new(yt_kind kind, const char *text, const char *file, int line, int col) {
  yt_node *n = calloc(1, sizeof(*n));
  if (!n) return NULL;
  n->kind = kind;
  n->file = strdup(file ? file : "<unknown>");
  if (kind == YT_SCALAR) n->text = strdup(text ? text : "");
  if (!n->file || (kind == YT_SCALAR && !n->text)) {
    free((char *)n->file);
    free(n->text);
    free(n);
    return NULL;
  }
  n->line = line;
  n->col = col;
  return n;
}

void yt_free(yt_node *node) {
  if (!node) return;
  yt_node *c = node->first;
  while (c) {
    yt_node *next = c->next;
    yt_free(c);
    c = next;
  }
  free(node->text);
  free(node->key);
  free((char *)node->file);
  free(node);
}

yt_node *yt_get(const yt_node *map, const char *key) {
  if (!map || map->kind != YT_MAP || !key) return NULL;
  for (yt_node *c = map->first; c; c = c->next)
    if (c->key && strcmp(c->key, key) == 0) return c;
  return NULL;
}

yt_node *yt_child(const yt_node *node, int i) {
  if (!node || node->kind == YT_SCALAR || i < 0) return NULL;
  yt_node *c = node->first;
  while (c && i-- > 0)
    c = c->next;
  return c;
}

static void append_child(yt_node *parent, yt_node *child) {
  child->parent = parent;
  child->next = NULL;
  if (parent->last)
    parent->last->next = child;
  else
    parent->first = child;
  parent->last = child;
  parent->nchildren++;
}

yt_node *yt_clone(const yt_node *node) {
  if (!node) return NULL;
  yt_node *n = yt_new(node->kind, node->text, node->file, node->line, node->col);
  if (!n) return NULL;
  n->quoted = node->quoted;
  n->key_line = node->key_line;
  n->key_col = node->key_col;
  if (node->key && !(n->key = strdup(node->key))) {
    yt_free(n);
    return NULL;
  }
  for (const yt_node *c = node->first; c; c = c->next) {
    yt_node *cc = yt_clone(c);
    if (!cc) {
      yt_free(n);
      return NULL;
    }
    append_child(n, cc);
  }
  return n;
}

yt_node *yt_map_set(yt_node *map, const char *key, yt_node *value) {
  if (!map || map->kind != YT_MAP || !key || !value) {
    yt_free(value);
    return NULL;
  }
  char *k = strdup(key);
  if (!k) {
    yt_free(value);
    return NULL;
  }
  free(value->key);
  value->key = k;
  value->parent = map;
  yt_node *prev = NULL;
  for (yt_node *c = map->first; c; prev = c, c = c->next) {
    if (c->key && strcmp(c->key, key) == 0) {
      value->next = c->next;
      if (prev)
        prev->next = value;
      else
        map->first = value;
      if (map->last == c) map->last = value;
      if (value->key_line == 0) {
        value->key_line = c->key_line;
        value->key_col = c->key_col;
      }
      c->next = NULL;
      yt_free(c);
      return value;
    }
  }
  append_child(map, value);
  return value;
}

void yt_seq_append(yt_node *seq, yt_node *item) {
  if (!seq || seq->kind != YT_SEQ || !item) {
    yt_free(item);
    return;
  }
  free(item->key);
  item->key = NULL;
  item->key_line = item->key_col = 0;
  append_child(seq, item);
}

yt_node *yt_detach(yt_node *node) {
  if (!node || !node->parent) return node;
  yt_node *p = node->parent, *prev = NULL;
  for (yt_node *c = p->first; c; prev = c, c = c->next) {
    if (c != node) continue;
    if (prev)
      prev->next = c->next;
    else
      p->first = c->next;
    if (p->last == c) p->last = prev;
    p->nchildren--;
    break;
  }
  node->parent = NULL;
  node->next = NULL;
  return node;
}

yt_node *yt_replace(yt_node *old, yt_node *node) {
  if (!old || !node || !old->parent) {
    yt_free(node);
    return NULL;
  }
  yt_node *p = old->parent, *prev = NULL;
  for (yt_node *c = p->first; c && c != old; c = c->next)
    prev = c;
  free(node->key);
  node->key = old->key;
  old->key = NULL;
  node->key_line = old->key_line;
  node->key_col = old->key_col;
  node->parent = p;
  node->next = old->next;
  if (prev)
    prev->next = node;
  else
    p->first = node;
  if (p->last == old) p->last = node;
  old->next = NULL;
  yt_free(old);
  return node;
}

void yt_map_remove(yt_node *map, const char *key) {
  yt_node *c = yt_get(map, key);
  if (c) yt_free(yt_detach(c));
}

int yt_relocate(yt_node *node, const char *file, int line, int col) {
  if (!node) return 0;
  char *f = strdup(file ? file : "<unknown>");
  if (!f) return -1;
  free((char *)node->file);
  node->file = f;
  node->line = line;
  node->col = col;
  if (node->parent && node->parent->kind == YT_MAP) {
    node->key_line = line;
    node->key_col = col;
  }
  for (yt_node *c = node->first; c; c = c->next)
    if (yt_relocate(c, file, line, col)) return -1;
  return 0;
}

int yt_is_null(const yt_node *node) {
  if (!node) return 1;
  if (node->kind != YT_SCALAR || node->quoted) return 0;
  const char *t = node->text;
  return !t[0] || !strcmp(t, "~") || !strcmp(t, "null") || !strcmp(t, "Null") || !strcmp(t, "NULL");
}

int yt_equal(const yt_node *a, const yt_node *b) {
  if (!a || !b) return a == b;
  if (a->kind != b->kind || a->nchildren != b->nchildren) return 0;
  if ((a->key == NULL) != (b->key == NULL) || (a->key && strcmp(a->key, b->key))) return 0;
  if (a->kind == YT_SCALAR) return strcmp(a->text, b->text) == 0;
  for (const yt_node *x = a->first, *y = b->first; x && y; x = x->next, y = y->next)
    if (!yt_equal(x, y)) return 0;
  return 1;
}

const char *yt_where(const yt_node *node, char *buf, size_t buflen) {
  if (!node)
    snprintf(buf, buflen, "<unknown>");
  else if (node->line > 0)
    snprintf(buf, buflen, "%s:%d:%d", node->file, node->line, node->col);
  else
    snprintf(buf, buflen, "%s", node->file);
  return buf;
}

const char *yt_where_key(const yt_node *node, char *buf, size_t buflen) {
  if (node && node->key_line > 0) {
    snprintf(buf, buflen, "%s:%d:%d", node->file, node->key_line, node->key_col);
    return buf;
  }
  return yt_where(node, buf, buflen);
}

const char *yt_path(const yt_node *node, char *buf, size_t buflen) {
  const yt_node *chain[YT_MAX_DEPTH + 8];
  int n = 0;
  for (const yt_node *c = node; c && c->parent && n < YT_MAX_DEPTH + 8; c = c->parent)
    chain[n++] = c;
  size_t len = 0;
  if (buflen) buf[0] = '\0';
  for (int i = n - 1; i >= 0 && len < buflen; i--) {
    const yt_node *c = chain[i];
    int w;
    if (c->parent->kind == YT_SEQ) {
      int idx = 0;
      for (const yt_node *s = c->parent->first; s && s != c; s = s->next)
        idx++;
      w = snprintf(buf + len, buflen - len, "[%d]", idx);
    } else {
      w = snprintf(buf + len, buflen - len, "%s%s", len ? "." : "", c->key ? c->key : "?");
    }
    if (w < 0) break;
    len += (size_t)w;
  }
  return buf;
}

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
      append_child(parent, node);
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
      append_child(parent, node);
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

/* ---- emitting -------------------------------------------------------------------------- */

typedef struct {
  char *s;
  size_t n, cap;
  int oom;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
  if (b->oom) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (b->n + n + 1 > cap)
      cap *= 2;
    char *ns = realloc(b->s, cap);
    if (!ns) {
      b->oom = 1;
      return;
    }
    b->s = ns;
    b->cap = cap;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}
static void sb_puts(sbuf *b, const char *s) {
  sb_put(b, s, strlen(s));
}
static void sb_indent(sbuf *b, int n) {
  for (int i = 0; i < n; i++)
    sb_put(b, " ", 1);
}

/* Can text be written as a plain scalar (in block context) and read back unchanged? */
static int plain_safe(const char *t) {
  size_t n = strlen(t);
  if (n == 0) return 0;
  if (t[0] == ' ' || t[n - 1] == ' ' || t[n - 1] == ':') return 0;
  if (strchr(",[]{}#&*!|>'\"%@`", t[0])) return 0;
  if (strchr("-?:", t[0]) && (n == 1 || t[1] == ' ')) return 0;
  if (!strncmp(t, "---", 3) || !strncmp(t, "...", 3)) return 0;
  if (strstr(t, ": ") || strstr(t, " #")) return 0;
  for (const unsigned char *p = (const unsigned char *)t; *p; p++)
    if (*p < 0x20 || *p == 0x7f || *p >= 0x80) return 0;
  return 1;
}

static void put_quoted(sbuf *b, const char *t) {
  sb_put(b, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
    char esc[8];
    if (*p == '"')
      sb_puts(b, "\\\"");
    else if (*p == '\\')
      sb_puts(b, "\\\\");
    else if (*p == '\n')
      sb_puts(b, "\\n");
    else if (*p == '\t')
      sb_puts(b, "\\t");
    else if (*p < 0x20 || *p == 0x7f) {
      snprintf(esc, sizeof(esc), "\\x%02x", *p);
      sb_puts(b, esc);
    } else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) { /* C1 controls, NEL */
      snprintf(esc, sizeof(esc), "\\x%02x", p[1]);
      sb_puts(b, esc);
      p++;
    } else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
      sb_puts(b, p[2] == 0xa8 ? "\\L" : "\\P");
      p += 2;
    } else if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
      sb_puts(b, "\\uFEFF");
      p += 2;
    } else {
      sb_put(b, (const char *)p, 1);
    }
  }
  sb_put(b, "\"", 1);
}

static void put_scalar(sbuf *b, const char *t, int quoted) {
  if (!quoted && plain_safe(t))
    sb_puts(b, t);
  else
    put_quoted(b, t);
}

static void emit_block(sbuf *b, const yt_node *node, int indent, int inline_first);

/* The value after "key:" or "-": scalar or empty collection on the same line, else a block. */
static void emit_value(sbuf *b, const yt_node *v, int indent, int in_seq) {
  if (v->kind == YT_SCALAR && !v->quoted && !v->text[0]) {
    sb_put(b, "\n", 1); /* plain null stays a plain null */
  } else if (v->kind == YT_SCALAR) {
    sb_put(b, " ", 1);
    put_scalar(b, v->text, v->quoted);
    sb_put(b, "\n", 1);
  } else if (!v->first) {
    sb_puts(b, v->kind == YT_MAP ? " {}\n" : " []\n");
  } else if (in_seq) {
    sb_put(b, " ", 1);
    emit_block(b, v, indent + 2, 1);
  } else {
    sb_put(b, "\n", 1);
    emit_block(b, v, indent + 2, 0);
  }
}

static void emit_block(sbuf *b, const yt_node *node, int indent, int inline_first) {
  for (const yt_node *c = node->first; c; c = c->next) {
    if (c != node->first || !inline_first) sb_indent(b, indent);
    if (node->kind == YT_MAP) {
      put_scalar(b, c->key ? c->key : "", 0);
      sb_put(b, ":", 1);
    } else {
      sb_put(b, "-", 1);
    }
    emit_value(b, c, indent, node->kind == YT_SEQ);
  }
}

char *yt_emit_string(const yt_node *node) {
  sbuf b = {0};
  sb_puts(&b, "");
  if (!node) {
  } else if (node->kind == YT_SCALAR) {
    put_scalar(&b, node->text, node->quoted);
    sb_put(&b, "\n", 1);
  } else if (!node->first) {
    sb_puts(&b, node->kind == YT_MAP ? "{}\n" : "[]\n");
  } else {
    emit_block(&b, node, 0, 0);
  }
  if (b.oom) {
    free(b.s);
    return NULL;
  }
  return b.s;
}

int yt_emit(const yt_node *node, FILE *f) {
  char *s = yt_emit_string(node);
  if (!s) return QS_ERR_OTHER;
  size_t n = strlen(s);
  int rc = fwrite(s, 1, n, f) == n ? 0 : QS_ERR_FILE;
  free(s);
  return rc;
}

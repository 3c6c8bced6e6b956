/* A block-style YAML emitter for yt_node trees (yt_emit, yt_emit_string) whose output parses
 * back to an equal tree: scalars are quoted only where a plain scalar would read back
 * differently, and scalars that were quoted stay quoted. */
#include "io/yamltree.h"

#include <stdlib.h>
#include <string.h>

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

/* YAML documents as position-carrying trees: the nodes themselves (creation, lookup, editing,
 * comparison, positions and paths for messages). Building a tree from libyaml's event stream is
 * in yamltree_parse.c, the block-style emitter in yamltree_emit.c. */
#define _POSIX_C_SOURCE 200809L
#include "io/yamltree.h"
#include "io/yamltree_impl.h"

#include <stdlib.h>
#include <string.h>

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

void yti_append_child(yt_node *parent, yt_node *child) {
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
    yti_append_child(n, cc);
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
  yti_append_child(map, value);
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
  yti_append_child(seq, item);
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

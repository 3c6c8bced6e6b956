/* A YAML document as a small tree of maps, sequences and scalars, each node remembering the
 * file, line and column it came from so that errors can point at it. Built on libyaml. */
#ifndef QLEDSIM_YAMLTREE_H
#define QLEDSIM_YAMLTREE_H

#include <stdio.h>
#include "io/qserr.h"

typedef enum { YT_SCALAR, YT_MAP, YT_SEQ } yt_kind;

typedef struct yt_node {
  yt_kind kind;
  char *text;            /* scalar text (YT_SCALAR only), never NULL for scalars */
  int quoted;            /* scalar was quoted in the source */
  char *key;             /* key under which this node sits in its parent map, or NULL */
  const char *file;      /* source file name, "<string>", "--set ..." (a private copy per node) */
  int line, col;         /* 1-based position of the value */
  int key_line, key_col; /* 1-based position of the key (0 when not in a map) */
  struct yt_node *parent;
  struct yt_node *first, *last; /* children (map values in order, or sequence items) */
  struct yt_node *next;
  int nchildren;
} yt_node;

/* Parse a file or a string. Duplicate keys in one map, anchors/aliases and multiple documents
 * are errors. An empty document gives an empty map. Returns 0 or an error class. */
int yt_parse_file(const char *path, yt_node **root, qs_err *err);
int yt_parse_string(const char *text, const char *name, yt_node **root, qs_err *err);
void yt_free(yt_node *node);

/* Child of a map by key (NULL if absent or node is not a map). */
yt_node *yt_get(const yt_node *map, const char *key);
/* i-th child (0-based) of a map or sequence, or NULL. */
yt_node *yt_child(const yt_node *node, int i);

/* Deep copy (positions kept). */
yt_node *yt_clone(const yt_node *node);
/* New nodes (text and file are copied). NULL when out of memory. */
yt_node *yt_new(yt_kind kind, const char *text, const char *file, int line, int col);
/* Insert or replace child "key" of a map; takes ownership of value. Returns value. */
yt_node *yt_map_set(yt_node *map, const char *key, yt_node *value);
/* Append to a sequence; takes ownership. */
void yt_seq_append(yt_node *seq, yt_node *item);
/* Remove and free child "key" of a map (no-op if absent). */
void yt_map_remove(yt_node *map, const char *key);
/* Put node where old is (same parent, key and key position) and free old. Returns node. */
yt_node *yt_replace(yt_node *old, yt_node *node);
/* Unlink a node from its parent (it keeps its key); returns it, now owned by the caller. */
yt_node *yt_detach(yt_node *node);
/* Give a node and all its descendants a new origin (file, line, col); line 0 means "no line".
 * Returns 0, or -1 when out of memory. */
int yt_relocate(yt_node *node, const char *file, int line, int col);
/* A plain (unquoted) empty, "~" or "null" scalar, or no node at all. */
int yt_is_null(const yt_node *node);
/* Same kinds, keys and scalar texts, recursively (positions and quoting are not compared). */
int yt_equal(const yt_node *a, const yt_node *b);

/* Write as block-style YAML, quoting scalars only where needed; the result parses back to an
 * equal tree (yt_equal), and scalars that were quoted stay quoted. yt_emit_string returns a
 * malloc'd string (NULL when out of memory); yt_emit returns 0 or an error class. */
int yt_emit(const yt_node *node, FILE *f);
char *yt_emit_string(const yt_node *node);

/* "file:line:col" of a node (just "file" when it has no line), for messages; yt_where_key gives
 * the position of the node's key in its map (the value's position when it has no key). */
const char *yt_where(const yt_node *node, char *buf, size_t buflen);
const char *yt_where_key(const yt_node *node, char *buf, size_t buflen);
/* Dotted path of a node from the root ("device.layers[1].thickness"). */
const char *yt_path(const yt_node *node, char *buf, size_t buflen);

#endif

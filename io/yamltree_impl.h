/* Internal to io/yamltree*.c: the nesting limit shared by the node functions (yamltree.c) and the
 * parser (yamltree_parse.c), and the child-appending primitive both use. */
#ifndef QLEDSIM_YAMLTREE_IMPL_H
#define QLEDSIM_YAMLTREE_IMPL_H

#include "io/yamltree.h"

#define YT_MAX_DEPTH 200

/* Link child as the last child of parent (sets child->parent, bumps nchildren). */
void yti_append_child(yt_node *parent, yt_node *child);

#endif

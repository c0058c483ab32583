/* yamltree: a YAML text into a small tree of mappings, lists and scalars,
 * the first step of reading a definition (load.c checks the tree against
 * the format). The bytes are checked first (UTF-8, no control characters);
 * then libyaml's event parser builds the tree, refusing anchors, aliases
 * and tags and bounding depth, scalar size and node count (the limits of
 * load.h). Each problem is handed to the caller's error function as one
 * message with its line and column (1-based; 0 where there is none). */
#ifndef CONSORT_YAMLTREE_H
#define CONSORT_YAMLTREE_H

#include <stddef.h>
#include <stdint.h>

enum ntype { N_SCALAR, N_SEQ, N_MAP };

/* 32 bytes (a large definition has a hundred thousand): a scalar's
 * length is at most LOAD_MAX_SCALAR and a container's children fewer than
 * LOAD_MAX_NODES, both well inside their fields. */
struct node {
	char *s;                /* scalar text, NUL-terminated */
	struct node **kid;      /* list items; for a mapping key, value, key, ... */
	int line, col;          /* 1-based */
	unsigned len : 24;      /* of s */
	unsigned type : 2;      /* enum ntype */
	unsigned null : 1;      /* an empty plain scalar: no value at all */
	uint32_t nkid;
};

struct arena_chunk;

struct yamltree {
	/* Set by the caller: where problems go, and how untrusted text is
	 * quoted inside a message. */
	void (*error)(void *ctx, int line, int col, const char *msg);
	const char *(*quote)(void *ctx, const char *s);
	void *ctx;
	/* Kept by the builder: every node, text and child array lives in one
	 * arena, freed at once. */
	struct arena_chunk *top;
	size_t nnodes;
	int stop;               /* the tree is unusable: do not check it */
};

/* Builds the tree of buf into t's arena, *root its top node (NULL for an
 * empty text). 0 when the tree can be checked; -1 when the bytes or the
 * YAML were refused (the errors have been reported). */
int yamltree_build(struct yamltree *t, const char *buf, size_t len, struct node **root);
/* Frees every node of the tree. */
void yamltree_free(struct yamltree *t);

#endif

/* hash: the one string hash (64-bit FNV-1a) and the one index of ids.
 * The index is open addressing over 32-bit values, 0 being an empty slot.
 * It keeps no ids: it reads a value's id back through the caller's key
 * function, so that a slot is four bytes and an index of thousands of ids
 * is a few pages. What a value means (a record's index, a kind and an
 * index) is the caller's; several values may share an id, found in the
 * order they were added. */
#ifndef CONSORT_HASH_H
#define CONSORT_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t hash_bytes(const void *b, size_t n);
/* hash_bytes over more bytes: hash_more(hash_bytes(a, n), b, m) is the
 * hash of a's n bytes followed by b's m. */
uint64_t hash_more(uint64_t h, const void *b, size_t n);
uint64_t hash_str(const char *s);

/* The id of value v (never 0), from the caller's records in ctx. */
typedef const char *(*id_key_fn)(const void *ctx, uint32_t v);

struct id_index {
	uint32_t *slots;        /* NULL until the first value */
	size_t mask;            /* capacity - 1 */
	size_t n;               /* values stored */
};

/* An empty index with room for n values before it grows. */
void id_index_init(struct id_index *x, size_t n);
void id_index_free(struct id_index *x);
/* The values stored under id, in the order they were added:
 *     size_t at = id_index_start(x, id);
 *     for (uint32_t v; (v = id_index_next(x, id, key, ctx, &at)) != 0;) ...
 */
size_t id_index_start(const struct id_index *x, const char *id);
uint32_t id_index_next(const struct id_index *x, const char *id, id_key_fn key, const void *ctx,
                       size_t *at);
/* The first value stored under id, or 0. */
uint32_t id_index_get(const struct id_index *x, const char *id, id_key_fn key, const void *ctx);
/* Adds v (not 0) under its id key(ctx, v), after any value already there. */
void id_index_add(struct id_index *x, uint32_t v, id_key_fn key, const void *ctx);
/* The same, where at is where a walk of id_index_next over v's id ended
 * (it returned 0): v goes into that slot without its id hashed again,
 * unless the index must grow first. */
void id_index_add_at(struct id_index *x, size_t at, uint32_t v, id_key_fn key, const void *ctx);

#endif

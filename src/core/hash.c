/* hash: FNV-1a over bytes, and the index of ids of hash.h. The index keeps
 * at most half of its slots full, so that every probe sequence ends at an
 * empty slot. */
#include "config.h"
#include "core/hash.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define FNV_OFFSET 0xCBF29CE484222325ull
#define FNV_PRIME 0x100000001B3ull

uint64_t hash_bytes(const void *b, size_t n)
{
	return hash_more(FNV_OFFSET, b, n);
}

uint64_t hash_more(uint64_t h, const void *b, size_t n)
{
	const unsigned char *c = b;
	size_t i = 0;
	/* Eight bytes a turn: the same steps with less loop around them
	 * (a definition of half a megabyte is hashed on every command). */
	for (; i + 8 <= n; i += 8) {
		h = (h ^ c[i]) * FNV_PRIME;
		h = (h ^ c[i + 1]) * FNV_PRIME;
		h = (h ^ c[i + 2]) * FNV_PRIME;
		h = (h ^ c[i + 3]) * FNV_PRIME;
		h = (h ^ c[i + 4]) * FNV_PRIME;
		h = (h ^ c[i + 5]) * FNV_PRIME;
		h = (h ^ c[i + 6]) * FNV_PRIME;
		h = (h ^ c[i + 7]) * FNV_PRIME;
	}
	for (; i < n; i++)
		h = (h ^ c[i]) * FNV_PRIME;
	return h;
}

uint64_t hash_str(const char *s)
{
	uint64_t h = FNV_OFFSET;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		h = (h ^ *c) * FNV_PRIME;
	return h;
}

/* The first slot of id: the high bits folded into the low ones the mask
 * keeps. */
static size_t slot_of(const char *id, size_t mask)
{
	uint64_t h = hash_str(id);
	return (size_t)(h ^ (h >> 29)) & mask;
}

static size_t capacity_for(size_t n)
{
	size_t cap = 16;
	while (cap < 2 * n + 2)
		cap *= 2;
	return cap;
}

void id_index_init(struct id_index *x, size_t n)
{
	size_t cap = capacity_for(n);
	x->slots = xcalloc(cap, sizeof *x->slots);
	x->mask = cap - 1;
	x->n = 0;
}

void id_index_free(struct id_index *x)
{
	free(x->slots);
	memset(x, 0, sizeof *x);
}

size_t id_index_start(const struct id_index *x, const char *id)
{
	return x->slots ? slot_of(id, x->mask) : 0;
}

uint32_t id_index_next(const struct id_index *x, const char *id, id_key_fn key, const void *ctx,
                       size_t *at)
{
	if (!x->slots)
		return 0;
	for (;;) {
		uint32_t v = x->slots[*at];
		if (!v)
			return 0;
		*at = (*at + 1) & x->mask;
		if (strcmp(key(ctx, v), id) == 0)
			return v;
	}
}

uint32_t id_index_get(const struct id_index *x, const char *id, id_key_fn key, const void *ctx)
{
	size_t at = id_index_start(x, id);
	return id_index_next(x, id, key, ctx, &at);
}

/* v into the first empty slot of its probe sequence. */
static void place(uint32_t *slots, size_t mask, uint32_t v, const char *id)
{
	size_t at = slot_of(id, mask);
	while (slots[at])
		at = (at + 1) & mask;
	slots[at] = v;
}

void id_index_add(struct id_index *x, uint32_t v, id_key_fn key, const void *ctx)
{
	if (!x->slots || 2 * (x->n + 1) > x->mask + 1) {
		size_t cap = capacity_for(x->n + 1);
		uint32_t *slots = xcalloc(cap, sizeof *slots);
		if (x->slots) {
			/* From an empty slot round: each run of full slots is
			 * read in its own order, so values of one id keep theirs. */
			size_t e = 0;
			while (x->slots[e])
				e++;
			for (size_t k = 1; k <= x->mask + 1; k++) {
				uint32_t w = x->slots[(e + k) & x->mask];
				if (w)
					place(slots, cap - 1, w, key(ctx, w));
			}
			free(x->slots);
		}
		x->slots = slots;
		x->mask = cap - 1;
	}
	place(x->slots, x->mask, v, key(ctx, v));
	x->n++;
}

void id_index_add_at(struct id_index *x, size_t at, uint32_t v, id_key_fn key, const void *ctx)
{
	/* The walk's last slot is the first empty one of the id's probe
	 * sequence: where place() would put v. */
	if (x->slots && 2 * (x->n + 1) <= x->mask + 1 && at <= x->mask && !x->slots[at]) {
		x->slots[at] = v;
		x->n++;
		return;
	}
	id_index_add(x, v, key, ctx);
}

/* hash: the string hash is FNV-1a (the definition cache names its files
 * with it), and the id index finds every value by its id, in the order
 * added, however far it grew. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/hash.h"

Test(hash, fnv1a_vectors)
{
	cr_assert_eq(hash_str(""), 0xcbf29ce484222325ull);
	cr_assert_eq(hash_str("a"), 0xaf63dc4c8601ec8cull);
	cr_assert_eq(hash_str("foobar"), 0x85944171f73967e8ull);
	cr_assert_eq(hash_bytes("foobar", 6), hash_str("foobar"));
	cr_assert_eq(hash_bytes("a\0b", 3), hash_bytes("a\0b", 3));
	cr_assert_neq(hash_bytes("a\0b", 3), hash_str("a"));
	cr_assert_eq(hash_more(hash_bytes("foo", 3), "bar", 3), 0x85944171f73967e8ull);
	cr_assert_eq(hash_more(hash_bytes("", 0), "foobar", 6), hash_str("foobar"));
}

#define N 5000
static char ids[N][16];

/* Value v is ids[(v - 1) % N]: two values per id past N. */
static const char *key(const void *ctx, uint32_t v)
{
	(void)ctx;
	return ids[(v - 1) % N];
}

Test(hash, index_finds_every_id_after_growing)
{
	struct id_index x = {0};
	cr_assert_eq(id_index_get(&x, "T1", key, NULL), 0, "an empty index finds nothing");
	for (int i = 0; i < N; i++)
		snprintf(ids[i], sizeof ids[i], "T%d.%d", i / 10, i % 10);
	for (uint32_t v = 1; v <= N; v++)
		id_index_add(&x, v, key, NULL);
	for (uint32_t v = N + 1; v <= 2 * N; v++)
		id_index_add(&x, v, key, NULL);
	cr_assert_eq(x.n, 2 * N);
	cr_assert_leq(2 * x.n, x.mask + 1, "at most half full");
	for (uint32_t i = 0; i < N; i++) {
		cr_assert_eq(id_index_get(&x, ids[i], key, NULL), i + 1, "%s", ids[i]);
		size_t at = id_index_start(&x, ids[i]);
		cr_assert_eq(id_index_next(&x, ids[i], key, NULL, &at), i + 1);
		cr_assert_eq(id_index_next(&x, ids[i], key, NULL, &at), i + 1 + N, "second value of %s", ids[i]);
		cr_assert_eq(id_index_next(&x, ids[i], key, NULL, &at), 0);
	}
	cr_assert_eq(id_index_get(&x, "T9999.9", key, NULL), 0);
	cr_assert_eq(id_index_get(&x, "", key, NULL), 0);
	id_index_free(&x);
	cr_assert_null(x.slots);
}

Test(hash, index_sized_ahead_does_not_move)
{
	struct id_index x;
	id_index_init(&x, 100);
	uint32_t *slots = x.slots;
	for (int i = 0; i < 100; i++)
		snprintf(ids[i], sizeof ids[i], "P%d", i);
	for (uint32_t v = 1; v <= 100; v++)
		id_index_add(&x, v, key, NULL);
	cr_assert_eq(x.slots, slots, "room for 100 was made at the start");
	for (uint32_t v = 1; v <= 100; v++)
		cr_assert_eq(id_index_get(&x, ids[v - 1], key, NULL), v);
	id_index_free(&x);
}

/* A value added where a walk over its id ended takes the slot
 * id_index_add gives it: the same slots, from an empty index that grows
 * and from one sized beforehand, with two values per id. */
Test(hash, add_at_the_end_of_a_walk_is_add)
{
	for (int i = 0; i < N; i++)
		snprintf(ids[i], sizeof ids[i], "T%d.%d", i / 7, i % 7);
	for (int sized = 0; sized < 2; sized++) {
		struct id_index a = {0}, b = {0};
		if (sized) {
			id_index_init(&a, 2 * N);
			id_index_init(&b, 2 * N);
		}
		for (uint32_t v = 1; v <= 2 * N; v++) {
			id_index_add(&a, v, key, NULL);
			const char *id = key(NULL, v);
			size_t at = id_index_start(&b, id);
			while (id_index_next(&b, id, key, NULL, &at) != 0)
				;
			id_index_add_at(&b, at, v, key, NULL);
		}
		cr_assert_eq(a.mask, b.mask);
		cr_assert_eq(a.n, b.n);
		cr_assert_eq(memcmp(a.slots, b.slots, (a.mask + 1) * sizeof *a.slots), 0,
		             "the slots differ (%s index)", sized ? "a sized" : "a growing");
		id_index_free(&a);
		id_index_free(&b);
	}
}

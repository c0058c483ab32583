/* store_mem: SQLite's small allocations from lists of freed blocks by
 * size. Debian builds SQLite without its lookaside (OMIT_LOOKASIDE), so
 * every parse node, statement and cell SQLite makes is a malloc and a
 * free: a status on the large project makes about 4,400 of each, at about
 * 150 and 100 instructions apiece, far more than a list's push and pop.
 * Blocks of up to SMALL_MAX bytes, in steps of STEP, are cut from slabs
 * and kept on their size's list when freed, for the next of that size
 * (a long-running dashboard reuses them; nothing goes back to the
 * system); larger ones, the page cache's among them, are malloc's. Each
 * block has a header of 8 bytes before it: its size, the high bit set for
 * a malloc'd one. SQLite runs single-threaded here (store.c), so the
 * lists need no lock. Under AddressSanitizer SQLite keeps malloc, for the
 * sanitizer to see each block. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <sqlite3.h>

#include "core/store_int.h"

#if defined(__SANITIZE_ADDRESS__)
#define STORE_MEM_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STORE_MEM_POOL 0
#endif
#endif
#ifndef STORE_MEM_POOL
#define STORE_MEM_POOL 1
#endif

#define STEP 16
#define SMALL_MAX 1024
#define NCLASS (SMALL_MAX / STEP)
#define SLAB (64 * 1024)
/* At most this many slabs (128 KiB), mapped apart from malloc's heap;
 * past them a block is malloc's. What the lists keep then stays small
 * beside the memory goal, and a slab in the heap's middle cannot keep it
 * from shrinking (verify's peak grew by a megabyte that way). A command's
 * parse and statements mostly fit. */
#define SLABS 2
#define HEAD 8
#define BIG ((uint64_t)1 << 63)

struct freed {
	struct freed *next;
};

static struct freed *lists[NCLASS + 1];
static char *slab, *slab_end;
static int slabs;

/* The class of n bytes (1..NCLASS), 0 for a large one. */
static size_t class_of(int n)
{
	return n > 0 && n <= SMALL_MAX ? ((size_t)n + STEP - 1) / STEP : 0;
}

static void *mem_malloc(int n)
{
	if (n <= 0)
		return NULL;
	size_t c = class_of(n);
	char *b;
	if (c && !lists[c] && (size_t)(slab_end - slab) < c * STEP + HEAD) {
		/* A new slab; past the last one, or when none can be mapped,
		 * malloc's block. The rest of the old slab is left: less than
		 * a block. */
		void *m = slabs < SLABS
			? mmap(NULL, SLAB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
			: MAP_FAILED;
		if (m == MAP_FAILED) {
			c = 0;
		} else {
			slab = m;
			slab_end = slab + SLAB;
			slabs++;
		}
	}
	if (!c) {
		if (!(b = malloc((size_t)n + HEAD)))
			return NULL;
		uint64_t h = BIG | (uint64_t)n;
		memcpy(b, &h, HEAD);
		return b + HEAD;
	}
	if (lists[c]) {
		struct freed *f = lists[c];
		lists[c] = f->next;
		return f;
	}
	b = slab;
	slab += c * STEP + HEAD;
	uint64_t h = (uint64_t)c * STEP;
	memcpy(b, &h, HEAD);
	return b + HEAD;
}

static uint64_t head_of(const void *p)
{
	uint64_t h;
	memcpy(&h, (const char *)p - HEAD, HEAD);
	return h;
}

static void mem_free(void *p)
{
	if (!p)
		return;
	uint64_t h = head_of(p);
	if (h & BIG) {
		free((char *)p - HEAD);
		return;
	}
	struct freed *f = p;
	size_t c = (size_t)h / STEP;
	f->next = lists[c];
	lists[c] = f;
}

static int mem_size(void *p)
{
	return p ? (int)(head_of(p) & ~BIG) : 0;
}

static void *mem_realloc(void *p, int n)
{
	if (!p)
		return mem_malloc(n);
	if (n <= 0) {
		mem_free(p);
		return NULL;
	}
	int have = mem_size(p);
	uint64_t h = head_of(p);
	if (!(h & BIG) && n <= have)
		return p;
	if (h & BIG && class_of(n) == 0) {
		char *b = realloc((char *)p - HEAD, (size_t)n + HEAD);
		if (!b)
			return NULL;
		h = BIG | (uint64_t)n;
		memcpy(b, &h, HEAD);
		return b + HEAD;
	}
	void *q = mem_malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, (size_t)(have < n ? have : n));
	mem_free(p);
	return q;
}

static int mem_roundup(int n)
{
	size_t c = class_of(n);
	return c ? (int)(c * STEP) : n;
}

static int mem_init(void *arg)
{
	(void)arg;
	return SQLITE_OK;
}

static void mem_shutdown(void *arg)
{
	(void)arg;
}

void store_mem_config(void)
{
	static const sqlite3_mem_methods methods = {
		mem_malloc, mem_free, mem_realloc, mem_size, mem_roundup, mem_init, mem_shutdown, NULL,
	};
	if (STORE_MEM_POOL)
		sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
}

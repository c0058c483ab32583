/* heap_brief: after it, a brief command's blocks, small and large, land
 * on one transparent huge page, so that touching a megabyte of them costs
 * a handful of page faults instead of one per 4 KiB; and the heap works
 * as before. Criterion runs each test in a process of its own, which is
 * what heap_brief expects (once, early). Skipped where the kernel gives
 * no huge pages for the asking, and under AddressSanitizer (whose
 * allocator heap_brief leaves alone). */
#include "config.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/util.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* Huge pages given to a region that asks (madvise) or to every one. */
static int thp_offered(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	char line[128] = "";
	if (!f)
		return 0;
	if (!fgets(line, sizeof line, f))
		line[0] = '\0';
	fclose(f);
	return strstr(line, "[always]") || strstr(line, "[madvise]");
}

static void need_thp(void)
{
	if (UNDER_ASAN)
		cr_skip_test("heap_brief does nothing under AddressSanitizer");
	if (!thp_offered())
		cr_skip_test("the kernel offers no transparent huge pages here");
}

static long minor_faults(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* The kB of huge pages in the mapping that holds p (/proc/self/smaps), or
 * -1 when no mapping does. */
static long huge_kb_at(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	cr_assert_not_null(f);
	char line[512];
	int in = 0;
	long kb = -1;
	uintptr_t a = (uintptr_t)p;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			in = a >= lo && a < hi;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/* What a status makes: many small blocks and a few of hundreds of KiB
 * (a plan, effort rows), a megabyte and a half in all, every page written. */
#define NSMALL 4000
#define SMALL 160
#define NLARGE 3
#define LARGE (300 * 1024)

Test(heap, blocks_land_on_a_huge_page)
{
	need_thp();
	heap_brief();
	long before = minor_faults();
	char *small[NSMALL], *large[NLARGE];
	for (int i = 0; i < NSMALL; i++) {
		small[i] = malloc(SMALL);
		cr_assert_not_null(small[i]);
		memset(small[i], i & 0xff, SMALL);
	}
	for (int i = 0; i < NLARGE; i++) {
		large[i] = calloc(1, LARGE);
		cr_assert_not_null(large[i]);
		memset(large[i], 0x5a, LARGE);
	}
	long faults = minor_faults() - before;
	/* Some 380 pages of 4 KiB were written: one fault each on small pages. */
	cr_expect_lt(faults, 40, "%ld page faults for 1.8 MB of blocks", faults);
	cr_expect_geq(huge_kb_at(small[NSMALL / 2]), 2048, "the small blocks are not on a huge page");
	cr_expect_geq(huge_kb_at(large[0]), 2048, "a large block is not on a huge page");
	/* The contents hold. */
	for (int i = 0; i < NSMALL; i++)
		cr_assert_eq((unsigned char)small[i][SMALL - 1], (unsigned char)(i & 0xff));
	for (int i = 0; i < NLARGE; i++) {
		cr_assert_eq(large[i][0], 0x5a);
		cr_assert_eq(large[i][LARGE - 1], 0x5a);
		free(large[i]);
	}
	for (int i = 0; i < NSMALL; i++)
		free(small[i]);
}

/* A large block comes from the heap, not a mapping of its own, and what
 * is freed is used again. */
Test(heap, large_blocks_from_the_heap)
{
	if (UNDER_ASAN)
		cr_skip_test("heap_brief does nothing under AddressSanitizer");
	heap_brief();
	char *a = malloc(LARGE);
	cr_assert_not_null(a);
	uintptr_t top = (uintptr_t)sbrk(0);
	cr_expect((uintptr_t)a < top && (uintptr_t)a + LARGE <= top,
	          "a block of %d KiB is not in the heap (%p, break at %p)", LARGE / 1024, (void *)a,
	          (void *)top);
	free(a);
	char *b = malloc(LARGE);
	cr_expect_eq(b, a, "the block freed is not used again");
	char *c = realloc(b, 2 * LARGE);
	cr_assert_not_null(c);
	free(c);
}

/* Twice is once. */
Test(heap, once)
{
	heap_brief();
	uintptr_t top = (uintptr_t)sbrk(0);
	heap_brief();
	cr_expect_eq((uintptr_t)sbrk(0), top);
}

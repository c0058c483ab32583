/* test_defcache: the cache of the parsed definition gives exactly what the
 * loader gives (every field, the warnings), is invalidated by a changed
 * definition, survives damaged, truncated and forged entries and an
 * unwritable cache directory, and can be bypassed. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/defcache.h"
#include "core/hash.h"
#include "core/load.h"
#include "core/project.h"
#include "core/util.h"

static char scratch[256];

static void setup(void)
{
	snprintf(scratch, sizeof scratch, "/tmp/consort-defcache-XXXXXX");
	cr_assert_not_null(mkdtemp(scratch));
	char cache[300];
	snprintf(cache, sizeof cache, "%s/cache", scratch);
	setenv("XDG_CACHE_HOME", cache, 1);
	unsetenv("CONSORT_NO_CACHE");
}

static void teardown(void)
{
	char cmd[2 * sizeof scratch + 64];
	snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' && rm -rf '%s'", scratch, scratch);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", scratch);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	size_t cap = 1 << 16, n = 0;
	unsigned char *b = malloc(cap);
	size_t r;
	while ((r = fread(b + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			b = realloc(b, cap *= 2);
	}
	fclose(f);
	*len = n;
	return b;
}

static void spit(const char *path, const void *b, size_t len)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "cannot write %s", path);
	cr_assert_eq(fwrite(b, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

static void set_mtime(const char *path, time_t t)
{
	struct timespec ts[2] = {{t, 0}, {t, 0}};
	cr_assert_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* A copy of a definition in the scratch directory, last modified long ago
 * (a definition modified within two seconds is not cached). */
static char *copy_def(const char *envvar, const char *rel)
{
	const char *dir = getenv(envvar);
	cr_assert_not_null(dir, "%s is not set", envvar);
	char src[1024];
	snprintf(src, sizeof src, "%s/%s", dir, rel);
	size_t len;
	unsigned char *b = slurp(src, &len);
	char *dst = malloc(1024);
	const char *base = strrchr(rel, '/');
	snprintf(dst, 1024, "%s/%s", scratch, base ? base + 1 : rel);
	spit(dst, b, len);
	free(b);
	set_mtime(dst, 1500000000);
	return dst;
}

static void str_eq(const char *a, const char *b, const char *what, int i)
{
	if (!a || !b)
		cr_assert(a == b, "%s[%d]: one is NULL", what, i);
	else
		cr_assert_str_eq(a, b, "%s[%d]", what, i);
}

static void project_eq(const struct project *a, const struct project *b)
{
	str_eq(a->path, b->path, "path", 0);
	cr_assert_eq(a->format, b->format);
	str_eq(a->acronym, b->acronym, "acronym", 0);
	str_eq(a->title, b->title, "title", 0);
	str_eq(a->programme, b->programme, "programme", 0);
	cr_assert_eq(a->start, b->start);
	cr_assert_eq(a->end, b->end);
	cr_assert_eq(a->nmonths, b->nmonths);
	cr_assert_eq(a->coordinator, b->coordinator);
	cr_assert_eq(a->nperiods, b->nperiods);
	for (int i = 0; i < a->nperiods; i++) {
		str_eq(a->periods[i].id, b->periods[i].id, "period", i);
		cr_assert_eq(a->periods[i].from, b->periods[i].from);
		cr_assert_eq(a->periods[i].to, b->periods[i].to);
	}
	cr_assert_eq(a->npartners, b->npartners);
	for (int i = 0; i < a->npartners; i++) {
		const struct partner *x = &a->partners[i], *y = &b->partners[i];
		str_eq(x->id, y->id, "partner.id", i);
		str_eq(x->name, y->name, "partner.name", i);
		str_eq(x->country, y->country, "partner.country", i);
		str_eq(x->sector, y->sector, "partner.sector", i);
		cr_assert_eq(x->coordinator, y->coordinator);
		cr_assert_eq(x->joined, y->joined);
		cr_assert_eq(x->left, y->left);
		cr_assert_eq(x->nusers, y->nusers);
		for (int u = 0; u < x->nusers; u++)
			str_eq(x->users[u], y->users[u], "partner.users", u);
	}
	cr_assert_eq(a->nwps, b->nwps);
	for (int i = 0; i < a->nwps; i++) {
		const struct wp *x = &a->wps[i], *y = &b->wps[i];
		str_eq(x->id, y->id, "wp.id", i);
		str_eq(x->title, y->title, "wp.title", i);
		str_eq(x->objective, y->objective, "wp.objective", i);
		cr_assert_eq(x->lead, y->lead);
		cr_assert_eq(x->start, y->start);
		cr_assert_eq(x->end, y->end);
		cr_assert_eq(x->first_task, y->first_task);
		cr_assert_eq(x->ntasks, y->ntasks);
	}
	cr_assert_eq(a->ntasks, b->ntasks);
	for (int i = 0; i < a->ntasks; i++) {
		const struct task *x = &a->tasks[i], *y = &b->tasks[i];
		str_eq(x->id, y->id, "task.id", i);
		str_eq(x->title, y->title, "task.title", i);
		str_eq(x->description, y->description, "task.description", i);
		cr_assert_eq(x->wp, y->wp);
		cr_assert_eq(x->lead, y->lead);
		cr_assert_eq(x->start, y->start);
		cr_assert_eq(x->end, y->end);
		cr_assert_eq(x->nparticipants, y->nparticipants);
		for (int k = 0; k < x->nparticipants; k++)
			cr_assert_eq(x->participants[k], y->participants[k]);
	}
	cr_assert_eq(a->ndeliverables, b->ndeliverables);
	for (int i = 0; i < a->ndeliverables; i++) {
		const struct deliverable *x = &a->deliverables[i], *y = &b->deliverables[i];
		str_eq(x->id, y->id, "deliverable.id", i);
		str_eq(x->title, y->title, "deliverable.title", i);
		str_eq(x->description, y->description, "deliverable.description", i);
		str_eq(x->type, y->type, "deliverable.type", i);
		str_eq(x->dissemination, y->dissemination, "deliverable.dissemination", i);
		cr_assert_eq(x->wp, y->wp);
		cr_assert_eq(x->lead, y->lead);
		cr_assert_eq(x->due, y->due);
	}
	cr_assert_eq(a->nmilestones, b->nmilestones);
	for (int i = 0; i < a->nmilestones; i++) {
		const struct milestone *x = &a->milestones[i], *y = &b->milestones[i];
		str_eq(x->id, y->id, "milestone.id", i);
		str_eq(x->title, y->title, "milestone.title", i);
		str_eq(x->description, y->description, "milestone.description", i);
		str_eq(x->verification, y->verification, "milestone.verification", i);
		cr_assert_eq(x->lead, y->lead);
		cr_assert_eq(x->due, y->due);
		cr_assert_eq(x->nwps, y->nwps);
		for (int k = 0; k < x->nwps; k++)
			cr_assert_eq(x->wps[k], y->wps[k]);
	}
	cr_assert_eq(a->ntargets, b->ntargets);
	for (int i = 0; i < a->ntargets; i++) {
		const struct target *x = &a->targets[i], *y = &b->targets[i];
		str_eq(x->id, y->id, "target.id", i);
		str_eq(x->title, y->title, "target.title", i);
		str_eq(x->unit, y->unit, "target.unit", i);
		cr_assert_eq(x->kind, y->kind);
		cr_assert_eq(x->target, y->target);
	}
	const struct benchmark *x = &a->bench, *y = &b->bench;
	cr_assert_eq(x->present, y->present);
	str_eq(x->scheme, y->scheme, "bench.scheme", 0);
	cr_assert_eq(x->pass_score, y->pass_score);
	cr_assert_eq(x->nlabels, y->nlabels);
	for (int i = 0; i < x->nlabels; i++)
		str_eq(x->labels[i], y->labels[i], "bench.labels", i);
	cr_assert_eq(x->nindicators, y->nindicators);
	for (int i = 0; i < x->nindicators; i++) {
		str_eq(x->indicators[i].id, y->indicators[i].id, "indicator.id", i);
		str_eq(x->indicators[i].area, y->indicators[i].area, "indicator.area", i);
		str_eq(x->indicators[i].title, y->indicators[i].title, "indicator.title", i);
		str_eq(x->indicators[i].unit, y->indicators[i].unit, "indicator.unit", i);
		cr_assert_eq(x->indicators[i].threshold, y->indicators[i].threshold);
	}
	cr_assert_eq(x->nclusters, y->nclusters);
	for (int i = 0; i < x->nclusters; i++) {
		cr_assert_eq(x->clusters[i].partner, y->clusters[i].partner);
		str_eq(x->clusters[i].name, y->clusters[i].name, "cluster.name", i);
		cr_assert_eq(x->clusters[i].target_label, y->clusters[i].target_label);
	}
}

static void diags_eq(const struct diags *a, const struct diags *b)
{
	str_eq(a->file, b->file, "diags.file", 0);
	cr_assert_eq(a->n, b->n);
	cr_assert_eq(a->nerrors, b->nerrors);
	cr_assert_eq(a->nwarnings, b->nwarnings);
	for (size_t i = 0; i < a->n; i++) {
		cr_assert_eq(a->v[i].level, b->v[i].level);
		cr_assert_eq(a->v[i].line, b->v[i].line);
		cr_assert_eq(a->v[i].col, b->v[i].col);
		str_eq(a->v[i].msg, b->v[i].msg, "diag.msg", (int)i);
	}
}

/* defcache_load gives what load_project_file gives; returns whether it
 * came from the cache. */
static int load_same(const char *path)
{
	struct project want, got;
	struct diags dw = {0}, dg = {0};
	int ew = 0, eg = 0;
	int rw = load_project_file(path, &want, &dw, &ew);
	int rg = defcache_load(path, &got, &dg, &eg);
	int hit = defcache_last_hit();
	cr_assert_eq(rg, rw);
	cr_assert_eq(eg, ew);
	if (rw == 0)
		project_eq(&got, &want);
	diags_eq(&dg, &dw);
	project_free(&want);
	project_free(&got);
	diags_free(&dw);
	diags_free(&dg);
	return hit;
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static void roundtrip(const char *envvar, const char *rel, int expect_warnings)
{
	char *def = copy_def(envvar, rel);
	char *cache = defcache_file(def);
	cr_assert_not_null(cache);
	cr_assert(!exists(cache));
	cr_assert_eq(load_same(def), 0, "the first load parses");
	cr_assert(exists(cache), "the first load writes %s", cache);
	struct stat st;
	cr_assert_eq(stat(cache, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	char *dir = strdup(cache);
	*strrchr(dir, '/') = '\0';
	cr_assert_eq(stat(dir, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	free(dir);
	cr_assert_eq(load_same(def), 1, "the second load reads the cache");
	cr_assert_eq(load_same(def), 1);
	if (expect_warnings) {
		struct project p;
		struct diags d = {0};
		cr_assert_eq(defcache_load(def, &p, &d, NULL), 0);
		cr_assert_eq(defcache_last_hit(), 1);
		cr_assert_gt(d.nwarnings, 0);
		cr_assert_gt(d.n, 0);
		project_free(&p);
		diags_free(&d);
	}
	free(cache);
	free(def);
}

TestSuite(defcache, .init = setup, .fini = teardown);

Test(defcache, bundled_definition)
{
	roundtrip("CONSORT_DATA", "5forexcellence.yaml", 0);
}

Test(defcache, mini_definition)
{
	roundtrip("CONSORT_TESTDATA", "defs/mini.yaml", 0);
}

Test(defcache, warnings_are_replayed)
{
	roundtrip("CONSORT_TESTDATA", "defs/warn-lead-inactive.yaml", 1);
	roundtrip("CONSORT_TESTDATA", "defs/warn-task-after-wp.yaml", 1);
}

Test(defcache, relative_and_absolute_paths)
{
	char *def = copy_def("CONSORT_TESTDATA", "defs/mini.yaml");
	cr_assert_eq(load_same(def), 0);
	cr_assert_eq(chdir(scratch), 0);
	/* The same file under another name: the same entry, and the name it
	 * was given in the project and the messages. */
	cr_assert_eq(load_same("mini.yaml"), 1);
	cr_assert_eq(load_same("./mini.yaml"), 1);
	free(def);
}

Test(defcache, new_mtime_invalidates)
{
	char *def = copy_def("CONSORT_TESTDATA", "defs/mini.yaml");
	cr_assert_eq(load_same(def), 0);
	cr_assert_eq(load_same(def), 1);
	set_mtime(def, 1500000100);
	cr_assert_eq(load_same(def), 0, "a new mtime is a miss");
	cr_assert_eq(load_same(def), 1, "and the entry is rewritten");
	free(def);
}

Test(defcache, changed_byte_invalidates)
{
	char *def = copy_def("CONSORT_DATA", "5forexcellence.yaml");
	cr_assert_eq(load_same(def), 0);
	cr_assert_eq(load_same(def), 1);
	size_t len;
	unsigned char *b = slurp(def, &len);
	char *t = strstr((char *)b, "title:");
	cr_assert_not_null(t);
	t += 7;
	*t = *t == 'X' ? 'Y' : 'X';   /* same size, same mtime */
	spit(def, b, len);
	set_mtime(def, 1500000000);
	free(b);
	cr_assert_eq(load_same(def), 0, "changed contents are a miss");
	cr_assert_eq(load_same(def), 1);
	free(def);
}

Test(defcache, a_failing_definition_is_not_cached)
{
	char *def = copy_def("CONSORT_TESTDATA", "defs/bad-dangling-lead.yaml");
	char *cache = defcache_file(def);
	cr_assert_eq(load_same(def), 0);
	cr_assert(!exists(cache));
	cr_assert_eq(load_same(def), 0);
	free(cache);
	free(def);
	char missing[400];
	snprintf(missing, sizeof missing, "%s/nope.yaml", scratch);
	cr_assert_eq(load_same(missing), 0);
	struct project p;
	struct diags d = {0};
	int io = 0;
	cr_assert_eq(defcache_load(missing, &p, &d, &io), -1);
	cr_assert_eq(io, ENOENT);
	diags_free(&d);
}

Test(defcache, a_fresh_definition_is_cached_later)
{
	char *def = copy_def("CONSORT_TESTDATA", "defs/mini.yaml");
	set_mtime(def, time(NULL));
	char *cache = defcache_file(def);
	cr_assert_eq(load_same(def), 0);
	cr_assert(!exists(cache), "modified just now: not cached yet");
	free(cache);
	free(def);
}

Test(defcache, no_cache_bypasses)
{
	char *def = copy_def("CONSORT_TESTDATA", "defs/mini.yaml");
	char *cache = defcache_file(def);
	setenv("CONSORT_NO_CACHE", "1", 1);
	cr_assert_eq(load_same(def), 0);
	cr_assert(!exists(cache));
	unsetenv("CONSORT_NO_CACHE");
	cr_assert_eq(load_same(def), 0);
	cr_assert(exists(cache));
	setenv("CONSORT_NO_CACHE", "1", 1);
	cr_assert_eq(load_same(def), 0, "bypassed even when an entry exists");
	free(cache);
	free(def);
}

Test(defcache, unwritable_cache_dir)
{
	char *def = copy_def("CONSORT_TESTDATA", "defs/mini.yaml");
	char where[400];
	/* A cache home that is a file: nothing can be created under it. */
	snprintf(where, sizeof where, "%s/file", scratch);
	spit(where, "x", 1);
	setenv("XDG_CACHE_HOME", where, 1);
	cr_assert_eq(load_same(def), 0);
	cr_assert_eq(load_same(def), 0);
	/* A read-only directory (which root may still write to). */
	snprintf(where, sizeof where, "%s/ro", scratch);
	cr_assert_eq(mkdir(where, 0500), 0);
	setenv("XDG_CACHE_HOME", where, 1);
	cr_assert_eq(load_same(def), 0);
	load_same(def);
	/* No usable home at all. */
	setenv("XDG_CACHE_HOME", "relative", 1);
	unsetenv("HOME");
	cr_assert_null(defcache_file(def));
	cr_assert_eq(load_same(def), 0);
	free(def);
}

/* A good entry for a copy of rel, its bytes in *good. */
static char *prepare(const char *envvar, const char *rel, char **def, unsigned char **good,
                     size_t *len)
{
	*def = copy_def(envvar, rel);
	char *cache = defcache_file(*def);
	cr_assert_eq(load_same(*def), 0);
	cr_assert_eq(load_same(*def), 1);
	*good = slurp(cache, len);
	cr_assert_gt(*len, 200);
	return cache;
}

Test(defcache, truncated_entries)
{
	char *def;
	unsigned char *good;
	size_t len;
	char *cache = prepare("CONSORT_TESTDATA", "defs/mini.yaml", &def, &good, &len);
	for (size_t cut = 0; cut < len; cut += (cut < 300 ? 1 : 37)) {
		spit(cache, good, cut);
		cr_assert_eq(load_same(def), 0, "cut at %zu is a miss", cut);
		cr_assert_eq(load_same(def), 1, "and is repaired");
	}
	/* Trailing bytes after the body. */
	unsigned char *more = malloc(len + 8);
	memcpy(more, good, len);
	memset(more + len, 0, 8);
	spit(cache, more, len + 8);
	cr_assert_eq(load_same(def), 0);
	free(more);
	free(good);
	free(cache);
	free(def);
}

Test(defcache, flipped_bytes)
{
	char *def;
	unsigned char *good;
	size_t len;
	char *cache = prepare("CONSORT_DATA", "5forexcellence.yaml", &def, &good, &len);
	unsigned char *bad = malloc(len);
	srand(20231231);
	for (int it = 0; it < 200; it++) {
		memcpy(bad, good, len);
		int flips = 1 + rand() % 4;
		for (int k = 0; k < flips; k++)
			bad[(size_t)rand() % len] ^= (unsigned char)(1u << (rand() % 8));
		spit(cache, bad, len);
		cr_assert_eq(load_same(def), 0, "iteration %d: a damaged entry is a miss", it);
	}
	free(bad);
	free(good);
	free(cache);
	free(def);
}

/* Structural soundness of a project however it was made: what the rest of
 * the program relies on. */
#define IN_MONTHS(m) ((m) >= 1 && (m) <= p->nmonths)
static void sound(const struct project *p)
{
	cr_assert_not_null(p->acronym);
	cr_assert(p->coordinator >= 0 && p->coordinator < p->npartners);
	/* Months index per-month arrays: every one lies in the project. */
	for (int i = 0; i < p->npartners; i++)
		cr_assert(IN_MONTHS(p->partners[i].joined) && IN_MONTHS(p->partners[i].left));
	for (int i = 0; i < p->nperiods; i++)
		cr_assert(IN_MONTHS(p->periods[i].from) && IN_MONTHS(p->periods[i].to) &&
		          p->periods[i].from <= p->periods[i].to);
	for (int i = 0; i < p->nwps; i++)
		cr_assert(IN_MONTHS(p->wps[i].start) && IN_MONTHS(p->wps[i].end));
	for (int i = 0; i < p->ntasks; i++)
		cr_assert(IN_MONTHS(p->tasks[i].start) && IN_MONTHS(p->tasks[i].end));
	for (int i = 0; i < p->ndeliverables; i++)
		cr_assert(IN_MONTHS(p->deliverables[i].due));
	for (int i = 0; i < p->nmilestones; i++)
		cr_assert(IN_MONTHS(p->milestones[i].due));
	for (int i = 0; i < p->neffort; i++)
		cr_assert(p->effort[i].partner >= 0 && p->effort[i].partner < p->npartners &&
		          p->effort[i].wp >= 0 && p->effort[i].wp < p->nwps);
	for (int i = 0; i < p->ntargets; i++)
		cr_assert(p->targets[i].kind == TARGET_COUNT || p->targets[i].kind == TARGET_DISTINCT);
	for (int i = 0; i < p->nwps; i++) {
		cr_assert(p->wps[i].lead >= 0 && p->wps[i].lead < p->npartners);
		cr_assert(p->wps[i].first_task >= 0 && p->wps[i].ntasks >= 0 &&
		          p->wps[i].first_task + p->wps[i].ntasks <= p->ntasks);
	}
	for (int i = 0; i < p->ntasks; i++) {
		cr_assert(p->tasks[i].wp >= 0 && p->tasks[i].wp < p->nwps);
		for (int k = 0; k < p->tasks[i].nparticipants; k++)
			cr_assert(p->tasks[i].participants[k] >= 0 &&
			          p->tasks[i].participants[k] < p->npartners);
	}
	for (int i = 0; i < p->ndeliverables; i++)
		cr_assert(p->deliverables[i].wp >= 0 && p->deliverables[i].wp < p->nwps &&
		          p->deliverables[i].lead >= -1 && p->deliverables[i].lead < p->npartners);
	for (int i = 0; i < p->nmilestones; i++)
		for (int k = 0; k < p->milestones[i].nwps; k++)
			cr_assert(p->milestones[i].wps[k] >= 0 && p->milestones[i].wps[k] < p->nwps);
	for (int i = 0; i < p->bench.nclusters; i++)
		cr_assert(p->bench.clusters[i].partner >= 0 &&
		          p->bench.clusters[i].partner < p->npartners &&
		          p->bench.clusters[i].target_label < p->bench.nlabels);
}
#undef IN_MONTHS

/* Damage that passes the checksum: the body's own checks must hold. */
static void forged(const char *envvar, const char *rel, int iterations, int mode)
{
	char *def;
	unsigned char *good;
	size_t len;
	char *cache = prepare(envvar, rel, &def, &good, &len);
	unsigned char *bad = malloc(len);
	srand(42 + mode);
	int hits = 0, misses = 0;
	for (int it = 0; it < iterations; it++) {
		memcpy(bad, good, len);
		if (mode == 0) {            /* random bit flips */
			int flips = 1 + rand() % 3;
			for (int k = 0; k < flips; k++)
				bad[(size_t)rand() % len] ^= (unsigned char)(1u << (rand() % 8));
		} else {                    /* a huge or negative count at every offset */
			static const int32_t huge[] = {0x7FFFFFFF, -1, -2, 0x10000000, 65536};
			size_t at = (size_t)it % (len - 4);
			int32_t v = huge[((size_t)it / (len - 4)) % 5];
			memcpy(bad + at, &v, 4);
		}
		spit(cache, bad, len);
		cr_assert_eq(defcache_reseal(cache), 0);
		struct project p;
		struct diags d = {0};
		cr_assert_eq(defcache_load(def, &p, &d, NULL), 0, "iteration %d", it);
		if (defcache_last_hit())
			hits++;
		else
			misses++;
		sound(&p);
		project_free(&p);
		diags_free(&d);
	}
	cr_assert_gt(misses, 0);
	(void)hits;
	/* And a good entry is still used afterwards. */
	spit(cache, good, len);
	cr_assert_eq(load_same(def), 1);
	free(bad);
	free(good);
	free(cache);
	free(def);
}

Test(defcache, forged_flips)
{
	forged("CONSORT_DATA", "5forexcellence.yaml", 300, 0);
}

Test(defcache, forged_huge_counts)
{
	char *def = copy_def("CONSORT_TESTDATA", "defs/mini.yaml");
	char *cache = defcache_file(def);
	cr_assert_eq(load_same(def), 0);
	struct stat st;
	cr_assert_eq(stat(cache, &st), 0);
	free(cache);
	free(def);
	forged("CONSORT_TESTDATA", "defs/mini.yaml", (int)(st.st_size - 4) * 2, 1);
}

/* The shape tables account for every member of the model: sorted by
 * place, the members they name (and their counts) leave no gap but the
 * padding alignment needs, so that a member added to a struct and not to
 * its table shows. The project's path, id index, pool and arena are not stored
 * and are not in its table. */
struct span {
	size_t off, size;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;   /* an end before what follows */
}

static size_t add_spans(const struct model_shape *sh, struct span *v, size_t n)
{
	for (int f = 0; f < sh->nfields; f++) {
		const struct model_field *fd = &sh->fields[f];
		size_t size;
		switch (fd->type) {
		case MF_STR: case MF_REQ: case MF_STRV: case MF_INDEXV: case MF_PARTS:
			size = sizeof(void *);
			break;
		case MF_LONG: size = sizeof(long); break;
		case MF_DOUBLE: size = sizeof(double); break;
		default: size = sizeof(int); break;
		}
		v[n++] = (struct span){fd->off, size};
		if (fd->count)
			v[n++] = (struct span){fd->count, sizeof(int)};
	}
	return n;
}

static void shape_fills(const struct model_shape *sh, struct span *v, size_t n, const char *name)
{
	n = add_spans(sh, v, n);
	qsort(v, n, sizeof *v, span_cmp);
	size_t end = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].size == 0) {   /* a struct inside starts or ends: padding */
			cr_assert_lt(v[i].off - end, sizeof(void *), "%s: %zu bytes at offset %zu "
			             "are in no table", name, v[i].off - end, end);
			end = v[i].off;
			continue;
		}
		/* A member is aligned to its size here (int, long, double, pointer). */
		size_t aligned = (end + v[i].size - 1) / v[i].size * v[i].size;
		cr_assert_eq(v[i].off, aligned, "%s: %zu bytes at offset %zu are in no table",
		             name, v[i].off - end, end);
		end = v[i].off + v[i].size;
	}
	cr_assert_eq((end + sizeof(void *) - 1) / sizeof(void *) * sizeof(void *), sh->size,
	             "%s: the struct goes on after its last member in the table", name);
}

Test(shape, every_member_is_in_a_table)
{
	struct span v[64];
	size_t n = 0;
	v[n++] = (struct span){offsetof(struct project, path), sizeof(char *)};
	v[n++] = (struct span){offsetof(struct project, index), sizeof(void *)};
	v[n++] = (struct span){offsetof(struct project, pool), sizeof(void *)};
	v[n++] = (struct span){offsetof(struct project, pool_len), sizeof(size_t)};
	v[n++] = (struct span){offsetof(struct project, arena), sizeof(void *)};
	v[n++] = (struct span){offsetof(struct project, bench), 0};
	v[n++] = (struct span){offsetof(struct project, bench) + sizeof(struct benchmark), 0};
	v[n++] = (struct span){offsetof(struct project, budget), 0};
	v[n++] = (struct span){offsetof(struct project, budget) + sizeof(struct budget), 0};
	shape_fills(&project_shape, v, n, "project");
	const struct model_shape *parts[] = {&period_shape, &partner_shape, &wp_shape, &task_shape,
		&deliverable_shape, &milestone_shape, &target_shape, &indicator_shape, &bcluster_shape,
		&effort_plan_shape};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		shape_fills(parts[i], v, 0, "part");
}

/* An arena's blocks are zeroed, aligned for any type and apart from each
 * other, small ones and ones larger than a chunk alike, across many
 * chunks; arena_free frees them all (the leak checks see it). */
Test(arena, blocks_are_zeroed_aligned_and_apart)
{
	struct arena a = {0};
	a.hint = 100;
	enum { N = 3000 };
	unsigned char *v[N];
	size_t len[N];
	for (int i = 0; i < N; i++) {
		len[i] = i % 97 == 0 ? 20000 + (size_t)i : (size_t)(i % 13) * 3 + 1;
		v[i] = arena_calloc(&a, len[i], 1);
		cr_assert_eq((uintptr_t)v[i] % _Alignof(max_align_t), 0, "block %d is not aligned", i);
		for (size_t k = 0; k < len[i]; k++)
			cr_assert_eq(v[i][k], 0, "block %d is not zeroed", i);
		memset(v[i], (i % 250) + 1, len[i]);
	}
	for (int i = 0; i < N; i++)
		for (size_t k = 0; k < len[i]; k++)
			cr_assert_eq(v[i][k], (i % 250) + 1, "block %d was overwritten", i);
	cr_assert_not_null(arena_calloc(&a, 0, 8));
	arena_free(&a);
	cr_assert_null(a.head);
}

/* A model read from its compiled form has its arrays in one arena, which
 * project_free frees whole; the model reads back as it was. */
Test(arena, a_decoded_model_lies_in_its_arena)
{
	struct project p, q;
	struct diags d = {0};
	char path[1024];
	snprintf(path, sizeof path, "%s/defs/mini.yaml", getenv("CONSORT_TESTDATA"));
	cr_assert_eq(load_project_file(path, &p, &d, NULL), 0);
	diags_free(&d);
	size_t len = 0;
	unsigned char *b = defcache_encode(&p, &len);
	cr_assert_eq(defcache_decode(b, len, &q), 0);
	cr_assert_null(p.arena, "the loader's model is allocated part by part");
	cr_assert_not_null(q.arena);
	cr_assert_eq(q.npartners, p.npartners);
	cr_assert_eq(q.ntasks, p.ntasks);
	for (int i = 0; i < q.ntasks; i++) {
		cr_assert_str_eq(q.tasks[i].id, p.tasks[i].id);
		cr_assert_eq(q.tasks[i].nparticipants, p.tasks[i].nparticipants);
		for (int k = 0; k < q.tasks[i].nparticipants; k++)
			cr_assert_eq(q.tasks[i].participants[k], p.tasks[i].participants[k]);
	}
	size_t len2 = 0;
	unsigned char *b2 = defcache_encode(&q, &len2);
	cr_assert_eq(len2, len);
	cr_assert_eq(memcmp(b, b2, len), 0);
	free(b2);
	free(b);
	project_free(&q);
	cr_assert_null(q.arena);
	project_free(&p);
}

/* A string of the compiled form is refused with a NUL or a byte that is
 * not UTF-8 at any place of it (the first word, the middle, the last
 * bytes), and read with any other ASCII byte or a two-byte character
 * there, whatever its length. */
Test(defcache, every_byte_of_a_string_is_checked)
{
	struct project p, q;
	struct diags d = {0};
	char path[1024];
	snprintf(path, sizeof path, "%s/defs/mini.yaml", getenv("CONSORT_TESTDATA"));
	cr_assert_eq(load_project_file(path, &p, &d, NULL), 0);
	diags_free(&d);
	char *keep = p.partners[0].name;
	for (size_t len = 1; len <= 27; len++) {
		char name[32];
		memset(name, 'Q', len);
		name[len] = '\0';
		p.partners[0].name = name;
		size_t blen = 0;
		unsigned char *b = defcache_encode(&p, &blen);
		unsigned char *at = memmem(b, blen, name, len + 1);
		cr_assert_not_null(at);
		cr_assert_eq(defcache_decode(b, blen, &q), 0);
		cr_assert_str_eq(q.partners[0].name, name);
		project_free(&q);
		for (size_t k = 0; k < len; k++) {
			const unsigned char bad[] = {0x00, 0xFF, 0x80, 0xC3};
			const unsigned char good[] = {0x01, 0x7F, ' ', '~'};
			for (size_t i = 0; i < sizeof bad; i++) {
				at[k] = bad[i];
				cr_assert_eq(defcache_decode(b, blen, &q), -1, "0x%02x at %zu of %zu read", bad[i], k, len);
			}
			for (size_t i = 0; i < sizeof good; i++) {
				at[k] = good[i];
				cr_assert_eq(defcache_decode(b, blen, &q), 0, "0x%02x at %zu of %zu refused", good[i], k, len);
				cr_assert_eq((unsigned char)q.partners[0].name[k], good[i]);
				project_free(&q);
			}
			if (k + 1 < len) {
				at[k] = 0xC3;
				at[k + 1] = 0xA9;   /* é */
				cr_assert_eq(defcache_decode(b, blen, &q), 0, "é at %zu of %zu refused", k, len);
				project_free(&q);
				at[k + 1] = 'Q';
			}
			at[k] = 'Q';
		}
		free(b);
	}
	p.partners[0].name = keep;
	project_free(&p);
}

/* Lookups by id through the index: an id that names parts of two kinds
 * finds each kind's own, the first of two records with one id is found,
 * and an id of another kind only is not found, as the linear search
 * finds them. */
Test(index, lookups_by_kind_and_id)
{
	struct partner pa[3] = {{.id = "A"}, {.id = "B"}, {.id = "A"}};
	struct wp wa[3] = {{.id = "C"}, {.id = "A"}, {.id = "D"}};
	struct task ta[1] = {{.id = "T"}};
	struct project p = {0};
	p.partners = pa;
	p.npartners = 3;
	p.wps = wa;
	p.nwps = 3;
	p.tasks = ta;
	p.ntasks = 1;
	const char *ids[] = {"A", "B", "C", "D", "T", "E", ""};
	int want[7][3];
	for (size_t k = 0; k < 7; k++) {
		want[k][0] = project_partner(&p, ids[k]);
		want[k][1] = project_wp(&p, ids[k]);
		want[k][2] = project_task(&p, ids[k]);
	}
	cr_assert_eq(want[0][0], 0);
	cr_assert_eq(want[0][1], 1);
	cr_assert_eq(want[1][1], -1);
	project_index(&p);
	cr_assert_not_null(p.index);
	for (size_t k = 0; k < 7; k++) {
		cr_assert_eq(project_partner(&p, ids[k]), want[k][0], "partner %s", ids[k]);
		cr_assert_eq(project_wp(&p, ids[k]), want[k][1], "wp %s", ids[k]);
		cr_assert_eq(project_task(&p, ids[k]), want[k][2], "task %s", ids[k]);
	}
	cr_assert_eq(project_partner(&p, NULL), -1);
	id_index_free(p.index);
	free(p.index);
}

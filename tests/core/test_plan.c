/* Tests for the plan in the log: versions recorded beside their entries,
 * the version in force on a date (both sides of an amendment's date, the
 * later recorded one among equal dates), a version's model read back
 * through the codec, and the diff between two models, field by field. */
#include "config.h"
#include <criterion/criterion.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/defcache.h"
#include "core/load.h"
#include "core/plan.h"
#include "core/util.h"

static char dir[256], dbpath[300];
static struct store *S;
static char *TEXT;
static size_t TEXT_LEN;

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot read %s", path);
	char *b = malloc(1 << 20);
	*len = fread(b, 1, (1 << 20) - 1, f);
	b[*len] = '\0';
	fclose(f);
	return b;
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/consort-plan-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(dbpath, sizeof dbpath, "%s/progress.db", dir);
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_CREATE, &S, &e), 0, "%s", e.msg);
	char path[1024];
	snprintf(path, sizeof path, "%s/defs/mini.yaml", getenv("CONSORT_TESTDATA"));
	TEXT = slurp(path, &TEXT_LEN);
}

static void teardown(void)
{
	store_close(S);
	free(TEXT);
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

TestSuite(plan, .init = setup, .fini = teardown);

static void model(const char *text, struct project *p)
{
	struct diags d = {0};
	cr_assert_eq(load_project_mem("mini.yaml", text, strlen(text), p, &d), 0);
	diags_free(&d);
}

/* The text with the first occurrence of `from` replaced by `to`. */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	cr_assert_not_null(at, "%s not in the text", from);
	char *out = malloc(strlen(text) + strlen(to) + 1);
	size_t k = (size_t)(at - text);
	memcpy(out, text, k);
	strcpy(out + k, to);
	strcat(out, at + strlen(from));
	return out;
}

static void record(const char *text, int version, const char *eff, const char *note)
{
	struct project p;
	model(text, &p);
	char dg[17], val[40];
	plan_digest(text, strlen(text), dg);
	snprintf(val, sizeof val, "%d %s", version, dg);
	cdate d;
	cr_assert_eq(date_parse(eff, &d), 0);
	struct new_entry en = {d, "alice", 1001, NULL, NULL, "plan", val, note, 0};
	struct err e = {0};
	int64_t id = 0;
	cr_assert_eq(store_append_plan(S, &en, version, text, strlen(text), &p, &id, &e), 0, "%s", e.msg);
	cr_assert_gt(id, 0);
	project_free(&p);
}

static cdate D(const char *s)
{
	cdate d;
	cr_assert_eq(date_parse(s, &d), 0);
	return d;
}

Test(plan, versions_and_the_one_in_force)
{
	struct plan_version *v;
	size_t n;
	struct err e = {0};
	cr_assert_eq(plan_versions(S, 0, &v, &n, &e), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(plan_in_force(v, n, D("2020-05-01")), -1);

	record(TEXT, 1, "2020-01-01", NULL);
	char *t2 = edit(TEXT, "    due: 9\n\nmilestones:", "    due: 11\n\nmilestones:");
	record(t2, 2, "2020-06-01", "D2.1 moved");
	char *t3 = edit(t2, "title: Final report", "title: Final report and audit");
	record(t3, 3, "2020-06-01", "same day, later");

	cr_assert_eq(plan_versions(S, 0, &v, &n, &e), 0, "%s", e.msg);
	cr_assert_eq(n, 3);
	cr_assert_eq(v[0].number, 1);
	cr_assert_eq(v[1].effective, D("2020-06-01"));
	cr_assert_str_eq(v[1].login, "alice");
	cr_assert_str_eq(v[1].note, "D2.1 moved");
	cr_assert_null(v[0].note);
	char dg[17];
	cr_assert_str_eq(v[2].digest, plan_digest(t3, strlen(t3), dg));
	cr_assert_eq(plan_in_force(v, n, D("2019-12-01")), 0, "before the first: the first");
	cr_assert_eq(plan_in_force(v, n, D("2020-05-31")), 0);
	cr_assert_eq(plan_in_force(v, n, D("2020-06-01")), 2, "equal dates: the later recorded");
	cr_assert_eq(plan_in_force(v, n, D("2020-12-31")), 2);
	cr_assert_eq(plan_find(v, n, 2), 1);
	cr_assert_eq(plan_find(v, n, 4), -1);
	plan_versions_free(v, n);

	/* Only what was recorded by a moment: none after the first's time. */
	cr_assert_eq(plan_versions(S, 1, &v, &n, &e), 0);
	cr_assert_eq(n, 0);
	plan_versions_free(v, n);

	struct project p;
	char *text = NULL;
	size_t tl = 0;
	cr_assert_eq(plan_load(S, 2, "LOG", &p, &text, &tl, &e), 0, "%s", e.msg);
	cr_assert_str_eq(text, t2);
	cr_assert_eq(tl, strlen(t2));
	int di = project_deliverable(&p, "D2.1");
	cr_assert_geq(di, 0);
	cr_assert_eq(p.deliverables[di].due, 11);
	cr_assert_str_eq(p.path, "LOG");
	project_free(&p);
	free(text);
	cr_assert_eq(plan_load(S, 9, "LOG", &p, NULL, NULL, &e), -1);
	cr_assert_eq(e.code, 64);
	free(t2);
	free(t3);
}

Test(plan, a_taken_number_writes_nothing)
{
	record(TEXT, 1, "2020-01-01", NULL);
	struct project p;
	model(TEXT, &p);
	struct new_entry en = {D("2020-02-01"), "alice", 1001, NULL, NULL, "plan", "1 x", NULL, 0};
	struct err e = {0};
	cr_assert_eq(store_append_plan(S, &en, 1, TEXT, TEXT_LEN, &p, NULL, &e), -1);
	cr_assert_eq(e.code, 69);
	int64_t entries = 0, last = 0;
	cr_assert_eq(store_summary(S, &entries, &last, &e), 0);
	cr_assert_eq(entries, 1, "the refused version's entry was rolled back");
	project_free(&p);
}

static const struct plan_diff *find(const struct plan_diff *v, size_t n, enum plan_change c,
                                    const char *kind, const char *id, const char *field)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].change == c && strcmp(v[i].kind, kind) == 0 && strcmp(v[i].id, id) == 0 &&
		    (field ? v[i].field && strcmp(v[i].field, field) == 0 : v[i].field == NULL))
			return &v[i];
	return NULL;
}

Test(plan, the_diff_names_every_kind_of_change)
{
	struct project a, b;
	model(TEXT, &a);
	char *t = edit(TEXT, "    due: 9\n\nmilestones:", "    due: 11\n\nmilestones:");
	char *u;
	u = edit(t, "title: Final report", "title: Final report and audit"); free(t); t = u;
	u = edit(t, "        start: 6\n        end: 12", "        start: 7\n        end: 11"); free(t); t = u;
	u = edit(t, "        lead: FOOD\n        participants: [NORD]", "        lead: NORD\n        participants: [ACME, FOOD]"); free(t); t = u;
	u = edit(t, "    target: 100", "    target: 120"); free(t); t = u;
	u = edit(t, "      threshold: 2.5", "      threshold: 3"); free(t); t = u;
	u = edit(t, "    joined: 3", "    joined: 4"); free(t); t = u;
	u = edit(t, "users: [bob, carol]", "users: [bob, erik]"); free(t); t = u;
	u = edit(t, "  - id: WP2\n", "      - id: T1.3\n        title: Audit\n        lead: ACME\n        start: 10\n        end: 12\n  - id: WP2\n"); free(t); t = u;
	u = edit(t, "  - id: MS2\n    title: Project closed\n    wp: [WP1, WP2]\n    due: 9\n", ""); free(t); t = u;
	model(t, &b);
	struct plan_diff *v;
	size_t n;
	plan_diff_models(&a, &b, &v, &n);
	const struct plan_diff *x;
	cr_assert_not_null(x = find(v, n, PLAN_CHANGED, "deliverable", "D2.1", "due"));
	cr_assert_str_eq(x->old, "M9 (2020-09-30)");
	cr_assert_str_eq(x->new, "M11 (2020-11-30)");
	cr_assert_not_null(x = find(v, n, PLAN_CHANGED, "deliverable", "D1.2", "title"));
	cr_assert_str_eq(x->new, "Final report and audit");
	cr_assert_not_null(find(v, n, PLAN_CHANGED, "task", "T1.2", "start"));
	cr_assert_not_null(find(v, n, PLAN_CHANGED, "task", "T1.2", "end"));
	cr_assert_not_null(x = find(v, n, PLAN_CHANGED, "task", "T2.2", "lead"));
	cr_assert_str_eq(x->old, "FOOD");
	cr_assert_str_eq(x->new, "NORD");
	cr_assert_not_null(x = find(v, n, PLAN_CHANGED, "task", "T2.2", "participants"));
	cr_assert_str_eq(x->old, "NORD");
	cr_assert_str_eq(x->new, "ACME, FOOD");
	cr_assert_not_null(x = find(v, n, PLAN_CHANGED, "target", "smes", "target"));
	cr_assert_str_eq(x->old, "100");
	cr_assert_str_eq(x->new, "120");
	cr_assert_not_null(x = find(v, n, PLAN_CHANGED, "indicator", "G1", "threshold"));
	cr_assert_str_eq(x->new, "3");
	cr_assert_not_null(find(v, n, PLAN_CHANGED, "partner", "FOOD", "joined"));
	cr_assert_not_null(x = find(v, n, PLAN_CHANGED, "partner", "NORD", "users"));
	cr_assert_str_eq(x->new, "bob, erik");
	cr_assert_not_null(find(v, n, PLAN_ADDED, "task", "T1.3", NULL));
	cr_assert_not_null(find(v, n, PLAN_REMOVED, "milestone", "MS2", NULL));
	for (size_t i = 0; i < n; i++)
		cr_assert(v[i].field == NULL || (strcmp(v[i].field, "first_task") != 0 &&
		                                 strcmp(v[i].field, "ntasks") != 0),
		          "bookkeeping is no change: %s %s", v[i].id, v[i].field);
	plan_diff_free(v, n);

	plan_diff_models(&a, &a, &v, &n);
	cr_assert_eq(n, 0, "a model against itself differs in nothing");
	plan_diff_free(v, n);
	project_free(&a);
	project_free(&b);
	free(t);
}

/* Planned effort has no id: a row is the partner's and the work
 * package's, so one row changed is one change, named by both, and the
 * other rows of that partner are no change. */
Test(plan, an_effort_row_is_named_by_partner_and_work_package)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/5forexcellence.yaml", getenv("CONSORT_DATA"));
	size_t len;
	char *text = slurp(path, &len);
	struct project a, b;
	model(text, &a);
	char *t = edit(text, "effort: {WP1: 8.5, WP2: 2, WP3: 3,", "effort: {WP1: 8.5, WP2: 2, WP3: 4,");
	model(t, &b);
	struct plan_diff *v;
	size_t n;
	plan_diff_models(&a, &b, &v, &n);
	cr_assert_eq(n, 1, "%zu changes", n);
	cr_assert_str_eq(v[0].kind, "effort");
	cr_assert_str_eq(v[0].id, "LITC WP3");
	cr_assert_str_eq(v[0].field, "pm");
	cr_assert_str_eq(v[0].old, "300");
	cr_assert_str_eq(v[0].new, "400");
	plan_diff_free(v, n);
	project_free(&a);
	project_free(&b);
	free(t);
	free(text);
}

/* A version's compiled form is read with the definition cache's checks: a
 * blob cut short or with a byte changed never reads as a model it is not
 * (it reads, or is refused; nothing crashes), and the whole blob reads
 * back the same model. */
Test(plan, the_compiled_form_is_checked)
{
	struct project p, q;
	model(TEXT, &p);
	size_t len = 0;
	unsigned char *b = defcache_encode(&p, &len);
	cr_assert_gt(len, 64);
	cr_assert_eq(defcache_decode(b, len, &q), 0);
	struct plan_diff *v;
	size_t n;
	plan_diff_models(&p, &q, &v, &n);
	cr_assert_eq(n, 0, "the model read back differs in %zu fields", n);
	plan_diff_free(v, n);
	project_free(&q);
	for (size_t cut = 0; cut < len; cut += 7)
		cr_assert_eq(defcache_decode(b, cut, &q), -1, "a blob cut at %zu of %zu read", cut, len);
	for (size_t at = 0; at < len; at += 5) {
		unsigned char *c = malloc(len);
		memcpy(c, b, len);
		c[at] ^= 0xA5;
		if (defcache_decode(c, len, &q) == 0)
			project_free(&q);
		free(c);
	}
	free(b);
	project_free(&p);
}

/* A file's digest read a piece at a time is the digest of its whole text,
 * in either form, across pieces (a file of several reads' length); a file
 * that differs by one byte, a missing one and one over the limit are not. */
Test(plan, a_file_digest_is_read_in_pieces)
{
	size_t n = 200000;
	char *big = malloc(n);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + (i * 7 + i / 613) % 26);
	char path[300];
	snprintf(path, sizeof path, "%s/big.yaml", dir);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(big, 1, n, f), n);
	fclose(f);
	char fnv[17], b2[PLAN_DIGEST_SIZE];
	plan_digest(big, n, fnv);
	plan_digest_b2(big, n, b2);
	cr_assert_eq(plan_digest_file_is(fnv, path, n), 1);
	cr_assert_eq(plan_digest_file_is(b2, path, n), 1);
	cr_assert_eq(plan_digest_file_is(b2, path, n - 1), -1);
	big[n - 1] ^= 1;
	plan_digest(big, n, fnv);
	plan_digest_b2(big, n, b2);
	cr_assert_eq(plan_digest_file_is(fnv, path, n), 0);
	cr_assert_eq(plan_digest_file_is(b2, path, n), 0);
	cr_assert_eq(plan_digest_file_is("0123", path, n), 0);
	snprintf(path, sizeof path, "%s/none.yaml", dir);
	cr_assert_eq(plan_digest_file_is(fnv, path, n), -1);
	free(big);
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* A file's digest is recorded beside the definition cache for the state
 * the file was read in (not when it or its times changed a moment ago,
 * nor with CONSORT_NO_CACHE); a change that keeps the size and the
 * modification time (only the change time moves) is still seen, in either
 * form. */
Test(plan, a_file_digest_is_recorded_for_its_state)
{
	char cache[300], path[300];
	snprintf(cache, sizeof cache, "%s/cache", dir);
	setenv("XDG_CACHE_HOME", cache, 1);
	unsetenv("CONSORT_NO_CACHE");
	snprintf(path, sizeof path, "%s/def.yaml", dir);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(TEXT, 1, TEXT_LEN, f), TEXT_LEN);
	fclose(f);
	char *def = defcache_file(path);
	cr_assert_not_null(def);
	char *rec = xstrdup(def);
	memcpy(rec + strlen(rec) - 4, ".dig", 4);
	char fnv[17], b2[PLAN_DIGEST_SIZE];
	plan_digest(TEXT, TEXT_LEN, fnv);
	plan_digest_b2(TEXT, TEXT_LEN, b2);

	cr_assert_eq(plan_digest_file_is(fnv, path, TEXT_LEN), 1);
	cr_assert(!exists(rec), "a file modified a moment ago is not recorded");

	struct timespec old[2] = {{time(NULL) - 3600, 0}, {time(NULL) - 3600, 0}};
	cr_assert_eq(utimensat(AT_FDCWD, path, old, 0), 0);
	cr_assert_eq(plan_digest_file_is(fnv, path, TEXT_LEN), 1);
	cr_assert(!exists(rec), "a file whose times changed a moment ago is not recorded");
	sleep(3);   /* the change time two seconds old */
	setenv("CONSORT_NO_CACHE", "1", 1);
	cr_assert_eq(plan_digest_file_is(fnv, path, TEXT_LEN), 1);
	cr_assert(!exists(rec), "CONSORT_NO_CACHE records nothing");
	unsetenv("CONSORT_NO_CACHE");
	cr_assert_eq(plan_digest_file_is(fnv, path, TEXT_LEN), 1);
	cr_assert(exists(rec), "the digest is recorded");
	cr_assert_eq(plan_digest_file_is(fnv, path, TEXT_LEN), 1);
	cr_assert_eq(plan_digest_file_is(b2, path, TEXT_LEN), 1, "the other form is read from the file");
	cr_assert_eq(plan_digest_file_is(fnv, path, TEXT_LEN), 1);
	cr_assert_eq(plan_digest_file_is(fnv, path, TEXT_LEN - 1), -1, "the limit holds for a recorded digest");

	/* One byte changed, the size and the modification time kept. */
	char *changed = xstrndup(TEXT, TEXT_LEN);
	changed[TEXT_LEN / 2] = changed[TEXT_LEN / 2] == 'x' ? 'y' : 'x';
	f = fopen(path, "r+b");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(changed, 1, TEXT_LEN, f), TEXT_LEN);
	fclose(f);
	cr_assert_eq(utimensat(AT_FDCWD, path, old, 0), 0);
	cr_assert_eq(plan_digest_file_is(fnv, path, TEXT_LEN), 0, "the change is seen");
	cr_assert_eq(plan_digest_file_is(b2, path, TEXT_LEN), 0);
	char fnv2[17];
	plan_digest(changed, TEXT_LEN, fnv2);
	cr_assert_eq(plan_digest_file_is(fnv2, path, TEXT_LEN), 1);
	cr_assert_eq(plan_digest_file_is(fnv2, path, TEXT_LEN), 1);
	cr_assert_eq(plan_digest_file_is(fnv, path, TEXT_LEN), 0);
	free(changed);
	free(rec);
	free(def);
}

/* A version's compiled form is read as a column reads it whatever the
 * log's column holds: the same bytes as text (not a blob, its length()
 * not its size) read as the blob did, and a number does not read. */
Test(plan, a_compiled_form_of_another_type_reads_as_its_column)
{
	record(TEXT, 1, "2020-01-01", NULL);
	record(TEXT, 2, "2020-02-01", NULL);
	struct project a, p;
	struct err e = {0};
	cr_assert_eq(plan_load(S, 1, "LOG", &a, NULL, NULL, &e), 0, "%s", e.msg);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "DROP TRIGGER plan_no_update;"
	                              " UPDATE plan SET compiled = CAST(compiled AS TEXT) WHERE version = 1;"
	                              " UPDATE plan SET compiled = 7 WHERE version = 2;", NULL, NULL, NULL),
	             SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
	cr_assert_eq(plan_load(S, 1, "LOG", &p, NULL, NULL, &e), 0, "%s", e.msg);
	struct plan_diff *v;
	size_t n;
	plan_diff_models(&a, &p, &v, &n);
	cr_assert_eq(n, 0);
	plan_diff_free(v, n);
	project_free(&p);
	project_free(&a);
	cr_assert_eq(plan_load(S, 2, "LOG", &p, NULL, NULL, &e), -1);
	cr_assert_eq(e.code, 65, "%s", e.msg);
}

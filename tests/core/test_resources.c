/* Tests for resources: the two-decimal numbers (every bad form), exact sums,
 * the effort and cost writes with their refusals (nothing written), the
 * rule that a later entry replaces a month, reverts, and derive's expected,
 * projected, deviation and flags. Real SQLite logs in a scratch folder. */
#include "config.h"
#include <criterion/criterion.h>
#include <limits.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/derive.h"
#include "core/resources.h"
#include "core/write.h"

#include "fixture.h"

static struct project P;
static char dir[256], dbpath[300];
static struct store *S;
static cdate TODAY;
static struct identity JANIS, ANNA, LIENE;
/* Planned: NETPORT 2 PM on WP1 (months 1-21), 3 PM on WP4 (months 3-12). */
static struct effort_plan plan[] = { {1, 0, 200}, {1, 1, 300}, {0, 0, 1000} };

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void setup(void)
{
	P = fixture_project(3);
	P.effort = plan;
	P.neffort = 3;
	P.budget = (struct budget){ .present = 1, .currency = "EUR", .total = 2140000,
	                            .eu_contribution = 2000000, .indirect_rate = 700,
	                            .deviation = 2000 };
	partners[1].budget[RES_TRAVEL] = 1200000;
	partners[1].budget[RES_PERSONNEL] = 800000;
	snprintf(dir, sizeof dir, "/tmp/consort-res-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(dbpath, sizeof dbpath, "%s/progress.db", dir);
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_CREATE, &S, &e), 0, "%s", e.msg);
	TODAY = date_from_ymd(2017, 3, 31);
	identity_for(&P, "janis", 1001, &JANIS);
	identity_for(&P, "anna", 1002, &ANNA);
	identity_for(&P, "liene", 1003, &LIENE);
}

static void teardown(void)
{
	store_close(S);
	S = NULL;
	partners[1].budget[RES_TRAVEL] = partners[1].budget[RES_PERSONNEL] = 0;
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

TestSuite(resources, .init = setup, .fini = teardown);

static int64_t count_entries(void)
{
	int64_t n = -1;
	struct err e = {0};
	cr_assert_eq(store_summary(S, &n, NULL, &e), 0, "%s", e.msg);
	return n;
}

static void refused(const struct identity *id, struct write_req r, int code)
{
	int64_t before = count_entries();
	struct err e = {0};
	cr_assert_eq(write_apply(S, &P, id, &r, TODAY, NULL, &e), -1, "apply accepted it");
	cr_assert_eq(e.code, code, "code %d (%s), want %d", e.code, e.msg, code);
	cr_assert_null(strchr(e.msg, '\n'), "one line: %s", e.msg);
	cr_assert_eq(count_entries(), before, "a refused write wrote something");
}

static int64_t accepted(const struct identity *id, struct write_req r)
{
	struct err e = {0};
	int64_t first = 0;
	cr_assert_eq(write_apply(S, &P, id, &r, TODAY, &first, &e), 0, "apply: %s", e.msg);
	return first;
}

#define EFFORT(...) ((struct write_req){ .op = W_EFFORT, .progress = -1, __VA_ARGS__ })
#define COST(...) ((struct write_req){ .op = W_COST, .progress = -1, __VA_ARGS__ })
#define REVERT(...) ((struct write_req){ .op = W_REVERT, .progress = -1, __VA_ARGS__ })

/* The derived state as of a date. */
static void state_at(cdate d, struct facts *f, struct state *st)
{
	struct err e = {0};
	cr_assert_eq(store_facts(S, &P, d, f, &e), 0, "%s", e.msg);
	derive_state(&P, f, d, st);
}

/* ---- numbers ------------------------------------------------------------ */

static long parsed(const char *s, int neg_ok, int want_rc)
{
	long v = -999;
	int rc = res_parse(s, strlen(s), neg_ok, &v);
	cr_assert_eq(rc, want_rc, "'%s': %d, want %d", s, rc, want_rc);
	return v;
}

Test(resources, parse_good_forms)
{
	cr_assert_eq(parsed("0", 0, RES_OK), 0);
	cr_assert_eq(parsed("12", 0, RES_OK), 1200);
	cr_assert_eq(parsed("8.5", 0, RES_OK), 850);
	cr_assert_eq(parsed("8.50", 0, RES_OK), 850);
	cr_assert_eq(parsed("0.01", 0, RES_OK), 1);
	cr_assert_eq(parsed("249415.52", 0, RES_OK), 24941552);
	cr_assert_eq(parsed("-3.25", 1, RES_OK), -325);
	cr_assert_eq(parsed("007.1", 0, RES_OK), 710);
}

Test(resources, parse_every_bad_form)
{
	const char *bad[] = { "", "abc", "1,5", "1.", ".5", "+1", "1e3", "1.2.3", " 1", "1 ",
	                      "0x10", "--1", "-", "nan", "inf", "1.5a" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		parsed(bad[i], 1, RES_BAD_NUMBER);
	parsed("1.234", 0, RES_BAD_PLACES);
	parsed("1.230", 0, RES_BAD_PLACES);
	parsed("-1", 0, RES_BAD_NEGATIVE);
	parsed("-0.5", 0, RES_BAD_NEGATIVE);
	parsed("100000000000000", 0, RES_BAD_LARGE);
	parsed("99999999999999999999999", 1, RES_BAD_LARGE);
}

Test(resources, format_and_group)
{
	char b[32];
	cr_assert_str_eq(res_format(123456, b), "1234.56");
	cr_assert_str_eq(res_format(-5, b), "-0.05");
	cr_assert_str_eq(res_format(0, b), "0.00");
	cr_assert_str_eq(res_format(7, b), "0.07");
	cr_assert_str_eq(res_format(100, b), "1.00");
	cr_assert_str_eq(res_format(-1010, b), "-10.10");
	cr_assert_str_eq(res_format(-RES_MAX, b), "-1000000000000.00");
	cr_assert_str_eq(res_format(LONG_MIN, b), "-92233720368547758.08");
	cr_assert_str_eq(res_format_grouped(24941552, b), "249,415.52");
	cr_assert_str_eq(res_format_grouped(-123456789, b), "-1,234,567.89");
	cr_assert_str_eq(res_format_grouped(99999, b), "999.99");
}

Test(resources, sums_of_many_cents_are_exact)
{
	/* A hundred thousand entries of 0.01 sum to 1000.00 exactly, as
	 * integers; a binary double would not. */
	long sum = 0, v;
	for (int i = 0; i < 100000; i++) {
		cr_assert_eq(res_parse("0.01", 4, 0, &v), RES_OK);
		sum += v;
	}
	char b[32];
	cr_assert_str_eq(res_format(sum, b), "1000.00");
	/* Rounding halves away from zero. */
	cr_assert_eq(res_muldiv(1, 1, 2), 1);
	cr_assert_eq(res_muldiv(-1, 1, 2), -1);
	cr_assert_eq(res_muldiv(10, 1, 3), 3);
	cr_assert_eq(res_muldiv(20, 1, 3), 7);
	cr_assert_eq(res_muldiv(RES_MAX, 10000, 10000), RES_MAX);
}

/* The quotient in 128 bits, halves away from zero, as res_muldiv gives it
 * whether its product fits in 64 bits or not. */
static long muldiv_ref(long a, long b, long c)
{
	if (c <= 0)
		return 0;
	__int128 x = (__int128)a * b;
	int neg = x < 0;
	if (neg)
		x = -x;
	__int128 q = (x + c / 2) / c;
	return (long)(neg ? -q : q);
}

Test(resources, muldiv_the_same_in_64_and_128_bits)
{
	static const long as[] = {0, 1, -1, 3, 7, -7, 99, 100000, -100000, 3037000499L, 3037000500L,
	                          -3037000500L, LONG_MAX / 2, LONG_MAX / 2 - 1, -(LONG_MAX / 2),
	                          LONG_MAX / 4 + 1, LONG_MAX, LONG_MIN + 1};
	static const long cs[] = {1, 2, 3, 7, 100, 10000, 3037000499L, LONG_MAX / 2, LONG_MAX};
	size_t na = sizeof as / sizeof as[0], nc = sizeof cs / sizeof cs[0];
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < na; j++)
			for (size_t k = 0; k < nc; k++) {
				__int128 q = (__int128)as[i] * as[j];
				if (q < 0)
					q = -q;
				if ((q + cs[k] / 2) / cs[k] > LONG_MAX)
					continue;  /* not a long: no answer to compare */
				cr_assert_eq(res_muldiv(as[i], as[j], cs[k]), muldiv_ref(as[i], as[j], cs[k]),
				             "%ld * %ld / %ld", as[i], as[j], cs[k]);
			}
	cr_assert_eq(res_muldiv(5, 5, 0), 0);
	cr_assert_eq(res_muldiv(-5, 3, 2), -8, "-7.5 rounds to -8");
}

Test(resources, muldiv_at_the_edges_of_64_bits)
{
	const long v[] = {0, 1, -1, 2, -2, 3, 7, -7, 99, 100, 101, 9999, 10000, 48, 3037000499L,
	                  -3037000499L, 3037000500L, -3037000500L, RES_MAX, -RES_MAX, LONG_MAX,
	                  -LONG_MAX, LONG_MIN, LONG_MAX - 1, LONG_MAX / 2, LONG_MAX / 2 + 1,
	                  -(LONG_MAX / 2) - 1, 4611686018427387904L, -4611686018427387904L};
	const size_t n = sizeof v / sizeof v[0];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			for (size_t k = 0; k < n; k++) {
				long a = v[i], b = v[j], c = v[k];
				cr_assert_eq(res_muldiv(a, b, c), muldiv_ref(a, b, c),
				             "res_muldiv(%ld, %ld, %ld)", a, b, c);
			}
}

Test(resources, sums_of_many_cents_in_the_log)
{
	for (int i = 0; i < 300; i++)
		accepted(&ANNA, COST(.item = "travel", .value = "0.01"));
	struct facts f;
	struct state st;
	state_at(TODAY, &f, &st);
	const struct res_row *r = NULL;
	for (int i = 0; i < st.res.ncosts; i++)
		if (st.res.costs[i].partner == 1 && st.res.costs[i].key == RES_TRAVEL)
			r = &st.res.costs[i];
	cr_assert_not_null(r);
	cr_assert_eq(r->actual, 300);
	cr_assert_eq(st.res.actual_direct, 300);
	cr_assert_eq(st.res.actual_indirect, 21);   /* 7% of 3.00 */
	state_free(&st);
	facts_free(&f);
}

/* ---- writes ------------------------------------------------------------- */

Test(resources, effort_refusals)
{
	refused(&ANNA, EFFORT(.item = "WP1", .value = "abc"), 65);
	refused(&ANNA, EFFORT(.item = "WP1", .value = "1.234"), 65);
	refused(&ANNA, EFFORT(.item = "WP1", .value = "-1"), 65);
	refused(&ANNA, EFFORT(.item = "WP1", .value = "101"), 65);
	refused(&ANNA, EFFORT(.item = "WP9", .value = "1"), 65);
	refused(&ANNA, EFFORT(.item = "WP1"), 64);
	refused(&ANNA, EFFORT(.item = "WP4", .value = "1", .month = "2017-01"), 65); /* WP4 ends M12 */
	refused(&ANNA, EFFORT(.item = "WP4", .value = "1", .month = "2016-02"), 65); /* starts M3 */
	refused(&ANNA, EFFORT(.item = "WP1", .value = "1", .month = "2017-04"), 65); /* after today */
	refused(&ANNA, EFFORT(.item = "WP1", .value = "1", .month = "2017-13"), 65);
	refused(&ANNA, EFFORT(.item = "WP1", .value = "1", .partner = "LLA"), 77);
	partners[1].left = 10;
	refused(&JANIS, EFFORT(.item = "WP1", .value = "1", .partner = "NETPORT", .month = "2016-11",
	                       .date = "2016-11-30"), 65);
	partners[1].left = 21;
	accepted(&JANIS, EFFORT(.item = "WP1", .value = "1", .partner = "NETPORT"));
	accepted(&ANNA, EFFORT(.item = "WP1", .value = "0.5", .month = "2016-05"));
}

Test(resources, cost_refusals)
{
	refused(&ANNA, COST(.item = "food", .value = "1"), 65);
	refused(&ANNA, COST(.item = "travel", .value = "1.001"), 65);
	refused(&ANNA, COST(.item = "travel", .value = "ten"), 65);
	refused(&ANNA, COST(.item = "travel", .value = "0"), 65);
	refused(&ANNA, COST(.item = "travel", .value = "5", .wp = "WP9"), 65);
	refused(&ANNA, COST(.item = "travel", .value = "5", .partner = "LITC"), 77);
	refused(&ANNA, COST(.item = "travel", .value = "-1"), 65);   /* below zero */
	int64_t id = accepted(&ANNA, COST(.item = "travel", .value = "100", .wp = "WP4"));
	accepted(&ANNA, COST(.item = "travel", .value = "-40"));
	refused(&ANNA, COST(.item = "travel", .value = "-60.01"), 65);
	/* Undoing the 100 would leave -40. */
	refused(&ANNA, REVERT(.revert_id = id, .note = "wrong"), 65);
	accepted(&JANIS, COST(.item = "travel", .value = "60", .partner = "NETPORT"));
	accepted(&ANNA, REVERT(.revert_id = id, .note = "booked twice"));
}

/* Two corrections written together (write_apply_many) that each fit the
 * category alone but not both: the second is refused, nothing is written;
 * a cost before them in the same batch is counted. */
Test(resources, cost_corrections_in_one_batch)
{
	accepted(&ANNA, COST(.item = "travel", .value = "10"));
	struct write_req two[] = {COST(.item = "travel", .value = "-6"), COST(.item = "travel", .value = "-6")};
	struct err e = {0};
	size_t bad = 9;
	int64_t before = count_entries();
	cr_assert_eq(write_check_many(S, &P, &ANNA, two, 2, TODAY, &bad, &e), -1);
	cr_assert_eq(e.code, 65, "%s", e.msg);
	cr_assert_eq(bad, 1);
	e = (struct err){0};
	bad = 9;
	cr_assert_eq(write_apply_many(S, &P, &ANNA, two, 2, TODAY, NULL, &bad, &e), -1);
	cr_assert_eq(e.code, 65, "%s", e.msg);
	cr_assert_eq(bad, 1);
	cr_assert_eq(count_entries(), before, "a refused batch wrote something");
	struct write_req three[] = {COST(.item = "travel", .value = "5"), COST(.item = "travel", .value = "-6"),
	                            COST(.item = "travel", .value = "-6")};
	e = (struct err){0};
	cr_assert_eq(write_apply_many(S, &P, &ANNA, three, 3, TODAY, NULL, &bad, &e), 0, "%s", e.msg);
	cr_assert_eq(count_entries(), before + 3);
}

Test(resources, later_entry_replaces_the_month_and_revert_restores)
{
	accepted(&ANNA, EFFORT(.item = "WP4", .value = "0.5", .month = "2016-05", .date = "2016-05-31",
	                       .note = "first"));
	int64_t again = accepted(&ANNA, EFFORT(.item = "WP4", .value = "0.75", .month = "2016-05",
	                                       .date = "2016-06-03", .note = "corrected"));
	accepted(&ANNA, EFFORT(.item = "WP4", .value = "0.25", .month = "2016-06", .date = "2016-06-30"));
	struct facts f;
	struct state st;
	state_at(TODAY, &f, &st);
	const struct res_row *r = res_effort_row(&st.res, 1, 1);
	cr_assert_not_null(r);
	cr_assert_eq(r->actual, 100, "0.75 + 0.25, the first May entry replaced: %ld", r->actual);
	cr_assert_str_eq(f.res.effort_notes[(1 * 2 + 1) * 21 + 4], "corrected");
	state_free(&st);
	facts_free(&f);
	/* As of a day before the correction, the first entry counts. */
	state_at(date_from_ymd(2016, 6, 1), &f, &st);
	cr_assert_eq(res_effort_row(&st.res, 1, 1)->actual, 50);
	state_free(&st);
	facts_free(&f);
	/* Reverting the correction brings the first back. */
	accepted(&ANNA, REVERT(.revert_id = again, .note = "the correction was wrong"));
	state_at(TODAY, &f, &st);
	cr_assert_eq(res_effort_row(&st.res, 1, 1)->actual, 75);
	state_free(&st);
	facts_free(&f);
}

/* The summaries (schema 5) give what reading the log whole gives: as of
 * today and of earlier dates, with corrections, reverts and entries dated
 * after the as-of date. */
static void facts_pair(cdate d, struct facts *a, struct facts *b)
{
	struct err e = {0};
	cr_assert_eq(store_facts(S, &P, d, a, &e), 0, "%s", e.msg);
	store_close(S);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "BEGIN; DROP TRIGGER IF EXISTS log_effort_month; DROP TRIGGER IF EXISTS log_cost_total;"
	                          " DROP TABLE effort_cell; DROP TABLE effort_month; DROP TABLE cost_total;"
	                          " DROP TRIGGER IF EXISTS log_cost_wp; DROP TABLE cost_wp;"
	                          " PRAGMA user_version = 4; COMMIT;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(store_open(dbpath, STORE_READ, &S, &e), 0, "%s", e.msg);
	cr_assert_eq(store_facts(S, &P, d, b, &e), 0, "%s", e.msg);
	store_close(S);
	/* Opening for writing migrates it back to schema 5, from the log. */
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &S, &e), 0, "%s", e.msg);
}

Test(resources, summaries_match_the_log)
{
	accepted(&ANNA, EFFORT(.item = "WP4", .value = "0.5", .month = "2016-05", .date = "2016-05-31"));
	int64_t c = accepted(&ANNA, EFFORT(.item = "WP4", .value = "0.75", .month = "2016-05",
	                                   .date = "2016-06-03", .note = "corrected"));
	accepted(&ANNA, EFFORT(.item = "WP1", .value = "1.25", .month = "2016-07", .date = "2016-08-01"));
	accepted(&JANIS, EFFORT(.item = "WP1", .value = "2", .partner = "LITC", .month = "2017-01",
	                        .date = "2017-02-01"));
	accepted(&ANNA, REVERT(.revert_id = c, .note = "wrong", .date = "2016-09-01"));
	accepted(&ANNA, COST(.item = "travel", .value = "100.10", .date = "2016-04-01"));
	int64_t k = accepted(&ANNA, COST(.item = "travel", .value = "50", .date = "2016-06-01"));
	accepted(&ANNA, COST(.item = "travel", .value = "-0.10", .date = "2016-12-01"));
	accepted(&JANIS, REVERT(.revert_id = k, .note = "booked twice", .date = "2016-12-02"));
	cdate dates[] = { date_from_ymd(2016, 6, 1), date_from_ymd(2016, 6, 3), date_from_ymd(2016, 8, 31),
	                  date_from_ymd(2016, 12, 1), TODAY };
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		struct facts a, b;
		facts_pair(dates[i], &a, &b);
		size_t cells = (size_t)a.res.npartners * (size_t)a.res.nwps * (size_t)a.res.nmonths;
		for (size_t x = 0; x < cells; x++) {
			cr_assert_eq(a.res.effort[x], b.res.effort[x], "date %zu, cell %zu", i, x);
			cr_assert_eq(!a.res.effort_notes[x], !b.res.effort_notes[x], "date %zu, note %zu", i, x);
		}
		for (size_t x = 0; x < (size_t)a.res.npartners * RES_NCAT; x++)
			cr_assert_eq(a.res.cost[x], b.res.cost[x], "date %zu, cost %zu: %ld, %ld", i, x,
			             a.res.cost[x], b.res.cost[x]);
		cr_assert_eq(a.res.entries, b.res.entries, "date %zu", i);
		facts_free(&a);
		facts_free(&b);
	}
	/* And the figures themselves: WP4's May is 0.50 again after the revert,
	 * the travel costs 100.00. */
	struct facts f;
	struct state st;
	state_at(TODAY, &f, &st);
	cr_assert_eq(res_effort_row(&st.res, 1, 1)->actual, 50);
	cr_assert_eq(f.res.cost[1 * RES_NCAT + RES_TRAVEL], 10000);
	state_free(&st);
	facts_free(&f);
}

/* A random log of effort and costs: corrections of a month (on the same
 * day too), reverts, and dates spread over the project, so that the
 * as-of dates below fall before, among and after the entries. */
static int64_t tried(struct write_req r)
{
	struct err e = {0};
	int64_t first = 0;
	return write_apply(S, &P, &JANIS, &r, TODAY, &first, &e) == 0 ? first : 0;
}

static void random_log(unsigned seed)
{
	static const char *const who[] = {"LITC", "NETPORT", "LLA"};
	static const char *const pm[] = {"0.5", "1", "0.25", "2.75", "0.01", "3"};
	static const char *const cents[] = {"10", "0.99", "250.50", "7"};
	int64_t ids[200];
	int n = 0;
	srand(seed);
	for (int i = 0; i < 160; i++) {
		int wp = rand() % 2;
		/* WP1 runs 2016-01 to 2017-09, WP4 2016-03 to 2016-12; a few
		 * months only, so that they are corrected often. */
		int month = wp ? 3 + rand() % 4 : 1 + (rand() % 5) * 3;
		int y = 2016 + (month - 1) / 12, m = (month - 1) % 12 + 1;
		int late = rand() % 90, dy = y, dm = m + late / 28, dd = 1 + late % 28;
		while (dm > 12) {
			dm -= 12;
			dy++;
		}
		char mon[16], date[24], cdate_[24];
		snprintf(mon, sizeof mon, "%04d-%02d", y, m);
		snprintf(date, sizeof date, "%04d-%02d-%02d", dy, dm, dd);
		snprintf(cdate_, sizeof cdate_, "2016-%02d-%02d", 1 + rand() % 12, 1 + rand() % 28);
		int64_t id = 0;
		int what = rand() % 10;
		if (what < 6)
			id = tried(EFFORT(.item = wp ? "WP4" : "WP1", .value = pm[rand() % 6],
			                  .partner = who[rand() % 3], .month = mon, .date = date,
			                  .note = rand() % 2 ? "a note" : NULL));
		else if (what < 8)
			id = tried(COST(.item = rand() % 2 ? "travel" : "personnel", .value = cents[rand() % 4],
			                .partner = who[rand() % 3], .date = cdate_));
		else if (n > 0)
			tried(REVERT(.revert_id = ids[rand() % n], .note = "undone",
			             .date = rand() % 2 ? date : cdate_));
		if (id && n < 200)
			ids[n++] = id;
	}
}

static int cells_read(void *arg, int pi, int wi, long *pm, char **notes)
{
	struct err e = {0};
	int rc = store_res_cells_read(arg, pi, wi, pm, notes, &e);
	cr_assert_eq(rc, 0, "%s", e.msg);
	return rc;
}

/* The rows a period's rows are compared with, one by one. */
struct rows_seen {
	const struct res_period *want;
	int n;
	const char *what, *date;
};

static void same_row(const struct res_period_row *r, void *arg)
{
	struct rows_seen *rs = arg;
	cr_assert_lt(rs->n, rs->want->nrows, "%s as of %s: more rows than derive's", rs->what, rs->date);
	const struct res_period_row *w = &rs->want->rows[rs->n++];
	cr_assert(r->partner == w->partner && r->wp == w->wp && r->planned == w->planned &&
	          r->spent == w->spent && r->to_date == w->to_date && r->deviation == w->deviation &&
	          r->has_deviation == w->has_deviation && r->flag == w->flag,
	          "%s as of %s: period row %d: %ld %ld %ld, want %ld %ld %ld", rs->what, rs->date,
	          rs->n - 1, r->planned, r->spent, r->to_date, w->planned, w->spent, w->to_date);
	cr_assert(w->notes ? r->notes && strcmp(r->notes, w->notes) == 0 : !r->notes,
	          "%s as of %s: period row %d's notes '%s', want '%s'", rs->what, rs->date, rs->n - 1,
	          r->notes ? r->notes : "(none)", w->notes ? w->notes : "(none)");
}

/* The totals only (STORE_FACTS_RES_TOTALS) and a cell's months on request
 * (store_res_months, and store_res_cells for the periods' rows) give what
 * reading every month gives, as of date d. */
static void totals_match(cdate d, const char *what)
{
	struct err e = {0};
	struct period periods[] = { {"RP1", 1, 12}, {"RP2", 13, 21}, {"RPX", 5, 16} };
	P.periods = periods;
	P.nperiods = 3;
	struct facts a, b;
	cr_assert_eq(store_facts(S, &P, d, &a, &e), 0, "%s", e.msg);
	cr_assert_eq(store_facts_opts(S, &P, d, STORE_FACTS_RES_TOTALS, &b, &e), 0, "%s", e.msg);
	cr_assert_null(b.res.effort, "%s: the totals only have no months", what);
	int nm = P.nmonths, month = date_month_of(P.start, d);
	month = month < 0 ? 0 : month > nm ? nm : month;
	char date[11];
	date_format(d, date);
	for (int pi = 0; pi < P.npartners; pi++)
		for (int wi = 0; wi < P.nwps; wi++) {
			size_t c = (size_t)pi * (size_t)P.nwps + (size_t)wi;
			const long *m = a.res.effort + c * (size_t)nm;
			long sum = 0;
			for (int k = 0; k < month; k++)
				sum += m[k];
			cr_assert_eq(b.res.spent[c], sum, "%s as of %s: %s %s spent %ld, the months say %ld",
			             what, date, partners[pi].id, wps[wi].id, b.res.spent[c], sum);
			long one[21];
			char *notes[21];
			cr_assert_eq(store_res_months(S, &P, d, pi, wi, one, notes, &e), 0, "%s", e.msg);
			for (int k = 0; k < nm; k++) {
				const char *want = a.res.effort_notes[c * (size_t)nm + (size_t)k];
				cr_assert_eq(one[k], m[k], "%s as of %s: %s %s M%d: %ld, want %ld", what, date,
				             partners[pi].id, wps[wi].id, k + 1, one[k], m[k]);
				cr_assert(want ? notes[k] && strcmp(notes[k], want) == 0 : !notes[k],
				          "%s as of %s: %s %s M%d's note", what, date, partners[pi].id, wps[wi].id, k + 1);
				free(notes[k]);
			}
		}
	for (size_t x = 0; x < (size_t)P.npartners * RES_NCAT; x++)
		cr_assert_eq(a.res.cost[x], b.res.cost[x], "%s as of %s: cost %zu", what, date, x);
	cr_assert_eq(a.res.entries, b.res.entries, "%s as of %s: entries %ld, %ld", what, date,
	             a.res.entries, b.res.entries);
	/* derive's rows alike; the periods only from the months. */
	struct state sa, sb;
	derive_state(&P, &a, d, &sa);
	derive_state(&P, &b, d, &sb);
	cr_assert_eq(sa.res.neffort, sb.res.neffort, "%s as of %s: rows", what, date);
	for (int i = 0; i < sa.res.neffort; i++)
		cr_assert(sa.res.effort[i].actual == sb.res.effort[i].actual &&
		          sa.res.effort[i].flag == sb.res.effort[i].flag, "%s as of %s: row %d", what, date, i);
	cr_assert_eq(sa.res.actual_total, sb.res.actual_total);
	cr_assert_null(sb.res.periods);
	cr_assert_not_null(sa.res.periods);
	/* The periods' rows made a cell's months at a time are derive's. */
	struct store_res_cells *cells;
	cr_assert_eq(store_res_cells_begin(S, &P, d, b.entries + 1, &cells, &e), 1,
	             "%s as of %s: a log of another length is not the snapshot read", what, date);
	cr_assert_null(cells);
	cr_assert_eq(store_res_cells_begin(S, &P, d, b.entries, &cells, &e), 0, "%s", e.msg);
	struct res_months_src src = {cells_read, cells, 0};
	cr_assert_eq(res_period_count(&P, &sb.res), 0, "no periods without a source");
	sb.res.months_src = &src;
	cr_assert_eq(res_period_count(&P, &sb.res), sa.res.nperiods);
	for (int k = 0; k < sa.res.nperiods; k++) {
		struct rows_seen seen = {&sa.res.periods[k], 0, what, date};
		cr_assert_eq(res_period_each(&P, &sb.res, k, same_row, &seen), 0);
		cr_assert_eq(seen.n, sa.res.periods[k].nrows, "%s as of %s: period %d's rows", what, date, k);
	}
	store_res_cells_end(cells);
	state_free(&sa);
	state_free(&sb);
	facts_free(&a);
	facts_free(&b);
	P.periods = NULL;
	P.nperiods = 0;
}

static const int asof_days[][3] = {
	{2015, 12, 15}, {2016, 1, 31}, {2016, 3, 10}, {2016, 4, 30}, {2016, 6, 2}, {2016, 8, 15},
	{2016, 10, 1}, {2016, 12, 31}, {2017, 2, 1}, {2017, 3, 31}, {2018, 1, 1},
};

Test(resources, totals_equal_every_month_read)
{
	for (unsigned seed = 1; seed <= 4; seed++) {
		random_log(seed);
		for (size_t i = 0; i < sizeof asof_days / sizeof asof_days[0]; i++)
			totals_match(date_from_ymd(asof_days[i][0], asof_days[i][1], asof_days[i][2]),
			             "schema 10");
	}
}

/* A log made before effort_cell (schema 8) reads the same without it, and
 * its first write's open migrates it: the table is there again, as the
 * triggers keep it. */
Test(resources, totals_from_a_schema_8_log)
{
	random_log(7);
	struct err e = {0};
	store_close(S);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "DROP TRIGGER effort_cell_add; DROP TRIGGER effort_cell_set;"
	                          " DROP TABLE effort_cell; DROP TRIGGER IF EXISTS log_cost_wp; DROP TABLE cost_wp;"
	                          " PRAGMA user_version = 8;", NULL, NULL, NULL),
	             SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(store_open(dbpath, STORE_READ, &S, &e), 0, "%s", e.msg);
	for (size_t i = 0; i < sizeof asof_days / sizeof asof_days[0]; i++)
		totals_match(date_from_ymd(asof_days[i][0], asof_days[i][1], asof_days[i][2]), "schema 8");
	store_close(S);
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &S, &e), 0, "%s", e.msg);
	random_log(8);
	for (size_t i = 0; i < sizeof asof_days / sizeof asof_days[0]; i++)
		totals_match(date_from_ymd(asof_days[i][0], asof_days[i][1], asof_days[i][2]), "migrated");
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*), (SELECT count(DISTINCT partner || item)"
	                                " FROM effort_month) FROM effort_cell", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_gt(sqlite3_column_int(st, 0), 0);
	cr_assert_eq(sqlite3_column_int(st, 0), sqlite3_column_int(st, 1));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* ---- derive ------------------------------------------------------------- */

Test(resources, expected_projected_and_flags)
{
	/* As of M6 (2016-06): WP4 runs M3-M12, 4 of 10 months gone, 3 PM
	 * planned: expected 1.20. */
	cdate asof = date_from_ymd(2016, 6, 30);
	struct facts f;
	struct state st;
	state_at(asof, &f, &st);
	const struct res_row *r = res_effort_row(&st.res, 1, 1);
	cr_assert_not_null(r);
	cr_assert_eq(r->expected, 120);
	cr_assert_eq(r->flag, RES_FLAG_UNDER, "nothing spent is under");
	cr_assert_eq(r->deviation, -100);
	state_free(&st);
	facts_free(&f);

	/* 1.44 spent is exactly 20% over: not flagged; 1.45 is. */
	accepted(&ANNA, EFFORT(.item = "WP4", .value = "1.44", .month = "2016-04", .date = "2016-04-30"));
	state_at(asof, &f, &st);
	r = res_effort_row(&st.res, 1, 1);
	cr_assert_eq(r->actual, 144);
	cr_assert_eq(r->deviation, 20);
	cr_assert_eq(r->flag, RES_FLAG_NONE);
	cr_assert_eq(r->projected, 360, "1.44 in 4 of 10 months: 3.60 at the end");
	state_free(&st);
	facts_free(&f);
	accepted(&ANNA, EFFORT(.item = "WP4", .value = "0.01", .month = "2016-05", .date = "2016-05-31"));
	state_at(asof, &f, &st);
	r = res_effort_row(&st.res, 1, 1);
	cr_assert_eq(r->flag, RES_FLAG_OVER);
	cr_assert_str_eq(res_flag_word(r->flag), "over");
	cr_assert_eq(st.res.over, 1);
	state_free(&st);
	facts_free(&f);

	/* Before WP4 starts nothing is expected: spending is over, with no
	 * deviation percent. */
	state_at(date_from_ymd(2016, 2, 29), &f, &st);
	r = res_effort_row(&st.res, 1, 1);
	cr_assert_eq(r->expected, 0);
	cr_assert_eq(r->has_deviation, 0);
	state_free(&st);
	facts_free(&f);
}

Test(resources, totals_and_periods)
{
	struct period periods[] = { {"RP1", 1, 12}, {"RP2", 13, 21} };
	P.periods = periods;
	P.nperiods = 2;
	accepted(&ANNA, COST(.item = "personnel", .value = "1000"));
	accepted(&ANNA, EFFORT(.item = "WP1", .value = "0.4", .month = "2016-12", .date = "2016-12-30"));
	accepted(&ANNA, EFFORT(.item = "WP1", .value = "0.3", .month = "2017-02", .date = "2017-02-28"));
	struct facts f;
	struct state st;
	state_at(TODAY, &f, &st);
	cr_assert_eq(st.res.planned_direct, 2000000);
	cr_assert_eq(st.res.planned_indirect, 140000);
	cr_assert_eq(st.res.planned_total, 2140000);
	cr_assert_eq(st.res.actual_total, 107000);
	cr_assert_eq(st.res.eu_share, 100000, "1070.00 of 21400.00 is 1000.00 of 20000.00");
	cr_assert_eq(st.res.time_gone_pct, 71);
	cr_assert_eq(st.res.nperiods, 2);
	const struct res_period_row *rp = NULL;
	for (int i = 0; i < st.res.periods[1].nrows; i++)
		if (st.res.periods[1].rows[i].partner == 1 && st.res.periods[1].rows[i].wp == 0)
			rp = &st.res.periods[1].rows[i];
	cr_assert_not_null(rp);
	cr_assert_eq(rp->planned, 29, "2 PM over 21 months, M13-M15 of RP2 gone: 0.29");
	cr_assert_eq(rp->spent, 30);
	cr_assert_eq(rp->to_date, 70);
	state_free(&st);
	facts_free(&f);
	P.periods = NULL;
	P.nperiods = 0;
}

/* ---- costs per work package ----------------------------------------------- */

/* Partner pi's cents on WP wi in the facts and in derive's state. */
static long wp_cost(const struct state *st, int pi, int wi)
{
	return st->res.cost_wp[(size_t)pi * (size_t)P.nwps + (size_t)wi];
}

Test(resources, costs_per_wp_sums_reverts_and_as_of)
{
	accepted(&ANNA, COST(.item = "travel", .value = "100", .wp = "WP1", .date = "2016-04-01"));
	accepted(&ANNA, COST(.item = "travel", .value = "50.25", .wp = "WP4", .date = "2016-06-01"));
	int64_t big = accepted(&ANNA, COST(.item = "personnel", .value = "200", .wp = "WP4",
	                                   .date = "2016-07-01"));
	accepted(&ANNA, COST(.item = "travel", .value = "30", .date = "2016-05-01"));
	accepted(&JANIS, COST(.item = "other", .value = "10", .wp = "WP1", .partner = "LITC",
	                      .date = "2016-08-01"));
	accepted(&JANIS, REVERT(.revert_id = big, .note = "on the wrong WP", .date = "2016-09-01"));

	struct facts f;
	struct state st;
	state_at(TODAY, &f, &st);
	cr_assert_eq(wp_cost(&st, 1, 0), 10000);
	cr_assert_eq(wp_cost(&st, 1, 1), 5025, "the reverted 200 is out of WP4: %ld", wp_cost(&st, 1, 1));
	cr_assert_eq(wp_cost(&st, 0, 0), 1000);
	cr_assert_eq(wp_cost(&st, 2, 0), 0);
	cr_assert_eq(st.res.cost_by_wp[0], 11000);
	cr_assert_eq(st.res.cost_by_wp[1], 5025);
	cr_assert_eq(st.res.cost_no_wp[1], 3000);
	cr_assert_eq(st.res.cost_no_wp[0], 0);
	cr_assert_eq(st.res.cost_no_wp_total, 3000);
	cr_assert(st.res.cost_wp_any);
	/* The categories and totals count every cost, with a WP or without. */
	cr_assert_eq(st.res.actual_direct, 19025);
	cr_assert_eq(st.res.cost_by_wp[0] + st.res.cost_by_wp[1] + st.res.cost_no_wp_total,
	             st.res.actual_direct);
	/* NETPORT's budget: 20,000.00 direct and 7% indirect; spent 180.25 and 12.62. */
	const struct res_row *pr = &st.res.cost_by_partner[1];
	cr_assert_eq(pr->planned, 2140000);
	cr_assert_eq(pr->actual, 18025 + 1262, "%ld", pr->actual);
	cr_assert_eq(pr->share, 1);
	state_free(&st);
	facts_free(&f);

	/* Before the revert the 200 counts on WP4; before July it was not spent. */
	state_at(date_from_ymd(2016, 8, 15), &f, &st);
	cr_assert_eq(wp_cost(&st, 1, 1), 25025);
	cr_assert_eq(wp_cost(&st, 0, 0), 1000);
	state_free(&st);
	facts_free(&f);
	state_at(date_from_ymd(2016, 6, 30), &f, &st);
	cr_assert_eq(wp_cost(&st, 1, 0), 10000);
	cr_assert_eq(wp_cost(&st, 1, 1), 5025);
	cr_assert_eq(wp_cost(&st, 0, 0), 0, "LITC's cost is dated August");
	cr_assert_eq(st.res.cost_no_wp[1], 3000);
	state_free(&st);
	facts_free(&f);
	state_at(date_from_ymd(2016, 3, 31), &f, &st);
	cr_assert(!st.res.cost_wp_any, "nothing named a WP by March");
	state_free(&st);
	facts_free(&f);
}

/* A small deterministic generator for the random logs. */
static unsigned long rnd_state;
static long rnd(long n)
{
	rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
	return (long)((rnd_state >> 33) % (unsigned long)n);
}

struct model_cost {
	int partner, category, wp;   /* wp -1: none */
	long cents;
	char eff[11], reff[11];      /* reff "": not reverted */
};

/* Random logs of costs with and without a WP, corrections and reverts, on
 * random dates: the facts per partner x WP and per category, from the
 * summaries and from the log read whole (an older schema's), are the sums
 * of the entries live at the date. */
Test(resources, costs_per_wp_equal_the_log_for_random_logs)
{
	static const char *const wps_ids[] = {"WP1", "WP4"};
	const struct identity *ids[] = {&JANIS, &ANNA, &LIENE};
	struct model_cost m[160];
	int64_t mid[160];
	int nm = 0;
	for (unsigned long seed = 1; seed <= 3; seed++) {
		rnd_state = seed;
		if (seed > 1) {
			teardown();
			setup();
		}
		nm = 0;
		for (int op = 0; op < 160; op++) {
			char date[11], value[32];
			cdate d = date_from_ymd(2016, 1, 1) + (cdate)rnd(455);
			date_format(d, date);
			if (nm > 0 && rnd(6) == 0) {
				int k = (int)rnd(nm);
				if (m[k].reff[0])
					continue;
				struct err e = {0};
				struct write_req r = REVERT(.revert_id = mid[k], .note = "undone", .date = date);
				if (write_apply(S, &P, &JANIS, &r, TODAY, NULL, &e) == 0)
					memcpy(m[k].reff, date, sizeof date);
				continue;
			}
			struct model_cost c = {.partner = (int)rnd(3), .category = (int)rnd(RES_NCAT),
			                       .wp = (int)rnd(3) - 1};
			c.cents = 1 + rnd(500000);
			if (rnd(5) == 0)
				c.cents = -c.cents / 10 - 1;
			res_format(c.cents, value);
			memcpy(c.eff, date, sizeof date);
			struct write_req r = COST(.item = res_category_words[c.category], .value = value,
			                          .wp = c.wp >= 0 ? wps_ids[c.wp] : NULL, .date = date,
			                          .partner = rnd(2) ? P.partners[c.partner].id : NULL);
			const struct identity *who = r.partner ? &JANIS : ids[c.partner];
			struct err e = {0};
			int64_t first = 0;
			if (write_apply(S, &P, who, &r, TODAY, &first, &e) == 0) {
				mid[nm] = first;
				m[nm++] = c;
			}
		}
		cr_assert_gt(nm, 100, "seed %lu: %d costs accepted", seed, nm);
		cdate dates[] = { date_from_ymd(2016, 3, 1), date_from_ymd(2016, 9, 15),
		                  date_from_ymd(2016, 12, 31), TODAY };
		for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
			char at[11];
			date_format(dates[i], at);
			long want_wp[3 * 2] = {0}, want_cat[3 * RES_NCAT] = {0};
			for (int k = 0; k < nm; k++) {
				if (strcmp(m[k].eff, at) > 0 || (m[k].reff[0] && strcmp(m[k].reff, at) <= 0))
					continue;
				want_cat[m[k].partner * RES_NCAT + m[k].category] += m[k].cents;
				if (m[k].wp >= 0)
					want_wp[m[k].partner * 2 + m[k].wp] += m[k].cents;
			}
			struct facts a, b;
			facts_pair(dates[i], &a, &b);
			for (int x = 0; x < 3 * 2; x++) {
				cr_assert_eq(a.res.cost_wp[x], want_wp[x], "seed %lu, %s, cell %d: %ld, want %ld",
				             seed, at, x, a.res.cost_wp[x], want_wp[x]);
				cr_assert_eq(b.res.cost_wp[x], want_wp[x], "seed %lu, %s, cell %d from the log",
				             seed, at, x);
			}
			for (int x = 0; x < 3 * RES_NCAT; x++) {
				cr_assert_eq(a.res.cost[x], want_cat[x], "seed %lu, %s, category %d", seed, at, x);
				cr_assert_eq(b.res.cost[x], want_cat[x], "seed %lu, %s, category %d", seed, at, x);
			}
			facts_free(&a);
			facts_free(&b);
		}
	}
}

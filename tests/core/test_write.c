/* Tests for the write path: identity from the real uid, every validation
 * and permission rule with its exit code, that a refused write writes
 * nothing, and the rows an accepted write produces. */
#include "config.h"
#include <criterion/criterion.h>

#include <ftw.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/write.h"

#include "fixture.h"

static struct project P;

/* ---- scratch log and helpers ----------------------------------------- */

static char dir[256];
static char dbpath[300];
static struct store *S;
static cdate TODAY;
static struct identity JANIS, ANNA, LIENE, LIGA;

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void setup(void)
{
	P = fixture_project(3);
	snprintf(dir, sizeof dir, "/tmp/consort-write-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(dbpath, sizeof dbpath, "%s/progress.db", dir);
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_CREATE, &S, &e), 0, "%s", e.msg);
	TODAY = date_from_ymd(2017, 3, 31);
	identity_for(&P, "janis", 1001, &JANIS);
	identity_for(&P, "anna", 1002, &ANNA);
	identity_for(&P, "liene", 1003, &LIENE);
	identity_for(&P, "liga", 1004, &LIGA);
}

static void teardown(void)
{
	store_close(S);
	S = NULL;
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

TestSuite(write, .init = setup, .fini = teardown);

static int64_t count_entries(void)
{
	int64_t n = -1;
	struct err e = {0};
	cr_assert_eq(store_summary(S, &n, NULL, &e), 0, "%s", e.msg);
	return n;
}

/* Applies r as id; expects refusal with `code` (and `msg` when not NULL),
 * and that nothing was written. */
static void refused(const struct identity *id, struct write_req r, int code, const char *msg)
{
	int64_t before = count_entries();
	struct err e = {0};
	cr_assert_eq(write_check(S, &P, id, &r, TODAY, &e), -1, "check accepted it");
	cr_assert_eq(e.code, code, "check: code %d (%s), want %d", e.code, e.msg, code);
	if (msg)
		cr_assert_str_eq(e.msg, msg);
	struct err e2 = {0};
	cr_assert_eq(write_apply(S, &P, id, &r, TODAY, NULL, &e2), -1, "apply accepted it");
	cr_assert_eq(e2.code, code, "apply: code %d (%s), want %d", e2.code, e2.msg, code);
	cr_assert_eq(count_entries(), before, "a refused write wrote something");
}

static int64_t accepted(const struct identity *id, struct write_req r)
{
	struct err e = {0};
	cr_assert_eq(write_check(S, &P, id, &r, TODAY, &e), 0, "check: %s", e.msg);
	int64_t first = 0;
	cr_assert_eq(write_apply(S, &P, id, &r, TODAY, &first, &e), 0, "apply: %s", e.msg);
	cr_assert_gt(first, 0);
	return first;
}

static struct entry get(int64_t id)
{
	struct entry en;
	struct err e = {0};
	cr_assert_eq(store_entry(S, id, &en, &e), 0, "%s", e.msg);
	return en;
}

/* UPD: no progress given; UPDP: progress given (.progress = N). */
#define UPD(...) ((struct write_req){ .op = W_UPDATE, .progress = -1, __VA_ARGS__ })
#define UPDP(...) ((struct write_req){ .op = W_UPDATE, __VA_ARGS__ })
#define REC(...) ((struct write_req){ .op = W_RECORD, .progress = -1, __VA_ARGS__ })
#define BENCH(...) ((struct write_req){ .op = W_BENCH, .progress = -1, __VA_ARGS__ })
#define LABEL(...) ((struct write_req){ .op = W_LABEL, .progress = -1, __VA_ARGS__ })
#define REVERT(...) ((struct write_req){ .op = W_REVERT, .progress = -1, __VA_ARGS__ })

/* ---- identity -------------------------------------------------------- */

Test(write, identity_roles)
{
	cr_assert_eq(JANIS.partner, 0);
	cr_assert_eq(JANIS.coordinator, 1);
	cr_assert_str_eq(identity_role(&JANIS), "coordinator");
	cr_assert_eq(ANNA.partner, 1);
	cr_assert_eq(ANNA.coordinator, 0);
	cr_assert_str_eq(identity_role(&ANNA), "partner");
	cr_assert_eq(LIGA.partner, -1);
	cr_assert_str_eq(identity_role(&LIGA), "read-only");
	cr_assert_str_eq(LIGA.login, "liga");
	cr_assert_eq(LIGA.uid, 1004);
}

Test(write, demo_grant)
{
	struct identity id;
	identity_for(&P, "visitor", 1, &id);
	identity_demo_grant(&P, &id, "someone-else");
	cr_assert_eq(id.partner, -1, "only the demo's own login is granted");
	identity_demo_grant(&P, &id, "visitor");
	cr_assert_eq(id.partner, P.coordinator);
	cr_assert_eq(id.coordinator, 1);
	cr_assert_str_eq(identity_role(&id), "coordinator");
}

Test(write, login_from_uid_not_environment)
{
	setenv("USER", "someoneelse", 1);
	setenv("LOGNAME", "someoneelse", 1);
	struct passwd *pw = getpwuid(getuid());
	cr_assert_not_null(pw, "the test needs a passwd entry");
	struct identity id;
	struct err e = {0};
	cr_assert_eq(identity_current(&P, &id, &e), 0, "%s", e.msg);
	cr_assert_str_eq(id.login, pw->pw_name);
	cr_assert_eq(id.uid, (long)getuid());
	cr_assert_str_neq(id.login, "someoneelse");
}

Test(write, statuses)
{
	const char *const *t = write_statuses(ITEM_TASK);
	cr_assert_str_eq(t[0], "planned");
	cr_assert_str_eq(t[1], "in_progress");
	cr_assert_str_eq(t[2], "done");
	cr_assert_str_eq(t[3], "blocked");
	cr_assert_null(t[4]);
	const char *const *d = write_statuses(ITEM_DELIVERABLE);
	cr_assert_str_eq(d[2], "submitted");
	cr_assert_str_eq(d[4], "rejected");
	cr_assert_null(d[5]);
	const char *const *m = write_statuses(ITEM_MILESTONE);
	cr_assert_str_eq(m[0], "pending");
	cr_assert_str_eq(m[1], "reached");
	cr_assert_null(m[2]);
	cr_assert_null(write_statuses(ITEM_WP)[0]);
}

/* ---- UPDATE ---------------------------------------------------------- */

Test(write, update_validation)
{
	refused(&JANIS, UPD(.item = "T9.9", .status = "done"), EXIT_DATAERR,
	        "unknown item 'T9.9' (not a task, deliverable or milestone in TESTPROJ)");
	refused(&JANIS, UPD(.item = "WP1", .status = "done"), EXIT_DATAERR, NULL);
	refused(&JANIS, UPD(.item = "T1.1"), EXIT_USAGE, NULL);
	refused(&JANIS, UPD(.item = NULL, .status = "done"), EXIT_USAGE, NULL);
	refused(&JANIS, UPD(.item = "T1.1", .status = "finished"), EXIT_DATAERR,
	        "'finished' is not a status for task T1.1 (one of: planned, in_progress, done, blocked)");
	refused(&JANIS, UPD(.item = "D1.1", .status = "done"), EXIT_DATAERR,
	        "'done' is not a status for deliverable D1.1 "
	        "(one of: planned, drafting, submitted, accepted, rejected)");
	refused(&JANIS, UPD(.item = "MS1", .status = "done"), EXIT_DATAERR, NULL);
	refused(&JANIS, UPDP(.item = "D1.1", .progress = 50), EXIT_DATAERR, NULL);
	refused(&JANIS, UPDP(.item = "MS1", .progress = 50), EXIT_DATAERR, NULL);
	refused(&JANIS, UPDP(.item = "T1.1", .progress = 101), EXIT_DATAERR, NULL);
	refused(&JANIS, UPDP(.item = "T1.1", .progress = -2), EXIT_DATAERR, NULL);
	/* A hostile id is shown inert in the message. */
	struct err e = {0};
	struct write_req r = UPD(.item = "\x1b[2J", .status = "done");
	cr_assert_eq(write_check(S, &P, &JANIS, &r, TODAY, &e), -1);
	cr_assert_null(strchr(e.msg, '\x1b'), "escape reached the message");
	cr_assert_eq(count_entries(), 0);
}

Test(write, update_writes_rows)
{
	int64_t id = accepted(&ANNA, UPDP(.item = "T1.1", .status = "in_progress", .progress = 40,
	                                 .note = "kick-off held"));
	cr_assert_eq(count_entries(), 2, "status and progress: two rows");
	struct entry a = get(id), b = get(id + 1);
	cr_assert_str_eq(a.kind, "status");
	cr_assert_str_eq(a.value, "in_progress");
	cr_assert_str_eq(a.item, "T1.1");
	cr_assert_str_eq(a.partner, "NETPORT", "the writer's partner");
	cr_assert_str_eq(a.login, "anna");
	cr_assert_eq(a.uid, 1002);
	cr_assert_str_eq(a.effective, "2017-03-31");
	cr_assert_str_eq(a.note, "kick-off held");
	cr_assert_str_eq(b.kind, "progress");
	cr_assert_str_eq(b.value, "40");
	cr_assert_eq(a.recorded_at, b.recorded_at, "one transaction");
	entry_clear(&a);
	entry_clear(&b);

	id = accepted(&JANIS, UPD(.item = "D4.1", .status = "submitted", .date = "2017-03-01"));
	struct entry c = get(id);
	cr_assert_str_eq(c.partner, "LITC", "a coordinator writes as the coordinator");
	cr_assert_str_eq(c.effective, "2017-03-01");
	entry_clear(&c);
	accepted(&JANIS, UPDP(.item = "T4.1", .progress = 0));
	accepted(&JANIS, UPD(.item = "MS1", .status = "reached"));
	cr_assert_eq(count_entries(), 5);
}

Test(write, dates)
{
	refused(&JANIS, UPD(.item = "T1.1", .status = "done", .date = "2017-02-30"), EXIT_DATAERR,
	        "'2017-02-30' is not a date (YYYY-MM-DD)");
	refused(&JANIS, UPD(.item = "T1.1", .status = "done", .date = "1.3.2017"), EXIT_DATAERR, NULL);
	refused(&JANIS, UPD(.item = "T1.1", .status = "done", .date = "2017-04-01"), EXIT_DATAERR,
	        "2017-04-01 is in the future (today is 2017-03-31)");
	refused(&JANIS, UPD(.item = "T1.1", .status = "done", .date = "2015-12-31"), EXIT_DATAERR,
	        "2015-12-31 is before TESTPROJ starts (2016-01-01)");
	accepted(&JANIS, UPD(.item = "T1.1", .status = "done", .date = "2016-01-01"));
	accepted(&JANIS, UPD(.item = "T1.1", .status = "done", .date = "2017-03-31"));
	/* After the end is allowed (late reporting). */
	TODAY = date_from_ymd(2018, 1, 15);
	accepted(&JANIS, UPD(.item = "T1.1", .status = "done", .date = "2017-12-01"));
	cr_assert_eq(count_entries(), 3);
}

/* A "today" moved forward (CONSORT_TODAY, or a caller's clock) never lets a
 * write land after the real date: such an entry would win over every later
 * correction once its date came. */
Test(write, never_after_the_real_clock)
{
	char real[16], next[16];
	cdate r = date_today_real();
	date_format(r, real);
	date_format(r + 1, next);
	TODAY = r + 3650;
	char msg[96];
	snprintf(msg, sizeof msg, "%s is in the future (today is %s)", next, real);
	refused(&JANIS, UPD(.item = "T1.1", .status = "done", .date = next), EXIT_DATAERR, msg);
	/* Without a date the entry takes the real today, not the moved one. */
	int64_t id = accepted(&JANIS, UPD(.item = "T1.1", .status = "in_progress"));
	struct entry en = get(id);
	cr_assert_str_eq(en.effective, real);
	entry_clear(&en);
}

Test(write, notes)
{
	char big[4098];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	refused(&JANIS, UPD(.item = "T1.1", .status = "done", .note = big), EXIT_DATAERR, NULL);
	big[4096] = '\0';
	accepted(&JANIS, UPD(.item = "T1.1", .status = "done", .note = big));
	refused(&JANIS, UPD(.item = "T1.1", .status = "done", .note = "bad \xff\xfe utf-8"), EXIT_DATAERR, NULL);
	refused(&JANIS, UPD(.item = "T1.1", .status = "done", .note = "overlong \xc0\xaf"), EXIT_DATAERR, NULL);
	accepted(&JANIS, UPD(.item = "T1.1", .status = "done", .note = "Jānis, Tõnu, Åsa"));
	cr_assert_eq(count_entries(), 2);
}

/* ---- RECORD ---------------------------------------------------------- */

Test(write, record_counts)
{
	refused(&JANIS, REC(.item = "smes", .value = "+1"), EXIT_DATAERR,
	        "unknown target 'smes' (not a target in TESTPROJ)");
	refused(&JANIS, REC(.item = NULL, .value = "+1"), EXIT_USAGE, NULL);
	refused(&JANIS, REC(.item = "sme", .value = NULL), EXIT_USAGE, NULL);
	const char *bad[] = { "12", "+", "+1.5", "+-3", "=abc", "+1000001", "* 3", "+ 3", "+0x10",
	                      "+99999999999999999999", "+12 " };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		refused(&JANIS, REC(.item = "sme", .value = bad[i]), EXIT_DATAERR, NULL);
	int64_t a = accepted(&JANIS, REC(.item = "sme", .value = "+1000000"));
	int64_t b = accepted(&JANIS, REC(.item = "sme", .value = "-3"));
	int64_t c = accepted(&JANIS, REC(.item = "sme", .value = "=040", .partner = "LLA"));
	struct entry ea = get(a), eb = get(b), ec = get(c);
	cr_assert_str_eq(ea.kind, "reach");
	cr_assert_str_eq(ea.value, "+1000000");
	cr_assert_str_eq(ea.partner, "LITC", "defaults to the user's own partner");
	cr_assert_str_eq(eb.value, "-3");
	cr_assert_str_eq(ec.value, "=40", "stored in canonical form");
	cr_assert_str_eq(ec.partner, "LLA");
	entry_clear(&ea);
	entry_clear(&eb);
	entry_clear(&ec);
	refused(&JANIS, REC(.item = "sme", .value = "+1", .partner = "NOPE"), EXIT_DATAERR,
	        "unknown partner 'NOPE'");
	/* LLA stands at 40: -40 is fine, one more would make it negative. */
	int64_t before = count_entries();
	refused(&JANIS, REC(.item = "sme", .value = "-41", .partner = "LLA"), EXIT_DATAERR,
	        "LLA's sme total on 2017-03-31 is 40; a correction of -41 would make it negative");
	cr_assert_eq(count_entries(), before, "a refused correction writes nothing");
	accepted(&JANIS, REC(.item = "sme", .value = "-40", .partner = "LLA"));
	refused(&JANIS, REC(.item = "sme", .value = "-1", .partner = "LLA"), EXIT_DATAERR, NULL);
}

Test(write, record_distinct)
{
	int64_t a = accepted(&ANNA, REC(.item = "member-states", .value = "lt"));
	struct entry ea = get(a);
	cr_assert_str_eq(ea.value, "LT", "country codes are stored uppercased");
	cr_assert_str_eq(ea.partner, "NETPORT");
	entry_clear(&ea);
	refused(&ANNA, REC(.item = "member-states", .value = "LTU"), EXIT_DATAERR, NULL);
	refused(&ANNA, REC(.item = "member-states", .value = "L1"), EXIT_DATAERR, NULL);
	refused(&ANNA, REC(.item = "member-states", .value = "Ö1"), EXIT_DATAERR, NULL);
	/* Two letters are not enough: the code must exist. */
	refused(&ANNA, REC(.item = "member-states", .value = "XX"), EXIT_DATAERR,
	        "'XX' is not an ISO 3166-1 country code (such as LT or DE)");

	int64_t b = accepted(&ANNA, REC(.item = "events", .value = "Riga Logistics Forum 2016"));
	struct entry eb = get(b);
	cr_assert_str_eq(eb.value, "Riga Logistics Forum 2016", "other values are kept as given");
	entry_clear(&eb);
	char long_value[66];
	memset(long_value, 'a', 65);
	long_value[65] = '\0';
	refused(&ANNA, REC(.item = "events", .value = long_value), EXIT_DATAERR, NULL);
	long_value[64] = '\0';
	accepted(&ANNA, REC(.item = "events", .value = long_value));
	refused(&ANNA, REC(.item = "events", .value = "bell\a"), EXIT_DATAERR, NULL);
	refused(&ANNA, REC(.item = "events", .value = "esc \x1b[31m"), EXIT_DATAERR, NULL);
	refused(&ANNA, REC(.item = "events", .value = "bad \xff"), EXIT_DATAERR, NULL);
	refused(&ANNA, REC(.item = "events", .value = ""), EXIT_USAGE, NULL);
	accepted(&ANNA, REC(.item = "events", .value = "Tõnu's workshop"));
	cr_assert_eq(count_entries(), 4);
}

/* ---- BENCH and LABEL ------------------------------------------------- */

Test(write, bench_and_label_validation)
{
	refused(&JANIS, BENCH(.partner = "LLA", .item = "G1", .value = "3"), EXIT_DATAERR,
	        "unknown cluster 'LLA' (not a benchmarked partner in TESTPROJ)");
	refused(&JANIS, BENCH(.partner = NULL, .item = "G1", .value = "3"), EXIT_USAGE, NULL);
	refused(&JANIS, BENCH(.partner = "LITC", .item = "G9", .value = "3"), EXIT_DATAERR, NULL);
	refused(&JANIS, BENCH(.partner = "LITC", .item = "G1", .value = NULL), EXIT_USAGE, NULL);
	const char *bad[] = { "abc", "nan", "inf", "1e5", "0x10", "3,5", "", "1.", "--1", "1 " };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		refused(&JANIS, BENCH(.partner = "LITC", .item = "G1", .value = bad[i]),
		        bad[i][0] ? EXIT_DATAERR : EXIT_USAGE, NULL);
	int64_t a = accepted(&JANIS, BENCH(.partner = "NETPORT", .item = "G2", .value = "2.5"));
	struct entry ea = get(a);
	cr_assert_str_eq(ea.kind, "bench");
	cr_assert_str_eq(ea.item, "G2");
	cr_assert_str_eq(ea.partner, "NETPORT");
	cr_assert_str_eq(ea.value, "2.5");
	entry_clear(&ea);
	accepted(&JANIS, BENCH(.partner = "LITC", .item = "G1", .value = "-1"));

	refused(&JANIS, LABEL(.partner = "LITC", .value = "platinum"), EXIT_DATAERR,
	        "'platinum' is not a label (one of: bronze, silver, gold)");
	refused(&JANIS, LABEL(.partner = "LITC", .value = NULL), EXIT_USAGE, NULL);
	refused(&JANIS, LABEL(.partner = "GHOST", .value = "gold"), EXIT_DATAERR, NULL);
	int64_t b = accepted(&JANIS, LABEL(.partner = "LITC", .value = "silver"));
	struct entry eb = get(b);
	cr_assert_str_eq(eb.kind, "label");
	cr_assert_null(eb.item);
	cr_assert_str_eq(eb.partner, "LITC");
	cr_assert_str_eq(eb.value, "silver");
	entry_clear(&eb);
	cr_assert_eq(count_entries(), 3);

	P.bench.present = 0;
	refused(&JANIS, LABEL(.partner = "LITC", .value = "silver"), EXIT_DATAERR,
	        "TESTPROJ defines no benchmark");
}

/* ---- REVERT ---------------------------------------------------------- */

Test(write, revert)
{
	int64_t a = accepted(&JANIS, UPD(.item = "T4.1", .status = "done", .date = "2016-05-01"));
	refused(&JANIS, REVERT(.revert_id = 999, .note = "typo"), EXIT_DATAERR, "no entry 999");
	refused(&JANIS, REVERT(.revert_id = a), EXIT_USAGE, NULL);
	refused(&JANIS, REVERT(.revert_id = 0, .note = "typo"), EXIT_USAGE, NULL);

	int64_t r = accepted(&JANIS, REVERT(.revert_id = a, .note = "wrong task"));
	struct entry er = get(r);
	cr_assert_str_eq(er.kind, "revert");
	char want[32];
	snprintf(want, sizeof want, "%lld", (long long)a);
	cr_assert_str_eq(er.value, want);
	cr_assert_str_eq(er.item, "T4.1");
	cr_assert_str_eq(er.partner, "LITC");
	cr_assert_str_eq(er.effective, "2016-05-01", "takes effect when the entry did");
	cr_assert_str_eq(er.note, "wrong task");
	entry_clear(&er);
	struct entry ea = get(a);
	cr_assert_eq(ea.reverted_by, r);
	entry_clear(&ea);

	char msg[128];
	snprintf(msg, sizeof msg, "entry %lld was already reverted by entry %lld", (long long)a, (long long)r);
	refused(&JANIS, REVERT(.revert_id = a, .note = "again"), EXIT_DATAERR, msg);
	refused(&JANIS, REVERT(.revert_id = r, .note = "undo the undo"), EXIT_DATAERR, NULL);

	/* With a date, the revert takes effect then. */
	int64_t b = accepted(&JANIS, UPDP(.item = "T1.1", .progress = 30, .date = "2016-02-01"));
	int64_t r2 = accepted(&JANIS, REVERT(.revert_id = b, .note = "late", .date = "2016-06-01"));
	struct entry e2 = get(r2);
	cr_assert_str_eq(e2.effective, "2016-06-01");
	entry_clear(&e2);
	int64_t c = accepted(&JANIS, UPDP(.item = "T1.1", .progress = 35));
	refused(&JANIS, REVERT(.revert_id = c, .note = "x", .date = "2018-01-01"), EXIT_DATAERR, NULL);
	cr_assert_eq(count_entries(), 5);
}

/* A revert is a correction too: it may not take a partner's count below
 * zero, on its day or on a later one. */
Test(write, revert_never_negative)
{
	/* +3, -3, then undoing the +3 would leave -3. */
	int64_t plus = accepted(&JANIS, REC(.item = "sme", .value = "+3", .partner = "LLA"));
	int64_t minus = accepted(&JANIS, REC(.item = "sme", .value = "-3", .partner = "LLA"));
	char msg[160];
	snprintf(msg, sizeof msg,
	         "LLA's sme total on 2017-03-31 is 0; undoing entry %lld (+3) would make it -3",
	         (long long)plus);
	refused(&JANIS, REVERT(.revert_id = plus, .note = "typo"), EXIT_DATAERR, msg);
	/* Undoing the -3 raises it: fine; then the +3 may go too. */
	accepted(&JANIS, REVERT(.revert_id = minus, .note = "wrong"));
	accepted(&JANIS, REVERT(.revert_id = plus, .note = "typo"));

	/* On a later day: +5 in 2016, -5 in 2017; the revert of the +5 takes
	 * effect in 2016 (when 0 - 0 is fine) but leaves 2017 at -5. */
	int64_t p5 = accepted(&JANIS, REC(.item = "sme", .value = "+5", .partner = "NETPORT",
	                                  .date = "2016-05-01"));
	accepted(&JANIS, REC(.item = "sme", .value = "-5", .partner = "NETPORT", .date = "2017-01-10"));
	snprintf(msg, sizeof msg,
	         "NETPORT's sme total on 2017-01-10 is 0; undoing entry %lld (+5) would make it -5",
	         (long long)p5);
	refused(&JANIS, REVERT(.revert_id = p5, .note = "x"), EXIT_DATAERR, msg);
	/* Dated after a later =N has reset the count: no effect, accepted. */
	accepted(&JANIS, REC(.item = "sme", .value = "=7", .partner = "NETPORT", .date = "2017-02-01"));
	accepted(&JANIS, REVERT(.revert_id = p5, .note = "x", .date = "2017-02-01"));

	/* Undoing an =N: =5, -5, revert the =5 would leave -5. */
	int64_t set = accepted(&JANIS, REC(.item = "sme", .value = "=5", .partner = "LITC",
	                                   .date = "2016-03-01"));
	accepted(&JANIS, REC(.item = "sme", .value = "-5", .partner = "LITC", .date = "2016-03-02"));
	refused(&JANIS, REVERT(.revert_id = set, .note = "x"), EXIT_DATAERR, NULL);

	/* A back-dated -N that would make a later day negative is refused as well. */
	refused(&JANIS, REC(.item = "sme", .value = "-1", .partner = "LITC", .date = "2016-03-01"),
	        EXIT_DATAERR,
	        "LITC's sme total on 2016-03-02 is 0; a correction of -1 dated 2016-03-01 would make it negative");
}

/* Entries for a partner are dated inside its months: NETPORT leaves after
 * M12 (2016-12-31), LLA joins in M4 (2016-04-01). */
Test(write, partner_months)
{
	struct partner mine[3];
	memcpy(mine, P.partners, sizeof mine);
	mine[1].left = 12;
	mine[2].joined = 4;
	P.partners = mine;
	const char *net = "NETPORT takes part from M1 to M12 (2016-01-01 to 2016-12-31); ";
	char msg[160];

	/* An update: the writer's partner. */
	snprintf(msg, sizeof msg, "%s2017-03-05 is outside", net);
	refused(&ANNA, UPDP(.item = "T1.1", .progress = 20, .date = "2017-03-05"), EXIT_DATAERR, msg);
	accepted(&ANNA, UPDP(.item = "T1.1", .progress = 20, .date = "2016-12-31"));
	/* The coordinator stays to the end: its update is fine. */
	accepted(&JANIS, UPD(.item = "D4.1", .status = "drafting"));

	/* Reach and benchmarks: the partner named, whoever writes. */
	snprintf(msg, sizeof msg, "%s2017-03-31 is outside", net);
	refused(&JANIS, REC(.item = "sme", .value = "+1", .partner = "NETPORT"), EXIT_DATAERR, msg);
	refused(&JANIS, BENCH(.partner = "NETPORT", .item = "G1", .value = "3"), EXIT_DATAERR, msg);
	refused(&JANIS, REC(.item = "member-states", .value = "LV", .partner = "LLA",
	                    .date = "2016-03-31"), EXIT_DATAERR,
	        "LLA takes part from M4 to M21 (2016-04-01 to 2017-09-30); 2016-03-31 is outside");
	accepted(&JANIS, REC(.item = "sme", .value = "+1", .partner = "LLA", .date = "2016-04-01"));
	accepted(&JANIS, REC(.item = "sme", .value = "+1", .partner = "NETPORT", .date = "2016-06-01"));
	cr_assert_eq(count_entries(), 4);
}

/* ---- permissions ----------------------------------------------------- */

Test(write, permissions_update)
{
	refused(&ANNA, UPD(.item = "T4.1", .status = "done"), EXIT_NOPERM,
	        "anna (NETPORT) may not update T4.1: it is led by LLA and NETPORT takes no part in it");
	refused(&ANNA, UPD(.item = "D4.1", .status = "submitted"), EXIT_NOPERM, NULL);
	refused(&ANNA, UPD(.item = "MS1", .status = "reached"), EXIT_NOPERM,
	        "anna (NETPORT) may not update MS1: it is led by LLA and NETPORT takes no part in it");
	refused(&ANNA, UPD(.item = "D1.1", .status = "submitted"), EXIT_NOPERM, NULL);
	refused(&LIGA, UPD(.item = "T1.1", .status = "done"), EXIT_NOPERM,
	        "liga is not listed as a user of any partner in TESTPROJ; the log is read-only for you");
	accepted(&ANNA, UPDP(.item = "T1.1", .progress = 10));   /* a participant */
	accepted(&LIENE, UPD(.item = "T4.1", .status = "done")); /* the lead */
	accepted(&LIENE, UPD(.item = "MS1", .status = "reached")); /* leads its WP */
	accepted(&JANIS, UPD(.item = "D4.1", .status = "drafting")); /* the coordinator */
	cr_assert_eq(count_entries(), 4);
}

Test(write, permissions_record_bench_label)
{
	refused(&ANNA, REC(.item = "sme", .value = "+5", .partner = "LITC"), EXIT_NOPERM,
	        "anna (NETPORT) may record reach only for NETPORT, not for LITC");
	refused(&LIGA, REC(.item = "sme", .value = "+5"), EXIT_NOPERM, NULL);
	accepted(&ANNA, REC(.item = "sme", .value = "+5", .partner = "NETPORT"));
	accepted(&JANIS, REC(.item = "sme", .value = "+5", .partner = "NETPORT"));

	refused(&ANNA, BENCH(.partner = "LITC", .item = "G1", .value = "3"), EXIT_NOPERM,
	        "anna (NETPORT) may record benchmarks only for NETPORT's cluster, not for LITC");
	refused(&LIENE, BENCH(.partner = "NETPORT", .item = "G1", .value = "3"), EXIT_NOPERM, NULL);
	accepted(&ANNA, BENCH(.partner = "NETPORT", .item = "G1", .value = "3"));
	refused(&ANNA, LABEL(.partner = "LITC", .value = "gold"), EXIT_NOPERM, NULL);
	refused(&LIGA, LABEL(.partner = "NETPORT", .value = "gold"), EXIT_NOPERM, NULL);
	cr_assert_eq(count_entries(), 3);
}

/* Accepting, rejecting and labels are the coordinator's: a partner may not
 * accept its own deliverable or award its own cluster a label. */
Test(write, verdicts_are_the_coordinators)
{
	refused(&LIENE, UPD(.item = "D4.1", .status = "accepted"), EXIT_NOPERM,
	        "liene (LLA) may not set D4.1 accepted: only the coordinator's users (LITC) accept or reject deliverables");
	refused(&LIENE, UPD(.item = "D4.1", .status = "rejected"), EXIT_NOPERM, NULL);
	refused(&ANNA, LABEL(.partner = "NETPORT", .value = "gold"), EXIT_NOPERM,
	        "anna (NETPORT) may not record a label: only the coordinator's users (LITC) award labels");
	/* The lead still drafts and submits. */
	accepted(&LIENE, UPD(.item = "D4.1", .status = "drafting"));
	accepted(&LIENE, UPD(.item = "D4.1", .status = "submitted"));
	int64_t acc = accepted(&JANIS, UPD(.item = "D4.1", .status = "accepted"));
	int64_t lab = accepted(&JANIS, LABEL(.partner = "NETPORT", .value = "bronze"));
	/* Nor may a partner undo the coordinator's word. */
	refused(&LIENE, REVERT(.revert_id = acc, .note = "no"), EXIT_NOPERM, NULL);
	refused(&ANNA, REVERT(.revert_id = lab, .note = "no"), EXIT_NOPERM, NULL);
	accepted(&JANIS, REVERT(.revert_id = lab, .note = "too early"));
	cr_assert_eq(count_entries(), 5);
}

Test(write, permissions_revert)
{
	int64_t t41 = accepted(&LIENE, UPD(.item = "T4.1", .status = "done"));
	int64_t lla = accepted(&LIENE, REC(.item = "sme", .value = "+3"));
	int64_t net = accepted(&JANIS, REC(.item = "sme", .value = "+4", .partner = "NETPORT"));
	int64_t t11 = accepted(&JANIS, UPDP(.item = "T1.1", .progress = 50));
	int64_t bench = accepted(&JANIS, BENCH(.partner = "NETPORT", .item = "G2", .value = "1"));
	char msg[160];
	snprintf(msg, sizeof msg,
	         "anna (NETPORT) may not revert entry %lld: it is led by LLA and NETPORT takes no part in it",
	         (long long)t41);
	refused(&ANNA, REVERT(.revert_id = t41, .note = "no"), EXIT_NOPERM, msg);
	refused(&ANNA, REVERT(.revert_id = lla, .note = "no"), EXIT_NOPERM, NULL);
	refused(&LIGA, REVERT(.revert_id = net, .note = "no"), EXIT_NOPERM, NULL);
	accepted(&ANNA, REVERT(.revert_id = net, .note = "counted twice"));
	accepted(&ANNA, REVERT(.revert_id = t11, .note = "not yet"));
	accepted(&ANNA, REVERT(.revert_id = bench, .note = "wrong scale"));
	accepted(&JANIS, REVERT(.revert_id = lla, .note = "coordinator fixes it"));
	cr_assert_eq(count_entries(), 9);
}

Test(write, check_does_not_write)
{
	struct err e = {0};
	struct write_req r = UPD(.item = "T1.1", .status = "done");
	cr_assert_eq(write_check(S, &P, &JANIS, &r, TODAY, &e), 0, "%s", e.msg);
	cr_assert_eq(write_check(NULL, &P, &JANIS, &r, TODAY, &e), 0, "no store needed but for revert");
	cr_assert_eq(count_entries(), 0);
}

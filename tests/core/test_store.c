/* Tests for the store: opening, refusing, the append-only schema, as-of
 * queries, reverts, reach, benchmarks, meta, data_version and concurrent
 * writers. Each test works in its own mkdtemp directory. */
#include "config.h"
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/chain.h"
#include "core/hash.h"
#include "core/store.h"
#include "core/store_int.h"

#include "fds.h"
#include "fixture.h"

static struct project make_project(void)
{
	return fixture_project(2);
}

/* ---- scratch files --------------------------------------------------- */

static char dir[256];
static char dbpath[300];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void scratch_setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/consort-store-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(dbpath, sizeof dbpath, "%s/progress.db", dir);
}

static void scratch_teardown(void)
{
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* A skipped test does not reach .fini: remove the scratch directory first. */
#define skip_test(why) do { scratch_teardown(); cr_skip_test(why); } while (0)

static cdate D(const char *s)
{
	cdate d;
	cr_assert_eq(date_parse(s, &d), 0, "bad test date %s", s);
	return d;
}

/* The log at dbpath and its -wal and -shm gone, for the next create_log. */
static void log_remove(void)
{
	char side[4200];
	unlink(dbpath);
	snprintf(side, sizeof side, "%s-wal", dbpath);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", dbpath);
	unlink(side);
}

static struct store *create_log(void)
{
	struct store *s = NULL;
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_CREATE, &s, &e), 0, "create: %s", e.msg);
	return s;
}

static int64_t add(struct store *s, const char *eff, const char *partner, const char *item,
                   const char *kind, const char *value)
{
	struct new_entry n = { .effective = D(eff), .login = "janis", .uid = 1000,
	                       .partner = partner, .item = item, .kind = kind, .value = value };
	int64_t id = 0;
	struct err e = {0};
	cr_assert_eq(store_append(s, &n, 1, &id, &e), 0, "append: %s", e.msg);
	return id;
}

static int64_t add_revert(struct store *s, const char *eff, int64_t id)
{
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)id);
	return add(s, eff, NULL, NULL, "revert", v);
}

static uint64_t file_hash(const char *path)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "open %s", path);
	char *buf = NULL;
	size_t n = 0, cap = 0, got;
	do {
		if (n + 4096 > cap)
			cr_assert_not_null(buf = realloc(buf, cap = n + 65536));
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	uint64_t h = hash_bytes(buf, n);
	free(buf);
	return h;
}

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	cr_assert_eq(rc, SQLITE_OK, "%s: %s", sql, msg ? msg : "");
	sqlite3_close(db);
}

/* A new log whose entries' ids start after seq (its sequence set by hand). */
static struct store *create_log_after_id(long long seq)
{
	struct store *s = create_log();
	store_close(s);
	char sql[400];
	snprintf(sql, sizeof sql,
	         "UPDATE sqlite_sequence SET seq = %lld WHERE name = 'log';"
	         " INSERT INTO sqlite_sequence (name, seq) SELECT 'log', %lld"
	         " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'log')", seq, seq);
	sql_exec(dbpath, sql);
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
	return s;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* Take a log back to an older schema by dropping what later ones added. */
#define TO_SCHEMA_8 "DROP TABLE IF EXISTS undone_pack;" \
	" DROP TRIGGER IF EXISTS effort_cell_add; DROP TRIGGER IF EXISTS effort_cell_set;" \
	" DROP TABLE IF EXISTS effort_cell;" \
	" DROP TRIGGER IF EXISTS log_cost_wp; DROP TABLE IF EXISTS cost_wp;" \
	" DROP TRIGGER IF EXISTS reach_value_new; DROP TRIGGER IF EXISTS reach_value_earlier;" \
	" DROP TRIGGER IF EXISTS reach_first_new; DROP TRIGGER IF EXISTS reach_first_earlier;" \
	" DROP TABLE IF EXISTS reach_pair_total;" \
	" DROP TABLE IF EXISTS reach_value_first; DROP TABLE IF EXISTS reach_first_total;" \
	" PRAGMA user_version = 8;"
#define TO_SCHEMA_4 TO_SCHEMA_8 "DROP TRIGGER IF EXISTS log_effort_month; DROP TRIGGER IF EXISTS log_cost_total;" \
	" DROP TABLE IF EXISTS effort_month; DROP TABLE IF EXISTS cost_total; PRAGMA user_version = 4;"
#define TO_SCHEMA_3 TO_SCHEMA_4 "DROP TRIGGER IF EXISTS log_month_step; DROP TRIGGER IF EXISTS log_month_set;" \
	" DROP TRIGGER IF EXISTS log_undone; DROP TABLE IF EXISTS undone;" \
	" DROP TABLE IF EXISTS reach_delta; PRAGMA user_version = 3;"
#define TO_SCHEMA_2 TO_SCHEMA_3 "DROP TRIGGER IF EXISTS log_total_delta; DROP TRIGGER IF EXISTS log_total_set;" \
	" DROP TABLE reach_total; PRAGMA user_version = 2;"
#define TO_SCHEMA_1 TO_SCHEMA_2 \
	"DROP TRIGGER IF EXISTS log_stats_count; DROP TRIGGER IF EXISTS log_reach_delta;" \
	" DROP TRIGGER IF EXISTS log_reach_set; DROP TRIGGER IF EXISTS log_latest;" \
	" DROP TRIGGER IF EXISTS log_reach_value; DROP TABLE log_stats; DROP TABLE reach_month;" \
	" DROP TABLE reach_value; DROP TABLE latest; PRAGMA user_version = 1;"

TestSuite(store, .init = scratch_setup, .fini = scratch_teardown);

/* ---- opening --------------------------------------------------------- */

Test(store, create_open_reopen)
{
	struct store *s = create_log();
	cr_assert_str_eq(store_path(s), dbpath);
	store_close(s);

	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	store_close(s);
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
	add(s, "2016-02-01", "LITC", "T1.1", "status", "in_progress");
	store_close(s);

	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
	sqlite3_finalize(st);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM log", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

Test(store, create_refuses_existing)
{
	struct store *s = create_log();
	add(s, "2016-02-01", "LITC", "T1.1", "status", "done");
	store_close(s);
	uint64_t before = file_hash(dbpath);

	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_CREATE, &s, &e), -1);
	cr_assert_null(s);
	cr_assert_eq(e.code, EXIT_IOERR);
	char want[400];
	snprintf(want, sizeof want, "%s already exists; refusing to overwrite", dbpath);
	cr_assert_str_eq(e.msg, want);
	cr_assert_eq(file_hash(dbpath), before);

	/* Any existing file, even one that is not a log. */
	char other[320];
	snprintf(other, sizeof other, "%s/notes.txt", dir);
	write_file(other, "keep me");
	cr_assert_eq(store_open(other, STORE_CREATE, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_IOERR);
	FILE *f = fopen(other, "r");
	char buf[32] = {0};
	cr_assert_not_null(fgets(buf, sizeof buf, f));
	fclose(f);
	cr_assert_str_eq(buf, "keep me");
}

Test(store, missing_file)
{
	struct store *s = NULL;
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_NOINPUT);
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_NOINPUT);
	cr_assert_eq(access(dbpath, F_OK), -1, "a refused open must not create the file");
	char deep[400];
	snprintf(deep, sizeof deep, "%s/no/such/dir/log.db", dir);
	cr_assert_eq(store_open(deep, STORE_CREATE, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_NOINPUT);
}

Test(store, not_sqlite)
{
	write_file(dbpath, "this is a text file, long enough to hold a header\n");
	uint64_t before = file_hash(dbpath);
	struct store *s = NULL;
	struct err e = {0};
	for (int mode = STORE_READ; mode <= STORE_WRITE; mode++) {
		cr_assert_eq(store_open(dbpath, (enum store_mode)mode, &s, &e), -1);
		cr_assert_eq(e.code, EXIT_DATAERR);
		char want[400];
		snprintf(want, sizeof want, "%s is not a consort log (not an SQLite database)", dbpath);
		cr_assert_str_eq(e.msg, want);
	}
	cr_assert_eq(file_hash(dbpath), before);

	/* An empty file is not a log either, and stays empty. */
	write_file(dbpath, "");
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_DATAERR);
	struct stat st;
	cr_assert_eq(stat(dbpath, &st), 0);
	cr_assert_eq(st.st_size, 0);
}

Test(store, foreign_schema)
{
	sql_exec(dbpath, "CREATE TABLE other(x); INSERT INTO other VALUES (1);");
	uint64_t before = file_hash(dbpath);
	struct store *s = NULL;
	struct err e = {0};
	char want[400];
	snprintf(want, sizeof want, "%s is not a consort log", dbpath);
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_DATAERR);
	cr_assert_str_eq(e.msg, want);
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_DATAERR);
	cr_assert_eq(file_hash(dbpath), before);

	/* A table called log with other columns, even with our version. */
	char other[320];
	snprintf(other, sizeof other, "%s/log.db", dir);
	sql_exec(other, "CREATE TABLE log(id INTEGER, what TEXT); PRAGMA user_version = 1;");
	before = file_hash(other);
	cr_assert_eq(store_open(other, STORE_WRITE, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_DATAERR);
	cr_assert(strstr(e.msg, "is not a consort log"), "%s", e.msg);
	cr_assert_eq(file_hash(other), before);
}

Test(store, newer_schema_untouched)
{
	struct store *s = create_log();
	add(s, "2016-02-01", "LITC", "T1.1", "status", "done");
	store_close(s);
	char sql[100];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA journal_mode = DELETE;",
	         STORE_SCHEMA_VERSION + 1);
	sql_exec(dbpath, sql);
	uint64_t before = file_hash(dbpath);

	struct err e = {0};
	char want[500];
	snprintf(want, sizeof want,
	         "%s was written by a newer consort (schema %d, this one reads up to %d); not touched",
	         dbpath, STORE_SCHEMA_VERSION + 1, STORE_SCHEMA_VERSION);
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_DATAERR);
	cr_assert_str_eq(e.msg, want);
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_DATAERR);
	cr_assert_eq(file_hash(dbpath), before);

	/* Still in rollback-journal mode: nobody switched it to WAL. */
	char wal[320];
	snprintf(wal, sizeof wal, "%s-wal", dbpath);
	cr_assert_eq(access(wal, F_OK), -1);
}

/* sql through a connection that leaves its pages in the -wal when it
 * closes (as a writer stopped before its close's checkpoint would). */
static void sql_exec_wal(const char *path, const char *sql)
{
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	cr_assert_eq(rc, SQLITE_OK, "%s: %s", sql, msg ? msg : "");
	sqlite3_close(db);
}

/* The log and its -wal, byte for byte. */
static uint64_t log_and_wal_hash(void)
{
	char wal[320];
	snprintf(wal, sizeof wal, "%s-wal", dbpath);
	return file_hash(dbpath) * 31 + file_hash(wal);
}

/* STORE_CHECK opens a current WAL log for writing in one connection; the
 * others it opens read only, changing nothing, and STORE_WRITE refuses a
 * newer one on that same connection without touching it either. */
Test(store, check_opens_current_wal_log_writable)
{
	struct store *s = create_log();
	add(s, "2016-02-01", "LITC", "T1.1", "status", "done");
	store_close(s);
	sql_exec_wal(dbpath, "INSERT OR REPLACE INTO meta (key, value) VALUES ('t', 'pending')");
	uint64_t before = log_and_wal_hash();
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_CHECK, &s, &e), 0, "%s", e.msg);
	cr_assert(store_writable(s));
	store_close(s);
	cr_assert_eq(log_and_wal_hash(), before, "opened and closed without a write: untouched");
	cr_assert_eq(store_open(dbpath, STORE_CHECK, &s, &e), 0, "%s", e.msg);
	add(s, "2016-02-02", "LITC", "T1.1", "status", "blocked");
	store_close(s);
	cr_assert_neq(log_and_wal_hash(), before);
	char *v = NULL;
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	cr_assert_eq(store_meta_get(s, "t", &v, &e), 0);
	cr_assert_str_eq(v, "pending");
	free(v);
	store_close(s);
}

Test(store, check_opens_older_log_read_only)
{
	struct store *s = create_log();
	add(s, "2016-02-01", "LITC", "T1.1", "status", "done");
	store_close(s);
	sql_exec_wal(dbpath, TO_SCHEMA_8);
	uint64_t before = log_and_wal_hash();
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_CHECK, &s, &e), 0, "%s", e.msg);
	cr_assert_not(store_writable(s), "an older schema is checked read only, not migrated first");
	store_close(s);
	cr_assert_eq(log_and_wal_hash(), before);
	/* STORE_WRITE migrates it. */
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
	cr_assert(store_writable(s));
	store_close(s);
	cr_assert_neq(log_and_wal_hash(), before);
}

Test(store, newer_wal_log_untouched)
{
	struct store *s = create_log();
	add(s, "2016-02-01", "LITC", "T1.1", "status", "done");
	store_close(s);
	char sql[100];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d;", STORE_SCHEMA_VERSION + 1);
	sql_exec_wal(dbpath, sql);
	uint64_t before = log_and_wal_hash();
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_DATAERR, "%s", e.msg);
	cr_assert(strstr(e.msg, "newer consort"), "%s", e.msg);
	cr_assert_eq(store_open(dbpath, STORE_CHECK, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_DATAERR, "%s", e.msg);
	cr_assert_eq(log_and_wal_hash(), before);
}

Test(store, append_only_triggers)
{
	struct store *s = create_log();
	add(s, "2016-02-01", "LITC", "T1.1", "status", "done");
	store_close(s);

	sqlite3 *db;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	char *msg = NULL;
	int rc = sqlite3_exec(db, "UPDATE log SET value = 'planned'", NULL, NULL, &msg);
	cr_assert_eq(rc, SQLITE_CONSTRAINT);
	cr_assert_str_eq(msg, "the log is append-only");
	sqlite3_free(msg);
	msg = NULL;
	rc = sqlite3_exec(db, "DELETE FROM log", NULL, NULL, &msg);
	cr_assert_eq(rc, SQLITE_CONSTRAINT);
	cr_assert_str_eq(msg, "the log is append-only");
	sqlite3_free(msg);
	/* The kind is checked too. */
	rc = sqlite3_exec(db, "INSERT INTO log (recorded_at, effective, login, uid, kind, value)"
	                      " VALUES (0, '2016-01-01', 'x', 0, 'bogus', 'v')", NULL, NULL, NULL);
	cr_assert_eq(rc, SQLITE_CONSTRAINT);
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT value FROM log", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "done");
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

Test(store, read_only_refuses_append)
{
	struct store *s = create_log();
	store_close(s);
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	struct new_entry n = { .effective = D("2016-02-01"), .login = "janis", .uid = 1,
	                       .item = "T1.1", .kind = "status", .value = "done" };
	cr_assert_eq(store_append(s, &n, 1, NULL, &e), -1);
	cr_assert_eq(e.code, EXIT_NOPERM);
	cr_assert_eq(store_meta_set(s, "k", "v", &e), -1);
	cr_assert_eq(e.code, EXIT_NOPERM);
	int64_t count = -1;
	cr_assert_eq(store_summary(s, &count, NULL, &e), 0);
	cr_assert_eq(count, 0);
	store_close(s);
}

Test(store, read_only_directory)
{
	if (geteuid() == 0)
		skip_test("root ignores file permissions");
	struct store *s = create_log();
	add(s, "2016-02-01", "LITC", "T1.1", "status", "done");
	store_close(s);
	cr_assert_eq(chmod(dbpath, 0444), 0);
	cr_assert_eq(chmod(dir, 0555), 0);
	struct err e = {0};
	int r = store_open(dbpath, STORE_READ, &s, &e);
	int64_t count = -1;
	if (r == 0) {
		cr_expect_eq(store_summary(s, &count, NULL, &e), 0, "%s", e.msg);
		store_close(s);
	}
	int w = store_open(dbpath, STORE_WRITE, &s, &e);
	int wcode = e.code;
	chmod(dir, 0755);
	chmod(dbpath, 0644);
	cr_assert_eq(r, 0, "read in a read-only directory: %s", e.msg);
	cr_assert_eq(count, 1);
	cr_assert_eq(w, -1);
	cr_assert_eq(wcode, EXIT_NOPERM);
}

Test(store, unreadable_file)
{
	if (geteuid() == 0)
		skip_test("root ignores file permissions");
	struct store *s = create_log();
	store_close(s);
	cr_assert_eq(chmod(dbpath, 0), 0);
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_NOPERM, "%s", e.msg);
	cr_assert_eq(chmod(dbpath, 0444), 0);
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), -1);
	cr_assert_eq(e.code, EXIT_NOPERM, "%s", e.msg);
	chmod(dbpath, 0644);
}

/* ---- appending and entries ------------------------------------------- */

Test(store, append_many_in_one_transaction)
{
	struct store *s = create_log();
	struct new_entry v[3] = {
		{ .effective = D("2016-02-01"), .login = "janis", .uid = 1, .partner = "LITC",
		  .item = "T1.1", .kind = "status", .value = "in_progress", .note = "started" },
		{ .effective = D("2016-02-01"), .login = "janis", .uid = 1, .partner = "LITC",
		  .item = "T1.1", .kind = "progress", .value = "10" },
		{ .effective = D("2016-02-01"), .login = "janis", .uid = 1, .partner = "LITC",
		  .item = "T1.1", .kind = "nonsense", .value = "x" },
	};
	struct err e = {0};
	int64_t first = 0;
	/* The third row breaks the kind CHECK: nothing is written. */
	cr_assert_eq(store_append(s, v, 3, &first, &e), -1);
	int64_t count = -1;
	cr_assert_eq(store_summary(s, &count, NULL, &e), 0);
	cr_assert_eq(count, 0);

	int64_t t0 = date_now_ms();
	cr_assert_eq(store_append(s, v, 2, &first, &e), 0, "%s", e.msg);
	cr_assert_gt(first, 0);
	int64_t last = 0;
	cr_assert_eq(store_summary(s, &count, &last, &e), 0);
	cr_assert_eq(count, 2);
	cr_assert_geq(last, t0);

	struct entry en;
	cr_assert_eq(store_entry(s, first, &en, &e), 0, "%s", e.msg);
	cr_assert_str_eq(en.kind, "status");
	cr_assert_str_eq(en.value, "in_progress");
	cr_assert_str_eq(en.note, "started");
	cr_assert_str_eq(en.effective, "2016-02-01");
	cr_assert_str_eq(en.login, "janis");
	cr_assert_eq(en.uid, 1);
	cr_assert_geq(en.recorded_at, t0);
	entry_clear(&en);
	cr_assert_eq(store_entry(s, first + 1, &en, &e), 0);
	cr_assert_null(en.note);
	cr_assert_str_eq(en.kind, "progress");
	entry_clear(&en);
	cr_assert_eq(store_entry(s, 999, &en, &e), -1);
	cr_assert_eq(e.code, EXIT_DATAERR);
	cr_assert_str_eq(e.msg, "no entry 999");
	store_close(s);
}

Test(store, entries_filters_and_order)
{
	struct store *s = create_log();
	int64_t a = add(s, "2016-03-01", "LITC", "T1.1", "status", "in_progress");
	struct new_entry n = { .effective = D("2016-02-01"), .login = "anna", .uid = 2,
	                       .partner = "NETPORT", .item = "sme", .kind = "reach", .value = "+5" };
	struct err e = {0};
	int64_t b;
	cr_assert_eq(store_append(s, &n, 1, &b, &e), 0);
	int64_t c = add(s, "2016-04-01", "LITC", "T1.1", "progress", "50");
	int64_t r = add_revert(s, "2016-04-02", a);

	struct entry *v;
	size_t cnt;
	struct entry_filter all = { .since = CDATE_NONE, .until = CDATE_NONE };
	cr_assert_eq(store_entries(s, &all, &v, &cnt, &e), 0, "%s", e.msg);
	cr_assert_eq(cnt, 4);
	cr_assert_eq(v[0].id, r);
	cr_assert_eq(v[1].id, c);
	cr_assert_eq(v[2].id, b);
	cr_assert_eq(v[3].id, a);
	cr_assert_eq(v[3].reverted_by, r);
	cr_assert_eq(v[2].reverted_by, 0);
	entries_free(v, cnt);

	struct entry_filter f = { .item = "T1.1", .since = CDATE_NONE, .until = CDATE_NONE };
	cr_assert_eq(store_entries(s, &f, &v, &cnt, &e), 0);
	cr_assert_eq(cnt, 2);
	cr_assert_eq(v[0].id, c);
	cr_assert_eq(v[1].id, a);
	entries_free(v, cnt);

	struct entry_filter by = { .by = "anna", .since = CDATE_NONE, .until = CDATE_NONE };
	cr_assert_eq(store_entries(s, &by, &v, &cnt, &e), 0);
	cr_assert_eq(cnt, 1);
	cr_assert_eq(v[0].id, b);
	cr_assert_str_eq(v[0].partner, "NETPORT");
	entries_free(v, cnt);

	struct entry_filter part = { .partner = "LITC", .since = CDATE_NONE, .until = CDATE_NONE };
	cr_assert_eq(store_entries(s, &part, &v, &cnt, &e), 0);
	cr_assert_eq(cnt, 2);
	entries_free(v, cnt);

	struct entry_filter range = { .since = D("2016-03-01"), .until = D("2016-04-01") };
	cr_assert_eq(store_entries(s, &range, &v, &cnt, &e), 0);
	cr_assert_eq(cnt, 2);
	cr_assert_eq(v[0].id, c);
	cr_assert_eq(v[1].id, a);
	entries_free(v, cnt);

	struct entry_filter lim = { .since = CDATE_NONE, .until = CDATE_NONE, .limit = 1 };
	cr_assert_eq(store_entries(s, &lim, &v, &cnt, &e), 0);
	cr_assert_eq(cnt, 1);
	cr_assert_eq(v[0].id, r);
	entries_free(v, cnt);

	/* Hostile filter text is just a value. */
	struct entry_filter evil = { .item = "x' OR '1'='1", .since = CDATE_NONE, .until = CDATE_NONE };
	cr_assert_eq(store_entries(s, &evil, &v, &cnt, &e), 0);
	cr_assert_eq(cnt, 0);
	entries_free(v, cnt);
	store_close(s);
}

/* ---- facts ----------------------------------------------------------- */

static struct facts facts_at(struct store *s, const struct project *p, const char *asof)
{
	struct facts f;
	struct err e = {0};
	cr_assert_eq(store_facts(s, p, D(asof), &f, &e), 0, "facts: %s", e.msg);
	return f;
}

static struct facts facts_no_months(struct store *s, const struct project *p, const char *asof)
{
	struct facts f;
	struct err e = {0};
	cr_assert_eq(store_facts_opts(s, p, D(asof), STORE_FACTS_NO_MONTHS, &f, &e), 0,
	             "facts: %s", e.msg);
	return f;
}

Test(store, empty_facts)
{
	struct project p = make_project();
	struct facts f;
	facts_init_empty(&f, &p, D("2016-03-15"));
	cr_assert_eq(f.tasks[1].has_status, 0);
	cr_assert_eq(f.deliverables[0].done_date, CDATE_NONE);
	cr_assert_eq(f.targets[0].by_month[2], 0);
	cr_assert_eq(f.targets[0].by_month[3], -1);
	cr_assert_eq(f.label[1], -1);
	cr_assert_eq(f.bench_has[3], 0);
	cr_assert_eq(f.ntargets, 2);
	facts_free(&f);
	cr_assert_null(f.tasks);

	struct store *s = create_log();
	f = facts_at(s, &p, "2016-03-15");
	cr_assert_eq(f.entries, 0);
	cr_assert_eq(f.last_recorded_ms, 0);
	cr_assert_eq(f.tasks[0].has_status, 0);
	cr_assert_eq(f.tasks[0].has_progress, 0);
	facts_free(&f);
	store_close(s);
}

Test(store, status_as_of)
{
	struct project p = make_project();
	struct store *s = create_log();
	add(s, "2016-03-01", "LITC", "T1.1", "status", "in_progress");
	add(s, "2016-02-01", "LITC", "T1.1", "status", "blocked");  /* later id, earlier date */
	add(s, "2016-03-01", "LITC", "T1.1", "status", "done");     /* same date, later id wins */
	add(s, "2016-06-01", "LITC", "T1.1", "status", "planned");
	add(s, "2016-02-10", "LITC", "T1.1", "progress", "30");
	add(s, "2016-02-20", "LITC", "T1.1", "progress", "60");
	add(s, "2016-02-05", "LITC", "T1.1", "progress", "90");
	add(s, "2016-02-05", "LLA", "NOPE", "status", "done");      /* not in the definition */

	struct facts f = facts_at(s, &p, "2016-01-15");
	cr_assert_eq(f.tasks[0].has_status, 0);
	cr_assert_eq(f.tasks[0].has_progress, 0);
	cr_assert_eq(f.entries, 8);
	facts_free(&f);

	f = facts_at(s, &p, "2016-02-15");
	cr_assert_eq(f.tasks[0].has_status, 1);
	cr_assert_str_eq(f.tasks[0].status, "blocked");
	cr_assert_eq(f.tasks[0].status_date, D("2016-02-01"));
	cr_assert_eq(f.tasks[0].progress, 30);
	cr_assert_eq(f.tasks[0].progress_date, D("2016-02-10"));
	cr_assert_eq(f.tasks[1].has_status, 0);
	facts_free(&f);

	f = facts_at(s, &p, "2016-03-01");  /* the end of that day counts */
	cr_assert_str_eq(f.tasks[0].status, "done");
	cr_assert_eq(f.tasks[0].status_date, D("2016-03-01"));
	cr_assert_eq(f.tasks[0].progress, 60);
	cr_assert_eq(f.tasks[0].done_date, CDATE_NONE);
	facts_free(&f);

	f = facts_at(s, &p, "2017-01-01");
	cr_assert_str_eq(f.tasks[0].status, "planned");
	facts_free(&f);
	store_close(s);
}

Test(store, reverts_as_of)
{
	struct project p = make_project();
	struct store *s = create_log();
	add(s, "2016-02-01", "LITC", "D1.1", "status", "drafting");
	int64_t bad = add(s, "2016-03-01", "LITC", "D1.1", "status", "accepted");
	add_revert(s, "2016-05-01", bad);
	int64_t pct = add(s, "2016-03-01", "LITC", "T1.1", "progress", "80");
	add(s, "2016-02-01", "LITC", "T1.1", "progress", "20");
	add_revert(s, "2016-03-01", pct);

	struct facts f = facts_at(s, &p, "2016-04-30");
	cr_assert_str_eq(f.deliverables[0].status, "accepted", "the revert is not yet in effect");
	cr_assert_eq(f.deliverables[0].done_date, D("2016-03-01"));
	cr_assert_eq(f.tasks[0].progress, 20, "reverted on the same day it took effect");
	facts_free(&f);

	f = facts_at(s, &p, "2016-05-01");
	cr_assert_str_eq(f.deliverables[0].status, "drafting");
	cr_assert_eq(f.deliverables[0].done_date, CDATE_NONE);
	facts_free(&f);
	store_close(s);
}

Test(store, done_dates)
{
	struct project p = make_project();
	struct store *s = create_log();
	add(s, "2016-02-01", "LLA", "D4.1", "status", "drafting");
	add(s, "2016-03-01", "LLA", "D4.1", "status", "submitted");
	add(s, "2016-04-01", "LLA", "D4.1", "status", "accepted");
	add(s, "2016-05-01", "LLA", "D4.1", "status", "rejected");
	add(s, "2016-06-01", "LLA", "D4.1", "status", "submitted");
	add(s, "2016-06-20", "LLA", "D4.1", "status", "accepted");
	add(s, "2016-05-10", "LLA", "MS1", "status", "reached");
	add(s, "2016-05-20", "LLA", "MS1", "status", "reached");

	struct facts f = facts_at(s, &p, "2016-04-15");
	cr_assert_str_eq(f.deliverables[1].status, "accepted");
	cr_assert_eq(f.deliverables[1].done_date, D("2016-03-01"));
	cr_assert_eq(f.milestones[0].has_status, 0);
	cr_assert_eq(f.milestones[0].done_date, CDATE_NONE);
	facts_free(&f);

	f = facts_at(s, &p, "2016-05-15");
	cr_assert_str_eq(f.deliverables[1].status, "rejected");
	cr_assert_eq(f.deliverables[1].done_date, CDATE_NONE);
	cr_assert_eq(f.milestones[0].done_date, D("2016-05-10"));
	facts_free(&f);

	f = facts_at(s, &p, "2016-12-31");
	cr_assert_eq(f.deliverables[1].done_date, D("2016-06-01"));
	cr_assert_eq(f.milestones[0].done_date, D("2016-05-10"));
	cr_assert_eq(f.milestones[0].status_date, D("2016-05-20"));
	facts_free(&f);
	store_close(s);
}

Test(store, reach_counts)
{
	struct project p = make_project();
	struct store *s = create_log();
	add(s, "2015-12-01", "LITC", "sme", "reach", "+2");     /* before month 1: counts in M1 */
	add(s, "2016-01-10", "LITC", "sme", "reach", "+10");
	add(s, "2016-02-10", "NETPORT", "sme", "reach", "+7");
	add(s, "2016-03-10", "LITC", "sme", "reach", "+5");
	add(s, "2016-04-10", "LITC", "sme", "reach", "=40");
	add(s, "2016-05-10", "LITC", "sme", "reach", "-3");
	int64_t wrong = add(s, "2016-05-11", "NETPORT", "sme", "reach", "+100");
	add_revert(s, "2016-05-12", wrong);
	add(s, "2016-05-13", "GHOST", "sme", "reach", "+50");   /* not a partner */
	add(s, "2016-04-01", "LLA", "other", "reach", "+9");    /* not a target */
	add(s, "2016-09-01", "NETPORT", "sme", "reach", "+1");  /* after asof */

	struct facts f = facts_at(s, &p, "2016-05-31");
	struct reach_fact *r = &f.targets[0];
	cr_assert_eq(r->by_partner[0], 37);
	cr_assert_eq(r->by_partner[1], 7);
	cr_assert_eq(r->by_partner[2], 0);
	cr_assert_eq(r->total, 44);
	long want[] = { 12, 19, 24, 47, 44 };
	for (int m = 0; m < 5; m++)
		cr_assert_eq(r->by_month[m], want[m], "M%d: %ld, want %ld", m + 1, r->by_month[m], want[m]);
	for (int m = 5; m < p.nmonths; m++)
		cr_assert_eq(r->by_month[m], -1, "M%d after asof", m + 1);
	facts_free(&f);

	/* Before the correction took effect, the wrong +100 counted. */
	f = facts_at(s, &p, "2016-05-11");
	cr_assert_eq(f.targets[0].by_partner[1], 107);
	facts_free(&f);

	/* "=" then later increments, as of after the end of the project:
	 * entries after the end count in the last month. */
	add(s, "2017-12-01", "LLA", "sme", "reach", "=3");
	add(s, "2017-12-02", "LLA", "sme", "reach", "+1");
	f = facts_at(s, &p, "2018-01-01");
	cr_assert_eq(f.targets[0].by_partner[2], 4);
	cr_assert_eq(f.targets[0].total, 37 + 8 + 4);
	cr_assert_eq(f.targets[0].by_month[20], 37 + 8 + 4);
	cr_assert_eq(f.targets[0].by_month[8], 37 + 8);
	facts_free(&f);
	store_close(s);
}

Test(store, reach_distinct)
{
	struct project p = make_project();
	struct store *s = create_log();
	add(s, "2016-01-05", "LITC", "member-states", "reach", "LT");
	add(s, "2016-02-05", "LITC", "member-states", "reach", "DE");
	add(s, "2016-03-05", "NETPORT", "member-states", "reach", "LT");
	add(s, "2016-03-06", "NETPORT", "member-states", "reach", "SE");
	add(s, "2016-03-07", "GHOST", "member-states", "reach", "FR");
	int64_t no = add(s, "2016-03-08", "NETPORT", "member-states", "reach", "PL");
	add_revert(s, "2016-03-09", no);

	struct facts f = facts_at(s, &p, "2016-04-30");
	struct reach_fact *r = &f.targets[1];
	cr_assert_eq(r->total, 3);
	cr_assert_eq(r->nvalues, 3);
	cr_assert_str_eq(r->values[0], "DE");
	cr_assert_str_eq(r->values[1], "LT");
	cr_assert_str_eq(r->values[2], "SE");
	cr_assert_eq(r->by_partner[0], 2);
	cr_assert_eq(r->by_partner[1], 2);
	cr_assert_eq(r->by_partner[2], 0);
	cr_assert_eq(r->by_month[0], 1);
	cr_assert_eq(r->by_month[1], 2);
	cr_assert_eq(r->by_month[2], 3);
	cr_assert_eq(r->by_month[3], 3);
	cr_assert_eq(r->by_month[4], -1);
	facts_free(&f);

	f = facts_at(s, &p, "2016-01-31");
	cr_assert_eq(f.targets[1].total, 1);
	cr_assert_str_eq(f.targets[1].values[0], "LT");
	facts_free(&f);
	store_close(s);
}

Test(store, bench_and_labels)
{
	struct project p = make_project();
	struct store *s = create_log();
	add(s, "2016-02-01", "LITC", "G1", "bench", "2");
	add(s, "2016-03-01", "LITC", "G1", "bench", "4.5");
	add(s, "2016-03-01", "NETPORT", "G2", "bench", "3");
	add(s, "2016-03-02", "NETPORT", "G2", "bench", "not a number");
	add(s, "2016-02-01", "LITC", NULL, "label", "bronze");
	add(s, "2016-04-01", "LITC", NULL, "label", "silver");
	add(s, "2016-05-01", "LITC", NULL, "label", "platinum");  /* not a label */

	struct facts f = facts_at(s, &p, "2016-02-15");
	cr_assert_eq(f.bench_has[0], 1);
	cr_assert_float_eq(f.bench[0], 2.0, 1e-9);
	cr_assert_eq(f.bench_has[1], 0);
	cr_assert_eq(f.bench_has[3], 0);
	cr_assert_eq(f.label[0], 0);
	cr_assert_eq(f.label_date[0], D("2016-02-01"));
	cr_assert_eq(f.label[1], -1);
	facts_free(&f);

	f = facts_at(s, &p, "2016-12-31");
	cr_assert_float_eq(f.bench[0], 4.5, 1e-9);
	cr_assert_eq(f.bench_has[1 * 2 + 1], 1);
	cr_assert_float_eq(f.bench[1 * 2 + 1], 3.0, 1e-9);
	cr_assert_eq(f.label[0], 1);
	cr_assert_eq(f.label_date[0], D("2016-04-01"));
	facts_free(&f);
	store_close(s);
}

/* A benchmark value reads as strtod reads it, whatever its form, and a
 * progress as a whole percent from 0 to 100. */
Test(store, bench_values_read_as_strtod)
{
	static const char *const forms[] = {
		"0.1", "-2.75", "007", "-0", "5.", ".5", "1e3", " 4", "+3", "0x10",
		"123456789012345", "1234567890123456", "0.000000000000001", "2.50000000000000001",
		"9007199254740993", "1.", "-", "", "nan", "inf", "1,5",
	};
	struct project p = make_project();
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		struct store *s = create_log();
		add(s, "2016-02-01", "LITC", "G1", "bench", forms[i]);
		struct facts f = facts_at(s, &p, "2016-02-15");
		char *end;
		double want = strtod(forms[i], &end);
		int ok = *forms[i] && !*end && isfinite(want);
		cr_assert_eq(f.bench_has[0], ok, "\"%s\" read: %d", forms[i], f.bench_has[0]);
		if (ok)
			cr_assert(memcmp(&f.bench[0], &want, sizeof want) == 0, "\"%s\" read as %.17g, not %.17g",
			          forms[i], f.bench[0], want);
		facts_free(&f);
		store_close(s);
		log_remove();
	}
}

/* ---- meta and data_version ------------------------------------------- */

Test(store, meta)
{
	struct store *s = create_log();
	struct err e = {0};
	char *v = (char *)1;
	cr_assert_eq(store_meta_get(s, "demo", &v, &e), 0);
	cr_assert_null(v);
	cr_assert_eq(store_meta_set(s, "demo", "1", &e), 0, "%s", e.msg);
	cr_assert_eq(store_meta_set(s, "demo_login", "janis", &e), 0);
	cr_assert_eq(store_meta_set(s, "demo", "2", &e), 0);
	store_close(s);
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0);
	cr_assert_eq(store_meta_get(s, "demo", &v, &e), 0);
	cr_assert_str_eq(v, "2");
	free(v);
	cr_assert_eq(store_meta_get(s, "demo_login", &v, &e), 0);
	cr_assert_str_eq(v, "janis");
	free(v);
	int64_t count = -1;
	cr_assert_eq(store_summary(s, &count, NULL, &e), 0);
	cr_assert_eq(count, 0, "meta is not part of the history");
	store_close(s);
}

Test(store, data_version_changes)
{
	struct store *a = create_log();
	struct store *b = NULL;
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &b, &e), 0, "%s", e.msg);
	int64_t v1, v2, v3, v4;
	cr_assert_eq(store_data_version(a, &v1, &e), 0);
	cr_assert_eq(store_data_version(a, &v2, &e), 0);
	cr_assert_eq(v1, v2, "nothing changed");
	add(b, "2016-02-01", "LITC", "T1.1", "status", "done");
	cr_assert_eq(store_data_version(a, &v3, &e), 0);
	cr_assert_neq(v3, v2, "another connection committed");
	add(a, "2016-02-02", "LITC", "T1.1", "status", "blocked");
	cr_assert_eq(store_data_version(a, &v4, &e), 0);
	cr_assert_neq(v4, v3, "this connection committed");
	store_close(a);
	store_close(b);
}

/* ---- concurrent writers ---------------------------------------------- */

#define WRITERS 8
#define PER_WRITER 200

static int writer(int go_fd, int w)
{
	char c;
	if (read(go_fd, &c, 1) < 0)  /* wait for the start (EOF) */
		return 3;
	struct store *s = NULL;
	struct err e = {0};
	if (store_open(dbpath, STORE_WRITE, &s, &e) < 0) {
		fprintf(stderr, "writer %d: %s\n", w, e.msg);
		return 1;
	}
	for (int i = 0; i < PER_WRITER; i++) {
		char val[32], login[32];
		snprintf(val, sizeof val, "w%d-%d", w, i);
		snprintf(login, sizeof login, "writer%d", w);
		struct new_entry n = { .effective = date_from_ymd(2016, 2, 1), .login = login, .uid = w,
		                       .partner = "LITC", .item = "member-states", .kind = "reach",
		                       .value = val };
		if (store_append(s, &n, 1, NULL, &e) < 0) {
			fprintf(stderr, "writer %d: %s\n", w, e.msg);
			store_close(s);
			return 2;
		}
	}
	store_close(s);
	return 0;
}

Test(store, concurrent_writers, .timeout = 120)
{
	struct store *s = create_log();
	store_close(s);
	int go[2];
	cr_assert_eq(pipe(go), 0);
	pid_t pids[WRITERS];
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		cr_assert_neq(pids[w], -1);
		if (pids[w] == 0) {
			close(go[1]);
			_exit(writer(go[0], w));
		}
	}
	close(go[0]);
	close(go[1]);  /* everyone starts at once */
	for (int w = 0; w < WRITERS; w++) {
		int status;
		cr_assert_eq(waitpid(pids[w], &status, 0), pids[w]);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %d failed", w);
	}

	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT COUNT(*), COUNT(DISTINCT value), COUNT(DISTINCT id)"
	                                    " FROM log", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(st, 0), WRITERS * PER_WRITER);
	cr_assert_eq(sqlite3_column_int(st, 1), WRITERS * PER_WRITER, "no duplicates");
	cr_assert_eq(sqlite3_column_int(st, 2), WRITERS * PER_WRITER);
	sqlite3_finalize(st);
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* A writer that holds the lock past the timeout: the next one gives up
 * with 69 and a clear message, not "database is locked". */
Test(store, busy_past_timeout, .timeout = 60)
{
	struct store *s = create_log();
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	struct new_entry n = { .effective = D("2016-02-01"), .login = "janis", .uid = 1,
	                       .item = "T1.1", .kind = "status", .value = "done" };
	struct err e = {0};
	int64_t t0 = date_now_ms();
	cr_assert_eq(store_append(s, &n, 1, NULL, &e), -1);
	int64_t waited = date_now_ms() - t0;
	cr_assert_eq(e.code, EXIT_UNAVAILABLE);
	cr_assert_str_eq(e.msg, "the log is busy (another process holds it); try again");
	cr_assert_geq(waited, STORE_BUSY_TIMEOUT_MS - 100);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	cr_assert_eq(store_append(s, &n, 1, NULL, &e), 0, "%s", e.msg);
	store_close(s);
}

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A writer waiting for the lock gets it soon after it is released, not
 * at the end of a coarse sleep (SQLite's own handler sleeps up to 100 ms
 * at a time: released after 240 ms, it would take the lock at 328 ms). */
Test(store, busy_wait_is_short, .timeout = 60)
{
	struct store *s = create_log();
	int ready[2], done[2];
	cr_assert_eq(pipe(ready), 0);
	cr_assert_eq(pipe(done), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		sqlite3 *db;
		char c = 1;
		if (sqlite3_open(dbpath, &db) != SQLITE_OK ||
		    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			_exit(1);
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		usleep(240000);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		int64_t released = mono_us();
		if (write(done[1], &released, sizeof released) != (ssize_t)sizeof released)
			_exit(1);
		sqlite3_close(db);
		_exit(0);
	}
	char c;
	cr_assert_eq(read(ready[0], &c, 1), 1);
	struct new_entry n = { .effective = D("2016-02-01"), .login = "janis", .uid = 1,
	                       .item = "T1.1", .kind = "status", .value = "done" };
	struct err e = {0};
	int64_t start = mono_us();
	cr_assert_eq(store_append(s, &n, 1, NULL, &e), 0, "%s", e.msg);
	int64_t got = mono_us(), released = 0;
	cr_assert_eq(read(done[0], &released, sizeof released), (ssize_t)sizeof released);
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	cr_assert_geq(got - start, 200000, "the append cannot finish while the lock is held");
	cr_assert_lt(got - released, 40000, "took the lock %lld us after it was released",
	             (long long)(got - released));
	close(ready[0]);
	close(ready[1]);
	close(done[0]);
	close(done[1]);
	store_close(s);
}

/* An undone "+N" counts only where it counted: not before an "=N" of the
 * same day that came after it. */
Test(store, reach_revert_around_a_set)
{
	struct project p = make_project();
	struct store *s = create_log();
	int64_t before = add(s, "2016-03-10", "LITC", "sme", "reach", "+5");
	add(s, "2016-03-10", "LITC", "sme", "reach", "=10");
	int64_t after = add(s, "2016-03-10", "LITC", "sme", "reach", "+3");
	add(s, "2016-03-20", "LITC", "sme", "reach", "+1");
	add_revert(s, "2016-04-02", before);
	struct facts f = facts_at(s, &p, "2016-04-30");
	cr_assert_eq(f.targets[0].by_partner[0], 14);
	cr_assert_eq(f.targets[0].by_month[2], 14);
	facts_free(&f);
	add_revert(s, "2016-04-03", after);
	f = facts_at(s, &p, "2016-04-30");
	cr_assert_eq(f.targets[0].by_partner[0], 11);
	cr_assert_eq(f.targets[0].by_month[2], 14, "March as it stood before the reverts");
	cr_assert_eq(f.targets[0].by_month[3], 11, "April, after them");
	cr_assert_eq(f.targets[0].total, 11);
	facts_free(&f);
	f = facts_at(s, &p, "2016-04-02");
	cr_assert_eq(f.targets[0].by_partner[0], 14);
	facts_free(&f);
	store_close(s);
}

/* Where a run of done statuses began, kept by the summaries as entries
 * arrive in order, backdated, and reverted; and after a migration. */
static void check_runs(struct store *s, const struct project *p, const char *what)
{
	struct facts f = facts_at(s, p, "2016-06-30");
	cr_assert_eq(f.deliverables[0].done_date, D("2016-02-01"), "%s: D1.1 after the revert", what);
	cr_assert_str_eq(f.deliverables[0].status, "accepted");
	cr_assert_eq(f.deliverables[1].done_date, D("2016-06-01"), "%s: D4.1 run cut", what);
	cr_assert_eq(f.milestones[0].done_date, D("2016-04-01"), "%s: MS1", what);
	facts_free(&f);
	f = facts_at(s, p, "2016-03-10");
	cr_assert_eq(f.deliverables[0].done_date, D("2016-01-20"), "%s: D1.1 before the revert", what);
	facts_free(&f);
	f = facts_at(s, p, "2016-05-20");
	cr_assert_eq(f.deliverables[1].done_date, CDATE_NONE, "%s: D4.1 drafting again", what);
	cr_assert_str_eq(f.deliverables[1].status, "drafting");
	facts_free(&f);
}

Test(store, done_runs_in_summaries)
{
	struct project p = make_project();
	struct store *s = create_log();
	add(s, "2016-01-05", "LITC", "D1.1", "status", "drafting");
	add(s, "2016-02-01", "LITC", "D1.1", "status", "submitted");
	add(s, "2016-03-01", "LITC", "D1.1", "status", "accepted");
	int64_t early = add(s, "2016-01-20", "LITC", "D1.1", "status", "submitted");
	add_revert(s, "2016-03-15", early);
	add(s, "2016-01-01", "LITC", "MS1", "status", "pending");
	add(s, "2016-04-01", "LITC", "MS1", "status", "reached");
	add(s, "2016-05-01", "LITC", "MS1", "status", "reached");
	add(s, "2016-05-01", "LLA", "D4.1", "status", "submitted");
	add(s, "2016-06-01", "LLA", "D4.1", "status", "accepted");
	add(s, "2016-05-15", "LLA", "D4.1", "status", "drafting");
	check_runs(s, &p, "appended");
	store_close(s);

	sql_exec(dbpath, TO_SCHEMA_1);
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	check_runs(s, &p, "schema 1");
	store_close(s);
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
	check_runs(s, &p, "migrated");
	store_close(s);
}

/* ---- the derived tables agree with the log ---------------------------- */

static uint32_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 8) % n;
}

/* b without the months: every by_month is -1, all else as in a. */
static int no_months;

static void facts_assert_same(const struct project *p, const struct facts *a,
                              const struct facts *b, const char *asof, const char *what)
{
	const struct item_fact *fa[] = { a->tasks, a->deliverables, a->milestones };
	const struct item_fact *fb[] = { b->tasks, b->deliverables, b->milestones };
	int n[] = { p->ntasks, p->ndeliverables, p->nmilestones };
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < n[k]; i++) {
			const struct item_fact *x = &fa[k][i], *y = &fb[k][i];
			cr_assert_eq(x->has_status, y->has_status, "%s %s: kind %d item %d", what, asof, k, i);
			cr_assert_str_eq(x->status, y->status, "%s %s: kind %d item %d", what, asof, k, i);
			cr_assert_eq(x->status_date, y->status_date, "%s %s: kind %d item %d", what, asof, k, i);
			cr_assert_eq(x->has_progress, y->has_progress, "%s %s: item %d", what, asof, i);
			cr_assert_eq(x->progress, y->progress, "%s %s: item %d", what, asof, i);
			cr_assert_eq(x->progress_date, y->progress_date, "%s %s: item %d", what, asof, i);
			cr_assert_eq(x->done_date, y->done_date, "%s %s: kind %d item %d done", what, asof, k, i);
		}
	for (int t = 0; t < p->ntargets; t++) {
		const struct reach_fact *x = &a->targets[t], *y = &b->targets[t];
		cr_assert_eq(x->total, y->total, "%s %s: target %d total %ld vs %ld", what, asof, t,
		             x->total, y->total);
		for (int i = 0; i < p->npartners; i++)
			cr_assert_eq(x->by_partner[i], y->by_partner[i], "%s %s: target %d partner %d",
			             what, asof, t, i);
		for (int m = 0; m < p->nmonths; m++)
			cr_assert_eq(no_months ? -1 : x->by_month[m], y->by_month[m],
			             "%s %s: target %d M%d", what, asof, t, m + 1);
		cr_assert_eq(x->nvalues, y->nvalues, "%s %s: target %d values", what, asof, t);
		for (int i = 0; i < x->nvalues; i++)
			cr_assert_str_eq(x->values[i], y->values[i]);
	}
	size_t nb = (size_t)p->bench.nclusters * (size_t)p->bench.nindicators;
	for (size_t i = 0; i < nb; i++) {
		cr_assert_eq(a->bench_has[i], b->bench_has[i], "%s %s: bench %zu", what, asof, i);
		cr_assert(a->bench[i] == b->bench[i], "%s %s: bench %zu", what, asof, i);
	}
	for (int c = 0; c < p->bench.nclusters; c++) {
		cr_assert_eq(a->label[c], b->label[c], "%s %s: label %d", what, asof, c);
		cr_assert_eq(a->label_date[c], b->label_date[c], "%s %s: label %d", what, asof, c);
	}
	cr_assert_eq(a->entries, b->entries, "%s: entries", what);
	cr_assert_eq(a->last_recorded_ms, b->last_recorded_ms, "%s: last recorded", what);
}

#define NASOF 7
static const char *const asofs[NASOF] = {
	"2015-12-15", "2016-03-14", "2016-06-30", "2016-11-17", "2017-04-30", "2017-09-30", "2019-01-01",
};

/* A log with every kind of entry, backdated and future ones, "=N" sets on
 * the same day as increments, odd values and reverts,
 * appended in batches. The facts from the summaries must equal those the
 * whole log gives (schema 1 reads it all), before and after migration. */
/* Appends a random log in batches to s (seeded): every kind of entry,
 * backdated and future ones, "=N" sets on the same day as increments, odd
 * values and reverts. Returns the id the next entry gets. */
static int64_t random_log(struct store *s, uint32_t seed)
{
	static const char *const items[] = { "T1.1", "T4.1", "D1.1", "D4.1", "MS1", "X9" };
	static const char *const statuses[] = {
		"planned", "in_progress", "done", "drafting", "submitted", "accepted", "rejected",
		"reached", "pending",
	};
	static const char *const partner_ids[] = { "LITC", "NETPORT", "LLA", "GHOST" };
	static const char *const distinct_values[] = { "LV", "EE", "SE", "+3", "=1", "LT" };
	static const char *const label_values[] = { "bronze", "silver", "gold", "tin" };
	rng_state = seed;
	int64_t next_id = 1;
	char vals[400][16], effs[400][11];
	static unsigned char is_rev[512], was_rev[512];
	memset(is_rev, 0, sizeof is_rev);
	memset(was_rev, 0, sizeof was_rev);
	for (int batch = 0; batch < 8; batch++) {
		struct new_entry v[50];
		size_t n = 1 + rnd(50);
		for (size_t i = 0; i < n; i++) {
			int k = (int)(batch * 50 + (int)i);
			struct new_entry *x = &v[i];
			memset(x, 0, sizeof *x);
			x->login = "janis";
			x->uid = 1000;
			/* Dates cluster in a few months so that many land on one day. */
			snprintf(effs[k], sizeof effs[k], "%04u-%02u-%02u", 2015 + rnd(4) % 3,
			         1 + rnd(12), 1 + rnd(4) * 9);
			x->effective = D(effs[k]);
			x->partner = partner_ids[rnd(4)];
			switch (rnd(9)) {
			case 0:
			case 1:
				x->kind = "status";
				x->item = items[rnd(6)];
				x->value = statuses[rnd(9)];
				break;
			case 2:
				x->kind = "progress";
				x->item = items[rnd(2)];
				snprintf(vals[k], sizeof vals[k], rnd(10) ? "%u" : "x%u", rnd(101));
				x->value = vals[k];
				break;
			case 3:
			case 4:
			case 5: {
				static const char ops[] = "++++-=";
				x->kind = "reach";
				x->item = "sme";
				snprintf(vals[k], sizeof vals[k], "%c%u", ops[rnd(6)], rnd(30));
				x->value = vals[k];
				break;
			}
			case 6:
				x->kind = "reach";
				x->item = "member-states";
				x->value = distinct_values[rnd(6)];
				break;
			case 7:
				x->kind = rnd(3) ? "bench" : "label";
				x->partner = partner_ids[rnd(2)];
				if (x->kind[0] == 'b') {
					x->item = rnd(2) ? "G1" : "G2";
					snprintf(vals[k], sizeof vals[k], rnd(8) ? "%u.5" : "n/a", rnd(6));
					x->value = vals[k];
				} else {
					x->value = label_values[rnd(4)];
				}
				break;
			default: {
				/* The store refuses a revert of a revert, of an entry
				 * already reverted, or of one not yet written: pick an
				 * earlier entry that can be reverted. */
				int64_t t = 0;
				for (int tries = 0; tries < 8 && !t && next_id > 1; tries++) {
					int64_t c = 1 + rnd((uint32_t)(next_id - 1));
					if (!is_rev[c] && !was_rev[c])
						t = c;
				}
				if (!t) {
					x->kind = "status";
					x->item = items[rnd(6)];
					x->value = statuses[rnd(9)];
					break;
				}
				int dup = 0;
				for (size_t j = 0; j < i; j++)
					if (v[j].kind && strcmp(v[j].kind, "revert") == 0 &&
					    strtoll(v[j].value, NULL, 10) == t)
						dup = 1;
				if (dup) {
					x->kind = "status";
					x->item = items[rnd(6)];
					x->value = statuses[rnd(9)];
					break;
				}
				x->kind = "revert";
				x->partner = NULL;
				snprintf(vals[k], sizeof vals[k], "%lld", (long long)t);
				x->value = vals[k];
				break;
			}
			}
		}
		struct err e = {0};
		int64_t first = 0;
		cr_assert_eq(store_append(s, v, n, &first, &e), 0, "append: %s", e.msg);
		cr_assert_eq(first, next_id);
		for (size_t i = 0; i < n; i++)
			if (strcmp(v[i].kind, "revert") == 0) {
				is_rev[next_id + (int64_t)i] = 1;
				was_rev[strtoll(v[i].value, NULL, 10)] = 1;
			}
		next_id += (int64_t)n;
	}
	return next_id;
}

/* Without the months, every fact but by_month equals facts[i]. */
static void check_no_months(struct store *s, const struct project *p, const struct facts *facts,
                            const char *what)
{
	no_months = 1;
	for (int i = 0; i < NASOF; i++) {
		struct facts f = facts_no_months(s, p, asofs[i]);
		facts_assert_same(p, &facts[i], &f, asofs[i], what);
		facts_free(&f);
	}
	no_months = 0;
}


Test(store, summaries_match_the_log, .timeout = 120)
{
	struct project p = make_project();
	struct store *s = create_log();
	int64_t next_id = random_log(s, 20160101u);

	struct facts now[NASOF];
	for (int i = 0; i < NASOF; i++)
		now[i] = facts_at(s, &p, asofs[i]);
	int64_t entries = 0;
	struct err e = {0};
	cr_assert_eq(store_summary(s, &entries, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(entries, next_id - 1);
	check_no_months(s, &p, now, "no months");
	store_close(s);

	/* Back to schema 1: the facts come from the whole log. */
	sql_exec(dbpath, TO_SCHEMA_1);
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	for (int i = 0; i < NASOF; i++) {
		struct facts old = facts_at(s, &p, asofs[i]);
		facts_assert_same(&p, &now[i], &old, asofs[i], "schema 1");
		facts_free(&old);
	}
	check_no_months(s, &p, now, "schema 1, no months");
	store_close(s);

	/* Migrated from schema 1: the summaries are rebuilt from the log. */
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
	for (int i = 0; i < NASOF; i++) {
		struct facts mig = facts_at(s, &p, asofs[i]);
		facts_assert_same(&p, &now[i], &mig, asofs[i], "migrated");
		facts_free(&mig);
	}
	check_no_months(s, &p, now, "migrated, no months");
	/* and kept current by later appends. */
	add(s, "2016-06-30", "LLA", "sme", "reach", "=5");
	add(s, "2016-06-30", "LLA", "sme", "reach", "+2");
	struct facts later = facts_at(s, &p, "2016-06-30");
	cr_assert_eq(later.targets[0].by_partner[2], 7);
	cr_assert_eq(later.entries, next_id + 1);
	facts_free(&later);
	store_close(s);
	for (int i = 0; i < NASOF; i++)
		facts_free(&now[i]);
}

/* Schema 3: totals from reach_total (without the months) equal those from
 * the months for other random logs, including after later appends; the
 * table the triggers kept equals the one the migration from schema 2
 * builds from the log. */


/* The rows of a derived table as text, in key order: SELECT is the query
 * giving one text row each (column r). */
static char *table_dump(const char *path, const char *select)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *sql = xasprintf("SELECT group_concat(r, ';') FROM (%s)", select);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s",
	             sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	const char *v = (const char *)sqlite3_column_text(st, 0);
	char *r = strdup(v ? v : "");
	cr_assert_not_null(r);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(sql);
	return r;
}

static char *reach_total_dump(const char *path)
{
	return table_dump(path, "SELECT quote(item) || ',' || quote(partner) || ',' || nset || ','"
	                        " || quote(set_eff) || ',' || quote(set_id) || ',' || quote(set_n)"
	                        " || ',' || tail || ',' || last AS r FROM reach_total"
	                        " ORDER BY item, partner");
}

static char *reach_delta_dump(const char *path)
{
	return table_dump(path, "SELECT quote(item) || ',' || month || ',' || delta || ',' || last"
	                        " AS r FROM reach_delta ORDER BY item, month");
}

static char *undone_dump(const char *path)
{
	return table_dump(path, "SELECT rid || ',' || reff || ',' || quote(rvalue) || ','"
	                        " || quote(id) || ',' || quote(kind) || ',' || quote(item) || ','"
	                        " || quote(partner) || ',' || quote(effective) || ',' || quote(value)"
	                        " AS r FROM undone ORDER BY rid");
}

/* With the months, every fact equals facts[i]. */
static void check_months(struct store *s, const struct project *p, const struct facts *facts,
                         const char *what)
{
	for (int i = 0; i < NASOF; i++) {
		struct facts f = facts_at(s, p, asofs[i]);
		facts_assert_same(p, &facts[i], &f, asofs[i], what);
		facts_free(&f);
	}
}

Test(store, totals_match_the_months, .timeout = 120)
{
	struct project p = make_project();
	static const uint32_t seeds[] = { 7u, 424242u, 20170505u };
	for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
		log_remove();
		struct store *s = create_log();
		random_log(s, seeds[k]);
		/* Appends after the batches: a backdated "=N", increments on
		 * its day and after it, a revert of one of them. */
		add(s, "2015-02-10", "LITC", "sme", "reach", "=40");
		add(s, "2015-02-10", "LITC", "sme", "reach", "+1");
		int64_t late = add(s, "2017-12-28", "NETPORT", "sme", "reach", "+6");
		add(s, "2017-12-28", "NETPORT", "sme", "reach", "=9");
		add(s, "2018-01-01", "LLA", "sme", "reach", "-2");
		add_revert(s, "2018-01-02", late);
		struct facts now[NASOF];
		for (int i = 0; i < NASOF; i++)
			now[i] = facts_at(s, &p, asofs[i]);
		check_no_months(s, &p, now, "triggers");
		store_close(s);

		/* The whole log (schema 1) gives the same, months and all. */
		char *kept_delta = reach_delta_dump(dbpath);
		cr_assert_neq(strlen(kept_delta), 0, "seed %u: reach_delta empty", seeds[k]);
		char *kept_undone = undone_dump(dbpath);
		cr_assert_neq(strlen(kept_undone), 0, "seed %u: undone empty", seeds[k]);
		char copy[320];
		snprintf(copy, sizeof copy, "%s.copy", dbpath);
		{
			char *cmd = xasprintf("cp '%s' '%s'", dbpath, copy);
			cr_assert_eq(system(cmd), 0);
			free(cmd);
		}
		sql_exec(copy, TO_SCHEMA_1);
		struct err e1 = {0};
		cr_assert_eq(store_open(copy, STORE_READ, &s, &e1), 0, "%s", e1.msg);
		check_months(s, &p, now, "schema 1, months");
		store_close(s);
		unlink(copy);

		char *kept = reach_total_dump(dbpath);
		cr_assert_neq(strlen(kept), 0, "seed %u: reach_total empty", seeds[k]);
		sql_exec(dbpath, TO_SCHEMA_2);
		struct err e = {0};
		cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
		check_no_months(s, &p, now, "schema 2, no months");
		store_close(s);
		cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
		check_no_months(s, &p, now, "migrated from 2");
		check_months(s, &p, now, "migrated from 2, months");
		store_close(s);
		char *built = reach_total_dump(dbpath);
		cr_assert_str_eq(kept, built, "seed %u: triggers and migration differ", seeds[k]);
		free(built);
		built = reach_delta_dump(dbpath);
		cr_assert_str_eq(kept_delta, built, "seed %u: reach_delta: triggers and migration differ",
		                 seeds[k]);
		free(built);
		built = undone_dump(dbpath);
		cr_assert_str_eq(kept_undone, built, "seed %u: undone: triggers and migration differ",
		                 seeds[k]);
		free(built);
		/* Schema 3 (no reach_delta) reads the months of every pair. */
		sql_exec(dbpath, TO_SCHEMA_3);
		cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
		check_months(s, &p, now, "schema 3, months");
		store_close(s);

		sql_exec(dbpath, TO_SCHEMA_1);
		cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
		check_no_months(s, &p, now, "migrated from 1");
		store_close(s);
		built = reach_total_dump(dbpath);
		cr_assert_str_eq(kept, built, "seed %u: migration from 1 differs", seeds[k]);
		free(built);
		built = reach_delta_dump(dbpath);
		cr_assert_str_eq(kept_delta, built, "seed %u: reach_delta: migration from 1 differs",
		                 seeds[k]);
		free(built);
		built = undone_dump(dbpath);
		cr_assert_str_eq(kept_undone, built, "seed %u: undone: migration from 1 differs", seeds[k]);
		free(built);
		free(kept);
		free(kept_delta);
		free(kept_undone);
		for (int i = 0; i < NASOF; i++)
			facts_free(&now[i]);
	}
}

/* Which pairs the totals serve: tampering with reach_total shows through
 * exactly where the table is read (asof on or after the pair's newest
 * count entry, no revert touching it) and nowhere else. */
Test(store, totals_only_where_exact)
{
	struct project p = make_project();
	struct store *s = create_log();
	add(s, "2016-01-10", "LITC", "sme", "reach", "=10");
	int64_t five = add(s, "2016-02-01", "LITC", "sme", "reach", "+5");
	add(s, "2016-03-01", "NETPORT", "sme", "reach", "+3");
	int64_t lla_set = add(s, "2016-03-01", "LLA", "sme", "reach", "=4");
	store_close(s);
	sql_exec(dbpath, "UPDATE reach_total SET tail = tail + 1000 WHERE partner = 'LITC';"
	                 " UPDATE reach_total SET tail = tail + 100 WHERE partner = 'NETPORT';");
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);

	struct facts f = facts_no_months(s, &p, "2016-12-31");
	cr_assert_eq(f.targets[0].by_partner[0], 1015);
	cr_assert_eq(f.targets[0].by_partner[1], 103);
	cr_assert_eq(f.targets[0].by_partner[2], 4);
	cr_assert_eq(f.targets[0].total, 1122);
	for (int m = 0; m < p.nmonths; m++)
		cr_assert_eq(f.targets[0].by_month[m], -1, "M%d", m + 1);
	facts_free(&f);
	/* With the months, the same pairs come from the table; the monthly
	 * series from reach_delta, which the tampering did not touch. */
	f = facts_at(s, &p, "2016-12-31");
	cr_assert_eq(f.targets[0].by_partner[0], 1015);
	cr_assert_eq(f.targets[0].total, 1122);
	cr_assert_eq(f.targets[0].by_month[0], 10);
	cr_assert_eq(f.targets[0].by_month[1], 15);
	cr_assert_eq(f.targets[0].by_month[2], 22);
	facts_free(&f);
	/* Before LITC's newest entry: LITC from its months, NETPORT not yet. */
	f = facts_no_months(s, &p, "2016-01-20");
	cr_assert_eq(f.targets[0].by_partner[0], 10);
	cr_assert_eq(f.targets[0].by_partner[1], 0);
	cr_assert_eq(f.targets[0].total, 10);
	facts_free(&f);
	/* An undone "+N" after the pair's latest "=N": the table less the
	 * amount; before the revert's date the table alone. */
	add_revert(s, "2016-04-01", five);
	f = facts_no_months(s, &p, "2016-12-31");
	cr_assert_eq(f.targets[0].by_partner[0], 1010);
	cr_assert_eq(f.targets[0].by_partner[1], 103);
	cr_assert_eq(f.targets[0].total, 1117);
	facts_free(&f);
	f = facts_no_months(s, &p, "2016-03-15");
	cr_assert_eq(f.targets[0].by_partner[0], 1015);
	facts_free(&f);
	/* An undone "=N": LLA from its months (4 undone: 0), the table is not
	 * read for it (a tampered LLA would show). */
	sql_exec(dbpath, "UPDATE reach_total SET tail = tail + 7000 WHERE partner = 'LLA';");
	f = facts_no_months(s, &p, "2016-12-31");
	cr_assert_eq(f.targets[0].by_partner[2], 7004, "the table, before the revert");
	facts_free(&f);
	add_revert(s, "2016-04-02", lla_set);
	f = facts_no_months(s, &p, "2016-12-31");
	cr_assert_eq(f.targets[0].by_partner[2], 0);
	cr_assert_eq(f.targets[0].by_partner[0], 1010);
	facts_free(&f);
	/* store_facts keeps the months: March before the reverts (LITC 15,
	 * NETPORT 3, LLA 4), April after them (LITC 10, NETPORT 3, LLA 0). */
	f = facts_at(s, &p, "2016-12-31");
	cr_assert_eq(f.targets[0].by_month[2], 22);
	cr_assert_eq(f.targets[0].by_month[3], 13);
	facts_free(&f);
	store_close(s);
}

/* A log written by hand can hold a revert of an entry not yet written
 * (the store refuses one): when the entry comes, it is undone all the
 * same, as reading the whole log (schema 1) has it. */
Test(store, revert_written_before_its_entry)
{
	struct project p = make_project();
	struct store *s = create_log();
	add(s, "2016-02-01", NULL, "T1.1", "status", "in_progress");
	add(s, "2016-02-01", "LITC", "sme", "reach", "+4");
	store_close(s);
	/* Written by hand, with the summary rows the append writes beside a
	 * revert (store_steps.c): the store itself refuses a revert of an
	 * entry that does not exist. */
	sql_exec(dbpath, "INSERT INTO log (recorded_at, effective, login, uid, kind, value)"
	                 " VALUES (1, '2016-03-01', 'janis', 1000, 'revert', '5');"
	                 " INSERT INTO undone SELECT r.id, r.effective, r.value, NULL, NULL, NULL, NULL, NULL, NULL"
	                 " FROM log r WHERE r.id = 3;"
	                 " INSERT INTO undone_pack VALUES (3, 1, 3, '1:510:2016-03-01------0,');"
	                 " UPDATE log_stats SET entries = entries + 1, top_id = 3, last_recorded = 1;");
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
	cr_assert_eq(add(s, "2016-02-10", NULL, "T1.1", "status", "done"), 4);
	cr_assert_eq(add(s, "2016-02-10", "LITC", "sme", "reach", "+30"), 5);
	struct facts f = facts_at(s, &p, "2016-06-30");
	cr_assert_eq(f.targets[0].by_partner[0], 4, "the undone +30 is left out");
	cr_assert_eq(f.targets[0].by_month[1], 34, "February, before the revert's date");
	cr_assert_eq(f.targets[0].by_month[2], 4);
	cr_assert_str_eq(f.tasks[0].status, "done");
	facts_free(&f);
	/* Before the revert's date the +30 counts. */
	f = facts_at(s, &p, "2016-02-20");
	cr_assert_eq(f.targets[0].by_partner[0], 34);
	facts_free(&f);
	struct facts now = facts_at(s, &p, "2016-06-30");
	store_close(s);
	sql_exec(dbpath, TO_SCHEMA_1);
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	struct facts old = facts_at(s, &p, "2016-06-30");
	facts_assert_same(&p, &now, &old, "2016-06-30", "schema 1");
	facts_free(&old);
	facts_free(&now);
	store_close(s);
}

/* Since schema 14 the append keeps the summaries (store_steps.c) where the
 * log's triggers did. The oracle is those triggers: the same entries,
 * copied row by row in id order into a log of schema 13 (the migrations up
 * to it), then migrated on (schema 15 makes latest's runs from the whole
 * log), must leave every summary table as the append left it. The
 * entries are random, of every kind, with missing partners and items,
 * equal dates, corrections, reverts (refused ones dropped) and batches. */
static const char *pick(uint64_t *r, const char *const *v, size_t n)
{
	*r ^= *r << 13;
	*r ^= *r >> 7;
	*r ^= *r << 17;
	return v[*r % n];
}

Test(store, steps_keep_what_the_triggers_kept)
{
	static const char *const kinds[] = {"status", "progress", "reach", "reach", "reach", "bench", "label",
	                                    "effort", "cost", "revert", "note", "link"};
	static const char *const who[] = {"LITC", "LLA", "NETPORT", NULL};
	static const char *const items[] = {"T1.1", "T1.2", "D1.1", "MS1", "sme", "events", "G1", "WP1", NULL};
	static const char *const statuses[] = {"in_progress", "submitted", "accepted", "rejected", "reached",
	                                       "done"};
	static const char *const counts[] = {"+3", "-1", "=10", "+12", "=0", "-4", "LV", "SE", "kickoff"};
	static const char *const costs[] = {"120.50", "-10.00:WP1", "5.25:WP2", "0.01", "99.99:WP1"};
	static const char *const days[] = {"01", "02", "15", "15", "28"};
	struct store *s = create_log();
	uint64_t r = 0x9e3779b97f4a7c15u;
	int64_t last = 0;
	size_t written = 0;
	for (int i = 0; i < 600; i++) {
		struct new_entry v[3];
		char val[3][32], eff[3][32];
		size_t n = 1 + (pick(&r, days, 5)[1] == '8' ? 2 : 0); /* some batches of 3 */
		for (size_t j = 0; j < n; j++) {
			const char *k = pick(&r, kinds, sizeof kinds / sizeof kinds[0]);
			const char *value = val[j];
			snprintf(eff[j], sizeof eff[j], "201%d-%02d-%s", 6 + (int)(r % 2), 1 + (int)(r / 7 % 12),
			         pick(&r, days, 5));
			if (strcmp(k, "status") == 0)
				value = pick(&r, statuses, 6);
			else if (strcmp(k, "reach") == 0)
				value = pick(&r, counts, 9);
			else if (strcmp(k, "cost") == 0)
				value = pick(&r, costs, 5);
			else if (strcmp(k, "effort") == 0)
				snprintf(val[j], sizeof val[j], "2016-%02d:%d.%02d", 1 + (int)(r % 12), (int)(r / 3 % 2),
				         (int)(r / 5 % 100));
			else if (strcmp(k, "revert") == 0)
				snprintf(val[j], sizeof val[j], "%lld", (long long)(last > 0 ? 1 + (int64_t)(r % (uint64_t)last) : 1));
			else
				snprintf(val[j], sizeof val[j], "%d", (int)(r % 101));
			v[j] = (struct new_entry){ .effective = D(eff[j]), .login = "janis", .uid = 1000,
			                           .partner = pick(&r, who, 4), .item = pick(&r, items, 9),
			                           .kind = k, .value = value };
		}
		int64_t first = 0;
		struct err e = {0};
		if (store_append(s, v, n, &first, &e) == 0) {
			last = first + (int64_t)n - 1;
			written += n;
		} else {
			cr_assert_eq(e.code, EXIT_DATAERR, "only a refused revert fails: %s", e.msg);
		}
	}
	store_close(s);
	cr_assert_gt(written, 500u);

	char opath[320];
	snprintf(opath, sizeof opath, "%s/oracle.db", dir);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(opath, &db), SQLITE_OK);
	for (int v = 0; v < STORE_STEPS_SINCE - 1; v++)
		cr_assert_eq(sqlite3_exec(db, store_migrations[v], NULL, NULL, NULL), SQLITE_OK,
		             "schema %d: %s", v + 1, sqlite3_errmsg(db));
	char *attach = sqlite3_mprintf("ATTACH %Q AS s", dbpath);
	cr_assert_eq(sqlite3_exec(db, attach, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_free(attach);
	cr_assert_eq(sqlite3_exec(db, "INSERT INTO main.log (id, recorded_at, effective, login, uid, partner, item,"
	                              " kind, value, note) SELECT id, recorded_at, effective, login, uid, partner,"
	                              " item, kind, value, note FROM s.log ORDER BY id",
	                          NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	/* Then the later migrations: schema 15 makes latest's runs and
	 * their breakers from the whole log, where the append kept them
	 * entry by entry (a backdated status included). */
	for (int v = STORE_STEPS_SINCE - 1; v < STORE_SCHEMA_VERSION; v++)
		cr_assert_eq(sqlite3_exec(db, store_migrations[v], NULL, NULL, NULL), SQLITE_OK,
		             "schema %d: %s", v + 1, sqlite3_errmsg(db));
	sqlite3_stmt *runs;
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT SUM(run_ok = 0), SUM(brk_a IS NOT NULL), SUM(brk_b IS NOT NULL)"
	                                    " FROM s.latest WHERE kind = 'status'", -1, &runs, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(runs), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(runs, 0), 0, "every run exact");
	cr_assert_gt(sqlite3_column_int(runs, 1) + sqlite3_column_int(runs, 2), 0, "runs with a breaker");
	sqlite3_finalize(runs);
	sqlite3_stmt *tables;
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT IN"
	                                    " ('log', 'meta', 'chain', 'plan', 'sqlite_sequence') ORDER BY name",
	                                -1, &tables, NULL), SQLITE_OK);
	int compared = 0;
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		char *q = sqlite3_mprintf("SELECT (SELECT COUNT(*) FROM main.\"%w\"), (SELECT COUNT(*) FROM s.\"%w\"),"
		                          " (SELECT COUNT(*) FROM (SELECT * FROM main.\"%w\" EXCEPT SELECT * FROM s.\"%w\")),"
		                          " (SELECT COUNT(*) FROM (SELECT * FROM s.\"%w\" EXCEPT SELECT * FROM main.\"%w\"))",
		                          name, name, name, name, name, name);
		sqlite3_stmt *st;
		cr_assert_eq(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK, "%s: %s", name, sqlite3_errmsg(db));
		cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
		cr_assert_eq(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), "%s: row counts", name);
		cr_assert_eq(sqlite3_column_int64(st, 2), 0, "%s: rows only the triggers made", name);
		cr_assert_eq(sqlite3_column_int64(st, 3), 0, "%s: rows only the append made", name);
		compared += sqlite3_column_int64(st, 0) > 0;
		sqlite3_finalize(st);
		sqlite3_free(q);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	cr_assert_geq(compared, 14, "every summary has rows to compare (%d)", compared);
}

/* The store itself refuses a second revert of one entry, a revert of a
 * revert and a revert of nothing, inside the append's transaction. */
Test(store, revert_rules_in_the_transaction)
{
	struct store *s = create_log();
	int64_t a = add(s, "2016-02-01", "LITC", "sme-members", "reach", "+5");
	int64_t r = add_revert(s, "2016-02-01", a);
	char v[32];
	struct err e = {0};
	struct new_entry n = { .effective = D("2016-02-02"), .login = "janis", .uid = 1000,
	                       .kind = "revert", .value = v };
	snprintf(v, sizeof v, "%lld", (long long)a);
	cr_assert_eq(store_append(s, &n, 1, NULL, &e), -1);
	cr_assert_eq(e.code, EXIT_DATAERR);
	cr_assert(strstr(e.msg, "already reverted") != NULL, "%s", e.msg);
	snprintf(v, sizeof v, "%lld", (long long)r);
	cr_assert_eq(store_append(s, &n, 1, NULL, &e), -1);
	cr_assert(strstr(e.msg, "itself a revert") != NULL, "%s", e.msg);
	snprintf(v, sizeof v, "%d", 999999);
	cr_assert_eq(store_append(s, &n, 1, NULL, &e), -1);
	cr_assert(strstr(e.msg, "no entry #999999") != NULL, "%s", e.msg);
	/* Two reverts of one entry in one batch: the whole batch is refused. */
	int64_t b = add(s, "2016-02-01", "LITC", "sme-members", "reach", "+7");
	struct new_entry two[2] = { n, n };
	snprintf(v, sizeof v, "%lld", (long long)b);
	int64_t before = 0, after = 0, last = 0;
	cr_assert_eq(store_summary(s, &before, &last, &e), 0);
	cr_assert_eq(store_append(s, two, 2, NULL, &e), -1);
	cr_assert_eq(store_summary(s, &after, &last, &e), 0);
	cr_assert_eq(after, before, "a refused batch writes nothing");
	store_close(s);
}

static int reverter(int go_fd, int64_t id)
{
	char c;
	if (read(go_fd, &c, 1) < 0)
		return 3;
	struct store *s = NULL;
	struct err e = {0};
	if (store_open(dbpath, STORE_WRITE, &s, &e) < 0)
		return 1;
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)id);
	struct new_entry n = { .effective = date_from_ymd(2016, 2, 1), .login = "janis", .uid = 1,
	                       .kind = "revert", .value = v };
	int rc = store_append(s, &n, 1, NULL, &e) == 0 ? 0 : e.code == EXIT_DATAERR ? 10 : 2;
	store_close(s);
	return rc;
}

/* Several processes revert the same entry at the same moment: exactly one
 * succeeds, the others are told it was already reverted. */
Test(store, concurrent_reverts, .timeout = 120)
{
	struct store *s = create_log();
	int64_t a = add(s, "2016-02-01", "LITC", "sme-members", "reach", "+5");
	store_close(s);
	for (int round = 0; round < 5; round++) {
		if (round > 0) {
			s = NULL;
			struct err e = {0};
			cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
			a = add(s, "2016-02-01", "LITC", "sme-members", "reach", "+5");
			store_close(s);
		}
		int go[2];
		cr_assert_eq(pipe(go), 0);
		pid_t pids[6];
		for (int w = 0; w < 6; w++) {
			pids[w] = fork();
			cr_assert_neq(pids[w], -1);
			if (pids[w] == 0) {
				close(go[1]);
				_exit(reverter(go[0], a));
			}
		}
		close(go[0]);
		close(go[1]);
		int ok = 0, refused = 0;
		for (int w = 0; w < 6; w++) {
			int status;
			cr_assert_eq(waitpid(pids[w], &status, 0), pids[w]);
			cr_assert(WIFEXITED(status));
			ok += WEXITSTATUS(status) == 0;
			refused += WEXITSTATUS(status) == 10;
		}
		cr_assert_eq(ok, 1, "round %d: exactly one revert succeeds", round);
		cr_assert_eq(refused, 5, "round %d: the others are refused", round);
	}
}

/* Bulk loading changes how the connection writes, not what: the same
 * entries give the same facts as ordinary appends, one at a time. */
Test(store, bulk_load_keeps_the_summaries)
{
	struct project p = make_project();
	static const char *const pids[] = { "LITC", "NETPORT", "LLA" };
	static const char *const states[] = { "LV", "EE", "LT", "FI", "SE" };
	enum { N = 3000 };
	struct new_entry *v = calloc(N, sizeof *v);
	char (*val)[16] = calloc(N, sizeof *val);
	cr_assert(v && val);
	uint32_t x = 12345;
	for (int i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		int distinct = (x >> 8) % 5 == 0;
		char eff[16];
		snprintf(eff, sizeof eff, "2016-%02u-%02u", (x >> 12) % 12 + 1, (x >> 16) % 28 + 1);
		if (distinct)
			snprintf(val[i], sizeof val[i], "%s", states[(x >> 20) % 5]);
		else
			snprintf(val[i], sizeof val[i], "%c%u", (x >> 20) % 10 == 0 ? '=' : '+',
			         (x >> 24) % 9 + 1);
		v[i] = (struct new_entry){ .effective = D(eff), .login = "janis", .uid = 1000,
		                           .partner = pids[(x >> 4) % 3],
		                           .item = distinct ? "member-states" : "sme",
		                           .kind = "reach", .value = val[i] };
	}
	struct err e = {0};
	struct store *bulk = create_log();
	cr_assert_eq(store_bulk_load(bulk, 8, &e), 0, "%s", e.msg);
	cr_assert_eq(store_append(bulk, v, N, NULL, &e), 0, "%s", e.msg);

	char other[320];
	snprintf(other, sizeof other, "%s/other.db", dir);
	struct store *one;
	cr_assert_eq(store_open(other, STORE_CREATE, &one, &e), 0, "%s", e.msg);
	for (int i = 0; i < N; i++)
		cr_assert_eq(store_append(one, &v[i], 1, NULL, &e), 0, "%s", e.msg);

	struct facts a = facts_at(bulk, &p, "2016-12-31"), b = facts_at(one, &p, "2016-12-31");
	cr_assert_eq(a.entries, N);
	cr_assert_eq(b.entries, N);
	for (int t = 0; t < p.ntargets; t++) {
		cr_assert_eq(a.targets[t].total, b.targets[t].total, "target %d", t);
		for (int i = 0; i < p.npartners; i++)
			cr_assert_eq(a.targets[t].by_partner[i], b.targets[t].by_partner[i]);
		for (int m = 0; m < p.nmonths; m++)
			cr_assert_eq(a.targets[t].by_month[m], b.targets[t].by_month[m]);
	}
	cr_assert_gt(a.targets[0].total, 0);
	cr_assert_eq(a.targets[1].total, 5);
	facts_free(&a);
	facts_free(&b);
	store_close(bulk);
	store_close(one);
	free(v);
	free(val);

	/* Never on a log opened for reading. */
	struct store *ro;
	cr_assert_eq(store_open(dbpath, STORE_READ, &ro, &e), 0, "%s", e.msg);
	cr_assert_eq(store_bulk_load(ro, 8, &e), -1);
	cr_assert_eq(e.code, EXIT_NOPERM);
	store_close(ro);
}

/* ---- the monthly series against the as-of totals ------------------- */

/* Every month's value of the series as of asof equals the target's total
 * as of that month's end (asof itself for asof's month and the last one). */
static void months_match_totals(struct store *s, const struct project *p, const char *asof,
                                const char *what)
{
	struct facts f = facts_at(s, p, asof);
	cdate a = D(asof);
	for (int m = 0; m < p->nmonths; m++) {
		int y, mo;
		date_to_ymd(p->start, &y, &mo, NULL);
		mo += m;
		y += (mo - 1) / 12;
		mo = (mo - 1) % 12 + 1;
		cdate end = date_from_ymd(mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1, 1) - 1;
		if (end > a || m == p->nmonths - 1)
			end = a;
		if (project_month_of(p, a) < m + 1)
			break;
		char ymd[16];
		date_format(end, ymd);
		struct facts at = facts_at(s, p, ymd);
		for (int t = 0; t < p->ntargets; t++)
			cr_assert_eq(f.targets[t].by_month[m], at.targets[t].total,
			             "%s as of %s: target %d M%d is %ld, the total at %s %ld", what, asof,
			             t, m + 1, f.targets[t].by_month[m], ymd, at.targets[t].total);
		facts_free(&at);
	}
	facts_free(&f);
}

/* A revert takes its entry out from the revert's effective date on, not
 * from every month. */
Test(store, reach_months_revert_from_its_date)
{
	struct project p = make_project();
	struct store *s = create_log();
	int64_t one = add(s, "2016-01-10", "LITC", "sme", "reach", "+7");
	add_revert(s, "2016-03-05", one);
	add(s, "2016-01-15", "NETPORT", "sme", "reach", "+3");
	int64_t four = add(s, "2016-02-10", "NETPORT", "sme", "reach", "=1");
	add_revert(s, "2016-04-10", four);
	int64_t lv = add(s, "2016-01-20", "NETPORT", "member-states", "reach", "LV");
	add(s, "2016-02-20", "LLA", "member-states", "reach", "EE");
	add_revert(s, "2016-03-01", lv);
	struct facts f = facts_at(s, &p, "2016-06-15");
	static const long want[] = { 10, 8, 1, 3, 3, 3 }, want_d[] = { 1, 2, 1, 1, 1, 1 };
	for (int m = 0; m < 6; m++) {
		cr_assert_eq(f.targets[0].by_month[m], want[m], "count M%d: %ld, want %ld", m + 1,
		             f.targets[0].by_month[m], want[m]);
		cr_assert_eq(f.targets[1].by_month[m], want_d[m], "distinct M%d: %ld, want %ld", m + 1,
		             f.targets[1].by_month[m], want_d[m]);
	}
	cr_assert_eq(f.targets[0].by_month[6], -1);
	facts_free(&f);
	months_match_totals(s, &p, "2016-06-15", "summaries");
	months_match_totals(s, &p, "2016-03-31", "summaries");
	store_close(s);
	struct err e = {0};
	sql_exec(dbpath, TO_SCHEMA_1);
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	months_match_totals(s, &p, "2016-06-15", "schema 1");
	store_close(s);
}

/* The same for random logs, at every as-of date of the other tests. */
Test(store, reach_months_match_totals_random, .timeout = 120)
{
	struct project p = fixture_project(3);
	struct store *s = create_log();
	random_log(s, 20200615u);
	for (int i = 0; i < NASOF; i++)
		months_match_totals(s, &p, asofs[i], "random");
	store_close(s);
}

/* ---- a log replaced under an open connection ----------------------- */

static uint64_t hash_or_zero(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? file_hash(path) : 0;
}

/* A backup moved over the path while a writer holds the log open: the
 * writer sees it, and its append is refused with "replaced", leaving
 * both files (and the WAL beside the path) as they were. */
Test(store, append_refused_when_replaced)
{
	struct project p = make_project();
	struct err e = {0};
	struct store *s = create_log();
	add(s, "2016-02-01", "LITC", "sme", "reach", "+4");
	store_close(s);
	char other[400], old_link[400], wal[400];
	snprintf(other, sizeof other, "%s/backup.db", dir);
	snprintf(old_link, sizeof old_link, "%s/old.db", dir);
	snprintf(wal, sizeof wal, "%s-wal", dbpath);
	struct store *b = NULL;
	cr_assert_eq(store_open(other, STORE_CREATE, &b, &e), 0, "%s", e.msg);
	add(b, "2016-03-01", "NETPORT", "sme", "reach", "+9");
	add(b, "2016-03-02", "NETPORT", "sme", "reach", "+1");
	store_close(b);

	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
	cr_assert_not(store_replaced(s));
	cr_assert_eq(link(dbpath, old_link), 0);
	cr_assert_eq(rename(other, dbpath), 0);
	cr_assert(store_replaced(s));
	uint64_t h_new = file_hash(dbpath), h_old = file_hash(old_link), h_wal = hash_or_zero(wal);

	struct new_entry n = { .effective = D("2016-04-01"), .login = "janis", .uid = 1000,
	                       .partner = "LITC", .item = "sme", .kind = "reach", .value = "+5" };
	int64_t id = 0;
	cr_assert_eq(store_append(s, &n, 1, &id, &e), -1, "a write into the replaced file");
	cr_assert_eq(e.code, 74);
	cr_assert(strstr(e.msg, "replaced") != NULL, "message: %s", e.msg);
	cr_assert_eq(file_hash(dbpath), h_new, "the new log untouched");
	cr_assert_eq(file_hash(old_link), h_old, "the old log untouched");
	cr_assert_eq(hash_or_zero(wal), h_wal, "the WAL untouched");

	/* Opened again, it is the backup: its two entries, and writes go there. */
	cr_assert_eq(store_reopen(s, &e), 0, "%s", e.msg);
	cr_assert_not(store_replaced(s));
	struct facts f = facts_at(s, &p, "2016-12-31");
	cr_assert_eq(f.entries, 2);
	cr_assert_eq(f.targets[0].by_partner[1], 10);
	facts_free(&f);
	cr_assert_eq(add(s, "2016-04-01", "LITC", "sme", "reach", "+5"), 3);
	store_close(s);

	/* A removed path counts as replaced too. */
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
	cr_assert_eq(rename(dbpath, other), 0);
	cr_assert(store_replaced(s));
	cr_assert_eq(store_append(s, &n, 1, &id, &e), -1);
	cr_assert(strstr(e.msg, "replaced") != NULL, "message: %s", e.msg);
	/* Reopening a path that names nothing fails and leaves the store
	 * closed: queries fail cleanly, writes stay refused, and once the
	 * path names a log again the next reopen reads it. */
	cr_assert_eq(store_reopen(s, &e), -1, "reopened a path that names nothing");
	cr_assert(store_replaced(s));
	struct entry *v = NULL;
	size_t nv = 0;
	struct entry_filter all = ENTRY_FILTER_ALL;
	cr_assert_eq(store_entries(s, &all, &v, &nv, &e), -1, "a query on a closed store");
	cr_assert_eq(store_append(s, &n, 1, &id, &e), -1, "a write into a closed store");
	cr_assert_eq(rename(other, dbpath), 0);
	cr_assert_eq(store_reopen(s, &e), 0, "%s", e.msg);
	cr_assert_not(store_replaced(s));
	cr_assert_eq(store_entries(s, &all, &v, &nv, &e), 0, "%s", e.msg);
	cr_assert_eq(nv, 3);
	entries_free(v, nv);
	store_close(s);
}

/* ---- distinct values counted (schema 11) ------------------------------- */

static struct facts facts_few(struct store *s, const struct project *p, const char *asof)
{
	struct facts f;
	struct err e = {0};
	cr_assert_eq(store_facts_opts(s, p, D(asof), STORE_FACTS_NO_MONTHS | STORE_FACTS_FEW_VALUES,
	                              &f, &e), 0, "facts: %s", e.msg);
	return f;
}

/* With only the first values asked for, every total and partner's count
 * is what all the values give, and the values are their first ones. */
static void few_match_all(struct store *s, const struct project *p, const char *asof,
                          const char *what)
{
	/* The reference reads every pair (months wanted); without the months
	 * every value comes from the counts, with the few values the first. */
	struct facts a = facts_at(s, p, asof), c = facts_no_months(s, p, asof);
	for (int t = 0; t < p->ntargets; t++) {
		const struct reach_fact *x = &a.targets[t], *y = &c.targets[t];
		cr_assert_eq(x->total, y->total, "%s %s: target %d total", what, asof, t);
		for (int i = 0; i < p->npartners; i++)
			cr_assert_eq(x->by_partner[i], y->by_partner[i], "%s %s: target %d partner %d",
			             what, asof, t, i);
		cr_assert_eq(x->nvalues, y->nvalues, "%s %s: target %d: %d values, %d", what, asof, t,
		             x->nvalues, y->nvalues);
		for (int i = 0; i < y->nvalues; i++)
			cr_assert_str_eq(x->values[i], y->values[i], "%s %s: target %d value %d", what,
			                 asof, t, i);
	}
	facts_free(&c);
	struct facts b = facts_few(s, p, asof);
	for (int t = 0; t < p->ntargets; t++) {
		const struct reach_fact *x = &a.targets[t], *y = &b.targets[t];
		cr_assert_eq(x->total, y->total, "%s %s: target %d total %ld vs %ld", what, asof, t,
		             x->total, y->total);
		for (int i = 0; i < p->npartners; i++)
			cr_assert_eq(x->by_partner[i], y->by_partner[i], "%s %s: target %d partner %d",
			             what, asof, t, i);
		int want = x->nvalues > REACH_FEW_VALUES + 1 ? REACH_FEW_VALUES + 1 : x->nvalues;
		cr_assert_leq(y->nvalues, x->nvalues, "%s %s: target %d", what, asof, t);
		cr_assert_geq(y->nvalues, want, "%s %s: target %d", what, asof, t);
		for (int i = 0; i < y->nvalues; i++)
			cr_assert_str_eq(x->values[i], y->values[i], "%s %s: target %d value %d", what,
			                 asof, t, i);
	}
	facts_free(&a);
	facts_free(&b);
}

/* The rows two queries give are the same. */
static void dumps_equal(const char *x, const char *y)
{
	char *a = table_dump(dbpath, x), *b = table_dump(dbpath, y);
	cr_assert_str_eq(a, b);
	free(a);
	free(b);
}

/* The counts and greatest first dates equal what reach_value gives. */
static void counts_match_reach_value(void)
{
	dumps_equal("SELECT quote(item) || ',' || quote(partner) || ',' || n || ',' || last AS r"
	            " FROM reach_pair_total WHERE n > 0 ORDER BY item, partner",
	            "SELECT quote(item) || ',' || quote(partner) || ',' || COUNT(*) || ','"
	            " || MAX(first_eff) AS r FROM reach_value GROUP BY item, partner"
	            " ORDER BY item, partner");
	dumps_equal("SELECT quote(item) || ',' || quote(value) || ',' || first_eff AS r"
	            " FROM reach_value_first ORDER BY item, value",
	            "SELECT quote(item) || ',' || quote(value) || ',' || MIN(first_eff)"
	            " AS r FROM reach_value GROUP BY item, value ORDER BY item, value");
	dumps_equal("SELECT quote(item) || ',' || n || ',' || last AS r FROM reach_first_total"
	            " ORDER BY item",
	            "SELECT quote(item) || ',' || COUNT(*) || ',' || MAX(first_eff) AS r"
	            " FROM reach_value_first GROUP BY item ORDER BY item");
}

/* Fifty values, some recorded again earlier by another partner (a first
 * date moves back): the counts answer with the first 41 values, as of a
 * date after every first date; before one of them, all the values are
 * read as before. */
Test(store, few_values_from_the_counts)
{
	struct project p = make_project();
	struct store *s = create_log();
	char v[16];
	for (int i = 0; i < 50; i++) {
		snprintf(v, sizeof v, "V%02d", 49 - i);
		add(s, i < 25 ? "2016-03-10" : "2016-05-20", "LITC", "member-states", "reach", v);
	}
	for (int i = 0; i < 50; i += 5) {
		snprintf(v, sizeof v, "V%02d", i);
		add(s, "2016-02-01", "NETPORT", "member-states", "reach", v);
	}
	add(s, "2016-01-15", "LITC", "member-states", "reach", "V07");
	add(s, "2016-02-03", "NETPORT", "sme", "reach", "+4");
	counts_match_reach_value();

	struct facts f = facts_few(s, &p, "2016-06-30");
	struct reach_fact *r = &f.targets[1];
	cr_assert_eq(r->total, 50);
	cr_assert_eq(r->nvalues, REACH_FEW_VALUES + 1);
	for (int i = 0; i < r->nvalues; i++) {
		snprintf(v, sizeof v, "V%02d", i);
		cr_assert_str_eq(r->values[i], v);
	}
	cr_assert_eq(r->by_partner[0], 50);
	cr_assert_eq(r->by_partner[1], 10);
	cr_assert_eq(r->by_partner[2], 0);
	cr_assert_eq(f.targets[0].total, 4);
	facts_free(&f);
	few_match_all(s, &p, "2016-06-30", "after every first date");

	/* In May the last first dates are still to come: every value read. */
	f = facts_few(s, &p, "2016-04-30");
	r = &f.targets[1];
	cr_assert_eq(r->total, 25 + 5 + 1);
	cr_assert_eq(r->nvalues, 31);
	facts_free(&f);
	few_match_all(s, &p, "2016-04-30", "before the last first date");
	few_match_all(s, &p, "2016-01-31", "before most first dates");
	store_close(s);
}

/* Random logs (reverts, a partner the definition lacks, backdated and
 * future entries): the counts the triggers keep equal reach_value's, and
 * the first values with their totals equal all values' at every date;
 * the same after the migration from schema 8 builds the counts. */
Test(store, few_values_match_all_values, .timeout = 120)
{
	struct project p = make_project();
	static const uint32_t seeds[] = { 9u, 31337u, 20180101u };
	for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
		struct store *s = create_log();
		random_log(s, seeds[k]);
		counts_match_reach_value();
		for (int i = 0; i < NASOF; i++)
			few_match_all(s, &p, asofs[i], "kept by the triggers");
		store_close(s);
		sql_exec(dbpath, TO_SCHEMA_8);
		struct err e = {0};
		cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
		counts_match_reach_value();
		for (int i = 0; i < NASOF; i++)
			few_match_all(s, &p, asofs[i], "built by the migration");
		store_close(s);
		log_remove();
	}
}

/* The log at dbpath (closed) taken back to schema 1, whose facts come
 * from the whole log: as of each of the n dates they equal want[i],
 * which is freed. */
/* The facts of s as of each of n dates are want's. */
static void assert_facts_at(struct store *s, const struct project *p, const struct facts *want,
                            const char *const *dates, int n, const char *what)
{
	for (int i = 0; i < n; i++) {
		struct facts got = facts_at(s, p, dates[i]);
		facts_assert_same(p, &want[i], &got, dates[i], what);
		facts_free(&got);
	}
}

static void assert_as_schema_1(const struct project *p, struct facts *want, const char *const *dates,
                               int n, const char *what)
{
	struct store *s;
	struct err e = {0};
	sql_exec(dbpath, TO_SCHEMA_1);
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	assert_facts_at(s, p, want, dates, n, what);
	for (int i = 0; i < n; i++)
		facts_free(&want[i]);
	store_close(s);
}

/* How many records the log's undone_pack holds. */
static int pack_records(void)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT sum(n) FROM undone_pack", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* One status entry on item at 2016-MM-05. */
static void status_at(struct store *s, const char *item, int month, const char *value)
{
	char eff[16];
	snprintf(eff, sizeof eff, "2016-%02d-05", month);
	add(s, eff, NULL, item, "status", value);
}

static void assert_verified(struct store *s, const char *what)
{
	struct chain_report rep;
	struct err e = {0};
	cr_assert_eq(store_verify(s, NULL, &rep, &e), 0, "%s", e.msg);
	cr_assert_eq(rep.fault, CHAIN_OK, "%s: %s", what, rep.what);
}

/* Schema 15: latest keeps each status item's current runs exact, a
 * backdated status included, so that the readers take a done date from
 * it instead of walking the item's entries. verify makes the runs and the
 * entries before them from the log, and finds latest as the append kept
 * it: first for each way a backdated status meets a run, then for many
 * statuses on few items, mostly in date order, some backdated, on equal
 * dates; and the facts then equal those read from the whole log (schema
 * 1). */
Test(store, backdated_statuses_keep_the_runs_exact, .timeout = 120)
{
	static const char *const items[] = {"D1.1", "D4.1", "MS1", "T1.1", "X9"};
	static const char *const statuses[] = {"in_progress", "submitted", "accepted", "rejected", "reached",
	                                       "done", "submitted", "reached"};
	static const char *const asofs_here[] = {"2016-01-04", "2016-03-15", "2016-06-15", "2017-12-31"};
	struct project p = make_project();
	struct store *s = create_log();
	struct err e = {0};
	/* Joins the run on the breaker's date, after it. */
	status_at(s, "Q1", 2, "rejected");
	status_at(s, "Q1", 3, "submitted");
	status_at(s, "Q1", 2, "accepted");
	/* Breaks the run on a date of the run: the run starts after it. */
	status_at(s, "Q2", 2, "submitted");
	status_at(s, "Q2", 3, "accepted");
	status_at(s, "Q2", 4, "accepted");
	status_at(s, "Q2", 3, "rejected");
	/* Becomes the breaker of a run that had none. */
	status_at(s, "Q3", 3, "reached");
	status_at(s, "Q3", 4, "reached");
	status_at(s, "Q3", 2, "done");
	/* Breaks the run on its start's date. */
	status_at(s, "Q4", 3, "submitted");
	status_at(s, "Q4", 4, "accepted");
	status_at(s, "Q4", 3, "rejected");
	/* Before the breaker: nothing changes; then between breaker and start. */
	status_at(s, "Q5", 3, "in_progress");
	status_at(s, "Q5", 5, "reached");
	status_at(s, "Q5", 2, "reached");
	status_at(s, "Q5", 4, "done");
	status_at(s, "Q5", 4, "reached");
	assert_verified(s, "each way");
	uint64_t r = 0x2545f4914f6cdd1du;
	for (int i = 0; i < 1200; i++) {
		struct new_entry v[3];
		char eff[3][16];
		size_t n = 1 + (pick(&r, statuses, 8)[0] == 'd' ? 2 : 0);
		for (size_t j = 0; j < n; j++) {
			/* A day of its own, every fourth some days back. */
			int day = i / 3 - (r % 4 == 0 ? (int)(r / 4 % 5) : 0);
			date_format(date_from_ymd(2016, 1, 1) + (day < 0 ? 0 : day), eff[j]);
			v[j] = (struct new_entry){ .effective = D(eff[j]), .login = "janis", .uid = 1000,
			                           .item = pick(&r, items, 5), .kind = "status",
			                           .value = pick(&r, statuses, 8) };
		}
		cr_assert_eq(store_append(s, v, n, NULL, &e), 0, "%s", e.msg);
		if (i % 50 == 49) {
			char what[32];
			snprintf(what, sizeof what, "after %d writes", i + 1);
			assert_verified(s, what);
		}
	}
	struct facts now[4];
	for (int i = 0; i < 4; i++)
		now[i] = facts_at(s, &p, asofs_here[i]);
	cr_assert(now[3].deliverables[0].has_status && now[3].milestones[0].has_status);
	store_close(s);
	assert_as_schema_1(&p, now, asofs_here, 4, "schema 1");
}

/* A distinct target none of whose entries is undone has its months from
 * the counts (reach_value_first: each value's first date over all
 * partners), not from every pair: the facts with months equal those read
 * from the whole log (schema 1), as of dates before, between and after
 * the entries (after all of them both targets come from the counts), and
 * when a revert sends one target back to its pairs. */
Test(store, distinct_months_from_the_counts)
{
	static const char *const who[] = {"LITC", "LLA", "NETPORT"};
	static const char *const states[] = {"LV", "SE", "EE", "FI", "LT", "DE"};
	static const char *const events[] = {"kickoff", "fair", "webinar", "review"};
	static const char *const asofs_here[] = {"2016-01-31", "2016-05-20", "2017-03-31", "2017-12-31"};
	struct project p = fixture_project(3);
	struct store *s = create_log();
	uint64_t r = 0x51ed2701u;
	for (int i = 0; i < 120; i++) {
		char eff[16];
		snprintf(eff, sizeof eff, "2016-%02d-%02d", 1 + (int)(r % 12), 1 + (int)(r / 12 % 28));
		if (i % 3 == 2)
			add(s, eff, pick(&r, who, 3), "events", "reach", pick(&r, events, 4));
		else
			add(s, eff, pick(&r, who, 3), "member-states", "reach", pick(&r, states, 6));
	}
	int64_t last = add(s, "2016-10-15", "LLA", "events", "reach", "gala");
	struct facts now[4], later[4];
	for (int i = 0; i < 4; i++)
		now[i] = facts_at(s, &p, asofs_here[i]);
	cr_assert_eq(now[3].targets[1].total, 6);
	cr_assert_eq(now[3].targets[2].total, 5);
	cr_assert_lt(now[3].targets[1].by_month[0], 6, "the states arrive over the months");
	add_revert(s, "2017-06-01", last);
	for (int i = 0; i < 4; i++)
		later[i] = facts_at(s, &p, asofs_here[i]);
	cr_assert_eq(later[3].targets[2].total, 4, "the undone value is out");
	/* Before the revert's date it changes no target. */
	for (int i = 0; i < 3; i++)
		for (int t = 1; t < 3; t++) {
			const struct reach_fact *x = &later[i].targets[t], *y = &now[i].targets[t];
			cr_assert_eq(x->total, y->total, "%s: target %d", asofs_here[i], t);
			for (int m = 0; m < p.nmonths; m++)
				cr_assert_eq(x->by_month[m], y->by_month[m], "%s: target %d M%d", asofs_here[i], t, m + 1);
			for (int k = 0; k < p.npartners; k++)
				cr_assert_eq(x->by_partner[k], y->by_partner[k], "%s: target %d", asofs_here[i], t);
		}
	for (int i = 0; i < 4; i++)
		facts_free(&now[i]);
	store_close(s);
	assert_as_schema_1(&p, later, asofs_here, 4, "schema 1, after the revert");
}

/* The totals of effort (what status reads: STORE_FACTS_RES_TOTALS) where
 * undone entries fall in many cells, their reverts written in no order of
 * cell: each partner x WP sum equals the one the whole log gives (schema
 * 1 reads every month from the log), at dates before, between and after
 * the reverts. Some undone entries are the latest of their month (the
 * month is read again), some are not (nothing changes). */
Test(store, undone_efforts_in_many_cells)
{
	static const char *const who[] = {"LITC", "NETPORT", "LLA"};
	static const char *const wp_ids[] = {"WP1", "WP4"};
	static const char *const asofs_here[] = {"2016-03-31", "2016-06-15", "2016-12-31", "2017-09-30"};
	struct project p = fixture_project(3);
	struct store *s = create_log();
	int64_t ids[3][2][6][2];
	for (int m = 0; m < 6; m++)
		for (int k = 0; k < 2; k++)
			for (int pi = 0; pi < 3; pi++)
				for (int wi = 0; wi < 2; wi++) {
					char eff[16], v[32];
					snprintf(eff, sizeof eff, "2016-%02d-%02d", m + 1, 10 + k);
					snprintf(v, sizeof v, "2016-%02d:0.%d%d", m + 1, 1 + pi + k, 2 + wi + m);
					ids[pi][wi][m][k] = add(s, eff, who[pi], wp_ids[wi], "effort", v);
				}
	/* Last cell first: LLA WP4 back to LITC WP1; the month's latest entry
	 * (k = 1) in odd months, the one it replaced (k = 0) in even ones. */
	for (int pi = 2; pi >= 0; pi--)
		for (int wi = 1; wi >= 0; wi--)
			for (int m = 5; m >= 0; m -= 2 - (pi + wi) % 2)
				add_revert(s, m < 3 ? "2016-06-01" : "2016-11-01", ids[pi][wi][m][m % 2]);
	/* An undone entry superseded in its month before its revert (k = 0)
	 * is not looked up in effort_month; one superseded after it is, and
	 * verify finds undone_pack's sup as the migration makes it. */
	for (int m = 0; m < 3; m++) {
		char eff[16], v[32];
		snprintf(eff, sizeof eff, "2016-%02d-20", m + 1);
		snprintf(v, sizeof v, "2016-%02d:0.%d5", m + 1, 4 + m);
		add(s, eff, "NETPORT", "WP1", "effort", v);
	}
	assert_verified(s, "efforts undone and superseded");
	struct facts now[4];
	for (int i = 0; i < 4; i++) {
		struct err e = {0};
		cr_assert_eq(store_facts_opts(s, &p, D(asofs_here[i]), STORE_FACTS_RES_TOTALS, &now[i], &e), 0,
		             "%s", e.msg);
	}
	/* LLA WP4 by the end: months 1-6 with month 6's latest undone (its
	 * first entry, 0.53 + ... counts instead). */
	long want = 0;
	for (int m = 0; m < 6; m++) {
		int k = m == 5 || m == 3 || m == 1 ? 0 : 1;
		want += (1 + 2 + k) * 10 + 2 + 1 + m;
	}
	cr_assert_eq(now[3].res.spent[2 * 2 + 1], want, "LLA WP4: %ld, want %ld", now[3].res.spent[2 * 2 + 1],
	             want);
	store_close(s);
	sql_exec(dbpath, TO_SCHEMA_1);
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	for (int i = 0; i < 4; i++) {
		struct facts old;
		cr_assert_eq(store_facts_opts(s, &p, D(asofs_here[i]), STORE_FACTS_RES_TOTALS, &old, &e), 0,
		             "%s", e.msg);
		for (int c = 0; c < 6; c++)
			cr_assert_eq(now[i].res.spent[c], old.res.spent[c], "%s: cell %d: %ld, the log %ld",
			             asofs_here[i], c, now[i].res.spent[c], old.res.spent[c]);
		cr_assert_eq(now[i].res.entries, old.res.entries, "%s: entries", asofs_here[i]);
		facts_free(&old);
		facts_free(&now[i]);
	}
	store_close(s);
}

/* Schema 18: the revert of an effort entry that a later one of its month
 * had superseded is left out of undone_pack (no month's row holds such an
 * entry again); a walk through the cell's entries, where the month's entry
 * is dated after the as-of date, reads the cell's undone entries from
 * undone and leaves the entry out: in the totals status reads, in the
 * months the dashboard and --json read, and in one cell's months. The
 * same entries reverted before the later one came are packed and read so
 * too. */
Test(store, superseded_effort_reverts_left_out_of_the_pack)
{
	static const char *const asofs_here[] = {"2016-01-31", "2016-02-15", "2016-03-31"};
	static const long want[3][2] = {{50, 30}, {0, 0}, {80, 90}};
	struct project p = fixture_project(2);
	struct store *s = create_log();
	int64_t a = add(s, "2016-01-10", "LITC", "WP1", "effort", "2016-01:0.50");
	add(s, "2016-03-10", "LITC", "WP1", "effort", "2016-01:0.80");
	int64_t b = add(s, "2016-01-10", "NETPORT", "WP4", "effort", "2016-01:0.30");
	add_revert(s, "2016-02-01", a);
	add_revert(s, "2016-02-01", b);
	add(s, "2016-03-10", "NETPORT", "WP4", "effort", "2016-01:0.90");
	assert_verified(s, "a superseded effort entry's revert left out");
	struct facts f[3];
	for (int i = 0; i < 3; i++) {
		struct err e = {0};
		struct facts tot;
		cr_assert_eq(store_facts_opts(s, &p, D(asofs_here[i]), STORE_FACTS_RES_TOTALS, &tot, &e), 0, "%s",
		             e.msg);
		f[i] = facts_at(s, &p, asofs_here[i]);
		for (int c = 0; c < 2; c++) {
			int pi = c, wi = c, at = pi * p.nwps + wi;
			long pm[32] = {0};
			cr_assert_eq(store_res_months(s, &p, D(asofs_here[i]), pi, wi, pm, NULL, &e), 0, "%s", e.msg);
			cr_assert_eq(tot.res.spent[at], want[i][c], "%s cell %d: totals %ld, want %ld", asofs_here[i],
			             c, tot.res.spent[at], want[i][c]);
			cr_assert_eq(f[i].res.effort[(size_t)at * (size_t)p.nmonths], want[i][c],
			             "%s cell %d: months %ld, want %ld", asofs_here[i], c,
			             f[i].res.effort[(size_t)at * (size_t)p.nmonths], want[i][c]);
			cr_assert_eq(pm[0], want[i][c], "%s cell %d: one cell %ld, want %ld", asofs_here[i], c, pm[0],
			             want[i][c]);
		}
		facts_free(&tot);
	}
	store_close(s);
	cr_assert_eq(pack_records(), 1, "LITC's revert left out, NETPORT's packed: %d", pack_records());
	assert_as_schema_1(&p, f, asofs_here, 3, "schema 1, a superseded effort entry undone");
	log_remove();
}

/* Schema 18: the revert of a status that a later status of its item, of
 * no done value, came before is left out of undone_pack (it is neither
 * latest's entry nor in the run latest keeps, nor its breaker); a walk
 * through the item's entries, once every later one is undone, reads the
 * item's undone statuses from undone and leaves it out. */
Test(store, superseded_status_reverts_left_out_of_the_pack)
{
	static const char *const asofs_here[] = {"2016-01-31", "2016-03-12", "2016-03-31"};
	struct project p = fixture_project(2);
	struct store *s = create_log();
	int64_t s1 = add(s, "2016-01-05", NULL, "D1.1", "status", "submitted");
	int64_t s2 = add(s, "2016-02-05", NULL, "D1.1", "status", "drafting");
	int64_t s3 = add(s, "2016-03-05", NULL, "D1.1", "status", "submitted");
	add_revert(s, "2016-03-10", s1);
	add_revert(s, "2016-03-15", s2);
	add_revert(s, "2016-03-20", s3);
	assert_verified(s, "a superseded status's revert left out");
	struct facts f[3];
	for (int i = 0; i < 3; i++)
		f[i] = facts_at(s, &p, asofs_here[i]);
	store_close(s);
	cr_assert_eq(pack_records(), 2, "the first status's revert left out: %d packed", pack_records());
	/* Before the reverts: the first submission, walked to (the latest
	 * status is dated after the as-of date). */
	cr_assert(f[0].deliverables[0].has_status && strcmp(f[0].deliverables[0].status, "submitted") == 0);
	cr_assert_eq(f[0].deliverables[0].done_date, D("2016-01-05"));
	/* The first two undone: the run latest keeps, from the third. */
	cr_assert(f[1].deliverables[0].has_status && strcmp(f[1].deliverables[0].status, "submitted") == 0);
	cr_assert_eq(f[1].deliverables[0].done_date, D("2016-03-05"));
	/* All three undone: no status, the left-out revert read in the walk. */
	cr_assert_not(f[2].deliverables[0].has_status, "D1.1: %s", f[2].deliverables[0].status);
	assert_as_schema_1(&p, f, asofs_here, 3, "schema 1, a superseded status undone");
	log_remove();
}

/* An undone count entry takes out the number SQLite's CAST reads from its
 * value, however odd the value (numbers whose sums fit in 64 bits): the
 * facts equal those read from the whole log (schema 1), where the undone
 * entries are left out in SQL. */
Test(store, odd_counts_undone)
{
	static const char *const odd[] = {
		"+12", "-7", "=40", "+ 12", "+\t5", "+007", "-0", "+1e3", "+0x10", "+.5", "+x1",
		"+999999999999999999", "+-3", "-+4",
		"+\xc3\xa9" "1", "+\x01" "9", "=", "+", "+12abc",
	};
	static const char *const asofs_here[] = {"2016-02-15", "2016-05-31", "2017-09-30"};
	const int nodd = (int)(sizeof odd / sizeof odd[0]);
	struct project p = fixture_project(3);
	struct store *s = create_log();
	add(s, "2016-01-05", "LLA", "sme", "reach", "=100");
	for (int i = 0; i < nodd; i++) {
		char eff[16];
		snprintf(eff, sizeof eff, "2016-%02d-%02d", 1 + i % 4, 6 + i);
		int64_t id = add(s, eff, i % 2 ? "LITC" : "NETPORT", "sme", "reach", odd[i]);
		add(s, eff, "LLA", "sme", "reach", odd[i]);
		add_revert(s, i % 3 ? "2016-05-01" : "2016-02-01", id);
	}
	struct facts now[3];
	for (int i = 0; i < 3; i++)
		now[i] = facts_at(s, &p, asofs_here[i]);
	cr_assert_eq(now[2].targets[0].by_partner[0], 0, "every LITC entry is undone");
	store_close(s);
	assert_as_schema_1(&p, now, asofs_here, 3, "schema 1, odd counts undone");
}

/* Schema 16: the reverts are read from undone_pack, 48 to a row. 150
 * reverts of statuses, progress and counts, less those of progress
 * entries a later one of their task had superseded (schema 17), make rows
 * of 48 as the append writes them, which verify finds equal to the
 * migration's; the facts are read from the rows (a changed undone does
 * not change them), from undone where a row does not read (and verify
 * names the table), and equal those read from the whole log (schema 1). */
Test(store, reverts_read_from_their_pack)
{
	static const char *const who[] = {"LITC", "NETPORT", "LLA"};
	static const char *const items[] = {"T1.1", "T4.1", "D1.1", "MS1"};
	static const char *const statuses[] = {"in_progress", "submitted", "accepted", "reached"};
	static const char *const asofs_here[] = {"2016-04-30", "2016-08-31", "2017-09-30"};
	struct project p = fixture_project(3);
	struct store *s = create_log();
	int64_t ids[300];
	char effs[300][16];
	for (int i = 0; i < 300; i++) {
		char *eff = effs[i], v[16];
		snprintf(eff, sizeof effs[i], "2016-%02d-%02d", 1 + i % 6, 1 + i % 28);
		if (i % 3 == 0) {
			ids[i] = add(s, eff, NULL, items[i / 3 % 4], "status", statuses[i / 12 % 4]);
		} else if (i % 3 == 1) {
			snprintf(v, sizeof v, "%d", i % 101);
			ids[i] = add(s, eff, NULL, items[i / 3 % 2], "progress", v);
		} else {
			snprintf(v, sizeof v, "+%d", 1 + i % 9);
			ids[i] = add(s, eff, who[i / 3 % 3], "sme", "reach", v);
		}
	}
	/* Every entry comes before the reverts: a progress entry is
	 * superseded when a later one (by date, then id) of its task exists.
	 * The latest progress of a task is not reverted, so that no read
	 * walks the log (which reads undone; see
	 * superseded_reverts_left_out_of_the_pack). */
	int packed = 0;
	for (int i = 0; i < 300; i += 2) {
		int sup = 0;
		for (int j = 0; i % 3 == 1 && j < 300 && !sup; j++)
			sup = j % 3 == 1 && j / 3 % 2 == i / 3 % 2 &&
			      (strcmp(effs[j], effs[i]) > 0 || (strcmp(effs[j], effs[i]) == 0 && ids[j] > ids[i]));
		if (i % 3 == 1 && !sup)
			continue;
		/* A status with a later one of its item in progress (schema
		 * 18) is left out too. */
		for (int j = 0; i % 3 == 0 && j < 300 && !sup; j++)
			sup = j % 3 == 0 && j / 3 % 4 == i / 3 % 4 && j / 12 % 4 == 0 && strcmp(effs[j], effs[i]) > 0;
		add_revert(s, i % 4 ? "2016-07-01" : "2016-03-01", ids[i]);
		packed += !sup;
	}
	char rows[64] = "";
	for (int left = packed; left > 0; left -= 48)
		snprintf(rows + strlen(rows), sizeof rows - strlen(rows), "%s%d", rows[0] ? " " : "",
		         left < 48 ? left : 48);
	struct facts now[3], again[3];
	for (int i = 0; i < 3; i++) {
		now[i] = facts_at(s, &p, asofs_here[i]);
		again[i] = facts_at(s, &p, asofs_here[i]);
	}
	assert_verified(s, "the packs the append wrote");
	store_close(s);

	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT group_concat(n, ' ') FROM (SELECT n FROM undone_pack ORDER BY grp)",
	                                -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), rows);
	sqlite3_finalize(st);
	sqlite3_close(db);

	/* A row that does not read: the facts from undone, and verify names
	 * the table. */
	struct err e = {0};
	sql_exec(dbpath, "UPDATE undone_pack SET rows = rows || '9' WHERE grp = (SELECT MAX(grp) FROM undone_pack)");
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	for (int i = 0; i < 3; i++) {
		struct facts f = facts_at(s, &p, asofs_here[i]);
		facts_assert_same(&p, &now[i], &f, asofs_here[i], "a row that does not read");
		facts_free(&f);
	}
	struct chain_report rep;
	cr_assert_eq(store_verify(s, NULL, &rep, &e), 0, "%s", e.msg);
	cr_assert_eq(rep.fault, CHAIN_SUMMARY, "verify: %s", rep.what);
	cr_assert(strstr(rep.what, "undone_pack"), "verify names the table: %s", rep.what);
	store_close(s);

	/* The rows as they were, and undone changed but for the statuses: the
	 * facts from the rows (after every entry's date: before them, the
	 * latest progress of a task is dated after the as-of date, and its
	 * walk reads every revert from undone; an item whose latest status is
	 * undone is walked, and the walk reads its undone statuses from
	 * undone, schema 18). */
	sql_exec(dbpath, "UPDATE undone_pack SET rows = substr(rows, 1, length(rows) - 1)"
	                 " WHERE grp = (SELECT MAX(grp) FROM undone_pack);"
	                 " UPDATE undone SET rvalue = 'x', id = NULL WHERE kind IS NOT 'status'");
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	for (int i = 0; i < 3; i++) {
		if (i >= 1) {
			struct facts f = facts_at(s, &p, asofs_here[i]);
			facts_assert_same(&p, &now[i], &f, asofs_here[i], "undone changed");
			facts_free(&f);
		}
		facts_free(&now[i]);
	}
	store_close(s);
	assert_as_schema_1(&p, again, asofs_here, 3, "schema 1, reverts from their pack");
}

/* Schema 17: the revert of a progress, bench or label entry that a later
 * entry of its key had superseded is left out of undone_pack, as the
 * migration leaves it out (verify); latest's rows never hold such an
 * entry. A walk through a key's entries meets it: here when the later
 * entry is undone too, or a latest entry is dated after the as-of date,
 * and the walk must still skip it. A revert written before the later
 * entry is kept. */
Test(store, superseded_reverts_left_out_of_the_pack)
{
	static const char *const asofs_here[] = {"2016-02-15", "2016-03-15", "2016-04-15", "2016-05-15",
	                                         "2016-06-15"};
	struct project p = fixture_project(2);
	struct store *s = create_log();
	int64_t p20 = add(s, "2016-02-01", "LITC", "T1.1", "progress", "20");
	int64_t p50 = add(s, "2016-03-01", "LITC", "T1.1", "progress", "50");
	int64_t b2 = add(s, "2016-02-01", "LITC", "G1", "bench", "2");
	int64_t b4 = add(s, "2016-03-01", "LITC", "G1", "bench", "4.5");
	int64_t lb = add(s, "2016-02-01", "LITC", NULL, "label", "bronze");
	int64_t lsv = add(s, "2016-03-01", "LITC", NULL, "label", "silver");
	int64_t b10 = add(s, "2016-02-01", "NETPORT", "G2", "bench", "10");
	int64_t b11 = add(s, "2016-03-01", "NETPORT", "G2", "bench", "11");
	/* Reverted before the later entry came: kept. */
	int64_t q30 = add(s, "2016-02-01", "LITC", "T4.1", "progress", "30");
	add_revert(s, "2016-04-01", q30);
	add(s, "2016-03-01", "LITC", "T4.1", "progress", "70");
	/* Superseded when reverted. */
	add_revert(s, "2016-04-01", p20);
	add_revert(s, "2016-04-01", b2);
	add_revert(s, "2016-04-01", lb);
	add_revert(s, "2016-04-01", b10);
	/* The latest ones, reverted later. */
	add_revert(s, "2016-05-01", p50);
	add_revert(s, "2016-05-01", b4);
	add_revert(s, "2016-05-01", lsv);
	add_revert(s, "2016-05-01", b11);
	/* NETPORT's G2 again, dated after every as-of date. */
	add(s, "2016-12-01", "NETPORT", "G2", "bench", "12");
	assert_verified(s, "the pack without the superseded reverts");
	struct facts f[5];
	for (int i = 0; i < 5; i++)
		f[i] = facts_at(s, &p, asofs_here[i]);
	store_close(s);

	int packed = pack_records();
	cr_assert_eq(packed, 5, "9 reverts, 4 of them superseded: %d packed", packed);

	/* 2016-04-15: the earlier ones undone, the later ones not yet. */
	cr_assert(f[2].tasks[0].has_progress && f[2].tasks[0].progress == 50);
	cr_assert(f[2].bench_has[0] && f[2].bench[0] == 4.5);
	cr_assert_eq(f[2].label[0], 1);
	cr_assert(f[2].bench_has[3] && f[2].bench[3] == 11);
	cr_assert(f[2].tasks[1].has_progress && f[2].tasks[1].progress == 70);
	/* 2016-06-15: both undone, walked past. */
	cr_assert_not(f[4].tasks[0].has_progress, "T1.1 at %d", f[4].tasks[0].progress);
	cr_assert_not(f[4].bench_has[0], "G1 at %g", f[4].bench[0]);
	cr_assert_eq(f[4].label[0], -1);
	cr_assert_not(f[4].bench_has[3], "G2 at %g", f[4].bench[3]);
	cr_assert(f[4].tasks[1].has_progress && f[4].tasks[1].progress == 70);

	/* A log of schema 16, whose pack held every revert (here a row of
	 * other content): the migration makes it again as the append would
	 * have. */
	sql_exec(dbpath, "DELETE FROM undone_pack; INSERT INTO undone_pack VALUES (1, 1, 1, '-');"
	                 " PRAGMA user_version = 16;");
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
	assert_verified(s, "the pack the migration from schema 16 made");
	assert_facts_at(s, &p, f, asofs_here, 5, "migrated from schema 16");
	store_close(s);

	/* A log of schema 16 not migrated yet, its pack as schema 16 made it
	 * (every revert): verify, which does not migrate, finds it as its
	 * schema keeps it, and the facts are the same from it. */
	sqlite3 *db16;
	cr_assert_eq(sqlite3_open(dbpath, &db16), SQLITE_OK);
	cr_assert_eq(store_migrate_step(db16, 15), SQLITE_OK, "%s", sqlite3_errmsg(db16));
	cr_assert_eq(sqlite3_exec(db16, "DROP INDEX undone_key; PRAGMA user_version = 16", NULL, NULL, NULL),
	             SQLITE_OK);
	sqlite3_close(db16);
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	assert_verified(s, "an unmigrated log of schema 16");
	assert_facts_at(s, &p, f, asofs_here, 5, "schema 16, every revert in its pack");
	store_close(s);
	cr_assert_eq(pack_records(), 9, "schema 16 packs every revert");
	assert_as_schema_1(&p, f, asofs_here, 5, "schema 1, superseded reverts");
	log_remove();
}

/* An entry reverted twice (only a hand-made log has that: the store
 * refuses the second) is undone once, from the earlier revert's date:
 * the two reverts in undone_pack, as the migration builds it, are merged
 * by id. */
Test(store, an_entry_reverted_twice_is_undone_once)
{
	struct project p = fixture_project(1);
	struct store *s = create_log();
	int64_t a = add(s, "2016-01-10", "LITC", "sme", "reach", "+5");
	add(s, "2016-01-12", "LITC", "sme", "reach", "+7");
	add_revert(s, "2016-03-01", a);
	store_close(s);
	char *sql = sqlite3_mprintf(
		"INSERT INTO log (recorded_at, effective, login, uid, kind, value)"
		" VALUES (1, '2016-02-01', 'janis', 1000, 'revert', '%lld');"
		" INSERT INTO undone SELECT r.id, r.effective, r.value, t.id, t.kind, t.item, t.partner,"
		" t.effective, t.value FROM log r JOIN log t ON t.id = %lld WHERE r.id = 4;"
		" UPDATE log_stats SET entries = entries + 1, top_id = 4, last_recorded = 1;"
		" DROP TABLE undone_pack; PRAGMA user_version = 15;", (long long)a, (long long)a);
	sql_exec(dbpath, sql);
	sqlite3_free(sql);
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
	static const struct { const char *asof; long want; } at[] = {
		{"2016-01-31", 12}, {"2016-02-15", 7}, {"2016-06-30", 7},
	};
	for (int i = 0; i < 3; i++) {
		struct facts f = facts_at(s, &p, at[i].asof);
		cr_assert_eq(f.targets[0].by_partner[0], at[i].want, "%s: %ld, want %ld", at[i].asof,
		             f.targets[0].by_partner[0], at[i].want);
		facts_free(&f);
	}
	store_close(s);
}

/* The undone entries are found by their ids, whatever their bytes: with
 * ids on both sides of 2^24 (the log's sequence set just below it by
 * hand), reverted newest first, the latest progress undone gives way to
 * the one before and the reach entries undone are out, as counted here
 * and as the whole log gives them (schema 1, which reads its reverts the
 * same way). */
Test(store, reverts_found_by_ids_past_2_to_the_24)
{
	static const char *const asofs_here[] = {"2016-04-30", "2017-09-30"};
	struct project p = fixture_project(1);
	struct store *s = create_log_after_id(16777150);
	/* Reach entries at even i, progress at odd i (i / 2 percent), the
	 * first ones latest (the latest progress, of the greatest date, then
	 * id, has an id below 2^24). */
	int64_t ids[160];
	int latest = -1;
	for (int i = 0; i < 160; i++) {
		char eff[16], v[16];
		int m = 6 - i / 30, d = 1 + i % 28;
		snprintf(eff, sizeof eff, "2016-%02d-%02d", m, d);
		snprintf(v, sizeof v, i % 2 ? "%d" : "+%d", i % 2 ? i / 2 : 1 + i % 7);
		ids[i] = add(s, eff, i % 2 ? NULL : i % 4 ? "LLA" : "LITC", i % 2 ? "T1.1" : "sme",
		             i % 2 ? "progress" : "reach", v);
		if (i % 2 && (latest < 0 || m * 100 + d >= (6 - latest / 30) * 100 + 1 + latest % 28))
			latest = i;
	}
	cr_assert_lt(ids[latest], (int64_t)1 << 24);
	cr_assert_gt(ids[159], (int64_t)1 << 24);
	/* Undone, newest first: every third entry and the latest progress;
	 * what is left is the reach entries' sum and the latest of the other
	 * progress entries. */
	long want = 0;
	int live = -1;
	for (int i = 159; i >= 0; i--) {
		if ((159 - i) % 3 == 0 || i == latest) {
			add_revert(s, "2016-03-01", ids[i]);
			continue;
		}
		int m = 6 - i / 30, d = 1 + i % 28;
		if (i % 2 == 0)
			want += 1 + i % 7;
		else if (live < 0 || m * 100 + d > (6 - live / 30) * 100 + 1 + live % 28)
			live = i;
	}
	struct facts now[2];
	for (int i = 0; i < 2; i++)
		now[i] = facts_at(s, &p, asofs_here[i]);
	/* Both readers sort alike: the numbers themselves too. */
	cr_assert_eq(now[1].tasks[0].progress, live / 2, "progress %d, want %d", now[1].tasks[0].progress,
	             live / 2);
	cr_assert_eq(now[1].targets[0].total, want, "reach %ld, want %ld", now[1].targets[0].total, want);
	store_close(s);
	assert_as_schema_1(&p, now, asofs_here, 2, "schema 1, ids past 2^24");
}

/* A deliverable's and a milestone's done run, with every subset of their
 * statuses undone: the run latest keeps holds where the undone entries
 * are before its breaker, or of the run's values before it began, and is
 * read from the log otherwise; the facts equal those read from the whole
 * log (schema 1), equal dates included (a breaker on the day the run
 * began, a run begun on the breaker's day). */
Test(store, undone_statuses_around_a_run, .timeout = 120)
{
	static const struct { const char *item, *eff, *value; } seq[][5] = {
		{{"D1.1", "2016-02-01", "planned"}, {"D1.1", "2016-03-01", "submitted"},
		 {"D1.1", "2016-04-01", "rejected"}, {"D1.1", "2016-04-01", "submitted"},
		 {"D1.1", "2016-05-01", "accepted"}},
		{{"MS1", "2016-01-10", "reached"}, {"MS1", "2016-02-10", "in_progress"},
		 {"MS1", "2016-02-10", "reached"}, {"MS1", "2016-06-10", "reached"},
		 {"MS1", "2016-07-10", "reached"}},
	};
	static const char *const asofs_here[] = {"2016-03-01", "2016-04-15", "2016-12-31"};
	struct project p = fixture_project(1);
	for (int mask = 0; mask < 32; mask++) {
		struct store *s = create_log();
		int64_t ids[2][5];
		for (int k = 0; k < 5; k++)
			for (int j = 0; j < 2; j++)
				ids[j][k] = add(s, seq[j][k].eff, NULL, seq[j][k].item, "status", seq[j][k].value);
		for (int k = 0; k < 5; k++)
			for (int j = 0; j < 2; j++)
				if (mask & (1 << k))
					add_revert(s, "2016-08-01", ids[j][k]);
		struct facts now[3];
		for (int i = 0; i < 3; i++)
			now[i] = facts_at(s, &p, asofs_here[i]);
		store_close(s);
		char what[64];
		snprintf(what, sizeof what, "schema 1, undone %#x", (unsigned)mask);
		assert_as_schema_1(&p, now, asofs_here, 3, what);
		log_remove();
	}
}

/* Does another process see a lock of ours (type want) on bytes
 * [start, start + len) of path? Asked from a child: F_GETLK shows only
 * another process's locks. */
static int locked_for_others(const char *path, off_t start, off_t len)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int fd = open(path, O_RDWR);
		struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
		_exit(fd >= 0 && fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK ? 0 : 1);
	}
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* SQLite's POSIX locks on the log are the process's, and closing any
 * descriptor of the file drops every one of them: a second open of the
 * log in the same process (a dashboard's write, the setgid connection
 * held for one) must leave the first connection's locks in place. Without
 * its shared lock another process closing its connection would take
 * itself for the last one and checkpoint and cut the -wal under the
 * first, whose next read fails (or worse). */
Test(store, a_second_open_keeps_the_first_ones_locks)
{
	struct store *w = create_log();
	add(w, "2016-02-01", "LITC", "T1.1", "status", "in_progress");
	store_close(w);
	struct store *s, *t;
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	char shm[320];
	snprintf(shm, sizeof shm, "%s-shm", dbpath);
	/* SQLite's shared lock on the log (the bytes after the pending
	 * byte) and its hold on the -shm (byte 128). */
	const off_t shared = 1073741824 + 2, nshared = 510;
	cr_assert(locked_for_others(dbpath, shared, nshared), "the first connection's shared lock");
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &t, &e), 0, "%s", e.msg);
	add(t, "2016-02-02", "LITC", "T1.1", "status", "done");
	store_close(t);
	cr_assert_eq(store_open(dbpath, STORE_READ, &t, &e), 0, "%s", e.msg);
	store_close(t);
	cr_assert(locked_for_others(dbpath, shared, nshared), "a second open dropped the first one's lock");
	cr_assert(locked_for_others(shm, 128, 1), "a second open dropped the first one's hold on the -shm");
	struct project p = make_project();
	struct facts f = facts_at(s, &p, "2016-03-01");
	cr_assert_str_eq(f.tasks[0].status, "done", "the first connection reads the second's write");
	facts_free(&f);
	store_close(s);
	/* With no connection left, the descriptors kept for it are closed too,
	 * however often the log was opened. */
	for (int i = 0; i < 20; i++) {
		cr_assert_eq(store_open(dbpath, i % 2 ? STORE_WRITE : STORE_READ, &t, &e), 0, "%s", e.msg);
		store_close(t);
	}
	cr_assert_eq(fds_on(dbpath), 0, "descriptors of the log left open: %d", fds_on(dbpath));
}

/* The use of resources of a and b equal (facts_assert_same leaves it
 * out): the month grids where both have them, the cells' totals, costs
 * by category and by WP, and the count of entries. */
static void res_assert_same(const struct res_facts *a, const struct res_facts *b, const char *asof,
                            const char *what, uint32_t seed)
{
	size_t cells = (size_t)a->npartners * (size_t)a->nwps;
	if (a->effort && b->effort)
		for (size_t c = 0; c < cells * (size_t)a->nmonths; c++)
			cr_assert_eq(a->effort[c], b->effort[c], "seed %u %s %s: effort cell %zu month %zu: %ld vs %ld",
			             seed, what, asof, c / (size_t)a->nmonths, c % (size_t)a->nmonths + 1,
			             a->effort[c], b->effort[c]);
	if (a->spent && b->spent)
		for (size_t c = 0; c < cells; c++)
			cr_assert_eq(a->spent[c], b->spent[c], "seed %u %s %s: spent cell %zu: %ld vs %ld", seed, what,
			             asof, c, a->spent[c], b->spent[c]);
	for (size_t c = 0; c < (size_t)a->npartners * RES_NCAT; c++)
		cr_assert_eq(a->cost[c], b->cost[c], "seed %u %s %s: cost %zu: %ld vs %ld", seed, what, asof, c,
		             a->cost[c], b->cost[c]);
	for (size_t c = 0; c < cells; c++)
		cr_assert_eq(a->cost_wp[c], b->cost_wp[c], "seed %u %s %s: cost_wp %zu", seed, what, asof, c);
	cr_assert_eq(a->entries, b->entries, "seed %u %s %s: res entries %ld vs %ld", seed, what, asof,
	             a->entries, b->entries);
}

#define RV_NASOF 9
static const char *const rv_asofs[RV_NASOF] = {
	"2016-01-31", "2016-02-15", "2016-03-01", "2016-03-31", "2016-04-10", "2016-05-01",
	"2016-06-30", "2016-09-30", "2017-09-30",
};

static uint64_t rv_rng;
static uint32_t rv_rnd(uint32_t n)
{
	rv_rng = rv_rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rv_rng >> 33) % n;
}

static int rv_dense;
static void rv_date(char *out, int lo_month, int span)
{
	static const int days[] = {1, 1, 5, 5, 10, 15, 15, 28};
	if (rv_dense)
		snprintf(out, 11, "2016-%02d-%02d", lo_month + (int)rv_rnd((uint32_t)(span < 3 ? span : 3)),
		         rv_rnd(2) ? 1 : 15);
	else
		snprintf(out, 11, "2016-%02d-%02d", lo_month + (int)rv_rnd((uint32_t)span), days[rv_rnd(8)]);
}

static void rv_one(uint32_t seed, int hand)
{
	static const char *const ditems[] = {"D1.1", "D4.1", "MS1", "T1.1"};
	static const char *const dstat[] = {"planned", "submitted", "accepted", "rejected", "reached",
	                                    "in_progress"};
	static const char *const who[] = {"LITC", "NETPORT", "LLA"};
	static const char *const wpid[] = {"WP1", "WP4"};
	static const char *const cats[] = {"personnel", "travel"};
	struct project p = fixture_project(2);
	rv_rng = seed * 2654435761u + 1;
	rv_dense = (int)(seed % 2);
	struct store *s = create_log();
	int64_t ids[400];
	int nids = 0;
	unsigned char reverted[512] = {0};
	int n = 40 + (int)rv_rnd(80);
	/* One in ten to one in four of the entries a revert. */
	int revw = 1 + (int)(seed % 3);
	for (int i = 0; i < n && nids < 390; i++) {
		char eff[16], v[40];
		rv_date(eff, 1, 6);
		int k = (int)rv_rnd((uint32_t)(12 + revw));
		int64_t id;
		if (k < 3) {
			id = add(s, eff, NULL, ditems[rv_rnd(4)], "status", dstat[rv_rnd(6)]);
		} else if (k < 5) {
			static const char ops[] = "==++-";
			snprintf(v, sizeof v, "%c%u", ops[rv_rnd(5)], rv_rnd(20));
			id = add(s, eff, who[rv_rnd(3)], "sme", "reach", v);
		} else if (k < 6) {
			static const char *const dv[] = {"LV", "EE", "SE"};
			id = add(s, eff, who[rv_rnd(3)], "member-states", "reach", dv[rv_rnd(3)]);
		} else if (k < 8) {
			snprintf(v, sizeof v, "2016-%02u:%u.%02u", 1 + rv_rnd(4), rv_rnd(2), rv_rnd(100));
			id = add(s, eff, who[rv_rnd(2)], wpid[rv_rnd(2)], "effort", v);
		} else if (k < 9) {
			if (rv_rnd(2))
				snprintf(v, sizeof v, "%u.%02u:%s", 1 + rv_rnd(50), rv_rnd(100), wpid[rv_rnd(2)]);
			else
				snprintf(v, sizeof v, "%u.%02u", 1 + rv_rnd(50), rv_rnd(100));
			id = add(s, eff, who[rv_rnd(2)], cats[rv_rnd(2)], "cost", v);
		} else if (k < 10) {
			/* One in eight a value that does not read: the walk goes on. */
			if (rv_rnd(8))
				snprintf(v, sizeof v, "%u", rv_rnd(101));
			else
				snprintf(v, sizeof v, "x");
			id = add(s, eff, "LITC", rv_rnd(2) ? "T1.1" : "T4.1", "progress", v);
		} else if (k < 11) {
			if (rv_rnd(8))
				snprintf(v, sizeof v, "%u.5", rv_rnd(5));
			else
				snprintf(v, sizeof v, "n/a");
			id = add(s, eff, who[rv_rnd(2)], rv_rnd(2) ? "G1" : "G2", "bench", v);
		} else if (k < 12) {
			static const char *const lv[] = {"bronze", "silver", "gold", "platinum"};
			id = add(s, eff, who[rv_rnd(2)], NULL, "label", lv[rv_rnd(4)]);
		} else {
			if (nids == 0)
				continue;
			int t = (int)rv_rnd((uint32_t)nids);
			if (reverted[t])
				continue;
			reverted[t] = 1;
			rv_date(eff, 1, 7);
			id = add_revert(s, eff, ids[t]);
			ids[nids] = id;
			reverted[nids++] = 1;
			continue;
		}
		ids[nids++] = id;
	}
	/* A second burst of reverts at the end. */
	for (int i = 0; i < 10; i++) {
		int t = (int)rv_rnd((uint32_t)nids);
		if (reverted[t])
			continue;
		reverted[t] = 1;
		char eff[16];
		rv_date(eff, 1, 7);
		add_revert(s, eff, ids[t]);
	}
	if (!hand && seed % 10 == 0)
		assert_verified(s, "random reverts");
	store_close(s);
	if (hand) {
		/* Hand-made: a second revert of an entry already reverted, a
		 * revert of an id that does not exist, undone_pack rebuilt by
		 * the migration. */
		sqlite3 *db;
		cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
		char *sql = sqlite3_mprintf(
			"INSERT INTO log (recorded_at, effective, login, uid, kind, value)"
			" SELECT 1, '2016-0' || (1 + abs(random()) %% 6) || '-15', 'janis', 1000, 'revert', u.id"
			" FROM undone u WHERE u.id IS NOT NULL ORDER BY u.rid LIMIT 3;"
			"INSERT INTO log (recorded_at, effective, login, uid, kind, value)"
			" VALUES (1, '2016-02-01', 'janis', 1000, 'revert', '99999');"
			"DELETE FROM undone; INSERT INTO undone SELECT r.id, r.effective, r.value, t.id, t.kind, t.item,"
			" t.partner, t.effective, t.value FROM log r LEFT JOIN log t ON t.id = CAST(r.value AS INTEGER)"
			" WHERE r.kind = 'revert';"
			"INSERT INTO log (recorded_at, effective, login, uid, kind, value)"
			" SELECT 1, '2016-03-15', 'janis', 1000, 'revert', r.id FROM log r WHERE r.kind = 'revert'"
			" ORDER BY r.id LIMIT 1;"
			"INSERT INTO log (recorded_at, effective, login, uid, kind, value)"
			" SELECT 1, '2016-01-20', 'janis', 1000, 'revert', MAX(id) + 3 FROM log;"
			"DELETE FROM undone; INSERT INTO undone SELECT r.id, r.effective, r.value, t.id, t.kind, t.item,"
			" t.partner, t.effective, t.value FROM log r LEFT JOIN log t ON t.id = CAST(r.value AS INTEGER)"
			" WHERE r.kind = 'revert';"
			"UPDATE log_stats SET entries = (SELECT COUNT(*) FROM log), top_id = (SELECT MAX(id) FROM log),"
			" last_recorded = 1;"
			"DROP TABLE undone_pack; PRAGMA user_version = 15;");
		char *msg = NULL;
		cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s", msg ? msg : "");
		sqlite3_free(sql);
		sqlite3_close(db);
		struct err e = {0};
		cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
		/* More entries, one of them the id a revert named before it was written. */
		for (int i = 0; i < 8; i++) {
			char eff[16], v[40];
			rv_date(eff, 1, 6);
			snprintf(v, sizeof v, "2016-%02u:%u.%02u", 1 + rv_rnd(4), rv_rnd(2), rv_rnd(100));
			if (i % 3 == 0)
				add(s, eff, who[rv_rnd(2)], wpid[rv_rnd(2)], "effort", v);
			else if (i % 3 == 1)
				add(s, eff, NULL, ditems[rv_rnd(4)], "status", dstat[rv_rnd(6)]);
			else
				add(s, eff, who[rv_rnd(3)], "sme", "reach", rv_rnd(2) ? "=4" : "+2");
		}
		store_close(s);
	}
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	struct facts full[RV_NASOF], nom[RV_NASOF], tot[RV_NASOF];
	for (int i = 0; i < RV_NASOF; i++) {
		full[i] = facts_at(s, &p, rv_asofs[i]);
		nom[i] = facts_no_months(s, &p, rv_asofs[i]);
		cr_assert_eq(store_facts_opts(s, &p, D(rv_asofs[i]), STORE_FACTS_RES_TOTALS, &tot[i], &e), 0, "%s",
		             e.msg);
	}
	store_close(s);
	sql_exec(dbpath, TO_SCHEMA_1);
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	char what[64];
	for (int i = 0; i < RV_NASOF; i++) {
		struct facts a = facts_at(s, &p, rv_asofs[i]);
		snprintf(what, sizeof what, "seed %u full", seed);
		facts_assert_same(&p, &full[i], &a, rv_asofs[i], what);
		res_assert_same(&full[i].res, &a.res, rv_asofs[i], "full", seed);
		struct facts b = facts_no_months(s, &p, rv_asofs[i]);
		no_months = 1;
		snprintf(what, sizeof what, "seed %u no months", seed);
		facts_assert_same(&p, &nom[i], &b, rv_asofs[i], what);
		no_months = 0;
		struct facts c;
		cr_assert_eq(store_facts_opts(s, &p, D(rv_asofs[i]), STORE_FACTS_RES_TOTALS, &c, &e), 0, "%s", e.msg);
		res_assert_same(&tot[i].res, &c.res, rv_asofs[i], "totals", seed);
		facts_free(&a);
		facts_free(&b);
		facts_free(&c);
		facts_free(&full[i]);
		facts_free(&nom[i]);
		facts_free(&tot[i]);
	}
	store_close(s);
	log_remove();
}

/* Random logs of every kind of entry the reverts touch (progress, bench
 * and label among them, whose superseded reverts undone_pack leaves out),
 * with reverts of random entries at random dates (equal dates crowded on
 * two days a month in half of them), read as of nine dates in the three ways the commands
 * read (whole, no months, the resources' totals) and compared with the
 * same log taken back to schema 1, the resources included. The shortcuts
 * the readers take for undone entries (run_holds, sup, the "=N" sets, the
 * merge of an entry reverted twice) each run in these logs: a wrong bound
 * in any of them fails this test. */
Test(store, reverts_at_random_against_schema_1, .timeout = 600)
{
	for (uint32_t seed = 1; seed <= 60; seed++)
		rv_one(seed, 0);
}

/* The same with what only a hand-made log has: a second revert of an
 * undone entry, a revert of a revert, of an id that does not exist and of
 * one not written yet; undone_pack made again by the migration, then more
 * entries appended. */
Test(store, hand_made_reverts_at_random_against_schema_1, .timeout = 600)
{
	for (uint32_t seed = 1; seed <= 20; seed++)
		rv_one(seed, 1);
}

/* Reverts of entries whose texts look like the pack's own fields ("0:",
 * "12,", "-", ...) or hold a newline or UTF-8, and ids past 10^18 (19
 * digits, which the pack's reader leaves to undone), as schema 1 reads
 * them. */
Test(store, reverts_of_odd_texts_and_huge_ids, .timeout = 120)
{
	static const char *const odd[] = {"", "-", "0:", "12,", "3:abc", "-5,", "1:", "9", "a\nb", "\xc3\xa9", ":",
	                                  "=1", "+3", "99999999999:x"};
	static const char *const asofs_here[] = {"2016-02-15", "2016-05-31", "2017-09-30"};
	const int nodd = (int)(sizeof odd / sizeof odd[0]);
	for (int huge = 0; huge < 2; huge++) {
		struct project p = fixture_project(2);
		struct store *s = huge ? create_log_after_id(999999999999999985LL) : create_log();
		for (int i = 0; i < nodd; i++) {
			char eff[16];
			snprintf(eff, sizeof eff, "2016-%02d-%02d", 1 + i % 4, 6 + i);
			int64_t a = add(s, eff, i % 2 ? "LITC" : "NETPORT", "member-states", "reach", odd[i]);
			add(s, eff, "LLA", "member-states", "reach", odd[i]);
			int64_t b = add(s, eff, odd[i][0] ? odd[i] : "x", odd[i][0] ? odd[i] : "y", "reach", "+4");
			int64_t c = add(s, eff, "LLA", "sme", "reach", i % 3 ? "+2" : "=7");
			int64_t d = add(s, eff, "LITC", "WP1", "effort", i % 2 ? "2016-01:0.50" : "2016-02:0.25");
			add_revert(s, i % 3 ? "2016-05-01" : "2016-02-01", a);
			add_revert(s, "2016-03-01", b);
			if (i % 2)
				add_revert(s, "2016-01-20", c);
			if (i % 3 == 0)
				add_revert(s, "2016-04-20", d);
		}
		if (!huge)
			assert_verified(s, "odd texts");
		struct facts now[3];
		for (int i = 0; i < 3; i++)
			now[i] = facts_at(s, &p, asofs_here[i]);
		store_close(s);
		assert_as_schema_1(&p, now, asofs_here, 3, huge ? "huge ids" : "odd texts");
		log_remove();
	}
}

/* A month whose total is -1 (a "-1" and a "+3", the "+3" reverted two
 * months later) is a total like any other, not the mark of a month after
 * asof: the months before the revert have the "+3" in. */
Test(store, a_month_whose_total_is_minus_one)
{
	static const char *const asofs_here[] = {"2016-03-31"};
	struct project p = fixture_project(1);
	struct store *s = create_log();
	add(s, "2016-01-05", "LITC", "sme", "reach", "-1");
	int64_t b = add(s, "2016-01-06", "LITC", "sme", "reach", "+3");
	add_revert(s, "2016-03-01", b);
	struct facts now[1] = {facts_at(s, &p, "2016-03-31")};
	store_close(s);
	cr_assert_eq(now[0].targets[0].by_month[0], 2);
	cr_assert_eq(now[0].targets[0].by_month[1], 2);
	cr_assert_eq(now[0].targets[0].by_month[2], -1);
	assert_as_schema_1(&p, now, asofs_here, 1, "a month whose total is -1");
}

/* A row of undone_pack that holds fewer records than its n (emptied, or
 * cut at a record's end: each still reads as records) sends the reader to
 * undone. */
Test(store, a_pack_row_short_of_its_records_reads_undone)
{
	static const char *const asofs_here[] = {"2016-06-30"};
	static const char *const cuts[] = {
		"UPDATE undone_pack SET rows = ''",
		"UPDATE undone_pack SET n = n + 1",
	};
	for (int k = 0; k < 2; k++) {
		struct project p = fixture_project(1);
		struct store *s = create_log();
		int64_t a = add(s, "2016-01-05", "LITC", "sme", "reach", "+5");
		add(s, "2016-01-06", "LITC", "sme", "reach", "+3");
		add_revert(s, "2016-03-01", a);
		store_close(s);
		sql_exec(dbpath, cuts[k]);
		struct err e = {0};
		cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
		struct facts now[1] = {facts_at(s, &p, "2016-06-30")};
		store_close(s);
		cr_assert_eq(now[0].targets[0].by_partner[0], 3, "%s: LITC %ld", cuts[k],
		             now[0].targets[0].by_partner[0]);
		assert_as_schema_1(&p, now, asofs_here, 1, cuts[k]);
		log_remove();
	}
}

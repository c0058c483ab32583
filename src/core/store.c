/* store: the progress log in one SQLite file (WAL mode).
 *
 * Promises: a file it refuses (not SQLite, a foreign schema, a newer schema
 * version) is never modified; every append is one BEGIN IMMEDIATE
 * transaction, all or nothing; "database is locked" never reaches the user
 * (writers wait up to STORE_BUSY_TIMEOUT_MS in short randomised sleeps,
 * then fail with 69); acknowledged appends survive a crash of the process
 * (WAL, synchronous=NORMAL; only store_bulk_load relaxes that); the log is
 * append-only (triggers refuse UPDATE and DELETE); every query uses bound
 * parameters; store_facts reads small derived tables that triggers keep
 * current (schema 2; schema 3 adds per-partner reach totals, schema 4 the
 * change of each target's total per month) and seeks through indexes for
 * the rest, so its cost
 * does not grow with the length of the log and it never reads the log into
 * memory (a schema 1 log opened read-only is still read, by aggregating
 * over it). All SQL of the program lives here. */
#include "config.h"
#include "core/store.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

struct store {
	sqlite3 *db;
	char *path;
	int readonly;
	int version;           /* schema version as opened (1 has no summaries) */
	int64_t own_commits;   /* commits made through this connection */
	int64_t busy_since;    /* monotonic µs when the current wait began */
	uint64_t rng;          /* xorshift state for the busy handler's sleeps */
	sqlite3_stmt *insert;  /* the append's INSERT, prepared once */
};

/* ---- schema ---------------------------------------------------------- */

static const char schema_v1[] =
	"CREATE TABLE log ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" recorded_at INTEGER NOT NULL,"
	" effective TEXT NOT NULL CHECK (effective GLOB"
	"  '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
	" login TEXT NOT NULL,"
	" uid INTEGER NOT NULL,"
	" partner TEXT,"
	" item TEXT,"
	" kind TEXT NOT NULL CHECK (kind IN"
	"  ('status','progress','reach','bench','label','revert')),"
	" value TEXT NOT NULL,"
	" note TEXT);"
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
	/* Covering for the as-of queries: latest per item, reach sums. */
	"CREATE INDEX log_kind_item ON log(kind, item, effective, id, partner, value);"
	/* Benchmarks and labels per cluster. */
	"CREATE INDEX log_kind_partner ON log(kind, partner, item, effective, id);"
	/* Is entry N reverted (as of a date)? */
	"CREATE INDEX log_revert ON log(value, effective) WHERE kind = 'revert';"
	/* The history views: by item, by login. */
	"CREATE INDEX log_item ON log(item, id);"
	"CREATE INDEX log_login ON log(login, id);"
	"CREATE TRIGGER log_no_update BEFORE UPDATE ON log"
	" BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;"
	"CREATE TRIGGER log_no_delete BEFORE DELETE ON log"
	" BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;";

/* Signed amount of a count entry ("+N", "-N", "=N") named X. */
#define REACH_N(X) "(CAST(substr(" X ".value, 2) AS INTEGER)" \
	" * (CASE substr(" X ".value, 1, 1) WHEN '-' THEN -1 ELSE 1 END))"
/* Of the bucket row being updated: is NEW after its latest "=N"? */
#define AFTER_SET "(nset = 0 OR NEW.effective > set_eff" \
	" OR (NEW.effective = set_eff AND NEW.id > set_id))"
#define BUCKET_KEY "item = NEW.item AND partner = NEW.partner" \
	" AND month = substr(NEW.effective, 1, 7)"
#define NEW_BUCKET "INSERT OR IGNORE INTO reach_month (item, partner, month, last)" \
	" VALUES (NEW.item, NEW.partner, substr(NEW.effective, 1, 7), NEW.effective);"
#define REACH_WHEN "NEW.kind = 'reach' AND NEW.item IS NOT NULL AND NEW.partner IS NOT NULL"

/* The key of the latest table for an entry X, and which entries it keeps. */
#define LATEST_KEY(X) X ".kind AS kind," \
	" CASE WHEN " X ".kind = 'label' THEN '' ELSE " X ".item END AS item," \
	" CASE WHEN " X ".kind IN ('bench', 'label') THEN " X ".partner ELSE '' END AS partner"
#define LATEST_WHEN(X) "(" X ".kind IN ('status', 'progress') AND " X ".item IS NOT NULL" \
	" OR " X ".kind = 'bench' AND " X ".item IS NOT NULL AND " X ".partner IS NOT NULL" \
	" OR " X ".kind = 'label' AND " X ".partner IS NOT NULL)"

/* The done statuses of deliverables (a) and milestones (b), as facts_fill
 * knows them. */
#define IN_RUN_A(X) "(" X " IN ('submitted', 'accepted'))"
#define IN_RUN_B(X) "(" X " = 'reached')"

/* Schema 2 adds derived tables, kept current by triggers in the same
 * transaction as every insert and rebuilt from the log by this step, so
 * that the facts never aggregate over the whole log:
 *   log_stats    the entry count, the greatest id and its recorded_at;
 *   reach_month  per (target, partner, calendar month 'YYYY-MM') of the
 *                count entries: how many "=N", the latest "=N" in the
 *                month (set_eff, set_id, set_n), the sum of "+N"/"-N"
 *                after it (tail; all of them when there is none) and the
 *                greatest effective date;
 *   reach_value  per (target, value, partner): the first effective date;
 *   latest       the latest entry (greatest effective, id) per status or
 *                progress item, per benchmark (indicator, partner) and per
 *                label partner ('' where the key has no item or partner);
 *                for a status, where the current run of done statuses
 *                began (run_a: submitted/accepted, run_b: reached), exact
 *                unless run_ok is 0 (a backdated status came later).
 * They ignore reverts; the queries correct for the few reverted entries
 * by reading the log itself for the items and partners concerned. */
static const char schema_v2[] =
	"CREATE TABLE log_stats (one INTEGER PRIMARY KEY CHECK (one = 1),"
	" entries INTEGER NOT NULL, top_id INTEGER NOT NULL, last_recorded INTEGER NOT NULL);"
	"CREATE TABLE reach_month (item TEXT NOT NULL, partner TEXT NOT NULL, month TEXT NOT NULL,"
	" nset INTEGER NOT NULL DEFAULT 0, set_eff TEXT, set_id INTEGER, set_n INTEGER,"
	" tail INTEGER NOT NULL DEFAULT 0, last TEXT NOT NULL,"
	" PRIMARY KEY (item, partner, month)) WITHOUT ROWID;"
	"CREATE TABLE reach_value (item TEXT NOT NULL, value TEXT NOT NULL, partner TEXT NOT NULL,"
	" first_eff TEXT NOT NULL, PRIMARY KEY (item, value, partner)) WITHOUT ROWID;"
	"CREATE TABLE latest (kind TEXT NOT NULL, item TEXT NOT NULL, partner TEXT NOT NULL,"
	" effective TEXT NOT NULL, id INTEGER NOT NULL, value TEXT NOT NULL,"
	" run_a TEXT, run_b TEXT, run_ok INTEGER NOT NULL DEFAULT 1,"
	" PRIMARY KEY (kind, item, partner)) WITHOUT ROWID;"

	"INSERT INTO log_stats SELECT 1, COUNT(*), COALESCE(MAX(id), 0),"
	" COALESCE((SELECT recorded_at FROM log ORDER BY id DESC LIMIT 1), 0) FROM log;"
	"INSERT INTO reach_value SELECT item, value, partner, MIN(effective) FROM log"
	" WHERE kind = 'reach' AND item IS NOT NULL AND partner IS NOT NULL"
	" GROUP BY item, value, partner;"
	/* k: "effective id" of the latest "=N" in the bucket, comparable as text. */
	"WITH e AS (SELECT l.item, l.partner, substr(l.effective, 1, 7) AS month,"
	"  substr(l.value, 1, 1) = '=' AS is_set, " REACH_N("l") " AS n,"
	"  l.effective, printf('%s %020d', l.effective, l.id) AS k FROM log l"
	"  WHERE l.kind = 'reach' AND l.item IS NOT NULL AND l.partner IS NOT NULL"
	"  AND substr(l.value, 1, 1) IN ('+', '-', '=')),"
	" b AS (SELECT *, MAX(CASE WHEN is_set THEN k END)"
	"  OVER (PARTITION BY item, partner, month) AS set_k FROM e)"
	"INSERT INTO reach_month (item, partner, month, nset, set_eff, set_id, set_n, tail, last)"
	" SELECT item, partner, month, SUM(is_set), substr(set_k, 1, 10),"
	"  CAST(substr(set_k, 12) AS INTEGER), MAX(CASE WHEN k = set_k THEN n END),"
	"  SUM(CASE WHEN NOT is_set AND (set_k IS NULL OR k > set_k) THEN n ELSE 0 END),"
	"  MAX(effective)"
	" FROM b GROUP BY item, partner, month;"

	/* Newest first: rn = 1 is the latest; na (nb) = 0 while the run of
	 * done statuses back from the latest lasts. */
	"INSERT INTO latest SELECT kind, item, partner, MAX(CASE WHEN rn = 1 THEN effective END),"
	"  MAX(CASE WHEN rn = 1 THEN id END), MAX(CASE WHEN rn = 1 THEN value END),"
	"  MIN(CASE WHEN kind = 'status' AND na = 0 THEN effective END),"
	"  MIN(CASE WHEN kind = 'status' AND nb = 0 THEN effective END), 1 FROM"
	" (SELECT *, ROW_NUMBER() OVER w AS rn, SUM(NOT " IN_RUN_A("value") ") OVER w AS na,"
	"   SUM(NOT " IN_RUN_B("value") ") OVER w AS nb FROM"
	"  (SELECT " LATEST_KEY("l") ", l.effective, l.id, l.value"
	"   FROM log l WHERE " LATEST_WHEN("l") ")"
	"  WINDOW w AS (PARTITION BY kind, item, partner ORDER BY effective DESC, id DESC"
	"   ROWS UNBOUNDED PRECEDING))"
	" GROUP BY kind, item, partner;"

	"CREATE TRIGGER log_stats_count AFTER INSERT ON log BEGIN"
	" UPDATE log_stats SET entries = entries + 1,"
	"  last_recorded = CASE WHEN NEW.id > top_id THEN NEW.recorded_at ELSE last_recorded END,"
	"  top_id = max(top_id, NEW.id);"
	" END;"
	"CREATE TRIGGER log_reach_delta AFTER INSERT ON log"
	" WHEN " REACH_WHEN " AND substr(NEW.value, 1, 1) IN ('+', '-') BEGIN"
	" " NEW_BUCKET
	" UPDATE reach_month SET"
	"  tail = tail + CASE WHEN " AFTER_SET " THEN " REACH_N("NEW") " ELSE 0 END,"
	"  last = max(last, NEW.effective)"
	"  WHERE " BUCKET_KEY ";"
	" END;"
	"CREATE TRIGGER log_reach_set AFTER INSERT ON log"
	" WHEN " REACH_WHEN " AND substr(NEW.value, 1, 1) = '=' BEGIN"
	" " NEW_BUCKET
	" UPDATE reach_month SET set_eff = NEW.effective, set_id = NEW.id, set_n = " REACH_N("NEW") ","
	"  tail = (SELECT COALESCE(SUM(" REACH_N("l") "), 0) FROM log l"
	"   WHERE l.kind = 'reach' AND l.partner = NEW.partner AND l.item = NEW.item"
	"   AND l.effective BETWEEN NEW.effective AND substr(NEW.effective, 1, 7) || '-99'"
	"   AND (l.effective > NEW.effective OR l.id > NEW.id)"
	"   AND substr(l.value, 1, 1) IN ('+', '-'))"
	"  WHERE " BUCKET_KEY " AND " AFTER_SET ";"
	" UPDATE reach_month SET nset = nset + 1, last = max(last, NEW.effective)"
	"  WHERE " BUCKET_KEY ";"
	" END;"
	"CREATE TRIGGER log_latest AFTER INSERT ON log WHEN " LATEST_WHEN("NEW") " BEGIN"
	" INSERT INTO latest SELECT " LATEST_KEY("NEW") ", NEW.effective, NEW.id, NEW.value,"
	"  CASE WHEN NEW.kind = 'status' AND " IN_RUN_A("NEW.value") " THEN NEW.effective END,"
	"  CASE WHEN NEW.kind = 'status' AND " IN_RUN_B("NEW.value") " THEN NEW.effective END, 1"
	"  WHERE 1"
	"  ON CONFLICT (kind, item, partner) DO UPDATE SET"
	"  effective = excluded.effective, id = excluded.id, value = excluded.value,"
	"  run_a = CASE WHEN excluded.run_a IS NULL THEN NULL WHEN " IN_RUN_A("latest.value")
	"   THEN latest.run_a ELSE excluded.run_a END,"
	"  run_b = CASE WHEN excluded.run_b IS NULL THEN NULL WHEN " IN_RUN_B("latest.value")
	"   THEN latest.run_b ELSE excluded.run_b END,"
	"  run_ok = CASE WHEN (excluded.run_a IS NOT NULL AND " IN_RUN_A("latest.value") ")"
	"   OR (excluded.run_b IS NOT NULL AND " IN_RUN_B("latest.value") ")"
	"   THEN latest.run_ok ELSE 1 END"
	"  WHERE excluded.effective > latest.effective"
	"  OR (excluded.effective = latest.effective AND excluded.id > latest.id);"
	/* A status older than the latest may lengthen or cut a run. */
	" UPDATE latest SET run_ok = 0 WHERE NEW.kind = 'status' AND kind = 'status'"
	"  AND item = NEW.item AND partner = ''"
	"  AND (run_a IS NOT NULL OR run_b IS NOT NULL)"
	"  AND (NEW.effective < effective OR (NEW.effective = effective AND NEW.id < id));"
	" END;"
	"CREATE TRIGGER log_reach_value AFTER INSERT ON log WHEN " REACH_WHEN " BEGIN"
	" INSERT OR IGNORE INTO reach_value VALUES (NEW.item, NEW.value, NEW.partner, NEW.effective);"
	" UPDATE reach_value SET first_eff = NEW.effective"
	"  WHERE item = NEW.item AND value = NEW.value AND partner = NEW.partner"
	"  AND first_eff > NEW.effective;"
	" END;";

/* Schema 3 adds reach_total, derived like the schema 2 tables: per
 * (target, partner) of the count entries, how many "=N", the latest "=N"
 * of all (set_eff, set_id, set_n), the sum of "+N"/"-N" after it (tail;
 * all of them when there is none) and the greatest effective date (last).
 * When asof is on or after last and no revert touches the pair, the
 * partner's total is set_n + tail without reading its months. */
#define PAIR_KEY "item = NEW.item AND partner = NEW.partner"
#define NEW_PAIR "INSERT OR IGNORE INTO reach_total (item, partner, last)" \
	" VALUES (NEW.item, NEW.partner, NEW.effective);"
static const char schema_v3[] =
	"CREATE TABLE reach_total (item TEXT NOT NULL, partner TEXT NOT NULL,"
	" nset INTEGER NOT NULL DEFAULT 0, set_eff TEXT, set_id INTEGER, set_n INTEGER,"
	" tail INTEGER NOT NULL DEFAULT 0, last TEXT NOT NULL,"
	" PRIMARY KEY (item, partner)) WITHOUT ROWID;"
	"WITH e AS (SELECT l.item, l.partner,"
	"  substr(l.value, 1, 1) = '=' AS is_set, " REACH_N("l") " AS n,"
	"  l.effective, printf('%s %020d', l.effective, l.id) AS k FROM log l"
	"  WHERE l.kind = 'reach' AND l.item IS NOT NULL AND l.partner IS NOT NULL"
	"  AND substr(l.value, 1, 1) IN ('+', '-', '=')),"
	" b AS (SELECT *, MAX(CASE WHEN is_set THEN k END)"
	"  OVER (PARTITION BY item, partner) AS set_k FROM e)"
	"INSERT INTO reach_total (item, partner, nset, set_eff, set_id, set_n, tail, last)"
	" SELECT item, partner, SUM(is_set), substr(set_k, 1, 10),"
	"  CAST(substr(set_k, 12) AS INTEGER), MAX(CASE WHEN k = set_k THEN n END),"
	"  SUM(CASE WHEN NOT is_set AND (set_k IS NULL OR k > set_k) THEN n ELSE 0 END),"
	"  MAX(effective)"
	" FROM b GROUP BY item, partner;"
	"CREATE TRIGGER log_total_delta AFTER INSERT ON log"
	" WHEN " REACH_WHEN " AND substr(NEW.value, 1, 1) IN ('+', '-') BEGIN"
	" INSERT INTO reach_total (item, partner, tail, last)"
	"  VALUES (NEW.item, NEW.partner, " REACH_N("NEW") ", NEW.effective)"
	"  ON CONFLICT (item, partner) DO UPDATE SET"
	"  tail = tail + CASE WHEN " AFTER_SET " THEN " REACH_N("NEW") " ELSE 0 END,"
	"  last = max(last, NEW.effective);"
	" END;"
	"CREATE TRIGGER log_total_set AFTER INSERT ON log"
	" WHEN " REACH_WHEN " AND substr(NEW.value, 1, 1) = '=' BEGIN"
	" " NEW_PAIR
	" UPDATE reach_total SET set_eff = NEW.effective, set_id = NEW.id, set_n = " REACH_N("NEW") ","
	"  tail = (SELECT COALESCE(SUM(" REACH_N("l") "), 0) FROM log l"
	"   WHERE l.kind = 'reach' AND l.partner = NEW.partner AND l.item = NEW.item"
	"   AND l.effective >= NEW.effective"
	"   AND (l.effective > NEW.effective OR l.id > NEW.id)"
	"   AND substr(l.value, 1, 1) IN ('+', '-'))"
	"  WHERE " PAIR_KEY " AND " AFTER_SET ";"
	" UPDATE reach_total SET nset = nset + 1, last = max(last, NEW.effective)"
	"  WHERE " PAIR_KEY ";"
	" END;";

/* Schema 4 adds reach_delta: per (target, calendar month 'YYYY-MM') of the
 * count entries, how much the target's total over all partners changed in
 * that month (delta: the sum over partners of the running total at the
 * month's end less the one at the end of the months before) and the
 * greatest effective date (last). The monthly series of a target is then
 * one row a month instead of one a partner and month. Kept by triggers of
 * their own, which read the log in the entry's own month and the buckets
 * of other months only (the order in which SQLite fires the triggers of
 * one insert is not defined, so the bucket of the entry's month may or may
 * not count it yet): an entry at month c that changes
 * its partner's total at the end of c by x adds x to c and takes x from
 * the partner's next month with an "=N" (where the total is set anew). */
/* Is there an "=N" of (NEW.partner, NEW.item) in NEW's month after NEW?
 * From the month's bucket, whether or not it counts NEW yet: when NEW is
 * an "=N" that became the bucket's latest, the answer is no either way. */
#define SET_AFTER_NEW "EXISTS (SELECT 1 FROM reach_month b WHERE b.item = NEW.item" \
	" AND b.partner = NEW.partner AND b.month = substr(NEW.effective, 1, 7) AND b.nset > 0" \
	" AND (b.set_eff, b.set_id) > (NEW.effective, NEW.id))"
/* The first month after NEW's with an "=N" of the pair, or NULL; the
 * buckets of other months than NEW's are not changed by NEW. */
#define NEXT_SET_MONTH "(SELECT MIN(b.month) FROM reach_month b WHERE b.item = NEW.item" \
	" AND b.partner = NEW.partner AND b.month > substr(NEW.effective, 1, 7) AND b.nset > 0)"
/* The entries of the pair in NEW's month. */
#define IN_NEW_MONTH "l.kind = 'reach' AND l.partner = NEW.partner AND l.item = NEW.item" \
	" AND l.effective BETWEEN substr(NEW.effective, 1, 7) || '-00'" \
	" AND substr(NEW.effective, 1, 7) || '-99'"
/* The latest "=N" of the pair in NEW's month before NEW: columns C. */
#define SET_BEFORE_NEW(C) "(SELECT " C " FROM log l WHERE " IN_NEW_MONTH \
	" AND (l.effective, l.id) < (NEW.effective, NEW.id)" \
	" AND substr(l.value, 1, 1) = '=' ORDER BY l.effective DESC, l.id DESC LIMIT 1)"
/* The "+N"/"-N" of the pair in NEW's month after that "=N" (all of them
 * when there is none: the comparison with no row is NULL). */
#define STEPS_AFTER_SET_BEFORE_NEW "(SELECT COALESCE(SUM(" REACH_N("l") "), 0) FROM log l" \
	" WHERE " IN_NEW_MONTH " AND substr(l.value, 1, 1) IN ('+', '-')" \
	" AND COALESCE((l.effective, l.id) > " SET_BEFORE_NEW("l.effective, l.id") ", 1))"
/* The pair's total at the end of the month before NEW's, from the buckets
 * of the months before: the latest "=N" and the sums after it. */
#define TOTAL_BEFORE_MONTH "(SELECT COALESCE(SUM(b.tail + CASE WHEN b.month = s.m" \
	" THEN b.set_n ELSE 0 END), 0) FROM reach_month b," \
	" (SELECT MAX(x.month) AS m FROM reach_month x WHERE x.item = NEW.item" \
	"  AND x.partner = NEW.partner AND x.month < substr(NEW.effective, 1, 7) AND x.nset > 0) s" \
	" WHERE b.item = NEW.item AND b.partner = NEW.partner" \
	" AND b.month < substr(NEW.effective, 1, 7) AND (s.m IS NULL OR b.month >= s.m))"
/* The pair's total at the end of NEW's month without NEW (an "=N"). */
#define TOTAL_WITHOUT_NEW "(COALESCE(" SET_BEFORE_NEW(REACH_N("l")) ", " TOTAL_BEFORE_MONTH ")" \
	" + " STEPS_AFTER_SET_BEFORE_NEW ")"
/* The pair's total at the end of NEW's month with NEW, an "=N" that no
 * later "=N" of the month follows. */
#define TOTAL_FROM_NEW "(" REACH_N("NEW") " + (SELECT COALESCE(SUM(" REACH_N("l") "), 0) FROM log l" \
	" WHERE " IN_NEW_MONTH " AND (l.effective, l.id) > (NEW.effective, NEW.id)" \
	" AND substr(l.value, 1, 1) IN ('+', '-')))"
#define DELTA_ROW "INSERT INTO reach_delta (item, month, last)" \
	" VALUES (NEW.item, substr(NEW.effective, 1, 7), NEW.effective)" \
	" ON CONFLICT (item, month) DO UPDATE SET last = max(last, NEW.effective);"
/* Adds X to NEW's month and takes it from the pair's next "=N" month, in
 * one statement so that X is written (and computed) once. */
#define DELTA_MOVE(X) \
	" UPDATE reach_delta SET delta = delta + (" X ")" \
	"  * (CASE WHEN month = substr(NEW.effective, 1, 7) THEN 1 ELSE -1 END)" \
	"  WHERE item = NEW.item AND month IN (substr(NEW.effective, 1, 7), " NEXT_SET_MONTH ");"
/* The entry a revert X names, joined to it (NULLs when there is none). */
#define UNDONE_ROW(X) X ".id, " X ".effective, " X ".value, t.id, t.kind, t.item, t.partner," \
	" t.effective, t.value"
static const char schema_v4[] =
	/* Schema 4 also adds undone: per revert (rid, its effective date and
	 * value) the entry it names, copied when the revert is written, so
	 * that the facts find the few undone entries in one small table
	 * instead of one seek each into the whole log. */
	"CREATE TABLE undone (rid INTEGER PRIMARY KEY, reff TEXT, rvalue TEXT,"
	" id INTEGER, kind TEXT, item TEXT, partner TEXT, effective TEXT, value TEXT);"
	"INSERT INTO undone SELECT " UNDONE_ROW("r") " FROM log r"
	" LEFT JOIN log t ON t.id = CAST(r.value AS INTEGER) WHERE r.kind = 'revert';"
	"CREATE TRIGGER log_undone AFTER INSERT ON log WHEN NEW.kind = 'revert' BEGIN"
	" INSERT INTO undone SELECT " UNDONE_ROW("NEW") " FROM (SELECT 1)"
	"  LEFT JOIN log t ON t.id = CAST(NEW.value AS INTEGER);"
	" END;"
	"CREATE TABLE reach_delta (item TEXT NOT NULL, month TEXT NOT NULL,"
	" delta INTEGER NOT NULL DEFAULT 0, last TEXT NOT NULL,"
	" PRIMARY KEY (item, month)) WITHOUT ROWID;"
	/* From the month buckets: each partner's total at the end of each of
	 * its months (a run restarts at each month with an "=N"), less the
	 * one before, summed over partners. */
	"WITH b AS (SELECT item, partner, month, nset, set_n, tail, last,"
	"  SUM(nset > 0) OVER (PARTITION BY item, partner ORDER BY month"
	"  ROWS UNBOUNDED PRECEDING) AS grp FROM reach_month),"
	" e AS (SELECT item, partner, month, last,"
	"  SUM(CASE WHEN nset > 0 THEN set_n + tail ELSE tail END)"
	"  OVER (PARTITION BY item, partner, grp ORDER BY month ROWS UNBOUNDED PRECEDING) AS endv FROM b),"
	" d AS (SELECT item, month, last, endv - COALESCE(LAG(endv)"
	"  OVER (PARTITION BY item, partner ORDER BY month), 0) AS dv FROM e)"
	"INSERT INTO reach_delta (item, month, delta, last)"
	" SELECT item, month, SUM(dv), MAX(last) FROM d GROUP BY item, month;"
	"CREATE TRIGGER log_month_step AFTER INSERT ON log"
	" WHEN " REACH_WHEN " AND substr(NEW.value, 1, 1) IN ('+', '-') BEGIN"
	" " DELTA_ROW
	DELTA_MOVE("CASE WHEN " SET_AFTER_NEW " THEN 0 ELSE " REACH_N("NEW") " END")
	" END;"
	"CREATE TRIGGER log_month_set AFTER INSERT ON log"
	" WHEN " REACH_WHEN " AND substr(NEW.value, 1, 1) = '=' BEGIN"
	" " DELTA_ROW
	DELTA_MOVE("CASE WHEN " SET_AFTER_NEW " THEN 0 ELSE " TOTAL_FROM_NEW " - " TOTAL_WITHOUT_NEW " END")
	" END;";

/* Migration steps: steps[i] takes a log from schema i to schema i + 1;
 * steps[0] creates it. Add a step and raise STORE_SCHEMA_VERSION to
 * change the schema. */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
	schema_v1,
	schema_v2,
	schema_v3,
	schema_v4,
};

static const char *const log_columns[] = {
	"id", "recorded_at", "effective", "login", "uid",
	"partner", "item", "kind", "value", "note",
};
#define NLOG_COLUMNS (sizeof log_columns / sizeof log_columns[0])

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#ifndef STORE_CACHE_PAGES
#define STORE_CACHE_PAGES 32
#endif

/* ---- errors ---------------------------------------------------------- */

#define BUSY_MSG "the log is busy (another process holds it); try again"

static int is_busy(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

/* Map an SQLite result code to one clear line and an exit code. */
static int fail(struct store *s, int rc, const char *what, struct err *e)
{
	const char *path = s && s->path ? s->path : "the log";
	const char *detail = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return err_set(e, EXIT_UNAVAILABLE, BUSY_MSG);
	case SQLITE_NOTADB:
		return err_set(e, EXIT_DATAERR, "%s is not a consort log (not an SQLite database)", path);
	case SQLITE_CORRUPT:
		return err_set(e, EXIT_DATAERR, "%s is damaged (%s)", path, detail);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return err_set(e, EXIT_NOPERM, "cannot %s %s: permission denied (%s)", what, path, detail);
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_FULL:
		return err_set(e, EXIT_IOERR, "cannot %s %s: %s", what, path, detail);
	case SQLITE_CONSTRAINT:
		return err_set(e, EXIT_DATAERR, "cannot %s %s: %s", what, path, detail);
	default:
		return err_set(e, EXIT_SOFTWARE, "cannot %s %s: %s", what, path, detail);
	}
}

static int prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct err *e)
{
	int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK) {
		*st = NULL;
		return fail(s, rc, "read", e);
	}
	return 0;
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000L, (us % 1000000L) * 1000L };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint64_t rng_next(struct store *s)
{
	uint64_t x = s->rng ? s->rng : 0x9e3779b97f4a7c15u;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return s->rng = x;
}

/* A short randomised sleep, growing slowly with the number of tries n:
 * from 25..50 µs up to 250..500 µs. */
static void busy_nap(struct store *s, int n)
{
	long cap = 50 + 10L * n;
	if (cap > 500)
		cap = 500;
	sleep_us(cap / 2 + (long)(rng_next(s) % (uint64_t)(cap / 2 + 1)));
}

/* The busy handler. SQLite's own (sqlite3_busy_timeout) sleeps 1, 2, 5,
 * 10 .. 100 ms, far longer than a write holds the lock, so under
 * contention the lock sat idle while writers slept; short randomised
 * sleeps let the next writer in within a fraction of a millisecond. The
 * total wait is still STORE_BUSY_TIMEOUT_MS. */
static int busy_wait(void *arg, int count)
{
	struct store *s = arg;
	int64_t now = mono_us();
	if (count == 0)
		s->busy_since = now;
	else if (now - s->busy_since >= (int64_t)STORE_BUSY_TIMEOUT_MS * 1000)
		return 0;
	busy_nap(s, count);
	return 1;
}

/* Run sql (no results), retrying while busy up to the busy timeout. The
 * busy handler does most of the waiting; this loop covers the cases where
 * SQLite reports busy without calling it. */
static int exec_retry(struct store *s, const char *sql, const char *what, struct err *e)
{
	int64_t deadline = mono_us() + (int64_t)STORE_BUSY_TIMEOUT_MS * 1000;
	for (int n = 0;; n++) {
		int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if (!is_busy(rc) || mono_us() >= deadline)
			return fail(s, rc, what, e);
		busy_nap(s, n);
	}
}

static void rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int commit(struct store *s, const char *what, struct err *e)
{
	if (exec_retry(s, "COMMIT", what, e) < 0) {
		rollback(s);
		return -1;
	}
	s->own_commits++;
	return 0;
}

/* ---- opening --------------------------------------------------------- */

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static void unlink_all(const char *path)
{
	char *w = xasprintf("%s-wal", path), *m = xasprintf("%s-shm", path),
	     *j = xasprintf("%s-journal", path);
	unlink(path);
	unlink(w);
	unlink(m);
	unlink(j);
	free(w);
	free(m);
	free(j);
}

/* Reads the first bytes: 1 when it starts like SQLite, 0 when it is empty,
 * -1 (with e) when it is something else or unreadable. */
static int check_magic(const char *path, struct err *e)
{
	static const char magic[16] = "SQLite format 3";
	char buf[16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			return err_set(e, EXIT_NOPERM, "cannot read %s: permission denied", path);
		if (errno == ENOENT)
			return err_set(e, EXIT_NOINPUT, "cannot open %s: no such file", path);
		return err_set(e, EXIT_IOERR, "cannot read %s: %s", path, strerror(errno));
	}
	ssize_t n;
	do
		n = read(fd, buf, sizeof buf);
	while (n < 0 && errno == EINTR);
	int saved = errno;
	close(fd);
	if (n < 0)
		return err_set(e, EXIT_IOERR, "cannot read %s: %s", path, strerror(saved));
	if (n == 0)
		return 0;
	if (n < (ssize_t)sizeof buf || memcmp(buf, magic, sizeof buf) != 0)
		return err_set(e, EXIT_DATAERR, "%s is not a consort log (not an SQLite database)", path);
	return 1;
}

/* Checks the schema of an open log: *version gets user_version. */
static int check_schema(struct store *s, int *version, struct err *e)
{
	sqlite3_stmt *st;
	int rc;
	if (prepare(s, "PRAGMA user_version", &st, e) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return fail(s, rc, "read", e);
	}
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);

	if (v > STORE_SCHEMA_VERSION)
		return err_set(e, EXIT_DATAERR,
		               "%s was written by a newer consort (schema %d, this one reads up to %d); not touched",
		               s->path, v, STORE_SCHEMA_VERSION);

	if (prepare(s, "SELECT name FROM pragma_table_info('log')", &st, e) < 0)
		return -1;
	unsigned found = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		for (size_t i = 0; name && i < NLOG_COLUMNS; i++)
			if (strcmp(name, log_columns[i]) == 0)
				found |= 1u << i;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(s, rc, "read", e);
	if (v < 1 || found != (1u << NLOG_COLUMNS) - 1)
		return err_set(e, EXIT_DATAERR, "%s is not a consort log", s->path);
	*version = v;
	return 0;
}

/* Brings a log of schema `from` up to date, in one transaction. */
static int migrate(struct store *s, int from, struct err *e)
{
	if (exec_retry(s, "BEGIN IMMEDIATE", "write", e) < 0)
		return -1;
	/* Re-read inside the transaction: another process may have migrated. */
	sqlite3_stmt *st;
	if (prepare(s, "PRAGMA user_version", &st, e) < 0) {
		rollback(s);
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		from = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (from > STORE_SCHEMA_VERSION) {
		rollback(s);
		return err_set(e, EXIT_DATAERR,
		               "%s was written by a newer consort (schema %d, this one reads up to %d); not touched",
		               s->path, from, STORE_SCHEMA_VERSION);
	}
	if (from == STORE_SCHEMA_VERSION) {
		rollback(s);
		return 0;
	}
	for (int v = from; v < STORE_SCHEMA_VERSION; v++) {
		int rc = sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			fail(s, rc, "migrate", e);
			rollback(s);
			return -1;
		}
	}
	char *sql = xasprintf("PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		fail(s, rc, "migrate", e);
		rollback(s);
		return -1;
	}
	return commit(s, "migrate", e);
}

static int open_db(struct store *s, const char *name, int flags, struct err *e)
{
	int rc = sqlite3_open_v2(name, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		fail(s, rc, "open", e);
		sqlite3_close(s->db);
		s->db = NULL;
		return -1;
	}
	sqlite3_extended_result_codes(s->db, 1);
	/* A small page cache whose buffers are reused: on a virtual machine a
	 * first touch of a fresh page of memory costs about ten microseconds,
	 * far more than reading a page again from the operating system's cache,
	 * and a command reads each page of the summaries about once. */
	sqlite3_exec(s->db, "PRAGMA cache_size = " STRINGIFY(STORE_CACHE_PAGES), NULL, NULL, NULL);
	s->rng = ((uint64_t)getpid() << 32) ^ (uint64_t)mono_us() ^ (uint64_t)(uintptr_t)s;
	sqlite3_busy_handler(s->db, busy_wait, s);
	return 0;
}

static void close_db(struct store *s)
{
	sqlite3_finalize(s->insert);
	s->insert = NULL;
	if (s->db)
		sqlite3_close(s->db);
	s->db = NULL;
}

/* Opens read-only and checks the schema. When the directory is not
 * writable SQLite cannot create the -shm file a WAL log needs; then the
 * file is read as immutable, which is exact as long as no -wal file holds
 * changes not yet in the main file. */
static int open_read(struct store *s, int *version, struct err *e)
{
	if (open_db(s, s->path, SQLITE_OPEN_READONLY, e) < 0)
		return -1;
	if (check_schema(s, version, e) == 0) {
		s->version = *version;
		return 0;
	}
	int code = e ? e->code : 0;
	close_db(s);
	if (code != EXIT_IOERR && code != EXIT_NOPERM)
		return -1;

	char *dir = dir_of(s->path), *wal = xasprintf("%s-wal", s->path);
	struct stat st;
	int wal_has_data = stat(wal, &st) == 0 && st.st_size > 0;
	int dir_writable = access(dir, W_OK) == 0;
	int r = -1;
	if (dir_writable) {
		/* Not the directory: keep the first error. */
	} else if (wal_has_data) {
		err_set(e, EXIT_NOPERM,
		        "cannot read %s: its directory %s is not writable and %s holds recent changes "
		        "(make the directory writable for the log's group)", s->path, dir, wal);
	} else {
		/* A URI needs '%' '?' '#' escaped. */
		struct sbuf b = {0};
		sbuf_puts(&b, "file:");
		for (const char *c = s->path; *c; c++) {
			if (*c == '%' || *c == '?' || *c == '#')
				sbuf_printf(&b, "%%%02X", (unsigned char)*c);
			else
				sbuf_putc(&b, *c);
		}
		sbuf_puts(&b, "?immutable=1");
		if (open_db(s, sbuf_str(&b), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, e) == 0) {
			r = check_schema(s, version, e);
			if (r < 0)
				close_db(s);
			else
				s->version = *version;
		}
		sbuf_free(&b);
	}
	free(dir);
	free(wal);
	return r;
}

static int set_wal(struct store *s, struct err *e)
{
	return exec_retry(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "write", e);
}

static int open_create(struct store *s, struct err *e)
{
	int fd = open(s->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		if (errno == EEXIST)
			return err_set(e, EXIT_IOERR, "%s already exists; refusing to overwrite", s->path);
		if (errno == EACCES || errno == EPERM || errno == EROFS)
			return err_set(e, EXIT_NOPERM, "cannot create %s: %s", s->path, strerror(errno));
		if (errno == ENOENT || errno == ENOTDIR)
			return err_set(e, EXIT_NOINPUT, "cannot create %s: no such directory", s->path);
		return err_set(e, EXIT_IOERR, "cannot create %s: %s", s->path, strerror(errno));
	}
	close(fd);
	if (open_db(s, s->path, SQLITE_OPEN_READWRITE, e) < 0 || set_wal(s, e) < 0 ||
	    migrate(s, 0, e) < 0) {
		close_db(s);
		unlink_all(s->path);
		return -1;
	}
	s->version = STORE_SCHEMA_VERSION;
	return 0;
}

static int open_write(struct store *s, struct err *e)
{
	int version;
	/* Validate through a read-only connection first, so that a file we
	 * refuse is never opened for writing. */
	if (open_read(s, &version, e) < 0)
		return -1;
	close_db(s);
	if (access(s->path, W_OK) != 0)
		return err_set(e, errno == EACCES || errno == EPERM || errno == EROFS ? EXIT_NOPERM : EXIT_IOERR,
		               "cannot write %s: %s", s->path, strerror(errno));
	char *dir = dir_of(s->path);
	if (access(dir, W_OK) != 0) {
		char *wal = xasprintf("%s-wal", s->path), *shm = xasprintf("%s-shm", s->path);
		int ok = access(wal, W_OK) == 0 && access(shm, W_OK) == 0;
		free(wal);
		free(shm);
		if (!ok) {
			err_set(e, EXIT_NOPERM,
			        "cannot write %s: its directory %s is not writable "
			        "(SQLite creates the -wal and -shm files beside the log)", s->path, dir);
			free(dir);
			return -1;
		}
	}
	free(dir);
	if (open_db(s, s->path, SQLITE_OPEN_READWRITE, e) < 0)
		return -1;
	if (set_wal(s, e) < 0)
		return -1;
	if (version < STORE_SCHEMA_VERSION && migrate(s, version, e) < 0)
		return -1;
	s->version = STORE_SCHEMA_VERSION;
	return 0;
}

int store_open(const char *path, enum store_mode mode, struct store **out, struct err *e)
{
	*out = NULL;
	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->readonly = mode == STORE_READ;
	int r;

	struct stat st;
	if (mode == STORE_CREATE) {
		r = open_create(s, e);
	} else if (stat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			r = err_set(e, EXIT_NOINPUT, "cannot open %s: no such file", path);
		else if (errno == EACCES)
			r = err_set(e, EXIT_NOPERM, "cannot open %s: permission denied", path);
		else
			r = err_set(e, EXIT_IOERR, "cannot open %s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		r = err_set(e, EXIT_NOINPUT, "cannot open %s: not a regular file", path);
	} else if ((r = check_magic(path, e)) == 0) {
		r = err_set(e, EXIT_DATAERR, "%s is not a consort log (an empty file)", path);
	} else if (r > 0) {
		int version;
		r = mode == STORE_READ ? open_read(s, &version, e) : open_write(s, e);
	}
	if (r < 0) {
		store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	close_db(s);
	free(s->path);
	free(s);
}

int store_bulk_load(struct store *s, int cache_mib, struct err *e)
{
	if (s->readonly)
		return err_set(e, EXIT_NOPERM, "%s is open read-only", s->path);
	if (cache_mib < 2)
		cache_mib = 2;
	char *sql = xasprintf("PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;"
	                      " PRAGMA cache_size=-%ld;",
	                      (long)cache_mib * 1024);
	int r = exec_retry(s, sql, "write", e);
	free(sql);
	return r;
}

const char *store_path(const struct store *s)
{
	return s ? s->path : NULL;
}

/* ---- appending ------------------------------------------------------- */

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Inside the append's transaction (the write lock is held, so no other
 * process can slip in between): the entry a revert names exists, is not
 * itself a revert, and has not been reverted already. Checked here as well
 * as in the write path, so two partners reverting the same entry at once
 * cannot both succeed. */
static int revert_allowed(struct store *s, const char *value, struct err *e)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	if (value)
		for (const char *c = value; *c >= '0' && *c <= '9' && id < INT64_MAX / 10; c++)
			id = id * 10 + (*c - '0');
	if (prepare(s, "SELECT kind, (SELECT id FROM log r WHERE r.kind = 'revert' AND r.value = ?1 LIMIT 1)"
	               " FROM log WHERE id = ?2", &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, value ? value : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st), ok = -1;
	if (rc == SQLITE_ROW) {
		const unsigned char *k = sqlite3_column_text(st, 0);
		int64_t by = sqlite3_column_int64(st, 1);
		if (k && strcmp((const char *)k, "revert") == 0)
			err_set(e, EXIT_DATAERR, "entry #%lld is itself a revert; it cannot be reverted",
			        (long long)id);
		else if (by)
			err_set(e, EXIT_DATAERR, "entry #%lld was already reverted by #%lld",
			        (long long)id, (long long)by);
		else
			ok = 0;
	} else if (rc == SQLITE_DONE) {
		err_set(e, EXIT_DATAERR, "no entry #%lld", (long long)id);
	} else {
		fail(s, rc, "write", e);
	}
	sqlite3_finalize(st);
	return ok;
}

int store_append(struct store *s, const struct new_entry *v, size_t n,
                 int64_t *first_id, struct err *e)
{
	if (s->readonly)
		return err_set(e, EXIT_NOPERM, "%s is open read-only", s->path);
	if (n == 0)
		return err_set(e, EXIT_SOFTWARE, "nothing to append");
	if (!s->insert &&
	    prepare(s, "INSERT INTO log (recorded_at, effective, login, uid, partner, item, kind, value, note)"
	               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &s->insert, e) < 0)
		return -1;
	sqlite3_stmt *st = s->insert;
	if (exec_retry(s, "BEGIN IMMEDIATE", "write", e) < 0)
		return -1;
	int64_t now = date_now_ms(), first = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].kind && strcmp(v[i].kind, "revert") == 0 &&
		    revert_allowed(s, v[i].value, e) < 0) {
			sqlite3_reset(st);
			rollback(s);
			return -1;
		}
		char eff[16];
		date_format(v[i].effective, eff);
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_text(st, 2, eff, -1, SQLITE_TRANSIENT);
		bind_text_or_null(st, 3, v[i].login ? v[i].login : "");
		sqlite3_bind_int64(st, 4, v[i].uid);
		bind_text_or_null(st, 5, v[i].partner);
		bind_text_or_null(st, 6, v[i].item);
		bind_text_or_null(st, 7, v[i].kind);
		bind_text_or_null(st, 8, v[i].value);
		bind_text_or_null(st, 9, v[i].note);
		int rc = sqlite3_step(st);
		if (rc != SQLITE_DONE) {
			fail(s, rc, "write", e);
			sqlite3_reset(st);
			rollback(s);
			return -1;
		}
		if (i == 0)
			first = sqlite3_last_insert_rowid(s->db);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (commit(s, "write", e) < 0)
		return -1;
	if (first_id)
		*first_id = first;
	return 0;
}

/* ---- reading entries ------------------------------------------------- */

#define ENTRY_COLUMNS \
	"l.id, l.recorded_at, l.effective, l.login, l.uid, l.partner, l.item, l.kind, l.value, l.note," \
	" COALESCE((SELECT MIN(r.id) FROM log r INDEXED BY log_revert WHERE r.kind = 'revert'" \
	" AND r.value = CAST(l.id AS TEXT)), 0)"

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	return xstrndup((const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

static void entry_read(sqlite3_stmt *st, struct entry *en)
{
	memset(en, 0, sizeof *en);
	en->id = sqlite3_column_int64(st, 0);
	en->recorded_at = sqlite3_column_int64(st, 1);
	const unsigned char *eff = sqlite3_column_text(st, 2);
	snprintf(en->effective, sizeof en->effective, "%s", eff ? (const char *)eff : "");
	en->login = col_dup(st, 3);
	en->uid = (long)sqlite3_column_int64(st, 4);
	en->partner = col_dup(st, 5);
	en->item = col_dup(st, 6);
	en->kind = col_dup(st, 7);
	en->value = col_dup(st, 8);
	en->note = col_dup(st, 9);
	en->reverted_by = sqlite3_column_int64(st, 10);
}

void entry_clear(struct entry *en)
{
	if (!en)
		return;
	free(en->login);
	free(en->partner);
	free(en->item);
	free(en->kind);
	free(en->value);
	free(en->note);
	memset(en, 0, sizeof *en);
}

void entries_free(struct entry *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		entry_clear(&v[i]);
	free(v);
}

int store_entries(struct store *s, const struct entry_filter *f,
                  struct entry **out, size_t *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	struct sbuf q = {0};
	char since[16], until[16];
	sbuf_puts(&q, "SELECT " ENTRY_COLUMNS " FROM log l WHERE 1");
	if (f && f->item)
		sbuf_puts(&q, " AND l.item = ?1");
	if (f && f->partner)
		sbuf_puts(&q, " AND l.partner = ?2");
	if (f && f->by)
		sbuf_puts(&q, " AND l.login = ?3");
	if (f && f->since != CDATE_NONE)
		sbuf_puts(&q, " AND l.effective >= ?4");
	if (f && f->until != CDATE_NONE)
		sbuf_puts(&q, " AND l.effective <= ?5");
	sbuf_puts(&q, " ORDER BY l.id DESC");
	if (f && f->limit)
		sbuf_puts(&q, " LIMIT ?6");

	sqlite3_stmt *st;
	int r = prepare(s, sbuf_str(&q), &st, e);
	sbuf_free(&q);
	if (r < 0)
		return -1;
	if (f) {
		if (f->item)
			sqlite3_bind_text(st, 1, f->item, -1, SQLITE_TRANSIENT);
		if (f->partner)
			sqlite3_bind_text(st, 2, f->partner, -1, SQLITE_TRANSIENT);
		if (f->by)
			sqlite3_bind_text(st, 3, f->by, -1, SQLITE_TRANSIENT);
		if (f->since != CDATE_NONE)
			sqlite3_bind_text(st, 4, date_format(f->since, since), -1, SQLITE_TRANSIENT);
		if (f->until != CDATE_NONE)
			sqlite3_bind_text(st, 5, date_format(f->until, until), -1, SQLITE_TRANSIENT);
		if (f->limit)
			sqlite3_bind_int64(st, 6, f->limit > INT64_MAX ? INT64_MAX : (sqlite3_int64)f->limit);
	}

	struct entry *v = NULL;
	size_t cap = 0, cnt = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow(&v, &cap, cnt + 1, sizeof *v);
		entry_read(st, &v[cnt++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		entries_free(v, cnt);
		return fail(s, rc, "read", e);
	}
	*out = v;
	*n = cnt;
	return 0;
}

int store_entry(struct store *s, int64_t id, struct entry *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	if (prepare(s, "SELECT " ENTRY_COLUMNS " FROM log l WHERE l.id = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		entry_read(st, out);
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return err_set(e, EXIT_DATAERR, "no entry %lld", (long long)id);
	return fail(s, rc, "read", e);
}

/* ---- summary, version, meta ------------------------------------------ */

static int summary(struct store *s, int64_t *entries, int64_t *last, struct err *e)
{
	sqlite3_stmt *st;
	/* Schema 2 counts in log_stats: COUNT(*) would read the whole log. */
	const char *sql = s->version >= 2
		? "SELECT entries, last_recorded FROM log_stats"
		: "SELECT (SELECT COUNT(*) FROM log),"
		  " COALESCE((SELECT recorded_at FROM log ORDER BY id DESC LIMIT 1), 0)";
	if (prepare(s, sql, &st, e) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		/* log_stats lost its row: nobody writes it but the triggers. */
		sqlite3_finalize(st);
		return err_set(e, EXIT_DATAERR, "%s is damaged (log_stats is empty)", s->path);
	}
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return fail(s, rc, "read", e);
	}
	if (entries)
		*entries = sqlite3_column_int64(st, 0);
	if (last)
		*last = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return 0;
}

int store_summary(struct store *s, int64_t *entries, int64_t *last_recorded_ms, struct err *e)
{
	return summary(s, entries, last_recorded_ms, e);
}

/* PRAGMA data_version changes when another connection commits; commits
 * through this connection are counted beside it, so the sum changes on
 * any commit to the file. */
int store_data_version(struct store *s, int64_t *v, struct err *e)
{
	sqlite3_stmt *st;
	if (prepare(s, "PRAGMA data_version", &st, e) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return fail(s, rc, "read", e);
	}
	*v = sqlite3_column_int64(st, 0) + s->own_commits;
	sqlite3_finalize(st);
	return 0;
}

int store_meta_get(struct store *s, const char *key, char **value, struct err *e)
{
	*value = NULL;
	sqlite3_stmt *st;
	if (prepare(s, "SELECT value FROM meta WHERE key = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*value = col_dup(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(s, rc, "read", e);
	return 0;
}

int store_meta_set(struct store *s, const char *key, const char *value, struct err *e)
{
	if (s->readonly)
		return err_set(e, EXIT_NOPERM, "%s is open read-only", s->path);
	sqlite3_stmt *st;
	if (prepare(s, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", &st, e) < 0)
		return -1;
	if (exec_retry(s, "BEGIN IMMEDIATE", "write", e) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	bind_text_or_null(st, 2, value);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fail(s, rc, "write", e);
		rollback(s);
		return -1;
	}
	return commit(s, "write", e);
}

/* ---- facts ----------------------------------------------------------- */

void facts_init_empty(struct facts *f, const struct project *p, cdate asof)
{
	memset(f, 0, sizeof *f);
	f->asof = asof;
	struct item_fact blank = {0};
	blank.status_date = blank.progress_date = blank.done_date = CDATE_NONE;
	f->tasks = xcalloc((size_t)p->ntasks, sizeof *f->tasks);
	f->deliverables = xcalloc((size_t)p->ndeliverables, sizeof *f->deliverables);
	f->milestones = xcalloc((size_t)p->nmilestones, sizeof *f->milestones);
	for (int i = 0; i < p->ntasks; i++)
		f->tasks[i] = blank;
	for (int i = 0; i < p->ndeliverables; i++)
		f->deliverables[i] = blank;
	for (int i = 0; i < p->nmilestones; i++)
		f->milestones[i] = blank;

	int am = project_month_of(p, asof);
	f->targets = xcalloc((size_t)p->ntargets, sizeof *f->targets);
	f->ntargets = p->ntargets;
	for (int i = 0; i < p->ntargets; i++) {
		struct reach_fact *r = &f->targets[i];
		r->by_partner = xcalloc((size_t)p->npartners, sizeof *r->by_partner);
		r->by_month = xcalloc((size_t)p->nmonths, sizeof *r->by_month);
		for (int m = 0; m < p->nmonths; m++)
			r->by_month[m] = m + 1 > am ? -1 : 0;
	}
	size_t nb = (size_t)p->bench.nclusters * (size_t)p->bench.nindicators;
	f->bench = xcalloc(nb, sizeof *f->bench);
	f->bench_has = xcalloc(nb, sizeof *f->bench_has);
	f->label = xcalloc((size_t)p->bench.nclusters, sizeof *f->label);
	f->label_date = xcalloc((size_t)p->bench.nclusters, sizeof *f->label_date);
	for (int c = 0; c < p->bench.nclusters; c++) {
		f->label[c] = -1;
		f->label_date[c] = CDATE_NONE;
	}
}

void facts_free(struct facts *f)
{
	if (!f)
		return;
	if (f->targets) {
		for (int t = 0; t < f->ntargets; t++) {
			struct reach_fact *r = &f->targets[t];
			free(r->by_partner);
			free(r->by_month);
			if (!r->values_block)
				for (int i = 0; i < r->nvalues; i++)
					free(r->values[i]);
			free(r->values);
			free(r->values_block);
		}
	}
	free(f->tasks);
	free(f->deliverables);
	free(f->milestones);
	free(f->targets);
	free(f->bench);
	free(f->bench_has);
	free(f->label);
	free(f->label_date);
	memset(f, 0, sizeof *f);
}

static cdate col_date(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	cdate d;
	if (!t || date_parse(t, &d) < 0)
		return CDATE_NONE;
	return d;
}

/* Not reverted as of ?1 (the entry's alias is l). */
#define LIVE " NOT EXISTS (SELECT 1 FROM log r WHERE r.kind = 'revert'" \
	" AND r.value = CAST(l.id AS TEXT) AND r.effective <= ?1)"

/* Latest first: the rows of one kind for item ?3 (and partner ?4) as of
 * ?1, with their ids: the reverted ones are left out in C (struct revs),
 * which costs a lookup in memory instead of a probe of the log per row.
 * The kinds are literals: a kind bound as a parameter would make SQLite
 * prepare the statement again at every new binding (the partial index
 * log_revert depends on the kind). */
#define SQL_ITEM_ROWS(KIND) "SELECT l.value, l.effective, l.id FROM log l" \
	" WHERE l.kind = '" KIND "' AND l.item = ?3 AND l.effective <= ?1" \
	" ORDER BY l.effective DESC, l.id DESC"
#define SQL_BENCH_ROWS "SELECT l.value, l.effective, l.id FROM log l WHERE l.kind = 'bench'" \
	" AND l.partner = ?4 AND l.item = ?3 AND l.effective <= ?1" \
	" ORDER BY l.effective DESC, l.id DESC"
#define SQL_LABEL_ROWS "SELECT l.value, l.effective, l.id FROM log l WHERE l.kind = 'label'" \
	" AND l.partner = ?4 AND l.effective <= ?1 ORDER BY l.effective DESC, l.id DESC"

/* Project month of an effective date, clamped to 1..nmonths: ?6 start
 * year, ?7 start month, ?8 nmonths. */
#define SQL_MONTH "max(1, min(?8, (CAST(substr(l.effective, 1, 4) AS INTEGER) - ?6) * 12" \
	" + CAST(substr(l.effective, 6, 2) AS INTEGER) - ?7 + 1))"

/* Count targets: per partner, the running total at the last entry of each
 * month ("=N" starts a new run, "+N"/"-N" add to it). WHERE is an extra
 * condition on l. */
#define SQL_REACH_COUNT_WHERE(WHERE) \
	"WITH e AS (SELECT l.id, l.partner, l.effective," \
	"  substr(l.value, 1, 1) = '=' AS is_set, " REACH_N("l") " AS n," \
	"  " SQL_MONTH " AS mon" \
	"  FROM log l WHERE l.kind = 'reach' AND l.item = ?3 AND l.effective <= ?1" WHERE \
	"  AND substr(l.value, 1, 1) IN ('+', '-', '=') AND" LIVE ")," \
	" g AS (SELECT *, SUM(is_set) OVER (PARTITION BY partner ORDER BY effective, id" \
	"  ROWS UNBOUNDED PRECEDING) AS grp FROM e)," \
	" r AS (SELECT partner, mon," \
	"  SUM(n) OVER (PARTITION BY partner, grp ORDER BY effective, id ROWS UNBOUNDED PRECEDING) AS run," \
	"  ROW_NUMBER() OVER (PARTITION BY partner, mon ORDER BY effective DESC, id DESC) AS rn FROM g)" \
	" SELECT partner, mon, run FROM r WHERE rn = 1 ORDER BY partner, mon"

/* Distinct targets: each (value, partner) pair with the month it first
 * appeared. */
#define SQL_REACH_DISTINCT_WHERE(WHERE) \
	"SELECT l.value, l.partner, MIN(" SQL_MONTH ") FROM log l" \
	" WHERE l.kind = 'reach' AND l.item = ?3 AND l.effective <= ?1" WHERE " AND" LIVE \
	" GROUP BY l.value, l.partner"

/* Every revert effective by ?1 with the entry it undoes (NULLs when there
 * is none): (revert's value, id, kind, item, partner, effective, month,
 * value, kind of count entry: 0 none, 1 "+N"/"-N", 2 "=N", signed
 * amount). Read once per query of the facts: reverts are rare corrections,
 * the summaries ignore them, and the facts take the undone entries out
 * again. A revert names its entry by the id as decimal text, exactly as
 * CAST(id AS TEXT) writes it (checked in C). */
#define REVERT_COLUMNS(L) L ".id, " L ".kind, " L ".item, " L ".partner, " L ".effective," \
	" substr(" L ".effective, 1, 7), " L ".value, CASE substr(" L ".value, 1, 1) WHEN '=' THEN 2" \
	" WHEN '+' THEN 1 WHEN '-' THEN 1 ELSE 0 END, " REACH_N(L)
#define SQL_REVERTS \
	"SELECT r.value, " REVERT_COLUMNS("l") \
	" FROM log r LEFT JOIN log l ON l.id = CAST(r.value AS INTEGER)" \
	" WHERE r.kind = 'revert' AND r.effective <= ?1"
/* Schema 4: the same from the undone table; an entry missing when its
 * revert was written (only a hand-made log has that) is looked up again. */
#define SQL_REVERTS_UNDONE "SELECT u.rvalue, " REVERT_COLUMNS("u") " FROM undone u WHERE u.reff <= ?1"
#define SQL_REVERTED_ENTRY "SELECT " REVERT_COLUMNS("l") " FROM log l WHERE l.id = ?1"
/* Count buckets up to the month of asof (?9 = 'YYYY-MM'). */
#define SQL_REACH_MONTHS \
	"SELECT partner, month, nset, set_n, tail, last, set_eff, set_id FROM reach_month" \
	" WHERE item = ?3 AND month <= ?9 ORDER BY partner, month"
/* The same for one partner ?4. */
#define SQL_REACH_MONTHS_PARTNER \
	"SELECT partner, month, nset, set_n, tail, last, set_eff, set_id FROM reach_month" \
	" WHERE item = ?3 AND partner = ?4 AND month <= ?9 ORDER BY month"
/* Schema 3: every partner's total of target ?3 over the whole log. */
#define SQL_REACH_TOTALS \
	"SELECT partner, nset, set_n, tail, last, set_eff, set_id FROM reach_total WHERE item = ?3"
/* The live count entries of one partner in one month (?10 = 'YYYY-MM'),
 * up to asof. The planner would rather scan the covering log_kind_item
 * over every partner's entries; one partner's are far fewer. */
#define SQL_REACH_BUCKET \
	"SELECT substr(l.value, 1, 1) = '=', " REACH_N("l") " FROM log l INDEXED BY log_kind_partner" \
	" WHERE l.kind = 'reach' AND l.partner = ?4 AND l.item = ?3" \
	" AND l.effective BETWEEN ?10 AND ?10 || '-99' AND l.effective <= ?1" \
	" AND substr(l.value, 1, 1) IN ('+', '-', '=') AND" LIVE \
	" ORDER BY l.effective, l.id"
/* The first live entry of one (value ?5, partner) by asof. */
#define SQL_REACH_FIRST \
	"SELECT l.effective FROM log l INDEXED BY log_kind_partner WHERE l.kind = 'reach'" \
	" AND l.partner = ?4 AND l.item = ?3 AND l.effective <= ?1 AND l.value = ?5 AND" LIVE \
	" ORDER BY l.effective LIMIT 1"
/* Schema 4: the change of the total over all partners in each calendar
 * month up to the month of asof (?9). */
#define SQL_REACH_DELTAS \
	"SELECT month, delta FROM reach_delta WHERE item = ?3 AND month <= ?9 ORDER BY month"
/* Distinct values first recorded by asof, in byte order (the key's). */
#define SQL_REACH_VALUES \
	"SELECT value, partner, first_eff FROM reach_value WHERE item = ?3 AND first_eff <= ?1" \
	" ORDER BY value"

/* An entry undone by a revert effective by asof. */
struct rev {
	int64_t id;
	int found;            /* the entry exists; the fields below are its */
	char *kind, *item, *partner, *effective, *month, *value;
	int op;               /* 0 not a count entry, 1 "+N"/"-N", 2 "=N" */
	long n;               /* signed amount of a count entry */
};

/* The undone entries, by id. */
struct revs {
	struct rev *v;
	size_t n, cap;
};

struct facts_q {
	struct store *s;
	const struct project *p;
	char asof[16];
	int sy, sm;
	unsigned flags;       /* STORE_FACTS_* */
	struct revs rv;
};

static int q_prepare(struct facts_q *q, const char *sql, sqlite3_stmt **st, struct err *e)
{
	if (prepare(q->s, sql, st, e) < 0)
		return -1;
	sqlite3_bind_text(*st, 1, q->asof, -1, SQLITE_TRANSIENT);
	return 0;
}

static void q_rebind(sqlite3_stmt *st, const char *kind, const char *item, const char *partner)
{
	sqlite3_reset(st);
	if (sqlite3_bind_parameter_index(st, "?2"))
		bind_text_or_null(st, 2, kind);
	if (sqlite3_bind_parameter_index(st, "?3"))
		bind_text_or_null(st, 3, item);
	if (sqlite3_bind_parameter_index(st, "?4"))
		bind_text_or_null(st, 4, partner);
}

static int parse_pct(const char *v, int *out);

/* Prepares *st on first use (the statements a query of the facts may never
 * need are never parsed). */
static int q_lazy(struct facts_q *q, const char *sql, sqlite3_stmt **st, struct err *e)
{
	return *st ? 0 : q_prepare(q, sql, st, e);
}

static int rev_cmp(const void *x, const void *y)
{
	int64_t a = ((const struct rev *)x)->id, b = ((const struct rev *)y)->id;
	return (a > b) - (a < b);
}

static void revs_free(struct revs *rv)
{
	for (size_t i = 0; i < rv->n; i++) {
		struct rev *r = &rv->v[i];
		free(r->kind);
		free(r->item);
		free(r->partner);
		free(r->effective);
		free(r->month);
		free(r->value);
	}
	free(rv->v);
	memset(rv, 0, sizeof *rv);
}

/* Fills r from columns at..at+8 of st (REVERT_COLUMNS). */
static void rev_fill(struct rev *r, sqlite3_stmt *st, int at)
{
	r->found = sqlite3_column_type(st, at) != SQLITE_NULL && sqlite3_column_int64(st, at) == r->id;
	if (!r->found)
		return;
	r->kind = col_dup(st, at + 1);
	r->item = col_dup(st, at + 2);
	r->partner = col_dup(st, at + 3);
	r->effective = col_dup(st, at + 4);
	r->month = col_dup(st, at + 5);
	r->value = col_dup(st, at + 6);
	r->op = sqlite3_column_int(st, at + 7);
	r->n = (long)sqlite3_column_int64(st, at + 8);
}

static int revs_read(struct facts_q *q, struct err *e)
{
	sqlite3_stmt *st, *again = NULL;
	struct revs *rv = &q->rv;
	if (q_prepare(q, q->s->version >= 4 ? SQL_REVERTS_UNDONE : SQL_REVERTS, &st, e) < 0)
		return -1;
	int rc, failed = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		char *end, back[32];
		if (!v)
			continue;
		errno = 0;
		long long id = strtoll(v, &end, 10);
		if (end == v || *end || errno)
			continue;
		snprintf(back, sizeof back, "%lld", id);
		if (strcmp(back, v) != 0)
			continue;
		xgrow(&rv->v, &rv->cap, rv->n + 1, sizeof *rv->v);
		struct rev *r = &rv->v[rv->n++];
		memset(r, 0, sizeof *r);
		r->id = id;
		rev_fill(r, st, 1);
		if (r->found || q->s->version < 4)
			continue;
		if (!again && prepare(q->s, SQL_REVERTED_ENTRY, &again, e) < 0) {
			failed = 1;
			break;
		}
		sqlite3_reset(again);
		sqlite3_bind_int64(again, 1, id);
		int arc = sqlite3_step(again);
		if (arc == SQLITE_ROW) {
			rev_fill(r, again, 0);
		} else if (arc != SQLITE_DONE) {
			fail(q->s, arc, "read", e);
			failed = 1;
			break;
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(again);
	if (failed || rc != SQLITE_DONE) {
		revs_free(rv);
		return failed ? -1 : fail(q->s, rc, "read", e);
	}
	if (rv->n > 1) {
		qsort(rv->v, rv->n, sizeof *rv->v, rev_cmp);
		/* An entry reverted twice is undone once. */
		size_t k = 1;
		for (size_t i = 1; i < rv->n; i++) {
			if (rv->v[i].id == rv->v[k - 1].id) {
				struct rev *x = &rv->v[i];
				free(x->kind);
				free(x->item);
				free(x->partner);
				free(x->effective);
				free(x->month);
				free(x->value);
				continue;
			}
			rv->v[k++] = rv->v[i];
		}
		rv->n = k;
	}
	return 0;
}

/* Is entry id undone as of asof? */
static int revs_has(const struct revs *rv, int64_t id)
{
	size_t lo = 0, hi = rv->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rv->v[mid].id < id)
			lo = mid + 1;
		else if (rv->v[mid].id > id)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

static int in_set(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(v, *set) == 0)
			return 1;
	return 0;
}

/* Status of one item: the latest, and the start of the current run of
 * statuses in done_set (NULL: no done date). */
static int fact_status(struct facts_q *q, sqlite3_stmt *st, const char *id,
                       const char *const *done_set, struct item_fact *f, struct err *e)
{
	q_rebind(st, NULL, id, NULL);
	int rc, first = 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		if (!v || revs_has(&q->rv, sqlite3_column_int64(st, 2)))
			continue;
		if (first) {
			f->has_status = 1;
			snprintf(f->status, sizeof f->status, "%s", v);
			f->status_date = col_date(st, 1);
			first = 0;
			if (!done_set)
				break;
		}
		if (!in_set(v, done_set))
			break;
		f->done_date = col_date(st, 1);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(q->s, rc, "read", e);
	sqlite3_reset(st);
	return 0;
}

static int fact_progress(struct facts_q *q, sqlite3_stmt *st, const char *id,
                         struct item_fact *f, struct err *e)
{
	q_rebind(st, NULL, id, NULL);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int pct;
		if (revs_has(&q->rv, sqlite3_column_int64(st, 2)) ||
		    parse_pct((const char *)sqlite3_column_text(st, 0), &pct) < 0)
			continue;
		f->has_progress = 1;
		f->progress = pct;
		f->progress_date = col_date(st, 1);
		break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(q->s, rc, "read", e);
	sqlite3_reset(st);
	return 0;
}

/* The statements the reach facts use; NULL where the schema lacks them. */
struct reach_q {
	sqlite3_stmt *count, *distinct;             /* the whole log (schema 1) */
	sqlite3_stmt *months, *bucket, *first, *values;
	sqlite3_stmt *totals, *months_partner;      /* schema 3 */
	sqlite3_stmt *deltas;                       /* schema 4 */
};

static void reach_q_free(struct reach_q *rq)
{
	sqlite3_finalize(rq->count);
	sqlite3_finalize(rq->distinct);
	sqlite3_finalize(rq->months);
	sqlite3_finalize(rq->bucket);
	sqlite3_finalize(rq->first);
	sqlite3_finalize(rq->values);
	sqlite3_finalize(rq->totals);
	sqlite3_finalize(rq->months_partner);
	sqlite3_finalize(rq->deltas);
	memset(rq, 0, sizeof *rq);
}

/* Prepares and binds what stays fixed: ?1 asof, ?6..?8 the month formula,
 * ?9 the month of asof. */
static int reach_prepare(struct facts_q *q, const char *sql, sqlite3_stmt **st, struct err *e)
{
	if (q_prepare(q, sql, st, e) < 0)
		return -1;
	if (sqlite3_bind_parameter_index(*st, "?6")) {
		sqlite3_bind_int(*st, 6, q->sy);
		sqlite3_bind_int(*st, 7, q->sm);
		sqlite3_bind_int(*st, 8, q->p->nmonths);
	}
	if (sqlite3_bind_parameter_index(*st, "?9"))
		sqlite3_bind_text(*st, 9, q->asof, 7, SQLITE_TRANSIENT);
	return 0;
}

/* Whole-log totals serve when the months are not wanted (schema 3). */
static int totals_usable(const struct facts_q *q)
{
	return q->s->version >= 3 && (q->flags & STORE_FACTS_NO_MONTHS);
}

/* Prepares a reach statement on first use. */
static int reach_lazy(struct facts_q *q, const char *sql, sqlite3_stmt **st, struct err *e)
{
	return *st ? 0 : reach_prepare(q, sql, st, e);
}

/* Project month (clamped to 1..nmonths) of a date or month 'YYYY-MM...',
 * as SQL_MONTH computes it. */
static int month_index(const struct facts_q *q, const char *ym)
{
	if (!ym)
		return 1;
	/* 'YYYY-MM' as the log's CHECK guarantees; anything else as atoi reads it. */
	int y, m;
	if (ym[0] >= '0' && ym[0] <= '9' && ym[1] >= '0' && ym[1] <= '9' && ym[2] >= '0' &&
	    ym[2] <= '9' && ym[3] >= '0' && ym[3] <= '9' && ym[4] == '-' && ym[5] >= '0' &&
	    ym[5] <= '9' && ym[6] >= '0' && ym[6] <= '9' && (ym[7] < '0' || ym[7] > '9')) {
		y = (ym[0] - '0') * 1000 + (ym[1] - '0') * 100 + (ym[2] - '0') * 10 + (ym[3] - '0');
		m = (ym[5] - '0') * 10 + (ym[6] - '0');
	} else {
		if (strlen(ym) < 7)
			return 1;
		y = atoi(ym);
		m = atoi(ym + 5);
	}
	long mon = (long)(y - q->sy) * 12 + m - q->sm + 1;
	if (mon > q->p->nmonths)
		mon = q->p->nmonths;
	return mon < 1 ? 1 : (int)mon;
}

/* The undone entries of one target. */
struct undone {
	char *partner, *month, *value;
	int64_t id;
	char effective[11];
	int op;               /* 0 not a count entry, 1 "+N"/"-N", 2 "=N" */
	long n;
};

struct undones {
	struct undone *v;
	size_t n, cap;
};

static void undones_free(struct undones *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->v[i].partner);
		free(u->v[i].month);
		free(u->v[i].value);
	}
	free(u->v);
	memset(u, 0, sizeof *u);
}

/* Does an undone entry fall in (partner, month) or (partner, value)? */
static int undone_has(const struct undones *u, const char *partner, const char *month,
                      const char *value)
{
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->v[i].partner, partner) == 0 &&
		    (!month || strcmp(u->v[i].month, month) == 0) &&
		    (!value || strcmp(u->v[i].value, value) == 0))
			return 1;
	return 0;
}

/* The undone reach entries of target tid effective by asof, from the
 * reverts read once. */
static void undones_for(const struct facts_q *q, const char *tid, struct undones *out)
{
	for (size_t i = 0; i < q->rv.n; i++) {
		const struct rev *r = &q->rv.v[i];
		if (!r->found || !r->kind || strcmp(r->kind, "reach") != 0 || !r->item ||
		    strcmp(r->item, tid) != 0 || !r->effective || strcmp(r->effective, q->asof) > 0 ||
		    !r->partner || !r->month || !r->value)
			continue;
		xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
		struct undone *u = &out->v[out->n++];
		u->partner = xstrdup(r->partner);
		u->month = xstrdup(r->month);
		u->value = xstrdup(r->value);
		u->id = r->id;
		snprintf(u->effective, sizeof u->effective, "%s", r->effective);
		u->op = r->op;
		u->n = r->n;
	}
}

/* Accumulates (partner, month, running total) rows, partner by partner,
 * months ascending, into per-partner totals and month-by-month changes. */
struct run_acc {
	const struct project *p;
	struct reach_fact *r;
	long *delta;          /* [nmonths]: change of the total in each month */
	int cur;
	long last_run;
};

static void run_add(struct run_acc *a, int pi, int mon, long run)
{
	if (pi < 0 || mon < 1 || mon > a->p->nmonths)
		return;
	if (pi != a->cur) {
		a->cur = pi;
		a->last_run = 0;
	}
	/* The partner's total changes from last_run to run at month mon. */
	a->delta[mon - 1] += run - a->last_run;
	a->last_run = run;
	a->r->by_partner[pi] = run;
}

/* Rows (partner, mon, run) from the log itself; ?4 bound by the caller
 * when the statement has it. */
static int count_from_log(struct facts_q *q, sqlite3_stmt *st, struct run_acc *a, struct err *e)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		run_add(a, project_partner(q->p, (const char *)sqlite3_column_text(st, 0)),
		        sqlite3_column_int(st, 1), (long)sqlite3_column_int64(st, 2));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fail(q->s, rc, "read", e);
	return 0;
}

/* What the undone entries of a partner (in one month, or in all of them
 * when month is NULL) take from a summary row of st: the "+N"/"-N" after
 * its latest "=N" (nset at column at, set_eff and set_id four and five
 * columns on, as reach_month and reach_total give them); -1 when one of
 * them is an "=N", which only the log can answer. */
static int undone_after_set(const struct undones *u, const char *partner, const char *month,
                            sqlite3_stmt *st, int at, long *minus)
{
	int nset = sqlite3_column_int64(st, at) > 0;
	const char *set_eff = (const char *)sqlite3_column_text(st, at + 4);
	int64_t set_id = sqlite3_column_int64(st, at + 5);
	*minus = 0;
	for (size_t i = 0; i < u->n; i++) {
		const struct undone *x = &u->v[i];
		if (x->op == 0 || strcmp(x->partner, partner) != 0 ||
		    (month && strcmp(x->month, month) != 0))
			continue;
		if (x->op == 2 || (nset && !set_eff))
			return -1;
		int c = nset ? strcmp(x->effective, set_eff) : 1;
		if (c > 0 || (c == 0 && x->id > set_id))
			*minus += x->n;
	}
	return 0;
}

/* Schema 2: the running totals from the month buckets. A bucket wholly
 * on or before asof gives the total at its end at once (the latest "=N"
 * plus what follows it, or the previous total plus its sum), less the
 * undone "+N"/"-N" that count in it; any other bucket (asof's month
 * holding later entries, or an undone "=N") is read from the log: one
 * partner's month. */
static int count_from_buckets(struct facts_q *q, struct reach_q *rq, sqlite3_stmt *st,
                              const char *tid, const char *only,
                              const struct undones *undone, struct run_acc *a, struct err *e)
{
	/* only: one partner (st is months_partner), or NULL for all (months). */
	q_rebind(st, NULL, tid, only);
	char *cur = NULL;
	int pi = -1, rc;
	long total = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *partner = (const char *)sqlite3_column_text(st, 0);
		const char *month = (const char *)sqlite3_column_text(st, 1);
		const char *last = (const char *)sqlite3_column_text(st, 5);
		if (!partner || !month || !last)
			continue;
		if (!cur || strcmp(cur, partner) != 0) {
			free(cur);
			cur = xstrdup(partner);
			total = 0;
			pi = project_partner(q->p, partner);
		}
		if (pi < 0)
			continue;
		long minus = 0;
		if ((strncmp(month, q->asof, 7) < 0 || strcmp(last, q->asof) <= 0) &&
		    undone_after_set(undone, partner, month, st, 2, &minus) == 0) {
			long tail = (long)sqlite3_column_int64(st, 4) - minus;
			if (sqlite3_column_int64(st, 2) > 0)
				total = (long)sqlite3_column_int64(st, 3) + tail;
			else
				total += tail;
		} else {
			if (reach_lazy(q, SQL_REACH_BUCKET, &rq->bucket, e) < 0) {
				sqlite3_reset(st);
				free(cur);
				return -1;
			}
			sqlite3_stmt *bt = rq->bucket;
			q_rebind(bt, NULL, tid, partner);
			sqlite3_bind_text(bt, 10, month, -1, SQLITE_TRANSIENT);
			int brc;
			while ((brc = sqlite3_step(bt)) == SQLITE_ROW) {
				long n = (long)sqlite3_column_int64(bt, 1);
				total = sqlite3_column_int(bt, 0) ? n : total + n;
			}
			sqlite3_reset(bt);
			if (brc != SQLITE_DONE) {
				sqlite3_reset(st);
				free(cur);
				return fail(q->s, brc, "read", e);
			}
		}
		run_add(a, pi, month_index(q, month), total);
	}
	free(cur);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fail(q->s, rc, "read", e);
	return 0;
}

/* Schema 3, months not wanted: a pair whose entries are all on or before
 * asof has its total in reach_total (the latest "=N" plus what follows
 * it), less the undone "+N"/"-N" after that "=N"; any other pair is read
 * from its months as count_from_buckets does, so both give the same
 * numbers. */
static int count_from_totals(struct facts_q *q, struct reach_q *rq, const char *tid,
                             const struct undones *undone, struct run_acc *a, struct err *e)
{
	sqlite3_stmt *st = rq->totals;
	q_rebind(st, NULL, tid, NULL);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *partner = (const char *)sqlite3_column_text(st, 0);
		const char *last = (const char *)sqlite3_column_text(st, 4);
		if (!partner || !last)
			continue;
		int pi = project_partner(q->p, partner);
		if (pi < 0)
			continue;
		/* Undone "+N"/"-N" are taken from the total; entries after asof
		 * or an undone "=N" send the pair to its months. */
		long minus = 0;
		if (strcmp(last, q->asof) > 0 ||
		    (undone->n && undone_after_set(undone, partner, NULL, st, 1, &minus) < 0)) {
			if (count_from_buckets(q, rq, rq->months_partner, tid, partner, undone, a, e) < 0) {
				sqlite3_reset(st);
				return -1;
			}
			continue;
		}
		long set = sqlite3_column_int64(st, 1) > 0 ? (long)sqlite3_column_int64(st, 2) : 0;
		a->r->by_partner[pi] = set + (long)sqlite3_column_int64(st, 3) - minus;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fail(q->s, rc, "read", e);
	return 0;
}

/* One pair's share of reach_delta: its buckets (st: months_partner) read
 * whole, as the table sums them, added to delta by project month. */
static int pair_share(struct facts_q *q, sqlite3_stmt *st, const char *tid, const char *partner,
                      long *delta, struct err *e)
{
	q_rebind(st, NULL, tid, partner);
	long prev = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *month = (const char *)sqlite3_column_text(st, 1);
		if (!month)
			continue;
		long tail = (long)sqlite3_column_int64(st, 4);
		long end = sqlite3_column_int64(st, 2) > 0 ? (long)sqlite3_column_int64(st, 3) + tail
		                                           : prev + tail;
		delta[month_index(q, month) - 1] += end - prev;
		prev = end;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fail(q->s, rc, "read", e);
	return 0;
}

/* Schema 4, months wanted: the monthly series from reach_delta, one row a
 * month. The table sums every pair's buckets whole; a pair the totals
 * cannot serve (entries after asof, an undone entry, a partner the
 * definition does not know) has its share taken out again and, for a
 * partner of the definition, put back as count_from_buckets reads it, so
 * that the numbers equal those of the months of every pair. by_partner as
 * count_from_totals gives it. */
static int count_from_deltas(struct facts_q *q, struct reach_q *rq, const char *tid,
                             const struct undones *undone, struct run_acc *a, struct err *e)
{
	const struct project *p = q->p;
	long *out = xcalloc((size_t)p->nmonths + 1, sizeof *out);
	int r = -1, rc;
	sqlite3_stmt *st = rq->totals;
	q_rebind(st, NULL, tid, NULL);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *partner = (const char *)sqlite3_column_text(st, 0);
		const char *last = (const char *)sqlite3_column_text(st, 4);
		if (!partner || !last)
			continue;
		int pi = project_partner(p, partner);
		if (pi >= 0 && strcmp(last, q->asof) <= 0 && !undone_has(undone, partner, NULL, NULL)) {
			long set = sqlite3_column_int64(st, 1) > 0 ? (long)sqlite3_column_int64(st, 2) : 0;
			a->r->by_partner[pi] = set + (long)sqlite3_column_int64(st, 3);
			continue;
		}
		if (pair_share(q, rq->months_partner, tid, partner, out, e) < 0 ||
		    (pi >= 0 &&
		     count_from_buckets(q, rq, rq->months_partner, tid, partner, undone, a, e) < 0)) {
			sqlite3_reset(st);
			goto done;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		fail(q->s, rc, "read", e);
		goto done;
	}
	st = rq->deltas;
	q_rebind(st, NULL, tid, NULL);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *month = (const char *)sqlite3_column_text(st, 0);
		if (month)
			a->delta[month_index(q, month) - 1] += (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		fail(q->s, rc, "read", e);
		goto done;
	}
	for (int m = 0; m < p->nmonths; m++)
		a->delta[m] -= out[m];
	r = 0;
done:
	free(out);
	return r;
}

static int fact_count(struct facts_q *q, struct reach_q *rq, int ti, struct reach_fact *r, struct err *e)
{
	const struct project *p = q->p;
	const char *tid = p->targets[ti].id;
	struct run_acc a = { .p = p, .r = r, .cur = -2 };
	a.delta = xcalloc((size_t)p->nmonths + 1, sizeof *a.delta);
	struct undones undone = {0};
	int ret = -1;
	if (q->s->version < 2) {
		if (reach_lazy(q, SQL_REACH_COUNT_WHERE(""), &rq->count, e) < 0)
			goto out;
		q_rebind(rq->count, NULL, tid, NULL);
		if (count_from_log(q, rq->count, &a, e) < 0)
			goto out;
	} else if (totals_usable(q)) {
		undones_for(q, tid, &undone);
		if (reach_lazy(q, SQL_REACH_TOTALS, &rq->totals, e) < 0 ||
		    reach_lazy(q, SQL_REACH_MONTHS_PARTNER, &rq->months_partner, e) < 0 ||
		    count_from_totals(q, rq, tid, &undone, &a, e) < 0)
			goto out;
	} else if (q->s->version >= 4) {
		undones_for(q, tid, &undone);
		if (reach_lazy(q, SQL_REACH_TOTALS, &rq->totals, e) < 0 ||
		    reach_lazy(q, SQL_REACH_MONTHS_PARTNER, &rq->months_partner, e) < 0 ||
		    reach_lazy(q, SQL_REACH_DELTAS, &rq->deltas, e) < 0 ||
		    count_from_deltas(q, rq, tid, &undone, &a, e) < 0)
			goto out;
	} else {
		undones_for(q, tid, &undone);
		if (reach_lazy(q, SQL_REACH_MONTHS, &rq->months, e) < 0 ||
		    count_from_buckets(q, rq, rq->months, tid, NULL, &undone, &a, e) < 0)
			goto out;
	}
	long total = 0;
	for (int i = 0; i < p->npartners; i++)
		total += r->by_partner[i];
	r->total = total;
	long cum = 0;
	for (int m = 0; m < p->nmonths; m++) {
		cum += a.delta[m];
		if (r->by_month[m] != -1)
			r->by_month[m] = cum;
	}
	ret = 0;
out:
	free(a.delta);
	undones_free(&undone);
	return ret;
}

/* (value, partner, first month) of a distinct target. */
struct vpm {
	char *value;
	int pi, mon;
};

static int vpm_cmp(const void *x, const void *y)
{
	return strcmp(((const struct vpm *)x)->value, ((const struct vpm *)y)->value);
}

struct vpms {
	struct vpm *v;
	size_t n, cap;
};

static void vpms_add(struct vpms *vs, const char *value, int pi, int mon)
{
	xgrow(&vs->v, &vs->cap, vs->n + 1, sizeof *vs->v);
	vs->v[vs->n].value = xstrdup(value);
	vs->v[vs->n].pi = pi;
	vs->v[vs->n].mon = mon;
	vs->n++;
}

/* Rows (value, partner, month) from the log itself. */
static int distinct_from_log(struct facts_q *q, sqlite3_stmt *st, struct vpms *vs, struct err *e)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		int pi = project_partner(q->p, (const char *)sqlite3_column_text(st, 1));
		int mon = sqlite3_column_int(st, 2);
		if (v && pi >= 0 && mon >= 1 && mon <= q->p->nmonths)
			vpms_add(vs, v, pi, mon);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fail(q->s, rc, "read", e);
	return 0;
}

/* Counts (value, partner, month) triples that arrive in byte order of
 * value: each value once, in the month it first appeared for any partner. */
struct dacc {
	struct reach_fact *r;
	long *firsts;         /* [nmonths]: values first seen in each month */
	struct sbuf block;    /* the values, each with its NUL, one after another */
	size_t *off;          /* where each value starts in block */
	size_t noff, cap;
	int have_cur, cur_mon;
};

static void dacc_add(struct dacc *a, const char *value, int pi, int mon)
{
	a->r->by_partner[pi]++;
	if (!a->have_cur || strcmp(a->block.s + a->off[a->noff - 1], value) != 0) {
		if (a->have_cur)
			a->firsts[a->cur_mon - 1]++;
		xgrow(&a->off, &a->cap, a->noff + 1, sizeof *a->off);
		a->off[a->noff++] = a->block.len;
		sbuf_add(&a->block, value, strlen(value) + 1);
		a->have_cur = 1;
		a->cur_mon = mon;
	} else if (mon < a->cur_mon) {
		a->cur_mon = mon;
	}
}

/* The values into r: one block for all of them (thousands of values are
 * one allocation, not one each). */
static void dacc_end(struct dacc *a)
{
	struct reach_fact *r = a->r;
	if (a->have_cur)
		a->firsts[a->cur_mon - 1]++;
	a->have_cur = 0;
	if (a->noff == 0)
		return;
	r->values_block = sbuf_take(&a->block);
	r->values = xcalloc(a->noff, sizeof *r->values);
	for (size_t i = 0; i < a->noff; i++)
		r->values[i] = r->values_block + a->off[i];
	r->nvalues = (int)a->noff;
}

static int fact_distinct(struct facts_q *q, struct reach_q *rq, int ti, struct reach_fact *r, struct err *e)
{
	const struct project *p = q->p;
	const char *tid = p->targets[ti].id;
	struct vpms vs = {0};
	struct undones undone = {0};
	struct dacc acc = { .r = r };
	acc.firsts = xcalloc((size_t)p->nmonths + 1, sizeof *acc.firsts);
	int ret = -1, rc;
	int sorted = 0;
	if (q->s->version < 2) {
		if (reach_lazy(q, SQL_REACH_DISTINCT_WHERE("") " ORDER BY 1, 2", &rq->distinct, e) < 0)
			goto out;
		q_rebind(rq->distinct, NULL, tid, NULL);
		if (distinct_from_log(q, rq->distinct, &vs, e) < 0)
			goto out;
		sorted = 1;
	} else {
		undones_for(q, tid, &undone);
		if (reach_lazy(q, SQL_REACH_VALUES, &rq->values, e) < 0)
			goto out;
		sqlite3_stmt *st = rq->values;
		q_rebind(st, NULL, tid, NULL);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(st, 0);
			const char *partner = (const char *)sqlite3_column_text(st, 1);
			int pi = project_partner(p, partner);
			if (!v || pi < 0 || (undone.n && undone_has(&undone, partner, NULL, v)))
				continue;
			int mon = month_index(q, (const char *)sqlite3_column_text(st, 2));
			/* Nothing undone: the rows, in byte order, are counted as
			 * they come; else they join the pairs below first. */
			if (undone.n)
				vpms_add(&vs, v, pi, mon);
			else
				dacc_add(&acc, v, pi, mon);
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			fail(q->s, rc, "read", e);
			goto out;
		}
		/* In byte order, unless the pairs below join them. */
		sorted = 1;
		/* A pair with an undone entry: its first live entry, from the log. */
		for (size_t i = 0; i < undone.n; i++) {
			const struct undone *u = &undone.v[i];
			int pi = project_partner(p, u->partner), dup = 0;
			for (size_t j = 0; j < i; j++)
				dup |= strcmp(undone.v[j].partner, u->partner) == 0 &&
				       strcmp(undone.v[j].value, u->value) == 0;
			if (pi < 0 || dup)
				continue;
			if (reach_lazy(q, SQL_REACH_FIRST, &rq->first, e) < 0)
				goto out;
			sqlite3_stmt *ft = rq->first;
			q_rebind(ft, NULL, tid, u->partner);
			sqlite3_bind_text(ft, 5, u->value, -1, SQLITE_TRANSIENT);
			rc = sqlite3_step(ft);
			if (rc == SQLITE_ROW && sqlite3_column_text(ft, 0)) {
				vpms_add(&vs, u->value, pi,
				         month_index(q, (const char *)sqlite3_column_text(ft, 0)));
				sorted = 0;
			}
			sqlite3_reset(ft);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
				fail(q->s, rc, "read", e);
				goto out;
			}
		}
	}
	if (!sorted && vs.n > 1)
		qsort(vs.v, vs.n, sizeof *vs.v, vpm_cmp);
	for (size_t i = 0; i < vs.n; i++)
		dacc_add(&acc, vs.v[i].value, vs.v[i].pi, vs.v[i].mon);
	dacc_end(&acc);
	r->total = r->nvalues;
	long cum = 0;
	for (int m = 0; m < p->nmonths; m++) {
		cum += acc.firsts[m];
		if (r->by_month[m] != -1)
			r->by_month[m] = cum;
	}
	ret = 0;
out:
	for (size_t i = 0; i < vs.n; i++)
		free(vs.v[i].value);
	free(vs.v);
	free(acc.firsts);
	free(acc.off);
	sbuf_free(&acc.block);
	undones_free(&undone);
	return ret;
}

static int parse_number(const char *v, double *out)
{
	char *end;
	if (!v || !*v)
		return -1;
	errno = 0;
	double d = strtod(v, &end);
	if (*end || errno || !isfinite(d))
		return -1;
	*out = d;
	return 0;
}

static int parse_pct(const char *v, int *out)
{
	char *end;
	long pct;
	if (!v)
		return -1;
	errno = 0;
	pct = strtol(v, &end, 10);
	if (end == v || *end || errno || pct < 0 || pct > 100)
		return -1;
	*out = (int)pct;
	return 0;
}

/* What the pass over the latest table leaves to the per-item queries. */
enum { NEED_STATUS = 1, NEED_PROGRESS = 2 };
struct need {
	unsigned char *tasks, *deliverables, *milestones, *bench, *label;
};

static void need_init(struct need *nd, const struct project *p, int all)
{
	size_t nb = (size_t)p->bench.nclusters * (size_t)p->bench.nindicators;
	int v = all ? NEED_STATUS | NEED_PROGRESS : 0;
	nd->tasks = xcalloc((size_t)p->ntasks + 1, 1);
	nd->deliverables = xcalloc((size_t)p->ndeliverables + 1, 1);
	nd->milestones = xcalloc((size_t)p->nmilestones + 1, 1);
	nd->bench = xcalloc(nb + 1, 1);
	nd->label = xcalloc((size_t)p->bench.nclusters + 1, 1);
	memset(nd->tasks, v, (size_t)p->ntasks);
	memset(nd->deliverables, v, (size_t)p->ndeliverables);
	memset(nd->milestones, v, (size_t)p->nmilestones);
	memset(nd->bench, v, nb);
	memset(nd->label, v, (size_t)p->bench.nclusters);
}

static void need_free(struct need *nd)
{
	free(nd->tasks);
	free(nd->deliverables);
	free(nd->milestones);
	free(nd->bench);
	free(nd->label);
}

/* One status row of the latest table for one item. run is where the
 * current run of done_set began, NULL when not known. */
static void latest_status(int usable, const char *v, cdate d, const char *const *done_set,
                          const char *run, struct item_fact *fact, unsigned char *need)
{
	cdate run_date = CDATE_NONE;
	if (usable && done_set && in_set(v, done_set) && (!run || date_parse(run, &run_date) < 0))
		usable = 0;
	if (!usable) {
		*need |= NEED_STATUS;
		return;
	}
	fact->done_date = run_date;
	fact->has_status = 1;
	size_t n = strlen(v);
	if (n >= sizeof fact->status)
		n = sizeof fact->status - 1;
	memcpy(fact->status, v, n);
	fact->status[n] = '\0';
	fact->status_date = d;
}

/* Schema 2: most facts straight from the latest table. Where the latest
 * entry is later than asof, undone by a revert, or not enough (a done
 * status whose run must be traced back, a value that does not parse), the
 * item is marked for the per-item query, which walks back through the log. */
/* Does a row of the latest table (effective eff, id in column id_col)
 * hold as of asof: not later, not undone? */
static int latest_live(const struct facts_q *q, const char *eff, sqlite3_stmt *st, int id_col)
{
	return strcmp(eff, q->asof) <= 0 &&
	       !(q->rv.n && revs_has(&q->rv, sqlite3_column_int64(st, id_col)));
}

/* Finishes the statement of one kind (rc: how its steps ended) and
 * prepares the next one's; -1 with e set when either fails. */
static int latest_next(struct facts_q *q, sqlite3_stmt **st, int rc, const char *sql,
                       struct err *e)
{
	if (*st && rc != SQLITE_DONE) {
		fail(q->s, rc, "read", e);
		return -1;
	}
	sqlite3_finalize(*st);
	*st = NULL;
	return prepare(q->s, sql, st, e);
}

static int latest_pass(struct facts_q *q, struct facts *f, struct need *nd, struct err *e)
{
	static const char *const deliverable_done[] = { "submitted", "accepted", NULL };
	static const char *const milestone_done[] = { "reached", NULL };
	const struct project *p = q->p;
	const struct benchmark *b = &p->bench;
	/* Items one of whose statuses is undone: the run the latest table
	 * keeps may not hold. */
	unsigned char *rev_d = xcalloc((size_t)p->ndeliverables + 1, 1);
	unsigned char *rev_m = xcalloc((size_t)p->nmilestones + 1, 1);
	for (size_t r = 0; r < q->rv.n; r++) {
		const struct rev *x = &q->rv.v[r];
		int i;
		if (!x->found || !x->kind || strcmp(x->kind, "status") != 0 || !x->item)
			continue;
		if ((i = project_deliverable(p, x->item)) >= 0)
			rev_d[i] = 1;
		if ((i = project_milestone(p, x->item)) >= 0)
			rev_m[i] = 1;
	}
	/* The cluster of each partner, or -1. */
	int *cluster = xcalloc((size_t)p->npartners + 1, sizeof *cluster);
	for (int i = 0; i < p->npartners; i++)
		cluster[i] = -1;
	for (int c = b->nclusters - 1; c >= 0; c--)
		if (b->clusters[c].partner >= 0 && b->clusters[c].partner < p->npartners)
			cluster[b->clusters[c].partner] = c;

	/* One query per kind, each reading only the columns it uses: the
	 * table is read whole, so every column left out counts. */
	sqlite3_stmt *st = NULL;
	int r = -1, rc = SQLITE_DONE;
	if (latest_next(q, &st, rc, "SELECT item, effective, id, value, run_a, run_b, run_ok"
	                " FROM latest WHERE kind = 'status'", e) < 0)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *item = (const char *)sqlite3_column_text(st, 0);
		const char *eff = (const char *)sqlite3_column_text(st, 1);
		const char *v = (const char *)sqlite3_column_text(st, 3);
		if (!item || !eff || !v)
			continue;
		int usable = latest_live(q, eff, st, 2);
		cdate d = col_date(st, 1);
		/* A run is known unless a backdated status or a revert of one of
		 * the item's statuses may have changed it. */
		int runs = sqlite3_column_int(st, 6), i;
		enum item_kind k = project_item(p, item, &i);
		if (k == ITEM_TASK)
			latest_status(usable, v, d, NULL, NULL, &f->tasks[i], &nd->tasks[i]);
		else if (k == ITEM_DELIVERABLE)
			latest_status(usable, v, d, deliverable_done,
			              runs && !rev_d[i] ? (const char *)sqlite3_column_text(st, 4) : NULL,
			              &f->deliverables[i], &nd->deliverables[i]);
		else if (k == ITEM_MILESTONE)
			latest_status(usable, v, d, milestone_done,
			              runs && !rev_m[i] ? (const char *)sqlite3_column_text(st, 5) : NULL,
			              &f->milestones[i], &nd->milestones[i]);
	}
	if (latest_next(q, &st, rc, "SELECT item, effective, id, value FROM latest"
	                " WHERE kind = 'progress'", e) < 0)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *item = (const char *)sqlite3_column_text(st, 0);
		const char *eff = (const char *)sqlite3_column_text(st, 1);
		const char *v = (const char *)sqlite3_column_text(st, 3);
		int i, pct;
		if (!item || !eff || !v || (i = project_task(p, item)) < 0)
			continue;
		if (!latest_live(q, eff, st, 2) || parse_pct(v, &pct) < 0) {
			nd->tasks[i] |= NEED_PROGRESS;
			continue;
		}
		f->tasks[i].has_progress = 1;
		f->tasks[i].progress = pct;
		f->tasks[i].progress_date = col_date(st, 1);
	}
	if (latest_next(q, &st, rc, "SELECT item, partner, effective, id, value FROM latest"
	                " WHERE kind = 'bench'", e) < 0)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *item = (const char *)sqlite3_column_text(st, 0);
		const char *partner = (const char *)sqlite3_column_text(st, 1);
		const char *eff = (const char *)sqlite3_column_text(st, 2);
		const char *v = (const char *)sqlite3_column_text(st, 4);
		if (!item || !partner || !eff || !v)
			continue;
		int k = project_indicator(p, item), pi = project_partner(p, partner);
		if (k < 0 || pi < 0 || cluster[pi] < 0)
			continue;
		size_t at = (size_t)cluster[pi] * (size_t)b->nindicators + (size_t)k;
		double x = 0;
		if (!latest_live(q, eff, st, 3) || parse_number(v, &x) < 0) {
			nd->bench[at] = 1;
			continue;
		}
		f->bench[at] = x;
		f->bench_has[at] = 1;
	}
	if (latest_next(q, &st, rc, "SELECT partner, effective, id, value FROM latest"
	                " WHERE kind = 'label'", e) < 0)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *partner = (const char *)sqlite3_column_text(st, 0);
		const char *eff = (const char *)sqlite3_column_text(st, 1);
		const char *v = (const char *)sqlite3_column_text(st, 3);
		int pi;
		if (!partner || !eff || !v || (pi = project_partner(p, partner)) < 0 || cluster[pi] < 0)
			continue;
		int c = cluster[pi];
		int li = latest_live(q, eff, st, 2) ? project_label(p, v) : -1;
		if (li < 0) {
			nd->label[c] = 1;
			continue;
		}
		f->label[c] = li;
		f->label_date[c] = col_date(st, 1);
	}
	if (rc != SQLITE_DONE)
		fail(q->s, rc, "read", e);
	else
		r = 0;
out:
	sqlite3_finalize(st);
	free(rev_d);
	free(rev_m);
	free(cluster);
	return r;
}

static int facts_fill(struct facts_q *q, struct facts *f, struct err *e)
{
	const struct project *p = q->p;
	static const char *const deliverable_done[] = { "submitted", "accepted", NULL };
	static const char *const milestone_done[] = { "reached", NULL };
	sqlite3_stmt *status = NULL, *progress = NULL, *bench = NULL, *label = NULL;
	struct reach_q rq;
	struct need nd;
	int r = -1;
	memset(&rq, 0, sizeof rq);
	need_init(&nd, p, q->s->version < 2);
	if (revs_read(q, e) < 0)
		goto out;
	if (q->s->version >= 2 && latest_pass(q, f, &nd, e) < 0)
		goto out;

	for (int i = 0; i < p->ntasks; i++) {
		if ((nd.tasks[i] & NEED_STATUS) &&
		    (q_lazy(q, SQL_ITEM_ROWS("status"), &status, e) < 0 ||
		     fact_status(q, status, p->tasks[i].id, NULL, &f->tasks[i], e) < 0))
			goto out;
		if ((nd.tasks[i] & NEED_PROGRESS) &&
		    (q_lazy(q, SQL_ITEM_ROWS("progress"), &progress, e) < 0 ||
		     fact_progress(q, progress, p->tasks[i].id, &f->tasks[i], e) < 0))
			goto out;
	}
	for (int i = 0; i < p->ndeliverables; i++)
		if (nd.deliverables[i] &&
		    (q_lazy(q, SQL_ITEM_ROWS("status"), &status, e) < 0 ||
		     fact_status(q, status, p->deliverables[i].id, deliverable_done,
		                 &f->deliverables[i], e) < 0))
			goto out;
	for (int i = 0; i < p->nmilestones; i++)
		if (nd.milestones[i] &&
		    (q_lazy(q, SQL_ITEM_ROWS("status"), &status, e) < 0 ||
		     fact_status(q, status, p->milestones[i].id, milestone_done,
		                 &f->milestones[i], e) < 0))
			goto out;
	for (int i = 0; i < p->ntargets; i++) {
		int rc = p->targets[i].kind == TARGET_COUNT
			? fact_count(q, &rq, i, &f->targets[i], e)
			: fact_distinct(q, &rq, i, &f->targets[i], e);
		if (rc < 0)
			goto out;
	}
	const struct benchmark *b = &p->bench;
	for (int c = 0; c < b->nclusters; c++) {
		const char *pid = p->partners[b->clusters[c].partner].id;
		for (int k = 0; k < b->nindicators; k++) {
			size_t at = (size_t)c * (size_t)b->nindicators + (size_t)k;
			if (!nd.bench[at])
				continue;
			if (q_lazy(q, SQL_BENCH_ROWS, &bench, e) < 0)
				goto out;
			q_rebind(bench, NULL, b->indicators[k].id, pid);
			int rc;
			while ((rc = sqlite3_step(bench)) == SQLITE_ROW) {
				double d;
				if (revs_has(&q->rv, sqlite3_column_int64(bench, 2)) ||
				    parse_number((const char *)sqlite3_column_text(bench, 0), &d) < 0)
					continue;
				f->bench[at] = d;
				f->bench_has[at] = 1;
				break;
			}
			if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
				fail(q->s, rc, "read", e);
				goto out;
			}
			sqlite3_reset(bench);
		}
		if (!nd.label[c])
			continue;
		if (q_lazy(q, SQL_LABEL_ROWS, &label, e) < 0)
			goto out;
		q_rebind(label, NULL, NULL, pid);
		int rc;
		while ((rc = sqlite3_step(label)) == SQLITE_ROW) {
			if (revs_has(&q->rv, sqlite3_column_int64(label, 2)))
				continue;
			int li = project_label(p, (const char *)sqlite3_column_text(label, 0));
			if (li < 0)
				continue;
			f->label[c] = li;
			f->label_date[c] = col_date(label, 1);
			break;
		}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			fail(q->s, rc, "read", e);
			goto out;
		}
		sqlite3_reset(label);
	}
	r = summary(q->s, &f->entries, &f->last_recorded_ms, e);
out:
	need_free(&nd);
	sqlite3_finalize(status);
	sqlite3_finalize(progress);
	sqlite3_finalize(bench);
	sqlite3_finalize(label);
	reach_q_free(&rq);
	revs_free(&q->rv);
	return r;
}

int store_facts(struct store *s, const struct project *p, cdate asof,
                struct facts *out, struct err *e)
{
	return store_facts_opts(s, p, asof, 0, out, e);
}

int store_facts_opts(struct store *s, const struct project *p, cdate asof, unsigned flags,
                     struct facts *out, struct err *e)
{
	facts_init_empty(out, p, asof);
	struct facts_q q = { .s = s, .p = p, .flags = flags };
	date_format(asof, q.asof);
	date_to_ymd(p->start, &q.sy, &q.sm, NULL);
	/* One read transaction: every number comes from the same snapshot. */
	if (exec_retry(s, "BEGIN", "read", e) < 0) {
		facts_free(out);
		return -1;
	}
	int r = facts_fill(&q, out, e);
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	rollback(s);
	if (r < 0)
		facts_free(out);
	else if (flags & STORE_FACTS_NO_MONTHS)
		for (int t = 0; t < out->ntargets; t++)
			for (int m = 0; m < p->nmonths; m++)
				out->targets[t].by_month[m] = -1;
	return r;
}

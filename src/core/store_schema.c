/* store_schema: the log's schema, one migration step a version. */
#include "config.h"
#include "core/store_int.h"

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
const char *const store_migrations[STORE_SCHEMA_VERSION] = {
	schema_v1,
	schema_v2,
	schema_v3,
	schema_v4,
};



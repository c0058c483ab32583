/* store_steps: what the append changes beside each entry, in the summary
 * tables the readers use. Until schema 14 the log's AFTER INSERT triggers
 * did it; SQLite compiles every trigger on a table into each statement
 * that writes it, whatever the trigger's WHEN, so a write's INSERT compiled
 * the programs of every kind of entry. Here each trigger is its
 * statements, their text as the schema files have it (src/core/schema/2.sql
 * to 9.sql) with NEW.x a bound parameter $x, and its WHEN a test of the
 * entry (applies); log_latest's as schema 15 changed it (15.sql: the runs
 * kept exact, with the entry before each); the append prepares only the statements its entries
 * need, before it waits for the write lock, and runs them after each
 * entry's INSERT, in the order SQLite fired the triggers (the last made
 * first). The summaries' own triggers (on latest, effort_month,
 * effort_cell, reach_value, reach_value_first) still fire, from these
 * statements. verify rebuilds every summary from the log and compares. */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "core/store_int.h"

/* The WHEN of a trigger, as a test of the entry. */
enum when {
	W_ANY,        /* every entry */
	W_REACH,      /* kind reach, with item and partner */
	W_REACH_STEP, /* ... and a value "+N" or "-N" */
	W_REACH_SET,  /* ... and a value "=N" */
	W_LATEST,     /* status/progress with item, bench with item and partner, label with partner */
	W_STATUS,     /* kind status, with item */
	W_REVERT,     /* kind revert */
	W_EFFORT,     /* kind effort, with partner and item */
	W_COST,       /* kind cost, with partner and item */
	W_COST_WP,    /* ... and a value "AMOUNT:WP" */
};

static const struct step {
	const char *trigger; /* the trigger it was, for errors */
	enum when when;
	const char *sql;
} steps[] = {
	{"log_cost_wp", W_COST_WP,
	 "INSERT INTO cost_wp (partner, item, wp, cents, last)\n"
	 "	VALUES ($partner, $item, substr($value, instr($value, ':') + 1),\n"
	 "		CAST(replace(substr($value, 1, instr($value, ':') - 1), '.', '') AS INTEGER),\n"
	 "		$effective) ON CONFLICT (partner, item, wp)\n"
	 "	DO\n"
	 "	UPDATE\n"
	 "	SET cents = cents + CAST(replace(substr($value, 1, instr($value, ':') - 1), '.', '')\n"
	 "			AS INTEGER),\n"
	 "		last = max(last, $effective)"},
	{"log_cost_total", W_COST,
	 "INSERT INTO cost_total (partner, item, cents, n, last)\n"
	 "	VALUES ($partner, $item, CAST(replace(substr($value, 1, instr($value || ':', ':') - 1), '.',\n"
	 "			'') AS INTEGER), 1, $effective) ON CONFLICT (partner, item)\n"
	 "	DO\n"
	 "	UPDATE\n"
	 "	SET cents = cents + CAST(replace(substr($value, 1, instr($value || ':', ':') - 1), '.', '') AS INTEGER),\n"
	 "		n = n + 1, last = max(last, $effective)"},
	{"log_effort_month", W_EFFORT,
	 "INSERT INTO effort_month (partner, item, month, effective, id, value, note)\n"
	 "	VALUES ($partner, $item, substr($value, 1, 7), $effective, $id, $value, $note)\n"
	 "	ON CONFLICT (partner, item, month) DO\n"
	 "	UPDATE\n"
	 "	SET effective = $effective, id = $id, value = $value, note = $note\n"
	 "	WHERE $effective > effective OR ($effective = effective AND $id > id)"},
	{"log_month_set", W_REACH_SET,
	 "INSERT INTO reach_delta (item, month, last)\n"
	 "	VALUES ($item, substr($effective, 1, 7), $effective) ON CONFLICT (item, month)\n"
	 "	DO\n"
	 "	UPDATE\n"
	 "	SET last = max(last, $effective)"},
	{"log_month_set", W_REACH_SET,
	 "UPDATE reach_delta\n"
	 "	SET delta = delta + (CASE WHEN EXISTS (SELECT 1\n"
	 "				FROM reach_month b\n"
	 "				WHERE b.item = $item AND b.partner = $partner AND b.month = substr($effective, 1, 7) AND b.nset > 0\n"
	 "				AND (b.set_eff, b.set_id) > ($effective, $id)) THEN 0\n"
	 "			ELSE ($n + (SELECT COALESCE(SUM(l.n), 0)\n"
	 "					FROM log l\n"
	 "					WHERE l.kind = 'reach' AND l.partner = $partner AND l.item = $item AND l.effective BETWEEN substr($effective,\n"
	 "						1, 7) || '-00' AND substr($effective, 1, 7) || '-99' AND (l.effective, l.id) > ($effective,\n"
	 "						$id) AND substr(l.value, 1, 1) IN ('+', '-'))) - (COALESCE((SELECT l.n\n"
	 "						FROM log l\n"
	 "						WHERE l.kind = 'reach' AND l.partner = $partner AND l.item = $item AND l.effective BETWEEN substr($effective,\n"
	 "							1, 7) || '-00' AND substr($effective, 1, 7) || '-99' AND (l.effective, l.id) < ($effective,\n"
	 "							$id) AND substr(l.value, 1, 1) = '='\n"
	 "						ORDER BY l.effective DESC, l.id DESC LIMIT 1), (SELECT COALESCE(SUM(b.tail + CASE\n"
	 "									WHEN b.month = s.m THEN b.set_n ELSE 0 END), 0)\n"
	 "						FROM reach_month b, (SELECT MAX(x.month) AS m\n"
	 "							FROM reach_month x\n"
	 "							WHERE x.item = $item AND x.partner = $partner AND x.month < substr($effective, 1, 7) AND x.nset > 0) s\n"
	 "						WHERE b.item = $item AND b.partner = $partner AND b.month < substr($effective, 1, 7) AND (s.m IS NULL\n"
	 "							OR b.month >= s.m))) + (SELECT COALESCE(SUM(l.n), 0)\n"
	 "					FROM log l\n"
	 "					WHERE l.kind = 'reach' AND l.partner = $partner AND l.item = $item AND l.effective BETWEEN substr($effective,\n"
	 "						1, 7) || '-00' AND substr($effective, 1, 7) || '-99' AND substr(l.value, 1, 1) IN ('+', '-')\n"
	 "					AND COALESCE((l.effective, l.id) > (SELECT l.effective, l.id\n"
	 "							FROM log l\n"
	 "							WHERE l.kind = 'reach' AND l.partner = $partner AND l.item = $item AND l.effective BETWEEN substr($effective,\n"
	 "								1, 7) || '-00' AND substr($effective, 1, 7) || '-99' AND (l.effective, l.id) < ($effective,\n"
	 "								$id) AND substr(l.value, 1, 1) = '='\n"
	 "							ORDER BY l.effective DESC, l.id DESC LIMIT 1), 1))) END) * (CASE\n"
	 "			WHEN month = substr($effective, 1, 7) THEN 1 ELSE -1 END)\n"
	 "	WHERE item = $item AND month IN (substr($effective, 1, 7), (SELECT MIN(b.month)\n"
	 "			FROM reach_month b\n"
	 "			WHERE b.item = $item AND b.partner = $partner AND b.month > substr($effective, 1, 7) AND b.nset > 0))"},
	{"log_month_step", W_REACH_STEP,
	 "INSERT INTO reach_delta (item, month, last)\n"
	 "	VALUES ($item, substr($effective, 1, 7), $effective) ON CONFLICT (item, month)\n"
	 "	DO\n"
	 "	UPDATE\n"
	 "	SET last = max(last, $effective)"},
	{"log_month_step", W_REACH_STEP,
	 "UPDATE reach_delta\n"
	 "	SET delta = delta + (CASE WHEN EXISTS (SELECT 1\n"
	 "				FROM reach_month b\n"
	 "				WHERE b.item = $item AND b.partner = $partner AND b.month = substr($effective, 1, 7) AND b.nset > 0\n"
	 "				AND (b.set_eff, b.set_id) > ($effective, $id)) THEN 0\n"
	 "			ELSE $n END) * (CASE WHEN month = substr($effective, 1, 7) THEN 1\n"
	 "			ELSE -1 END)\n"
	 "	WHERE item = $item AND month IN (substr($effective, 1, 7), (SELECT MIN(b.month)\n"
	 "			FROM reach_month b\n"
	 "			WHERE b.item = $item AND b.partner = $partner AND b.month > substr($effective, 1, 7) AND b.nset > 0))"},
	{"log_undone", W_REVERT,
	 "INSERT INTO undone\n"
	 "	SELECT $id, $effective, $value, t.id, t.kind, t.item, t.partner, t.effective, t.value\n"
	 "	FROM (SELECT 1)\n"
	 "	LEFT JOIN log t ON t.id = CAST($value AS INTEGER)"},
	/* Schema 16: the revert's row of undone, just made, into its group of
	 * undone_pack (16.sql), unless its entry was superseded (17.sql,
	 * 18.sql); the record's mark of a superseded effort entry is 0, such
	 * an entry's revert being left out. */
	{"undone_pack", W_REVERT,
	 "INSERT INTO undone_pack (grp, n, last, rows)\n"
	 "	SELECT coalesce((SELECT g.grp FROM undone_pack g WHERE g.grp = (SELECT MAX(x.grp) FROM undone_pack x)\n"
	 "			AND g.n < 48 AND g.last < u.rid), u.rid), 1, u.rid, coalesce(length(CAST(u.rvalue AS BLOB)) || ':' || u.rvalue, '-')\n"
	 "		|| coalesce(length(CAST(u.reff AS BLOB)) || ':' || u.reff, '-') || coalesce(u.id || ',', '-')\n"
	 "		|| coalesce(length(CAST(u.kind AS BLOB)) || ':' || u.kind, '-')\n"
	 "		|| coalesce(length(CAST(u.item AS BLOB)) || ':' || u.item, '-')\n"
	 "		|| coalesce(length(CAST(u.partner AS BLOB)) || ':' || u.partner, '-')\n"
	 "		|| coalesce(length(CAST(u.effective AS BLOB)) || ':' || u.effective, '-')\n"
	 "		|| coalesce(length(CAST(u.value AS BLOB)) || ':' || u.value, '-')\n"
	 "		|| '0,'\n"
	 "	FROM undone u\n"
	 "	WHERE u.rid = $id AND NOT CASE u.kind WHEN 'progress' THEN EXISTS (SELECT 1\n"
	 "				FROM log v INDEXED BY log_kind_item\n"
	 "				WHERE v.kind = 'progress' AND v.item = u.item AND (v.effective > u.effective\n"
	 "					OR v.effective = u.effective AND v.id > u.id) AND v.id < u.rid)\n"
	 "			WHEN 'bench' THEN EXISTS (SELECT 1\n"
	 "				FROM log v INDEXED BY log_kind_item\n"
	 "				WHERE v.kind = 'bench' AND v.item = u.item AND v.partner = u.partner AND (v.effective > u.effective\n"
	 "					OR v.effective = u.effective AND v.id > u.id) AND v.id < u.rid)\n"
	 "			WHEN 'label' THEN EXISTS (SELECT 1\n"
	 "				FROM log v INDEXED BY log_kind_partner\n"
	 "				WHERE v.kind = 'label' AND v.partner = u.partner AND (v.effective > u.effective\n"
	 "					OR v.effective = u.effective AND v.id > u.id) AND v.id < u.rid)\n"
	 "			WHEN 'status' THEN EXISTS (SELECT 1\n"
	 "				FROM log v INDEXED BY log_kind_item\n"
	 "				WHERE v.kind = 'status' AND v.item = u.item AND v.effective > u.effective\n"
	 "					AND v.id < u.rid AND v.value NOT IN ('submitted', 'accepted', 'reached'))\n"
	 "			WHEN 'effort' THEN EXISTS (SELECT 1\n"
	 "				FROM log v INDEXED BY log_effort_months\n"
	 "				WHERE v.kind = 'effort' AND v.partner = u.partner AND v.item = u.item\n"
	 "					AND substr(v.value, 1, 7) = substr(u.value, 1, 7) AND (v.effective > u.effective\n"
	 "					OR v.effective = u.effective AND v.id > u.id) AND v.id < u.rid)\n"
	 "			ELSE 0 END ON CONFLICT (grp)\n"
	 "	DO\n"
	 "	UPDATE\n"
	 "	SET n = n + 1, last = excluded.last, rows = rows || excluded.rows"},
	{"log_total_set", W_REACH_SET,
	 "INSERT OR IGNORE INTO reach_total (item, partner, last)\n"
	 "	VALUES ($item, $partner, $effective)"},
	{"log_total_set", W_REACH_SET,
	 "UPDATE reach_total\n"
	 "	SET set_eff = $effective, set_id = $id, set_n = $n, tail = (SELECT COALESCE(SUM(l.n), 0)\n"
	 "		FROM log l\n"
	 "		WHERE l.kind = 'reach' AND l.partner = $partner AND l.item = $item AND l.effective >= $effective\n"
	 "		AND (l.effective > $effective OR l.id > $id) AND substr(l.value, 1, 1) IN ('+', '-'))\n"
	 "	WHERE item = $item AND partner = $partner AND (nset = 0 OR $effective > set_eff OR ($effective = set_eff\n"
	 "			AND $id > set_id))"},
	{"log_total_set", W_REACH_SET,
	 "UPDATE reach_total\n"
	 "	SET nset = nset + 1, last = max(last, $effective)\n"
	 "	WHERE item = $item AND partner = $partner"},
	{"log_total_delta", W_REACH_STEP,
	 "INSERT INTO reach_total (item, partner, tail, last)\n"
	 "	VALUES ($item, $partner, $n, $effective) ON CONFLICT (item, partner)\n"
	 "	DO\n"
	 "	UPDATE\n"
	 "	SET tail = tail + CASE WHEN (nset = 0 OR $effective > set_eff OR ($effective = set_eff AND $id > set_id)) THEN $n\n"
	 "		ELSE 0 END, last = max(last, $effective)"},
	{"log_reach_value", W_REACH,
	 "INSERT OR IGNORE INTO reach_value\n"
	 "	VALUES ($item, $value, $partner, $effective)"},
	{"log_reach_value", W_REACH,
	 "UPDATE reach_value\n"
	 "	SET first_eff = $effective\n"
	 "	WHERE item = $item AND value = $value AND partner = $partner AND first_eff > $effective"},
	{"log_latest", W_LATEST,
	 "INSERT INTO latest (kind, item, partner, effective, id, value, run_a, run_b, run_ok, brk_a, brk_b)\n"
	 "	SELECT $kind AS kind, CASE WHEN $kind = 'label' THEN ''\n"
	 "		ELSE $item END AS item, CASE WHEN $kind IN ('bench', 'label') THEN $partner\n"
	 "		ELSE '' END AS partner, $effective, $id, $value, CASE\n"
	 "		WHEN $kind = 'status' AND ($value IN ('submitted', 'accepted')) THEN $effective\n"
	 "	END, CASE WHEN $kind = 'status' AND ($value = 'reached') THEN $effective\n"
	 "	END, 1, NULL, NULL\n"
	 "	WHERE 1 ON CONFLICT (kind, item, partner)\n"
	 "	DO\n"
	 "	UPDATE\n"
	 "	SET effective = excluded.effective, id = excluded.id, value = excluded.value, run_a = CASE\n"
	 "		WHEN excluded.run_a IS NULL THEN NULL WHEN (latest.value IN ('submitted', 'accepted')) THEN latest.run_a\n"
	 "		ELSE excluded.run_a END, brk_a = CASE WHEN excluded.run_a IS NULL THEN NULL\n"
	 "		WHEN (latest.value IN ('submitted', 'accepted')) THEN latest.brk_a ELSE latest.effective\n"
	 "	END, run_b = CASE WHEN excluded.run_b IS NULL THEN NULL\n"
	 "		WHEN (latest.value = 'reached') THEN latest.run_b ELSE excluded.run_b\n"
	 "	END, brk_b = CASE WHEN excluded.run_b IS NULL THEN NULL\n"
	 "		WHEN (latest.value = 'reached') THEN latest.brk_b ELSE latest.effective\n"
	 "	END, run_ok = CASE WHEN (excluded.run_a IS NOT NULL AND (latest.value IN ('submitted', 'accepted')))\n"
	 "		OR (excluded.run_b IS NOT NULL AND (latest.value = 'reached')) THEN latest.run_ok\n"
	 "		ELSE 1 END\n"
	 "	WHERE excluded.effective > latest.effective OR (excluded.effective = latest.effective AND excluded.id > latest.id)"},
	/* Schema 15: a backdated status keeps the runs exact (15.sql). The
	 * entry has the greatest id, so it comes after every entry of its
	 * date: one of the run's values joins the run when it is dated before
	 * the start and on or after the breaker; one of another value breaks
	 * the run when dated on or after the start (the run then begins at
	 * the first entry dated after it), and becomes the breaker when dated
	 * before the start and on or after the breaker. */
	{"log_latest", W_STATUS,
	 "UPDATE latest\n"
	 "	SET run_a = CASE WHEN run_a IS NULL THEN NULL\n"
	 "		WHEN $value IN ('submitted', 'accepted') THEN CASE\n"
	 "			WHEN $effective < run_a AND (brk_a IS NULL OR $effective >= brk_a) THEN $effective ELSE run_a END\n"
	 "		WHEN $effective >= run_a THEN (SELECT MIN(l.effective) FROM log l INDEXED BY log_kind_item\n"
	 "			WHERE l.kind = 'status' AND l.item = $item AND l.effective > $effective)\n"
	 "		ELSE run_a END, brk_a = CASE WHEN run_a IS NULL OR $value IN ('submitted', 'accepted') THEN brk_a\n"
	 "		WHEN $effective >= run_a OR brk_a IS NULL OR $effective >= brk_a THEN $effective\n"
	 "		ELSE brk_a END, run_b = CASE WHEN run_b IS NULL THEN NULL\n"
	 "		WHEN $value = 'reached' THEN CASE\n"
	 "			WHEN $effective < run_b AND (brk_b IS NULL OR $effective >= brk_b) THEN $effective ELSE run_b END\n"
	 "		WHEN $effective >= run_b THEN (SELECT MIN(l.effective) FROM log l INDEXED BY log_kind_item\n"
	 "			WHERE l.kind = 'status' AND l.item = $item AND l.effective > $effective)\n"
	 "		ELSE run_b END, brk_b = CASE WHEN run_b IS NULL OR $value = 'reached' THEN brk_b\n"
	 "		WHEN $effective >= run_b OR brk_b IS NULL OR $effective >= brk_b THEN $effective\n"
	 "		ELSE brk_b END\n"
	 "	WHERE kind = 'status' AND item = $item AND partner = '' AND (run_a IS NOT NULL\n"
	 "		OR run_b IS NOT NULL) AND ($effective < effective OR ($effective = effective AND $id < id))"},
	{"log_reach_set", W_REACH_SET,
	 "INSERT OR IGNORE INTO reach_month (item, partner, month, last)\n"
	 "	VALUES ($item, $partner, substr($effective, 1, 7), $effective)"},
	{"log_reach_set", W_REACH_SET,
	 "UPDATE reach_month\n"
	 "	SET set_eff = $effective, set_id = $id, set_n = $n, tail = (SELECT COALESCE(SUM(l.n), 0)\n"
	 "		FROM log l\n"
	 "		WHERE l.kind = 'reach' AND l.partner = $partner AND l.item = $item AND l.effective BETWEEN $effective\n"
	 "		AND substr($effective, 1, 7) || '-99' AND (l.effective > $effective OR l.id > $id) AND substr(l.value,\n"
	 "			1, 1) IN ('+', '-'))\n"
	 "	WHERE item = $item AND partner = $partner AND month = substr($effective, 1, 7) AND (nset = 0\n"
	 "		OR $effective > set_eff OR ($effective = set_eff AND $id > set_id))"},
	{"log_reach_set", W_REACH_SET,
	 "UPDATE reach_month\n"
	 "	SET nset = nset + 1, last = max(last, $effective)\n"
	 "	WHERE item = $item AND partner = $partner AND month = substr($effective, 1, 7)"},
	{"log_reach_delta", W_REACH_STEP,
	 "INSERT OR IGNORE INTO reach_month (item, partner, month, last)\n"
	 "	VALUES ($item, $partner, substr($effective, 1, 7), $effective)"},
	{"log_reach_delta", W_REACH_STEP,
	 "UPDATE reach_month\n"
	 "	SET tail = tail + CASE WHEN (nset = 0 OR $effective > set_eff OR ($effective = set_eff AND $id > set_id)) THEN $n\n"
	 "		ELSE 0 END, last = max(last, $effective)\n"
	 "	WHERE item = $item AND partner = $partner AND month = substr($effective, 1, 7)"},
	{"log_stats_count", W_ANY,
	 "UPDATE log_stats\n"
	 "	SET entries = entries + 1, last_recorded = CASE WHEN $id > top_id THEN $recorded_at\n"
	 "		ELSE last_recorded END, top_id = max(top_id, $id)"},
};

_Static_assert(sizeof steps / sizeof steps[0] == STORE_NSTEPS, "STORE_NSTEPS counts steps[]");

static int is(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

static int applies(enum when w, const struct new_entry *v)
{
	const char *k = v->kind, *val = v->value ? v->value : "";
	int ip = v->item && v->partner;
	switch (w) {
	case W_ANY:
		return 1;
	case W_REACH:
		return is(k, "reach") && ip;
	case W_REACH_STEP:
		return is(k, "reach") && ip && (val[0] == '+' || val[0] == '-');
	case W_REACH_SET:
		return is(k, "reach") && ip && val[0] == '=';
	case W_LATEST:
		return ((is(k, "status") || is(k, "progress")) && v->item) ||
		       (is(k, "bench") && ip) || (is(k, "label") && v->partner);
	case W_STATUS:
		return is(k, "status") && v->item;
	case W_REVERT:
		return is(k, "revert");
	case W_EFFORT:
		return is(k, "effort") && ip;
	case W_COST:
		return is(k, "cost") && ip;
	case W_COST_WP:
		return is(k, "cost") && ip && strchr(val, ':') != NULL;
	}
	return 0;
}

int store_steps_prepare(struct store *s, const struct new_entry *v, size_t n, struct err *e)
{
	if (s->version < STORE_STEPS_SINCE)
		return 0; /* the log's own triggers keep its summaries */
	for (size_t i = 0; i < STORE_NSTEPS; i++) {
		if (s->step[i])
			continue;
		for (size_t j = 0; j < n; j++)
			if (applies(steps[i].when, &v[j])) {
				if (store_prepare(s, steps[i].sql, &s->step[i], e) < 0)
					return -1;
				break;
			}
	}
	return 0;
}

static void bind_int(sqlite3_stmt *st, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		sqlite3_bind_int64(st, i, v);
}

int store_steps_run(struct store *s, const struct new_entry *v, const struct step_row *row, struct err *e)
{
	if (s->version < STORE_STEPS_SINCE)
		return 0;
	for (size_t i = 0; i < STORE_NSTEPS; i++) {
		if (!applies(steps[i].when, v))
			continue;
		sqlite3_stmt *st = s->step[i];
		if (!st)
			return err_set(e, EXIT_SOFTWARE, "write: %s was not prepared", steps[i].trigger);
		sqlite3_reset(st);
		bind_int(st, "$id", row->id);
		bind_int(st, "$recorded_at", row->recorded_at);
		store_bind_named(st, "$effective", row->effective, -1);
		store_bind_named(st, "$partner", v->partner, -1);
		store_bind_named(st, "$item", v->item, -1);
		store_bind_named(st, "$kind", v->kind, -1);
		store_bind_named(st, "$value", v->value, -1);
		store_bind_named(st, "$note", v->note, -1);
		bind_int(st, "$n", row->n);
		int rc = sqlite3_step(st);
		if (rc != SQLITE_DONE) {
			store_fail(s, rc, "write", e);
			sqlite3_reset(st);
			return -1;
		}
		sqlite3_reset(st);
	}
	return 0;
}

void store_steps_finalize(struct store *s)
{
	for (size_t i = 0; i < STORE_NSTEPS; i++) {
		sqlite3_finalize(s->step[i]);
		s->step[i] = NULL;
	}
}

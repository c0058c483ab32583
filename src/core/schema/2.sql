-- Schema 2 adds derived tables, kept current by triggers in the same
-- transaction as every insert and rebuilt from the log by this step, so
-- that the facts never aggregate over the whole log:
--   log_stats    the entry count, the greatest id and its recorded_at;
--   reach_month  per (target, partner, calendar month 'YYYY-MM') of the
--                count entries: how many "=N", the latest "=N" in the
--                month (set_eff, set_id, set_n), the sum of "+N"/"-N"
--                after it (tail; all of them when there is none) and the
--                greatest effective date;
--   reach_value  per (target, value, partner): the first effective date;
--   latest       the latest entry (greatest effective, id) per status or
--                progress item, per benchmark (indicator, partner) and per
--                label partner ('' where the key has no item or partner);
--                for a status, where the current run of done statuses
--                began (run_a: submitted/accepted, run_b: reached), exact
--                unless run_ok is 0 (a backdated status came later).
-- They ignore reverts; the queries correct for the few reverted entries
-- by reading the log itself for the items and partners concerned.

CREATE TABLE log_stats (one INTEGER PRIMARY KEY CHECK (one = 1), entries INTEGER NOT NULL, top_id INTEGER NOT NULL,
	last_recorded INTEGER NOT NULL);

CREATE TABLE reach_month (item TEXT NOT NULL, partner TEXT NOT NULL, month TEXT NOT NULL, nset INTEGER NOT NULL DEFAULT 0,
	set_eff TEXT, set_id INTEGER, set_n INTEGER, tail INTEGER NOT NULL DEFAULT 0, last TEXT NOT NULL, PRIMARY KEY (item,
		partner, month)) WITHOUT ROWID;

CREATE TABLE reach_value (item TEXT NOT NULL, value TEXT NOT NULL, partner TEXT NOT NULL, first_eff TEXT NOT NULL,
	PRIMARY KEY (item, value, partner)) WITHOUT ROWID;

CREATE TABLE latest (kind TEXT NOT NULL, item TEXT NOT NULL, partner TEXT NOT NULL, effective TEXT NOT NULL,
	id INTEGER NOT NULL, value TEXT NOT NULL, run_a TEXT, run_b TEXT, run_ok INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (kind, item, partner)) WITHOUT ROWID;

INSERT INTO log_stats
SELECT 1, COUNT(*), COALESCE(MAX(id), 0), COALESCE((SELECT recorded_at
		FROM log
		ORDER BY id DESC LIMIT 1), 0)
FROM log;

INSERT INTO reach_value
SELECT item, value, partner, MIN(effective)
FROM log
WHERE kind = 'reach' AND item IS NOT NULL AND partner IS NOT NULL
GROUP BY item, value, partner;

WITH e AS (SELECT l.item, l.partner, substr(l.effective, 1, 7) AS month, substr(l.value, 1, 1) = '=' AS is_set,
	l.n AS n, l.effective, printf('%s %020d', l.effective, l.id) AS k
	FROM log l
	WHERE l.kind = 'reach' AND l.item IS NOT NULL AND l.partner IS NOT NULL AND substr(l.value, 1, 1) IN ('+',
		'-', '=')), b AS (SELECT *, MAX(CASE WHEN is_set THEN k END) OVER (PARTITION BY item, partner, month) AS set_k
	FROM e)
INSERT INTO reach_month (item, partner, month, nset, set_eff, set_id, set_n, tail, last)
SELECT item, partner, month, SUM(is_set), substr(set_k, 1, 10), CAST(substr(set_k, 12) AS INTEGER), MAX(CASE
		WHEN k = set_k THEN n END), SUM(CASE WHEN NOT is_set AND (set_k IS NULL OR k > set_k) THEN n
		ELSE 0 END), MAX(effective)
FROM b
GROUP BY item, partner, month;

INSERT INTO latest
SELECT kind, item, partner, MAX(CASE WHEN rn = 1 THEN effective
	END), MAX(CASE WHEN rn = 1 THEN id END), MAX(CASE WHEN rn = 1 THEN value
	END), MIN(CASE WHEN kind = 'status' AND na = 0 THEN effective
	END), MIN(CASE WHEN kind = 'status' AND nb = 0 THEN effective
	END), 1
FROM (SELECT *, ROW_NUMBER() OVER w AS rn, SUM(NOT (value IN ('submitted', 'accepted'))) OVER w AS na,
	SUM(NOT (value = 'reached')) OVER w AS nb
	FROM (SELECT l.kind AS kind, CASE WHEN l.kind = 'label' THEN ''
			ELSE l.item END AS item, CASE WHEN l.kind IN ('bench', 'label') THEN l.partner
			ELSE '' END AS partner, l.effective, l.id, l.value
		FROM log l
		WHERE (l.kind IN ('status', 'progress') AND l.item IS NOT NULL OR l.kind = 'bench' AND l.item IS NOT NULL
			AND l.partner IS NOT NULL OR l.kind = 'label' AND l.partner IS NOT NULL)) WINDOW w AS (PARTITION BY kind,
		item, partner
		ORDER BY effective DESC, id DESC ROWS UNBOUNDED PRECEDING))
GROUP BY kind, item, partner;

CREATE TRIGGER log_stats_count AFTER INSERT ON log
BEGIN
	UPDATE log_stats
	SET entries = entries + 1, last_recorded = CASE WHEN NEW.id > top_id THEN NEW.recorded_at
		ELSE last_recorded END, top_id = max(top_id, NEW.id);
END;

CREATE TRIGGER log_reach_delta AFTER INSERT ON log
WHEN NEW.kind = 'reach' AND NEW.item IS NOT NULL AND NEW.partner IS NOT NULL AND substr(NEW.value, 1,
	1) IN ('+', '-')
BEGIN
	INSERT OR IGNORE INTO reach_month (item, partner, month, last)
	VALUES (NEW.item, NEW.partner, substr(NEW.effective, 1, 7), NEW.effective);
	UPDATE reach_month
	SET tail = tail + CASE WHEN (nset = 0 OR NEW.effective > set_eff OR (NEW.effective = set_eff AND NEW.id > set_id)) THEN NEW.n
		ELSE 0 END, last = max(last, NEW.effective)
	WHERE item = NEW.item AND partner = NEW.partner AND month = substr(NEW.effective, 1, 7);
END;

CREATE TRIGGER log_reach_set AFTER INSERT ON log
WHEN NEW.kind = 'reach' AND NEW.item IS NOT NULL AND NEW.partner IS NOT NULL AND substr(NEW.value, 1,
	1) = '='
BEGIN
	INSERT OR IGNORE INTO reach_month (item, partner, month, last)
	VALUES (NEW.item, NEW.partner, substr(NEW.effective, 1, 7), NEW.effective);
	UPDATE reach_month
	SET set_eff = NEW.effective, set_id = NEW.id, set_n = NEW.n, tail = (SELECT COALESCE(SUM(l.n), 0)
		FROM log l
		WHERE l.kind = 'reach' AND l.partner = NEW.partner AND l.item = NEW.item AND l.effective BETWEEN NEW.effective
		AND substr(NEW.effective, 1, 7) || '-99' AND (l.effective > NEW.effective OR l.id > NEW.id) AND substr(l.value,
			1, 1) IN ('+', '-'))
	WHERE item = NEW.item AND partner = NEW.partner AND month = substr(NEW.effective, 1, 7) AND (nset = 0
		OR NEW.effective > set_eff OR (NEW.effective = set_eff AND NEW.id > set_id));
	UPDATE reach_month
	SET nset = nset + 1, last = max(last, NEW.effective)
	WHERE item = NEW.item AND partner = NEW.partner AND month = substr(NEW.effective, 1, 7);
END;

CREATE TRIGGER log_latest AFTER INSERT ON log
WHEN (NEW.kind IN ('status', 'progress') AND NEW.item IS NOT NULL OR NEW.kind = 'bench' AND NEW.item IS NOT NULL
	AND NEW.partner IS NOT NULL OR NEW.kind = 'label' AND NEW.partner IS NOT NULL)
BEGIN
	INSERT INTO latest
	SELECT NEW.kind AS kind, CASE WHEN NEW.kind = 'label' THEN ''
		ELSE NEW.item END AS item, CASE WHEN NEW.kind IN ('bench', 'label') THEN NEW.partner
		ELSE '' END AS partner, NEW.effective, NEW.id, NEW.value, CASE
		WHEN NEW.kind = 'status' AND (NEW.value IN ('submitted', 'accepted')) THEN NEW.effective
	END, CASE WHEN NEW.kind = 'status' AND (NEW.value = 'reached') THEN NEW.effective
	END, 1
	WHERE 1 ON CONFLICT (kind, item, partner)
	DO
	UPDATE
	SET effective = excluded.effective, id = excluded.id, value = excluded.value, run_a = CASE
		WHEN excluded.run_a IS NULL THEN NULL WHEN (latest.value IN ('submitted', 'accepted')) THEN latest.run_a
		ELSE excluded.run_a END, run_b = CASE WHEN excluded.run_b IS NULL THEN NULL
		WHEN (latest.value = 'reached') THEN latest.run_b ELSE excluded.run_b
	END, run_ok = CASE WHEN (excluded.run_a IS NOT NULL AND (latest.value IN ('submitted', 'accepted')))
		OR (excluded.run_b IS NOT NULL AND (latest.value = 'reached')) THEN latest.run_ok
		ELSE 1 END
	WHERE excluded.effective > latest.effective OR (excluded.effective = latest.effective AND excluded.id > latest.id);
	UPDATE latest
	SET run_ok = 0
	WHERE NEW.kind = 'status' AND kind = 'status' AND item = NEW.item AND partner = '' AND (run_a IS NOT NULL
		OR run_b IS NOT NULL) AND (NEW.effective < effective OR (NEW.effective = effective AND NEW.id < id));
END;

CREATE TRIGGER log_reach_value AFTER INSERT ON log
WHEN NEW.kind = 'reach' AND NEW.item IS NOT NULL AND NEW.partner IS NOT NULL
BEGIN
	INSERT OR IGNORE INTO reach_value
	VALUES (NEW.item, NEW.value, NEW.partner, NEW.effective);
	UPDATE reach_value
	SET first_eff = NEW.effective
	WHERE item = NEW.item AND value = NEW.value AND partner = NEW.partner AND first_eff > NEW.effective;
END;

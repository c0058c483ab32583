-- Schema 3 adds reach_total, derived like the schema 2 tables: per
-- (target, partner) of the count entries, how many "=N", the latest "=N"
-- of all (set_eff, set_id, set_n), the sum of "+N"/"-N" after it (tail;
-- all of them when there is none) and the greatest effective date (last).
-- When asof is on or after last and no revert touches the pair, the
-- partner's total is set_n + tail without reading its months.

CREATE TABLE reach_total (item TEXT NOT NULL, partner TEXT NOT NULL, nset INTEGER NOT NULL DEFAULT 0,
	set_eff TEXT, set_id INTEGER, set_n INTEGER, tail INTEGER NOT NULL DEFAULT 0, last TEXT NOT NULL, PRIMARY KEY (item,
		partner)) WITHOUT ROWID;

WITH e AS (SELECT l.item, l.partner, substr(l.value, 1, 1) = '=' AS is_set, l.n AS n, l.effective, printf('%s %020d',
		l.effective, l.id) AS k
	FROM log l
	WHERE l.kind = 'reach' AND l.item IS NOT NULL AND l.partner IS NOT NULL AND substr(l.value, 1, 1) IN ('+',
		'-', '=')), b AS (SELECT *, MAX(CASE WHEN is_set THEN k END) OVER (PARTITION BY item, partner) AS set_k
	FROM e)
INSERT INTO reach_total (item, partner, nset, set_eff, set_id, set_n, tail, last)
SELECT item, partner, SUM(is_set), substr(set_k, 1, 10), CAST(substr(set_k, 12) AS INTEGER), MAX(CASE
		WHEN k = set_k THEN n END), SUM(CASE WHEN NOT is_set AND (set_k IS NULL OR k > set_k) THEN n
		ELSE 0 END), MAX(effective)
FROM b
GROUP BY item, partner;

CREATE TRIGGER log_total_delta AFTER INSERT ON log
WHEN NEW.kind = 'reach' AND NEW.item IS NOT NULL AND NEW.partner IS NOT NULL AND substr(NEW.value, 1,
	1) IN ('+', '-')
BEGIN
	INSERT INTO reach_total (item, partner, tail, last)
	VALUES (NEW.item, NEW.partner, NEW.n, NEW.effective) ON CONFLICT (item, partner)
	DO
	UPDATE
	SET tail = tail + CASE WHEN (nset = 0 OR NEW.effective > set_eff OR (NEW.effective = set_eff AND NEW.id > set_id)) THEN NEW.n
		ELSE 0 END, last = max(last, NEW.effective);
END;

CREATE TRIGGER log_total_set AFTER INSERT ON log
WHEN NEW.kind = 'reach' AND NEW.item IS NOT NULL AND NEW.partner IS NOT NULL AND substr(NEW.value, 1,
	1) = '='
BEGIN
	INSERT OR IGNORE INTO reach_total (item, partner, last)
	VALUES (NEW.item, NEW.partner, NEW.effective);
	UPDATE reach_total
	SET set_eff = NEW.effective, set_id = NEW.id, set_n = NEW.n, tail = (SELECT COALESCE(SUM(l.n), 0)
		FROM log l
		WHERE l.kind = 'reach' AND l.partner = NEW.partner AND l.item = NEW.item AND l.effective >= NEW.effective
		AND (l.effective > NEW.effective OR l.id > NEW.id) AND substr(l.value, 1, 1) IN ('+', '-'))
	WHERE item = NEW.item AND partner = NEW.partner AND (nset = 0 OR NEW.effective > set_eff OR (NEW.effective = set_eff
			AND NEW.id > set_id));
	UPDATE reach_total
	SET nset = nset + 1, last = max(last, NEW.effective)
	WHERE item = NEW.item AND partner = NEW.partner;
END;

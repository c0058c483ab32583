-- Schema 4 adds reach_delta: per (target, calendar month 'YYYY-MM') of the
-- count entries, how much the target's total over all partners changed in
-- that month (delta: the sum over partners of the running total at the
-- month's end less the one at the end of the months before) and the
-- greatest effective date (last). The monthly series of a target is then
-- one row a month instead of one a partner and month. Kept by triggers of
-- their own, which read the log in the entry's own month and the buckets
-- of other months only (the order in which SQLite fires the triggers of
-- one insert is not defined, so the bucket of the entry's month may or may
-- not count it yet): an entry at month c that changes
-- its partner's total at the end of c by x adds x to c and takes x from
-- the partner's next month with an "=N" (where the total is set anew).

CREATE TABLE undone (rid INTEGER PRIMARY KEY, reff TEXT, rvalue TEXT, id INTEGER, kind TEXT, item TEXT,
	partner TEXT, effective TEXT, value TEXT);

INSERT INTO undone
SELECT r.id, r.effective, r.value, t.id, t.kind, t.item, t.partner, t.effective, t.value
FROM log r
LEFT JOIN log t ON t.id = CAST(r.value AS INTEGER)
WHERE r.kind = 'revert';

CREATE TRIGGER log_undone AFTER INSERT ON log
WHEN NEW.kind = 'revert'
BEGIN
	INSERT INTO undone
	SELECT NEW.id, NEW.effective, NEW.value, t.id, t.kind, t.item, t.partner, t.effective, t.value
	FROM (SELECT 1)
	LEFT JOIN log t ON t.id = CAST(NEW.value AS INTEGER);
END;

CREATE TABLE reach_delta (item TEXT NOT NULL, month TEXT NOT NULL, delta INTEGER NOT NULL DEFAULT 0, last TEXT NOT NULL,
	PRIMARY KEY (item, month)) WITHOUT ROWID;

WITH b AS (SELECT item, partner, month, nset, set_n, tail, last, SUM(nset > 0) OVER (PARTITION BY item,
		partner
		ORDER BY month ROWS UNBOUNDED PRECEDING) AS grp
	FROM reach_month), e AS (SELECT item, partner, month, last, SUM(CASE
			WHEN nset > 0 THEN set_n + tail ELSE tail END) OVER (PARTITION BY item, partner, grp
		ORDER BY month ROWS UNBOUNDED PRECEDING) AS endv
	FROM b), d AS (SELECT item, month, last, endv - COALESCE(LAG(endv) OVER (PARTITION BY item, partner
			ORDER BY month), 0) AS dv
	FROM e)
INSERT INTO reach_delta (item, month, delta, last)
SELECT item, month, SUM(dv), MAX(last)
FROM d
GROUP BY item, month;

CREATE TRIGGER log_month_step AFTER INSERT ON log
WHEN NEW.kind = 'reach' AND NEW.item IS NOT NULL AND NEW.partner IS NOT NULL AND substr(NEW.value, 1,
	1) IN ('+', '-')
BEGIN
	INSERT INTO reach_delta (item, month, last)
	VALUES (NEW.item, substr(NEW.effective, 1, 7), NEW.effective) ON CONFLICT (item, month)
	DO
	UPDATE
	SET last = max(last, NEW.effective);
	UPDATE reach_delta
	SET delta = delta + (CASE WHEN EXISTS (SELECT 1
				FROM reach_month b
				WHERE b.item = NEW.item AND b.partner = NEW.partner AND b.month = substr(NEW.effective, 1, 7) AND b.nset > 0
				AND (b.set_eff, b.set_id) > (NEW.effective, NEW.id)) THEN 0
			ELSE NEW.n END) * (CASE WHEN month = substr(NEW.effective, 1, 7) THEN 1
			ELSE -1 END)
	WHERE item = NEW.item AND month IN (substr(NEW.effective, 1, 7), (SELECT MIN(b.month)
			FROM reach_month b
			WHERE b.item = NEW.item AND b.partner = NEW.partner AND b.month > substr(NEW.effective, 1, 7) AND b.nset > 0));
END;

CREATE TRIGGER log_month_set AFTER INSERT ON log
WHEN NEW.kind = 'reach' AND NEW.item IS NOT NULL AND NEW.partner IS NOT NULL AND substr(NEW.value, 1,
	1) = '='
BEGIN
	INSERT INTO reach_delta (item, month, last)
	VALUES (NEW.item, substr(NEW.effective, 1, 7), NEW.effective) ON CONFLICT (item, month)
	DO
	UPDATE
	SET last = max(last, NEW.effective);
	UPDATE reach_delta
	SET delta = delta + (CASE WHEN EXISTS (SELECT 1
				FROM reach_month b
				WHERE b.item = NEW.item AND b.partner = NEW.partner AND b.month = substr(NEW.effective, 1, 7) AND b.nset > 0
				AND (b.set_eff, b.set_id) > (NEW.effective, NEW.id)) THEN 0
			ELSE (NEW.n + (SELECT COALESCE(SUM(l.n), 0)
					FROM log l
					WHERE l.kind = 'reach' AND l.partner = NEW.partner AND l.item = NEW.item AND l.effective BETWEEN substr(NEW.effective,
						1, 7) || '-00' AND substr(NEW.effective, 1, 7) || '-99' AND (l.effective, l.id) > (NEW.effective,
						NEW.id) AND substr(l.value, 1, 1) IN ('+', '-'))) - (COALESCE((SELECT l.n
						FROM log l
						WHERE l.kind = 'reach' AND l.partner = NEW.partner AND l.item = NEW.item AND l.effective BETWEEN substr(NEW.effective,
							1, 7) || '-00' AND substr(NEW.effective, 1, 7) || '-99' AND (l.effective, l.id) < (NEW.effective,
							NEW.id) AND substr(l.value, 1, 1) = '='
						ORDER BY l.effective DESC, l.id DESC LIMIT 1), (SELECT COALESCE(SUM(b.tail + CASE
									WHEN b.month = s.m THEN b.set_n ELSE 0 END), 0)
						FROM reach_month b, (SELECT MAX(x.month) AS m
							FROM reach_month x
							WHERE x.item = NEW.item AND x.partner = NEW.partner AND x.month < substr(NEW.effective, 1, 7) AND x.nset > 0) s
						WHERE b.item = NEW.item AND b.partner = NEW.partner AND b.month < substr(NEW.effective, 1, 7) AND (s.m IS NULL
							OR b.month >= s.m))) + (SELECT COALESCE(SUM(l.n), 0)
					FROM log l
					WHERE l.kind = 'reach' AND l.partner = NEW.partner AND l.item = NEW.item AND l.effective BETWEEN substr(NEW.effective,
						1, 7) || '-00' AND substr(NEW.effective, 1, 7) || '-99' AND substr(l.value, 1, 1) IN ('+', '-')
					AND COALESCE((l.effective, l.id) > (SELECT l.effective, l.id
							FROM log l
							WHERE l.kind = 'reach' AND l.partner = NEW.partner AND l.item = NEW.item AND l.effective BETWEEN substr(NEW.effective,
								1, 7) || '-00' AND substr(NEW.effective, 1, 7) || '-99' AND (l.effective, l.id) < (NEW.effective,
								NEW.id) AND substr(l.value, 1, 1) = '='
							ORDER BY l.effective DESC, l.id DESC LIMIT 1), 1))) END) * (CASE
			WHEN month = substr(NEW.effective, 1, 7) THEN 1 ELSE -1 END)
	WHERE item = NEW.item AND month IN (substr(NEW.effective, 1, 7), (SELECT MIN(b.month)
			FROM reach_month b
			WHERE b.item = NEW.item AND b.partner = NEW.partner AND b.month > substr(NEW.effective, 1, 7) AND b.nset > 0));
END;

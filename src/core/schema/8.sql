-- Schema 8 adds the use of resources' summaries, derived like those of
-- schemas 2 to 4 (the triggers ignore reverts, which the reads correct
-- for): effort_month, per partner, WP and calendar month (YYYY-MM) the
-- effort entry that counts, the latest by (effective, id), with its value
-- and note; and cost_total, per partner and category the sum of the cost
-- entries in cents, how many (n) and the greatest effective date (last).
-- A cost's amount is written with two decimals, so its cents are its
-- digits without the point: no floating point. A month whose entry is
-- dated after the as-of date, or undone, is read from the log instead.

CREATE TABLE effort_month (partner TEXT NOT NULL, item TEXT NOT NULL, month TEXT NOT NULL,
	effective TEXT NOT NULL, id INTEGER NOT NULL, value TEXT NOT NULL, note TEXT,
	PRIMARY KEY (partner, item, month)) WITHOUT ROWID;

INSERT INTO effort_month (partner, item, month, effective, id, value, note)
SELECT partner, item, month, effective, id, value, note
FROM (SELECT l.partner, l.item, substr(l.value, 1, 7) AS month, l.effective, l.id, l.value, l.note,
		ROW_NUMBER() OVER (PARTITION BY l.partner, l.item, substr(l.value, 1, 7)
			ORDER BY l.effective DESC, l.id DESC) AS r
	FROM log l
	WHERE l.kind = 'effort' AND l.partner IS NOT NULL AND l.item IS NOT NULL)
WHERE r = 1;

CREATE TRIGGER log_effort_month AFTER INSERT ON log
WHEN NEW.kind = 'effort' AND NEW.partner IS NOT NULL AND NEW.item IS NOT NULL
BEGIN
	INSERT INTO effort_month (partner, item, month, effective, id, value, note)
	VALUES (NEW.partner, NEW.item, substr(NEW.value, 1, 7), NEW.effective, NEW.id, NEW.value, NEW.note)
	ON CONFLICT (partner, item, month) DO
	UPDATE
	SET effective = NEW.effective, id = NEW.id, value = NEW.value, note = NEW.note
	WHERE NEW.effective > effective OR (NEW.effective = effective AND NEW.id > id);
END;

CREATE TABLE cost_total (partner TEXT NOT NULL, item TEXT NOT NULL, cents INTEGER NOT NULL,
	n INTEGER NOT NULL, last TEXT NOT NULL, PRIMARY KEY (partner, item)) WITHOUT ROWID;

INSERT INTO cost_total (partner, item, cents, n, last)
SELECT l.partner, l.item, SUM(CAST(replace(substr(l.value, 1, instr(l.value || ':', ':') - 1), '.', '')
		AS INTEGER)), COUNT(*), MAX(l.effective)
FROM log l
WHERE l.kind = 'cost' AND l.partner IS NOT NULL AND l.item IS NOT NULL
GROUP BY l.partner, l.item;

CREATE TRIGGER log_cost_total AFTER INSERT ON log
WHEN NEW.kind = 'cost' AND NEW.partner IS NOT NULL AND NEW.item IS NOT NULL
BEGIN
	INSERT INTO cost_total (partner, item, cents, n, last)
	VALUES (NEW.partner, NEW.item, CAST(replace(substr(NEW.value, 1, instr(NEW.value || ':', ':') - 1), '.',
			'') AS INTEGER), 1, NEW.effective) ON CONFLICT (partner, item)
	DO
	UPDATE
	SET cents = cents + CAST(replace(substr(NEW.value, 1, instr(NEW.value || ':', ':') - 1), '.', '') AS INTEGER),
		n = n + 1, last = max(last, NEW.effective);
END;

-- Schema 12 adds effort_pack, per partner its rows of effort_cell (schema
-- 10) in one text, so that the totals of every partner x WP are a row a
-- partner instead of one a cell. cells holds, for each of the partner's
-- rows in the order of item, its item, pm, months, last, month_lo and
-- month_hi: a text as its length in bytes, ':' and its bytes; a number as
-- its digits and ','. Triggers on effort_cell write a partner's text again
-- when one of its rows is added or changed (a row a partner and WP: the
-- text grows with the project's WPs, never with the log). Read like
-- effort_cell: a cell that cannot answer is read month by month.
-- The index log_effort_months finds the entries of one partner, WP and
-- calendar month (a month whose entry that counts is undone, read from
-- the log) without reading the cell's other months.
-- A log given an older version number by hand keeps them: made again.

DROP TRIGGER IF EXISTS effort_pack_add;
DROP TRIGGER IF EXISTS effort_pack_set;
DROP TABLE IF EXISTS effort_pack;

CREATE INDEX IF NOT EXISTS log_effort_months ON log(partner, item, substr(value, 1, 7), effective, id)
WHERE kind = 'effort';

CREATE TABLE effort_pack (partner TEXT NOT NULL PRIMARY KEY, cells TEXT NOT NULL) WITHOUT ROWID;

INSERT INTO effort_pack (partner, cells)
SELECT p.partner, (SELECT group_concat(c.cell, '')
		FROM (SELECT length(CAST(e.item AS BLOB)) || ':' || e.item || e.pm || ',' || e.months || ','
				|| length(CAST(e.last AS BLOB)) || ':' || e.last || length(CAST(e.month_lo AS BLOB)) || ':'
				|| e.month_lo || length(CAST(e.month_hi AS BLOB)) || ':' || e.month_hi AS cell
			FROM effort_cell e
			WHERE e.partner = p.partner
			ORDER BY e.item) c)
FROM (SELECT DISTINCT partner FROM effort_cell) p;

CREATE TRIGGER effort_pack_add AFTER INSERT ON effort_cell
BEGIN
	INSERT INTO effort_pack (partner, cells)
	VALUES (NEW.partner, coalesce((SELECT group_concat(c.cell, '')
		FROM (SELECT length(CAST(e.item AS BLOB)) || ':' || e.item || e.pm || ',' || e.months || ','
				|| length(CAST(e.last AS BLOB)) || ':' || e.last || length(CAST(e.month_lo AS BLOB)) || ':'
				|| e.month_lo || length(CAST(e.month_hi AS BLOB)) || ':' || e.month_hi AS cell
			FROM effort_cell e
			WHERE e.partner = NEW.partner
			ORDER BY e.item) c), ''))
	ON CONFLICT (partner) DO
	UPDATE
	SET cells = excluded.cells;
END;

CREATE TRIGGER effort_pack_set AFTER UPDATE ON effort_cell
BEGIN
	INSERT INTO effort_pack (partner, cells)
	VALUES (NEW.partner, coalesce((SELECT group_concat(c.cell, '')
		FROM (SELECT length(CAST(e.item AS BLOB)) || ':' || e.item || e.pm || ',' || e.months || ','
				|| length(CAST(e.last AS BLOB)) || ':' || e.last || length(CAST(e.month_lo AS BLOB)) || ':'
				|| e.month_lo || length(CAST(e.month_hi AS BLOB)) || ':' || e.month_hi AS cell
			FROM effort_cell e
			WHERE e.partner = NEW.partner
			ORDER BY e.item) c), ''))
	ON CONFLICT (partner) DO
	UPDATE
	SET cells = excluded.cells;
END;

-- Schema 12 adds effort_pack, the rows of effort_cell (schema 10) a few
-- to a row, so that the totals of every partner x WP are a few rows a
-- partner instead of one a cell: per partner and group (grp) of its WPs,
-- those that differ only in their last character (grp: the item without
-- it), cells holds for each of the group's rows in the order of item its
-- item, pm, months, last, month_lo and month_hi: a text as its length in
-- bytes, ':' and its bytes; a number as its digits and ','. A group is a
-- range of effort_cell's key: a trigger on effort_cell writes a group
-- again from a few rows when one of them is added or changed (the text
-- grows with the project's WPs, never with the log). Read like
-- effort_cell: a cell that cannot answer is read month by month.
-- The index log_effort_months finds the entries of one partner, WP and
-- calendar month (a month whose entry that counts is undone, read from
-- the log) without reading the cell's other months.
-- latest_pack does the same for latest (schema 2): per kind and group
-- (grp) of items, the rows of latest in the order of item and partner,
-- each its item, partner, effective, id, value, run_a, run_b (a NULL as
-- '-') and run_ok. A group is, for status and progress, the items that
-- differ only in their last character (grp: the item without it); for
-- bench, one item's partners that differ only in their last character
-- (grp: the item's length, ':', the item and the partner without it); for
-- label, one item (grp: the item), its rows in the table's order. A group
-- is a range of latest's key, so that a trigger on latest writes its
-- group again from a few rows.
-- It is built from the log's latest (main.: verify builds its copy from
-- it, and checks latest against the log).
-- A log given an older version number by hand keeps them: made again.

DROP TRIGGER IF EXISTS effort_pack_add;
DROP TRIGGER IF EXISTS effort_pack_set;
DROP TABLE IF EXISTS effort_pack;
DROP TRIGGER IF EXISTS latest_pack_add;
DROP TRIGGER IF EXISTS latest_pack_set;
DROP TABLE IF EXISTS latest_pack;

CREATE INDEX IF NOT EXISTS log_effort_months ON log(partner, item, substr(value, 1, 7), effective, id)
WHERE kind = 'effort';

CREATE TABLE effort_pack (partner TEXT NOT NULL, grp TEXT NOT NULL, cells TEXT NOT NULL,
	PRIMARY KEY (partner, grp)) WITHOUT ROWID;

INSERT INTO effort_pack (partner, grp, cells)
SELECT g.partner, g.grp, coalesce((SELECT group_concat(c.cell, '')
		FROM (SELECT length(CAST(e.item AS BLOB)) || ':' || e.item || e.pm || ',' || e.months || ','
				|| length(CAST(e.last AS BLOB)) || ':' || e.last || length(CAST(e.month_lo AS BLOB)) || ':'
				|| e.month_lo || length(CAST(e.month_hi AS BLOB)) || ':' || e.month_hi AS cell
			FROM effort_cell e
			WHERE e.partner = g.partner AND e.item >= g.grp AND e.item <= g.grp || char(1114111)
				AND substr(e.item, 1, length(e.item) - 1) = g.grp
			ORDER BY e.item) c), '')
FROM (SELECT DISTINCT partner, substr(item, 1, length(item) - 1) AS grp FROM effort_cell) g;

-- A row added to effort_cell is written again in place, so that the one
-- trigger below, on a row changed, writes its group.
CREATE TRIGGER effort_pack_add AFTER INSERT ON effort_cell
BEGIN
	UPDATE effort_cell
	SET pm = pm
	WHERE partner = NEW.partner AND item = NEW.item;
END;

CREATE TRIGGER effort_pack_set AFTER UPDATE ON effort_cell
BEGIN
	INSERT INTO effort_pack (partner, grp, cells)
	SELECT NEW.partner, g.grp, coalesce((SELECT group_concat(c.cell, '')
		FROM (SELECT length(CAST(e.item AS BLOB)) || ':' || e.item || e.pm || ',' || e.months || ','
				|| length(CAST(e.last AS BLOB)) || ':' || e.last || length(CAST(e.month_lo AS BLOB)) || ':'
				|| e.month_lo || length(CAST(e.month_hi AS BLOB)) || ':' || e.month_hi AS cell
			FROM effort_cell e
			WHERE e.partner = NEW.partner AND e.item >= g.grp AND e.item <= g.grp || char(1114111)
				AND substr(e.item, 1, length(e.item) - 1) = g.grp
			ORDER BY e.item) c), '')
	FROM (SELECT substr(NEW.item, 1, length(NEW.item) - 1) AS grp) g
	WHERE 1
	ON CONFLICT (partner, grp) DO
	UPDATE
	SET cells = excluded.cells;
END;

CREATE TABLE latest_pack (kind TEXT NOT NULL, grp TEXT NOT NULL, rows TEXT NOT NULL,
	PRIMARY KEY (kind, grp)) WITHOUT ROWID;

INSERT INTO latest_pack (kind, grp, rows)
SELECT g.kind, g.grp, coalesce((SELECT group_concat(r.rec, '')
		FROM (SELECT length(CAST(l.item AS BLOB)) || ':' || l.item
				|| length(CAST(l.partner AS BLOB)) || ':' || l.partner
				|| length(CAST(l.effective AS BLOB)) || ':' || l.effective || l.id || ','
				|| length(CAST(l.value AS BLOB)) || ':' || l.value
				|| CASE WHEN l.run_a IS NULL THEN '-'
					ELSE length(CAST(l.run_a AS BLOB)) || ':' || l.run_a END
				|| CASE WHEN l.run_b IS NULL THEN '-'
					ELSE length(CAST(l.run_b AS BLOB)) || ':' || l.run_b END
				|| l.run_ok || ',' AS rec
			FROM main.latest l
			WHERE l.kind = g.kind AND l.item >= g.ilo AND l.item <= g.ihi AND l.partner >= g.plo AND l.partner <= g.phi
				AND CASE WHEN l.kind IN ('status', 'progress')
						THEN substr(l.item, 1, length(l.item) - 1)
					WHEN l.kind = 'bench' THEN length(CAST(l.item AS BLOB)) || ':' || l.item
						|| substr(l.partner, 1, length(l.partner) - 1)
					ELSE l.item END = g.grp
			ORDER BY l.item, l.partner) r), '')
FROM (SELECT DISTINCT x.kind, CASE WHEN x.kind IN ('status', 'progress')
			THEN substr(x.item, 1, length(x.item) - 1)
		WHEN x.kind = 'bench' THEN length(CAST(x.item AS BLOB)) || ':' || x.item
			|| substr(x.partner, 1, length(x.partner) - 1)
		ELSE x.item END AS grp,
		CASE WHEN x.kind IN ('status', 'progress')
			THEN substr(x.item, 1, length(x.item) - 1)
			ELSE x.item END AS ilo,
		CASE WHEN x.kind IN ('status', 'progress')
			THEN substr(x.item, 1, length(x.item) - 1) || char(1114111)
			ELSE x.item END AS ihi,
		CASE WHEN x.kind = 'bench' THEN substr(x.partner, 1, length(x.partner) - 1)
			ELSE '' END AS plo,
		CASE WHEN x.kind = 'bench'
			THEN substr(x.partner, 1, length(x.partner) - 1) || char(1114111)
			ELSE x'ff' END AS phi
	FROM main.latest x) g;

-- A row added to latest is written again in place, so that the one
-- trigger below, on a row changed, writes its group.
CREATE TRIGGER latest_pack_add AFTER INSERT ON latest
BEGIN
	UPDATE latest
	SET run_ok = run_ok
	WHERE kind = NEW.kind AND item = NEW.item AND partner = NEW.partner;
END;

CREATE TRIGGER latest_pack_set AFTER UPDATE ON latest
BEGIN
	INSERT INTO latest_pack (kind, grp, rows)
	SELECT NEW.kind, g.grp, coalesce((SELECT group_concat(r.rec, '')
		FROM (SELECT length(CAST(l.item AS BLOB)) || ':' || l.item
				|| length(CAST(l.partner AS BLOB)) || ':' || l.partner
				|| length(CAST(l.effective AS BLOB)) || ':' || l.effective || l.id || ','
				|| length(CAST(l.value AS BLOB)) || ':' || l.value
				|| CASE WHEN l.run_a IS NULL THEN '-'
					ELSE length(CAST(l.run_a AS BLOB)) || ':' || l.run_a END
				|| CASE WHEN l.run_b IS NULL THEN '-'
					ELSE length(CAST(l.run_b AS BLOB)) || ':' || l.run_b END
				|| l.run_ok || ',' AS rec
			FROM latest l
			WHERE l.kind = NEW.kind AND l.item >= g.ilo AND l.item <= g.ihi AND l.partner >= g.plo AND l.partner <= g.phi
				AND CASE WHEN l.kind IN ('status', 'progress')
						THEN substr(l.item, 1, length(l.item) - 1)
					WHEN l.kind = 'bench' THEN length(CAST(l.item AS BLOB)) || ':' || l.item
						|| substr(l.partner, 1, length(l.partner) - 1)
					ELSE l.item END = g.grp
			ORDER BY l.item, l.partner) r), '')
	FROM (SELECT CASE WHEN NEW.kind IN ('status', 'progress')
				THEN substr(NEW.item, 1, length(NEW.item) - 1)
			WHEN NEW.kind = 'bench' THEN length(CAST(NEW.item AS BLOB)) || ':' || NEW.item
				|| substr(NEW.partner, 1, length(NEW.partner) - 1)
			ELSE NEW.item END AS grp,
			CASE WHEN NEW.kind IN ('status', 'progress')
				THEN substr(NEW.item, 1, length(NEW.item) - 1)
				ELSE NEW.item END AS ilo,
			CASE WHEN NEW.kind IN ('status', 'progress')
				THEN substr(NEW.item, 1, length(NEW.item) - 1) || char(1114111)
				ELSE NEW.item END AS ihi,
			CASE WHEN NEW.kind = 'bench' THEN substr(NEW.partner, 1, length(NEW.partner) - 1)
				ELSE '' END AS plo,
			CASE WHEN NEW.kind = 'bench'
				THEN substr(NEW.partner, 1, length(NEW.partner) - 1) || char(1114111)
				ELSE x'ff' END AS phi) g
	WHERE 1
	ON CONFLICT (kind, grp) DO
	UPDATE
	SET rows = excluded.rows;
END;

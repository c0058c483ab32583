-- Schema 16 adds undone_pack, the rows of undone (schema 4) 64 to a row,
-- in the order of rid: every query of the facts reads each revert
-- effective by its date, and SQLite's step through a row of nine columns
-- cost more than the rest of the revert's reading. Per group (grp: the
-- rid of its first row; n: how many; last: the rid of its last), rows
-- holds for each row of undone its rvalue, reff, id, kind, item, partner,
-- effective and value, and whether a later entry of the same partner, WP
-- and calendar month came before the revert (sup, 1 or 0; only for an
-- effort entry): a text as its length in bytes, ':' and its bytes, a
-- number as its digits and ',', a NULL as '-'. An effort entry so
-- superseded is not the one effort_month keeps, now or later, and the
-- reader does not look it up there. A trigger on undone
-- appends a row to the last group while it has fewer than 64 (the text
-- grows with 64 reverts at most, never with the log) and starts a new
-- group after it. Read like undone: a text that does not read sends the
-- reader back to undone.
-- A log given an older version number by hand keeps them: made again, in
-- main (a table of the same name in an attached database stays).

DROP TRIGGER IF EXISTS main.undone_pack_add;
DROP TABLE IF EXISTS main.undone_pack;

CREATE TABLE undone_pack (grp INTEGER PRIMARY KEY, n INTEGER NOT NULL, last INTEGER NOT NULL, rows TEXT NOT NULL);

INSERT INTO undone_pack (grp, n, last, rows)
SELECT c.lo, c.n, c.hi, coalesce((SELECT group_concat(r.rec, '')
		FROM (SELECT CASE WHEN u.rvalue IS NULL THEN '-'
					ELSE length(CAST(u.rvalue AS BLOB)) || ':' || u.rvalue END
				|| CASE WHEN u.reff IS NULL THEN '-'
					ELSE length(CAST(u.reff AS BLOB)) || ':' || u.reff END
				|| CASE WHEN u.id IS NULL THEN '-'
					ELSE u.id || ',' END
				|| CASE WHEN u.kind IS NULL THEN '-'
					ELSE length(CAST(u.kind AS BLOB)) || ':' || u.kind END
				|| CASE WHEN u.item IS NULL THEN '-'
					ELSE length(CAST(u.item AS BLOB)) || ':' || u.item END
				|| CASE WHEN u.partner IS NULL THEN '-'
					ELSE length(CAST(u.partner AS BLOB)) || ':' || u.partner END
				|| CASE WHEN u.effective IS NULL THEN '-'
					ELSE length(CAST(u.effective AS BLOB)) || ':' || u.effective END
				|| CASE WHEN u.value IS NULL THEN '-'
					ELSE length(CAST(u.value AS BLOB)) || ':' || u.value END
				|| CASE WHEN u.kind = 'effort' AND EXISTS (SELECT 1
						FROM log v INDEXED BY log_effort_months
						WHERE v.kind = 'effort' AND v.partner = u.partner AND v.item = u.item
							AND substr(v.value, 1, 7) = substr(u.value, 1, 7) AND (v.effective > u.effective
							OR v.effective = u.effective AND v.id > u.id) AND v.id < u.rid) THEN '1,'
					ELSE '0,' END AS rec
			FROM undone u
			WHERE u.rid BETWEEN c.lo AND c.hi
			ORDER BY u.rid) r), '')
FROM (SELECT MIN(k.rid) AS lo, MAX(k.rid) AS hi, COUNT(*) AS n
	FROM (SELECT x.rid, (ROW_NUMBER() OVER (ORDER BY x.rid) - 1) / 64 AS chunk
		FROM undone x) k
	GROUP BY k.chunk) c;

CREATE TRIGGER undone_pack_add AFTER INSERT ON undone
BEGIN
	UPDATE undone_pack
	SET n = n + 1, last = NEW.rid, rows = rows || CASE WHEN NEW.rvalue IS NULL THEN '-'
			ELSE length(CAST(NEW.rvalue AS BLOB)) || ':' || NEW.rvalue END
		|| CASE WHEN NEW.reff IS NULL THEN '-'
			ELSE length(CAST(NEW.reff AS BLOB)) || ':' || NEW.reff END
		|| CASE WHEN NEW.id IS NULL THEN '-'
			ELSE NEW.id || ',' END
		|| CASE WHEN NEW.kind IS NULL THEN '-'
			ELSE length(CAST(NEW.kind AS BLOB)) || ':' || NEW.kind END
		|| CASE WHEN NEW.item IS NULL THEN '-'
			ELSE length(CAST(NEW.item AS BLOB)) || ':' || NEW.item END
		|| CASE WHEN NEW.partner IS NULL THEN '-'
			ELSE length(CAST(NEW.partner AS BLOB)) || ':' || NEW.partner END
		|| CASE WHEN NEW.effective IS NULL THEN '-'
			ELSE length(CAST(NEW.effective AS BLOB)) || ':' || NEW.effective END
		|| CASE WHEN NEW.value IS NULL THEN '-'
			ELSE length(CAST(NEW.value AS BLOB)) || ':' || NEW.value END
		|| CASE WHEN NEW.kind = 'effort' AND EXISTS (SELECT 1
				FROM log v INDEXED BY log_effort_months
				WHERE v.kind = 'effort' AND v.partner = NEW.partner AND v.item = NEW.item
					AND substr(v.value, 1, 7) = substr(NEW.value, 1, 7) AND (v.effective > NEW.effective
					OR v.effective = NEW.effective AND v.id > NEW.id) AND v.id < NEW.rid) THEN '1,'
			ELSE '0,' END
	WHERE grp = (SELECT MAX(g.grp)
			FROM undone_pack g) AND n < 64 AND last < NEW.rid;
	INSERT INTO undone_pack (grp, n, last, rows)
	SELECT NEW.rid, 1, NEW.rid, CASE WHEN NEW.rvalue IS NULL THEN '-'
			ELSE length(CAST(NEW.rvalue AS BLOB)) || ':' || NEW.rvalue END
		|| CASE WHEN NEW.reff IS NULL THEN '-'
			ELSE length(CAST(NEW.reff AS BLOB)) || ':' || NEW.reff END
		|| CASE WHEN NEW.id IS NULL THEN '-'
			ELSE NEW.id || ',' END
		|| CASE WHEN NEW.kind IS NULL THEN '-'
			ELSE length(CAST(NEW.kind AS BLOB)) || ':' || NEW.kind END
		|| CASE WHEN NEW.item IS NULL THEN '-'
			ELSE length(CAST(NEW.item AS BLOB)) || ':' || NEW.item END
		|| CASE WHEN NEW.partner IS NULL THEN '-'
			ELSE length(CAST(NEW.partner AS BLOB)) || ':' || NEW.partner END
		|| CASE WHEN NEW.effective IS NULL THEN '-'
			ELSE length(CAST(NEW.effective AS BLOB)) || ':' || NEW.effective END
		|| CASE WHEN NEW.value IS NULL THEN '-'
			ELSE length(CAST(NEW.value AS BLOB)) || ':' || NEW.value END
		|| CASE WHEN NEW.kind = 'effort' AND EXISTS (SELECT 1
				FROM log v INDEXED BY log_effort_months
				WHERE v.kind = 'effort' AND v.partner = NEW.partner AND v.item = NEW.item
					AND substr(v.value, 1, 7) = substr(NEW.value, 1, 7) AND (v.effective > NEW.effective
					OR v.effective = NEW.effective AND v.id > NEW.id) AND v.id < NEW.rid) THEN '1,'
			ELSE '0,' END
	WHERE NOT EXISTS (SELECT 1
		FROM undone_pack g
		WHERE g.last = NEW.rid);
END;

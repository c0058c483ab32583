-- Schema 16 adds undone_pack, the rows of undone (schema 4) 48 to a row,
-- in the order of rid: every query of the facts reads each revert
-- effective by its date, and SQLite's step through a row of nine columns
-- cost more than the rest of the revert's reading. 48 records (some 3.5
-- kilobytes) fit in a page: a row that does not is kept in two. Per group (grp: the
-- rid of its first row; n: how many; last: the rid of its last), rows
-- holds for each row of undone its rvalue, reff, id, kind, item, partner,
-- effective and value, and whether a later entry of the same partner, WP
-- and calendar month came before the revert (sup, 1 or 0; only for an
-- effort entry): a text as its length in bytes, ':' and its bytes, a
-- number as its digits and ',', a NULL as '-'. An effort entry so
-- superseded is not the one effort_month keeps, now or later, and the
-- reader does not look it up there. The append adds a revert's row to the
-- last group while it has fewer than 48 (the text grows with 48 reverts
-- at most, never with the log) and starts a new group after it
-- (src/core/store_steps.c, with the record as here). Read like undone: a
-- text that does not read, or holds other than n records, sends the
-- reader back to undone.
-- A log given an older version number by hand keeps it: made again, in
-- main (a table of the same name in an attached database stays).

DROP TABLE IF EXISTS main.undone_pack;

CREATE TABLE undone_pack (grp INTEGER PRIMARY KEY, n INTEGER NOT NULL, last INTEGER NOT NULL, rows TEXT NOT NULL);

INSERT INTO undone_pack (grp, n, last, rows)
SELECT c.lo, c.n, c.hi, coalesce((SELECT group_concat(r.rec, '')
		FROM (SELECT coalesce(length(CAST(u.rvalue AS BLOB)) || ':' || u.rvalue, '-')
				|| coalesce(length(CAST(u.reff AS BLOB)) || ':' || u.reff, '-') || coalesce(u.id || ',', '-')
				|| coalesce(length(CAST(u.kind AS BLOB)) || ':' || u.kind, '-')
				|| coalesce(length(CAST(u.item AS BLOB)) || ':' || u.item, '-')
				|| coalesce(length(CAST(u.partner AS BLOB)) || ':' || u.partner, '-')
				|| coalesce(length(CAST(u.effective AS BLOB)) || ':' || u.effective, '-')
				|| coalesce(length(CAST(u.value AS BLOB)) || ':' || u.value, '-')
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
	FROM (SELECT x.rid, (ROW_NUMBER() OVER (ORDER BY x.rid) - 1) / 48 AS chunk
		FROM undone x) k
	GROUP BY k.chunk) c;

-- Schema 18 leaves out of undone_pack (16.sql, 17.sql) the reverts of two
-- more kinds of entry that the summaries' rows never need:
-- - an effort entry that a later effort entry of the same partner, WP and
--   calendar month had superseded before the revert came (by effective
--   date and id, and written before it): effort_month keeps a month's
--   greatest entry and never goes back, so such an entry is not its
--   month's now and never will be, and neither the months' rows nor the
--   cells' sums count it;
-- - a status entry that a later status of the same item, dated after it
--   and of no done value (neither submitted, accepted nor reached), had
--   come before the revert: that one is neither latest's entry, nor in the
--   item's current run, nor its breaker (latest's brk_a and brk_b, 15.sql,
--   are dated on or after the later one, which a run cannot follow), so
--   the run latest keeps holds whatever it was; the breaker's own revert
--   is never left out (no such later status can exist while it breaks a
--   run), and when it is undone the reader walks the item's entries.
-- Only a walk through a key's entries in the log (a month whose entry is
-- dated after the as-of date or undone; an item whose latest status is)
-- meets them, and the walk then reads that key's undone entries from
-- undone through the index undone_key (a kind's undone entries of an item
-- and partner, by the revert's date, with their ids: the index alone
-- answers), as the walks through progress, bench and label entries now do
-- too instead of reading every revert again. At 10,000,000 entries of
-- the large project, 369 of the 399 reverts of effort entries are so, and
-- 78 of the 199 of statuses. Each record keeps its last field, the mark
-- of a superseded effort entry, as 0: no such entry's revert is in the
-- pack now. The append keeps the pack the same way
-- (src/core/store_steps.c). The pack made again (verify's copy too, as
-- verify replays the migrations up to the log's version).

CREATE INDEX IF NOT EXISTS undone_key ON undone (kind, item, partner, reff, id);

DELETE FROM undone_pack;

WITH live AS MATERIALIZED (SELECT u.*
	FROM undone u
	WHERE NOT CASE u.kind WHEN 'progress' THEN EXISTS (SELECT 1
				FROM log v INDEXED BY log_kind_item
				WHERE v.kind = 'progress' AND v.item = u.item AND (v.effective > u.effective
					OR v.effective = u.effective AND v.id > u.id) AND v.id < u.rid)
			WHEN 'bench' THEN EXISTS (SELECT 1
				FROM log v INDEXED BY log_kind_item
				WHERE v.kind = 'bench' AND v.item = u.item AND v.partner = u.partner AND (v.effective > u.effective
					OR v.effective = u.effective AND v.id > u.id) AND v.id < u.rid)
			WHEN 'label' THEN EXISTS (SELECT 1
				FROM log v INDEXED BY log_kind_partner
				WHERE v.kind = 'label' AND v.partner = u.partner AND (v.effective > u.effective
					OR v.effective = u.effective AND v.id > u.id) AND v.id < u.rid)
			WHEN 'status' THEN EXISTS (SELECT 1
				FROM log v INDEXED BY log_kind_item
				WHERE v.kind = 'status' AND v.item = u.item AND v.effective > u.effective
					AND v.id < u.rid AND v.value NOT IN ('submitted', 'accepted', 'reached'))
			WHEN 'effort' THEN EXISTS (SELECT 1
				FROM log v INDEXED BY log_effort_months
				WHERE v.kind = 'effort' AND v.partner = u.partner AND v.item = u.item
					AND substr(v.value, 1, 7) = substr(u.value, 1, 7) AND (v.effective > u.effective
					OR v.effective = u.effective AND v.id > u.id) AND v.id < u.rid)
			ELSE 0 END)
INSERT INTO undone_pack (grp, n, last, rows)
SELECT c.lo, c.n, c.hi, coalesce((SELECT group_concat(r.rec, '')
		FROM (SELECT coalesce(length(CAST(u.rvalue AS BLOB)) || ':' || u.rvalue, '-')
				|| coalesce(length(CAST(u.reff AS BLOB)) || ':' || u.reff, '-') || coalesce(u.id || ',', '-')
				|| coalesce(length(CAST(u.kind AS BLOB)) || ':' || u.kind, '-')
				|| coalesce(length(CAST(u.item AS BLOB)) || ':' || u.item, '-')
				|| coalesce(length(CAST(u.partner AS BLOB)) || ':' || u.partner, '-')
				|| coalesce(length(CAST(u.effective AS BLOB)) || ':' || u.effective, '-')
				|| coalesce(length(CAST(u.value AS BLOB)) || ':' || u.value, '-')
				|| '0,' AS rec
			FROM live u
			WHERE u.rid BETWEEN c.lo AND c.hi
			ORDER BY u.rid) r), '')
FROM (SELECT MIN(k.rid) AS lo, MAX(k.rid) AS hi, COUNT(*) AS n
	FROM (SELECT x.rid, (ROW_NUMBER() OVER (ORDER BY x.rid) - 1) / 48 AS chunk
		FROM live x) k
	GROUP BY k.chunk) c;

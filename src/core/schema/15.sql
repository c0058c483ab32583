-- Schema 15 keeps the current run of every status item exact. Until now a
-- backdated status (one dated before the item's latest) marked the run as
-- unknown (run_ok 0) for as long as it lasted, and every reader walked the
-- item's entries back to find where it began: on a long log with backdated
-- statuses, a walk as long as the run, for most milestones.
-- latest now keeps, beside the start of each run (run_a: submitted or
-- accepted; run_b: reached), the date of the entry just before it, the
-- latest one not of the run (brk_a, brk_b; NULL when there is no run or
-- none before it). A new entry has the greatest id, so that it comes after
-- every entry of its date: a backdated status in the run's values that is
-- dated on or after the breaker and before the start becomes the start;
-- one of another value dated on or after the start breaks the run, which
-- then starts at the first entry dated after it (one indexed lookup), and
-- one dated before the start but on or after the breaker becomes the
-- breaker. So run_ok is 1 from here on. The append does it
-- (src/core/store_steps.c); verify checks both columns against the log.
-- Here every status row is made exact from the log.

ALTER TABLE latest ADD COLUMN brk_a TEXT;
ALTER TABLE latest ADD COLUMN brk_b TEXT;

-- b: the latest entry not of the run's values, as 'effective id' (or
-- NULL); the run is what follows it, when anything does.
UPDATE latest
SET run_a = (SELECT MIN(x.effective)
		FROM log x INDEXED BY log_kind_item
		WHERE x.kind = 'status' AND x.item = latest.item AND printf('%s %020d', x.effective, x.id)
			> coalesce((SELECT printf('%s %020d', b.effective, b.id)
					FROM log b INDEXED BY log_kind_item
					WHERE b.kind = 'status' AND b.item = latest.item AND b.value NOT IN ('submitted',
						'accepted')
					ORDER BY b.effective DESC, b.id DESC LIMIT 1), '')), brk_a = (SELECT b.effective
		FROM log b INDEXED BY log_kind_item
		WHERE b.kind = 'status' AND b.item = latest.item AND b.value NOT IN ('submitted', 'accepted')
		ORDER BY b.effective DESC, b.id DESC LIMIT 1), run_b = (SELECT MIN(x.effective)
		FROM log x INDEXED BY log_kind_item
		WHERE x.kind = 'status' AND x.item = latest.item AND printf('%s %020d', x.effective, x.id)
			> coalesce((SELECT printf('%s %020d', b.effective, b.id)
					FROM log b INDEXED BY log_kind_item
					WHERE b.kind = 'status' AND b.item = latest.item AND b.value <> 'reached'
					ORDER BY b.effective DESC, b.id DESC LIMIT 1), '')), brk_b = (SELECT b.effective
		FROM log b INDEXED BY log_kind_item
		WHERE b.kind = 'status' AND b.item = latest.item AND b.value <> 'reached'
		ORDER BY b.effective DESC, b.id DESC LIMIT 1), run_ok = 1
WHERE kind = 'status';

-- A breaker without a run (the latest entry is not of the run's values)
-- is none.
UPDATE latest
SET brk_a = CASE WHEN run_a IS NULL THEN NULL
		ELSE brk_a END, brk_b = CASE WHEN run_b IS NULL THEN NULL
		ELSE brk_b END
WHERE kind = 'status' AND (run_a IS NULL AND brk_a IS NOT NULL OR run_b IS NULL AND brk_b IS NOT NULL);

-- Schema 9 adds cost_wp, derived like cost_total (schema 8): per partner,
-- category and work package the cost entries that name a WP (value
-- "AMOUNT:WP"), the sum of their amounts in cents and the greatest
-- effective date (last). A cost without a WP is in cost_total only; one
-- with a WP is in both. The trigger ignores reverts, which the reads
-- correct for; a WP with an entry dated after the as-of date is read from
-- the log instead.

CREATE TABLE cost_wp (partner TEXT NOT NULL, item TEXT NOT NULL, wp TEXT NOT NULL,
	cents INTEGER NOT NULL, last TEXT NOT NULL, PRIMARY KEY (partner, item, wp)) WITHOUT ROWID;

INSERT INTO cost_wp (partner, item, wp, cents, last)
SELECT l.partner, l.item, substr(l.value, instr(l.value, ':') + 1),
	SUM(CAST(replace(substr(l.value, 1, instr(l.value, ':') - 1), '.', '') AS INTEGER)),
	MAX(l.effective)
FROM log l
WHERE l.kind = 'cost' AND l.partner IS NOT NULL AND l.item IS NOT NULL AND instr(l.value, ':') > 0
GROUP BY l.partner, l.item, substr(l.value, instr(l.value, ':') + 1);

CREATE TRIGGER log_cost_wp AFTER INSERT ON log
WHEN NEW.kind = 'cost' AND NEW.partner IS NOT NULL AND NEW.item IS NOT NULL
	AND instr(NEW.value, ':') > 0
BEGIN
	INSERT INTO cost_wp (partner, item, wp, cents, last)
	VALUES (NEW.partner, NEW.item, substr(NEW.value, instr(NEW.value, ':') + 1),
		CAST(replace(substr(NEW.value, 1, instr(NEW.value, ':') - 1), '.', '') AS INTEGER),
		NEW.effective) ON CONFLICT (partner, item, wp)
	DO
	UPDATE
	SET cents = cents + CAST(replace(substr(NEW.value, 1, instr(NEW.value, ':') - 1), '.', '')
			AS INTEGER),
		last = max(last, NEW.effective);
END;

-- Schema 10 adds effort_cell, per partner and WP the sum of that cell's
-- months in effort_month, derived like the others: pm, the hundredths of
-- their values (a month's person-months are written with two decimals,
-- so its hundredths are the digits without the point: no floating
-- point); months, how many; last, the greatest effective date among
-- them; month_lo and month_hi, the first and the last calendar month
-- (YYYY-MM). Triggers on effort_month keep it: a month added adds its
-- value, a month whose entry is replaced takes the old value out and puts
-- the new one in. A cell whose last is after the as-of date, or that an
-- undone entry touches, is read month by month instead.

CREATE TABLE effort_cell (partner TEXT NOT NULL, item TEXT NOT NULL, pm INTEGER NOT NULL,
	months INTEGER NOT NULL, last TEXT NOT NULL, month_lo TEXT NOT NULL, month_hi TEXT NOT NULL,
	PRIMARY KEY (partner, item)) WITHOUT ROWID;

INSERT INTO effort_cell (partner, item, pm, months, last, month_lo, month_hi)
SELECT partner, item, SUM(CAST(replace(substr(value, 9), '.', '') AS INTEGER)), COUNT(*),
	MAX(effective), MIN(month), MAX(month)
FROM effort_month
GROUP BY partner, item;

CREATE TRIGGER effort_cell_add AFTER INSERT ON effort_month
BEGIN
	INSERT INTO effort_cell (partner, item, pm, months, last, month_lo, month_hi)
	VALUES (NEW.partner, NEW.item, CAST(replace(substr(NEW.value, 9), '.', '') AS INTEGER), 1,
		NEW.effective, NEW.month, NEW.month)
	ON CONFLICT (partner, item) DO
	UPDATE
	SET pm = pm + CAST(replace(substr(NEW.value, 9), '.', '') AS INTEGER), months = months + 1,
		last = max(last, NEW.effective), month_lo = min(month_lo, NEW.month),
		month_hi = max(month_hi, NEW.month);
END;

CREATE TRIGGER effort_cell_set AFTER UPDATE ON effort_month
BEGIN
	UPDATE effort_cell
	SET pm = pm - CAST(replace(substr(OLD.value, 9), '.', '') AS INTEGER)
		+ CAST(replace(substr(NEW.value, 9), '.', '') AS INTEGER),
		last = max(last, NEW.effective)
	WHERE partner = NEW.partner AND item = NEW.item;
END;

-- Schema 11 adds the counts of distinct reach values, derived from
-- reach_value and kept by triggers on it (so, like it, they ignore
-- reverts, which the reads correct for): reach_pair_total, per target and
-- partner, how many (value, partner) pairs it has (n) and their greatest
-- first date (last); reach_value_first, per target and value, its first
-- date over all partners; reach_first_total, per target, how many values
-- (n) and their greatest first date (last). A distinct target's totals
-- are then a few rows instead of one a pair, as long as last is not after
-- the as-of date; otherwise they are read from reach_value. A first date
-- only moves earlier; when it was the greatest, last is sought again
-- among the target's rows (a backdated entry of a value already there:
-- rare). They are built from the log's reach_value (main.: verify builds
-- its copies from it, and checks reach_value against the log).
-- A log given an older version number by hand keeps them: made again.

DROP TRIGGER IF EXISTS reach_value_new;
DROP TRIGGER IF EXISTS reach_value_earlier;
DROP TRIGGER IF EXISTS reach_first_new;
DROP TRIGGER IF EXISTS reach_first_earlier;
DROP TABLE IF EXISTS reach_pair_total;
DROP TABLE IF EXISTS reach_value_first;
DROP TABLE IF EXISTS reach_first_total;

CREATE TABLE reach_pair_total (item TEXT NOT NULL, partner TEXT NOT NULL, n INTEGER NOT NULL,
	last TEXT NOT NULL, PRIMARY KEY (item, partner)) WITHOUT ROWID;

CREATE TABLE reach_value_first (item TEXT NOT NULL, value TEXT NOT NULL, first_eff TEXT NOT NULL,
	PRIMARY KEY (item, value)) WITHOUT ROWID;

CREATE TABLE reach_first_total (item TEXT NOT NULL PRIMARY KEY, n INTEGER NOT NULL, last TEXT NOT NULL)
	WITHOUT ROWID;

INSERT INTO reach_pair_total (item, partner, n, last)
SELECT item, partner, COUNT(*), MAX(first_eff)
FROM main.reach_value
GROUP BY item, partner;

INSERT INTO reach_value_first (item, value, first_eff)
SELECT item, value, MIN(first_eff)
FROM main.reach_value
GROUP BY item, value;

INSERT INTO reach_first_total (item, n, last)
SELECT item, COUNT(*), MAX(first_eff)
FROM reach_value_first
GROUP BY item;

CREATE TRIGGER reach_value_new AFTER INSERT ON reach_value
BEGIN
	INSERT INTO reach_pair_total (item, partner, n, last)
	VALUES (NEW.item, NEW.partner, 1, NEW.first_eff)
	ON CONFLICT (item, partner) DO
	UPDATE
	SET n = n + 1, last = max(last, excluded.last);
	INSERT INTO reach_value_first (item, value, first_eff)
	VALUES (NEW.item, NEW.value, NEW.first_eff)
	ON CONFLICT (item, value) DO
	UPDATE
	SET first_eff = excluded.first_eff
	WHERE excluded.first_eff < first_eff;
END;

CREATE TRIGGER reach_value_earlier AFTER UPDATE OF first_eff ON reach_value
BEGIN
	UPDATE reach_pair_total
	SET last = (SELECT MAX(v.first_eff)
		FROM reach_value v
		WHERE v.item = NEW.item AND v.partner = NEW.partner)
	WHERE item = NEW.item AND partner = NEW.partner AND last = OLD.first_eff;
	UPDATE reach_value_first
	SET first_eff = NEW.first_eff
	WHERE item = NEW.item AND value = NEW.value AND first_eff > NEW.first_eff;
END;

CREATE TRIGGER reach_first_new AFTER INSERT ON reach_value_first
BEGIN
	INSERT INTO reach_first_total (item, n, last)
	VALUES (NEW.item, 1, NEW.first_eff)
	ON CONFLICT (item) DO
	UPDATE
	SET n = n + 1, last = max(last, excluded.last);
END;

CREATE TRIGGER reach_first_earlier AFTER UPDATE OF first_eff ON reach_value_first
BEGIN
	UPDATE reach_first_total
	SET last = (SELECT MAX(v.first_eff)
		FROM reach_value_first v
		WHERE v.item = NEW.item)
	WHERE item = NEW.item AND last = OLD.first_eff;
END;

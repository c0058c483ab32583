-- Schema 1: the log itself, append-only (the triggers refuse UPDATE and
-- DELETE), its indexes and a small key/value table beside it. Every
-- statement of the schema's files runs as written here, so that
-- `sqlite3 LOG .schema` shows the same text.
-- A count entry's value is "+N", "-N" or "=N"; a revert's value is the id
-- of the entry it undoes, as decimal text. An effort entry's value is
-- "YYYY-MM:PM" (the calendar month, person-months with two decimals), a
-- cost entry's "AMOUNT" or "AMOUNT:WP" (signed, two decimals).
-- Indexes: log_kind_item covers the as-of queries (latest per item, reach
-- sums); log_kind_partner the benchmarks and labels per cluster; log_revert
-- answers "is entry N reverted (as of a date)?"; log_item and log_login
-- serve the history views.

CREATE TABLE log (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	recorded_at INTEGER NOT NULL,
	effective TEXT NOT NULL CHECK (effective GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	login TEXT NOT NULL,
	uid INTEGER NOT NULL,
	partner TEXT,
	item TEXT,
	kind TEXT NOT NULL CHECK (kind IN ('status', 'progress', 'reach', 'bench', 'label', 'revert', 'demo', 'note', 'link', 'plan', 'effort', 'cost')),
	value TEXT NOT NULL,
	note TEXT,
	-- the signed amount of a count entry ("+N", "-N", "=N"), computed on reading
	n INTEGER GENERATED ALWAYS AS (CAST(substr(value, 2) AS INTEGER) * (CASE substr(value, 1, 1) WHEN '-' THEN -1 ELSE 1 END)) VIRTUAL
);

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE INDEX log_kind_item ON log(kind, item, effective, id, partner, value);
CREATE INDEX log_kind_partner ON log(kind, partner, item, effective, id);
CREATE INDEX log_revert ON log(value, effective) WHERE kind = 'revert';
CREATE INDEX log_item ON log(item, id);
CREATE INDEX log_login ON log(login, id);
CREATE TRIGGER log_no_update BEFORE UPDATE ON log BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
CREATE TRIGGER log_no_delete BEFORE DELETE ON log BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;

-- Schema 7 adds the plan: each version of the project's definition that
-- init or amend recorded, beside its log entry (kind 'plan', value
-- "N DIGEST"): the version's number, the definition's text and its
-- compiled form (the definition cache's codec). Append-only like the log.
-- A log whose text the files rewrite runs this step again: IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS plan (
	entry INTEGER PRIMARY KEY,
	version INTEGER NOT NULL UNIQUE CHECK (version >= 1),
	text BLOB NOT NULL,
	compiled BLOB NOT NULL
);
CREATE TRIGGER IF NOT EXISTS plan_no_update BEFORE UPDATE ON plan BEGIN SELECT RAISE(ABORT, 'the plan is append-only'); END;
CREATE TRIGGER IF NOT EXISTS plan_no_delete BEFORE DELETE ON plan BEGIN SELECT RAISE(ABORT, 'the plan is append-only'); END;

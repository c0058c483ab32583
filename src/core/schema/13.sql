-- Schema 13 puts the plan's compiled form before its text: SQLite keeps a
-- row longer than a page in a chain of overflow pages, to be walked in
-- order, so a read of a column after a definition's text (hundreds of
-- kilobytes) read every page of the text first. The compiled form, which
-- every command reads, now comes first, and its pages are the only ones
-- read; the text, which verify and amend read, after it. The rows are
-- copied as they are, by their columns' names (so that this step runs
-- again on a log of either order), and the triggers made again with the
-- table. Nothing the log's chain covers changes.

DROP TRIGGER IF EXISTS plan_no_update;
DROP TRIGGER IF EXISTS plan_no_delete;
ALTER TABLE plan RENAME TO plan_old;

CREATE TABLE plan (
	entry INTEGER PRIMARY KEY,
	version INTEGER NOT NULL UNIQUE CHECK (version >= 1),
	compiled BLOB NOT NULL,
	text BLOB NOT NULL
);

INSERT INTO plan (entry, version, compiled, text)
SELECT entry, version, compiled, text
FROM plan_old
ORDER BY entry;

DROP TABLE plan_old;

CREATE TRIGGER plan_no_update BEFORE UPDATE ON plan BEGIN SELECT RAISE(ABORT, 'the plan is append-only'); END;
CREATE TRIGGER plan_no_delete BEFORE DELETE ON plan BEGIN SELECT RAISE(ABORT, 'the plan is append-only'); END;

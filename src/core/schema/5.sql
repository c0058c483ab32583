-- Schema 5 adds chain: one hash an entry, over the hash of the entry
-- before it and the entry's own fields (consort(1) gives the encoding),
-- written by the program in the append's transaction, so that a changed,
-- removed or forged entry breaks the chain (`consort verify` walks it).
-- Append-only like the log. The migration from schema 4 chains the
-- entries already there and records in meta from which entry the chain
-- was written by appends (chain_since) and when the older ones were
-- chained (chain_migrated).

CREATE TABLE IF NOT EXISTS chain (id INTEGER PRIMARY KEY, hash BLOB NOT NULL CHECK (length(hash) = 32));
CREATE TRIGGER IF NOT EXISTS chain_no_update BEFORE UPDATE ON chain BEGIN SELECT RAISE(ABORT, 'the chain is append-only'); END;
CREATE TRIGGER IF NOT EXISTS chain_no_delete BEFORE DELETE ON chain BEGIN SELECT RAISE(ABORT, 'the chain is append-only'); END;

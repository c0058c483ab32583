-- Schema 6 widens the log's kinds by two that change no state: 'note', a
-- comment on an item (value empty, the text in note), and 'link', the
-- document of a deliverable's submission (value a URL or a DOI), written
-- in the transaction of its status entry. The log table's own statement
-- in 1.sql carries the wider CHECK; a log made before it has the older
-- text, which the migration gives the new one in place (the derived
-- tables are dropped and built again from the log, no entry changes).
-- Nothing derived reads either kind: the triggers of 2.sql to 4.sql
-- filter on theirs. The history views find notes by item (log_item).
CREATE INDEX IF NOT EXISTS log_note ON log(item, id) WHERE kind IN ('note', 'link');

-- Schema 14 moves the upkeep of the summaries from the log's triggers into
-- the append (src/core/store_steps.c): SQLite compiles every trigger on a
-- table into each statement that writes it, whatever the trigger's WHEN,
-- so each write's one INSERT compiled the thirteen programs of every kind
-- of entry (for a count entry, half its time). The append now runs, after
-- each entry, the statements of the triggers that applied to it, their
-- text as here with NEW.x a bound parameter, in the order SQLite fired
-- them (the last made first). The triggers of the summaries themselves
-- (latest, effort_month, effort_cell, reach_value, reach_value_first)
-- stay: they fire only for the statements that touch them. The log's
-- refusal of UPDATE and DELETE stays a trigger. No row changes.

DROP TRIGGER IF EXISTS log_cost_wp;
DROP TRIGGER IF EXISTS log_cost_total;
DROP TRIGGER IF EXISTS log_effort_month;
DROP TRIGGER IF EXISTS log_month_set;
DROP TRIGGER IF EXISTS log_month_step;
DROP TRIGGER IF EXISTS log_undone;
DROP TRIGGER IF EXISTS log_total_set;
DROP TRIGGER IF EXISTS log_total_delta;
DROP TRIGGER IF EXISTS log_reach_value;
DROP TRIGGER IF EXISTS log_latest;
DROP TRIGGER IF EXISTS log_reach_set;
DROP TRIGGER IF EXISTS log_reach_delta;
DROP TRIGGER IF EXISTS log_stats_count;

#!/bin/sh
# A log replaced under an open dashboard (another log moved over its path, as
# a restored backup is): the dashboard, with no key pressed, shows the new
# file's entries and says the log was replaced, and a write from its dialog
# lands in the new file, never in the deleted one. (How fast it notices is
# make bench's to measure; the waits here allow for a loaded machine.)
. "$(dirname "$0")/lib.sh"
have sqlite3 || { echo "SKIP: sqlite3 shell absent"; exit 77; }
tui_demo tmuxreplaced
DB=$XDG_DATA_HOME/consort/demo.db
[ -f "$DB" ] || { bad "no demo log at $DB"; exit 1; }
# The other log: a demo of its own, with an entry the first one lacks.
"$CONSORT" --db "$tmp/other.db" demo >/dev/null 2>&1 || { bad "the second demo"; exit 1; }
"$CONSORT" --db "$tmp/other.db" update T1.1 --progress 37 --note "from-the-other-log" >/dev/null 2>&1 ||
	{ bad "a write into the other log"; exit 1; }
# A second name for the first log's file keeps it readable once replaced.
ln "$DB" "$tmp/old.db" || { bad "ln"; exit 1; }
before=$(sqlite3 "$tmp/old.db" 'select count(*) from log')

tui_tmux "$CONSORT"
wait_for "Work packages" 100 || { bad "the dashboard did not start"; screen; exit 1; }
keys 6
wait_for "Activity" 20 || bad "pane 6 is not the activity"
screen | grep -q "37%" && bad "the first log already shows 37%"

mv "$tmp/other.db" "$DB" || { bad "mv"; exit 1; }
wait_for "replaced" 50 || { bad "no word of the replaced log"; screen; }
wait_for "37%" 50 || { bad "the new log's entry does not show"; screen; }

update_t11 61 "after-the-replacement"
# Seen by others at once, the dashboard still open.
n=$(sqlite3 "$DB" "select count(*) from log where note = 'after-the-replacement'")
[ "$n" = 1 ] || bad "the write is not in the file the path names ($n entries)"
n=$(sqlite3 "$DB" "select count(*) from log where note = 'from-the-other-log'")
[ "$n" = 1 ] || bad "the new file lost its own entry ($n)"
n=$(sqlite3 "$tmp/old.db" "select count(*) from log where note = 'after-the-replacement'")
[ "$n" = 0 ] || bad "the write went into the replaced file"
[ "$(sqlite3 "$tmp/old.db" 'select count(*) from log')" = "$before" ] ||
	bad "the replaced file changed"
"$CONSORT" log T1.1 --limit 1 >"$tmp/log.out" 2>&1
grep -q "after-the-replacement" "$tmp/log.out" || bad "consort log does not show the write: $(cat "$tmp/log.out")"
keys q

[ "$fail" -eq 0 ] && echo "ok: a replaced log is read again and written in its new file"
exit "$fail"

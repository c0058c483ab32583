#!/bin/sh
# The demo's place in the user's data directory may hold a log that this
# version does not take for the demo (an earlier release's demo, without
# the chained first entry): every command says how to make it again, and
# `consort demo` moves it aside, whole, before it makes the new one. A log
# named with --db is never moved.
. "$(dirname "$0")/lib.sh"
have sqlite3 || skip "sqlite3 shell absent"

D=$XDG_DATA_HOME/consort
mkdir -p "$D"
sqlite3 "$D/demo.db" <"$CONSORT_TESTDATA/store/schema4-log.sql" || { fail "cannot load the old log"; finish; }
old=$(sqlite3 "$D/demo.db" 'select count(*) from log')

run status
expect_err "is not a demo log of this version" "status says the demo's place holds another log"
expect_err "consort demo makes it again" "and how to make it again"

run demo
expect_rc 0 "demo over an earlier release's log"
expect_out "moved the old log, not a demo of this version" "demo says it moved the old log"
bak=$(ls "$D"/demo.db.*.bak 2>/dev/null | head -1)
[ -n "$bak" ] && pass "the old log is kept beside: $(basename "$bak")" || fail "no backup of the old log in $D"
[ -n "$bak" ] && [ "$(sqlite3 "$bak" 'select count(*) from log')" = "$old" ] &&
	pass "the backup holds the old log's $old entries" || fail "the backup does not hold the old entries"
run status
expect_out "(demo: illustrative history)" "the new demo is the demo"
grep -qF "is not a demo log" "$ERR" && fail "still a word about another log" || pass "no more word about another log"

# Named with --db, a log that is not a demo is refused, never moved.
sqlite3 "$T/real.db" <"$CONSORT_TESTDATA/store/schema4-log.sql"
run --db "$T/real.db" demo
expect_rc 74 "demo --db onto a log that is not a demo"
[ "$(ls "$T"/real.db.*.bak 2>/dev/null | wc -l)" -eq 0 ] && pass "the named log was not moved" ||
	fail "the named log was moved"
finish

#!/bin/sh
# The demo is the log whose first, chained entry says so: a planted
# ('demo', '1') row in a real log's meta grants no coordinator's role and
# does not let `consort demo` replace the log; a demo log holding entries
# the demo did not write is moved aside to a dated backup, not lost.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || skip "sqlite3 shell absent"
me=$(id -un)
export CONSORT_TODAY=2020-05-15

# A real log where the user is partner PA's, not the coordinator.
fixture "$T" cst_nobody "$me"
P="--project $T/proj.yaml"
DB=$T/proj.db
run $P init
expect_rc 0 "init"
run $P update T2.1 --progress 30 --date 2020-05-01
expect_rc 0 "PA updates its own task"
run $P update T3.1 --progress 30 --date 2020-05-01
expect_rc 77 "PA may not update PB's task"

sqlite3 "$DB" "INSERT OR REPLACE INTO meta VALUES ('demo', '1'), ('demo_login', '$me'), ('demo_asof', '2020-05-15')"
run $P update T3.1 --progress 40 --date 2020-05-02
expect_rc 77 "a planted demo row grants no coordinator's role"
run $P status
expect_rc 0 "status"
expect_no_out "(demo)" "the real log is not called a demo"
run $P status --json
[ "$(json_get "$OUT" "d['demo']")" = False ] && pass "status --json: demo false" ||
	fail "status --json demo: $(json_get "$OUT" "d['demo']")"

n=$(log_count "$DB")
run --db "$DB" demo
expect_rc 74 "consort demo refuses the real log"
expect_err "is not a demo log" "says why"
[ "$(log_count "$DB")" = "$n" ] && pass "the real log keeps its $n entries" ||
	fail "the real log has $(log_count "$DB") entries, not $n"
run $P verify
expect_rc 0 "the real log still verifies"

# A demo log with an entry its user wrote: moved aside, then recreated.
D=$T/demo/demo.db
mkdir -p "$T/demo"
run --db "$D" demo
expect_rc 0 "a demo log"
wrote=$(log_count "$D")
first=$(sqlite3 "$D" "SELECT kind || ' ' || login FROM log WHERE id = 1")
[ "$first" = "demo $me" ] && pass "entry #1 is the demo's, by its creator" || fail "entry #1: $first"
run --db "$D" demo
expect_rc 0 "recreating an untouched demo"
expect_no_out "moved" "nothing to move aside"
run --db "$D" update T1.1 --progress 75 --note "tried the demo"
expect_rc 0 "a write into the demo"
run --db "$D" demo
expect_rc 0 "recreating a demo holding the user's entry"
expect_out "moved the old demo log, with 1 entry the demo did not write, to $D." "says where it went"
bak=$(ls "$T/demo/"demo.db.*.bak 2>/dev/null | head -1)
[ -n "$bak" ] && [ "$(log_count "$bak")" = $((wrote + 1)) ] && pass "the backup holds every entry" ||
	fail "backup '$bak' with $(log_count "$bak" 2>/dev/null) entries, not $((wrote + 1))"
sqlite3 "$bak" "SELECT note FROM log WHERE id = $((wrote + 1))" | grep -qx "tried the demo" &&
	pass "the user's entry is in the backup" || fail "the user's entry is not in the backup"
[ "$(log_count "$D")" = "$wrote" ] && pass "the new demo has the demo's entries only" ||
	fail "the new demo has $(log_count "$D") entries"
finish

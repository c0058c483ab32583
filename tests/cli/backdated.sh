#!/bin/sh
# What could mislead is shown: an entry whose effective date is not the day
# it was recorded (a back-dated entry) says when it was recorded, in log
# (text and JSON) and the dashboard's details; one recorded on its day
# does not.
. "$(dirname "$0")/../lib.sh"

have python3 || skip "python3 absent (JSON checks)"
fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
today=$(date -u +%Y-%m-%d)
run $P init
expect_rc 0 "init"
run $P update T1.1 --progress 20 --date 2020-03-01 --note "back-dated"
expect_rc 0 "a back-dated entry"
run $P log
expect_rc 0 "log"
grep -q "2020-03-01 (recorded [0-9-]*)  " "$OUT" && pass "log: the back-dated entry says when it was recorded" ||
	fail "log: $(cat "$OUT")"
grep -q "2020-03-01 (recorded $today)" "$OUT" && pass "log: recorded today, in UTC" ||
	fail "log: not recorded $today: $(grep 2020-03-01 "$OUT")"
run $P log --json
json_ok "$OUT" "log --json"
[ "$(json_get "$OUT" "d[0]['back_dated'], d[0]['effective'] != d[0]['recorded_on']")" = "True True" ] &&
	pass "log --json: back_dated and recorded_on" || fail "log --json: $(head -c 400 "$OUT")"
CONSORT_TODAY=2020-05-15 run $P snapshot --size 120x40 --pane details:T1.1
expect_rc 0 "details of T1.1"
expect_out "2020-03-01 (recorded " "details: the history says when the entry was recorded"

# An entry recorded on its own day says nothing more (the demo records its
# generated entries on their days).
run --db "$T/demo.db" demo
run --db "$T/demo.db" log --limit 3
expect_no_out "(recorded" "entries recorded on their day show only their date"
run --db "$T/demo.db" log --json --limit 1
[ "$(json_get "$OUT" "d[0]['back_dated']")" = False ] && pass "log --json: back_dated false" ||
	fail "log --json back_dated: $(head -c 300 "$OUT")"
finish

#!/bin/sh
# Rows of one --from file are written together, so a total is checked with
# the rows before it counted: two corrections of -5 against a count of 8
# each fit alone, but not together; the second is refused (65, its line
# named), by --dry-run too, and nothing is written. Rows that add before
# they take off still pass, and another partner's total is its own.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || { echo "SKIP: $TESTNAME: sqlite3 shell absent"; exit 77; }
fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"
run $P record smes =8 --partner COORD --note start
expect_rc 0 "COORD's count set to 8"
run $P record smes =8 --partner PA --note start
expect_rc 0 "PA's count set to 8"
before=$(count_entries "$DB")
smes() { run $P --as-of 2020-05-31 status --json
	json_get "$OUT" '[t["total"] for t in d["targets"] if t["id"]=="smes"][0]'; }

cd "$T" || exit 1
printf 'target,value,partner,note\nsmes,-5,COORD,a\nsmes,-5,COORD,b\n' >two.csv
run $P record --from two.csv --dry-run
expect_rc 65 "--dry-run: two corrections that do not fit together"
expect_err "two.csv:3:" "the refused row's line named"
expect_err "would make it negative" "and why"
run $P record --from two.csv
expect_rc 65 "two corrections that do not fit together"
expect_err "two.csv:3:" "the refused row's line named"
[ "$(count_entries "$DB")" = "$before" ] && pass "nothing written" || fail "entries written: $(count_entries "$DB") (was $before)"
[ "$(smes)" = 16 ] && pass "the total is as it was" || fail "total $(smes)"

printf 'target,value,partner,note\nsmes,-5,COORD,a\nsmes,+5,COORD,b\nsmes,-5,COORD,c\nsmes,-5,PA,d\n' >mixed.csv
run $P record --from mixed.csv
expect_rc 0 "a correction after an addition in the same file, and another partner's"
[ "$(smes)" = 6 ] && pass "the total counts all four rows" || fail "total $(smes)"

# From nothing: an addition and a correction of it in the same file, on
# the same day, and a count set then corrected.
printf 'target,value,partner,date,note\nsmes,+5,PB,2020-05-10,e\nsmes,-2,PB,2020-05-10,f\nsmes,=4,PB,2020-05-11,g\nsmes,-4,PB,2020-05-11,h\n' >fresh.csv
run $P record --from fresh.csv --dry-run
expect_rc 0 "--dry-run: rows that take off only what the rows before them added"
run $P record --from fresh.csv
expect_rc 0 "rows that take off only what the rows before them added"
finish

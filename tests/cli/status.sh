# status: text, --json and --check on the test project.
. "$(dirname "$0")/../lib.sh"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"
run $P update T1.1 --status in_progress --progress 40 --date 2020-05-01
expect_rc 0 "update for status"
run $P record smes +30 --date 2020-04-10
expect_rc 0 "record for status"
run $P record countries LV
run $P record countries EE --partner PA
expect_rc 0 "distinct values"

run $P status
expect_rc 0 "status"
expect_out "TESTPROJ" "header acronym"
expect_out "M5 of 12" "current month"
expect_out "as of 2020-05-15" "as-of date"
expect_no_out "demo" "a real log is not called a demo"
expect_out "WP1  Management" "WP row"
expect_out "1-12" "WP months"
expect_out "30 / 120" "reach total"
expect_out "2 / 5" "distinct reach"
expect_out "EE LV" "distinct values listed"
expect_out "D1.1  Project handbook" "overdue deliverable"
expect_out "due M2 (2020-02-29)" "due month with its date"
expect_out "76 days late" "days late"
expect_out "Next due" "next due section"
expect_out "at threshold" "benchmark line"
# Alignment by display width: the WP rows' bars start in the same column.
if have python3; then
	cols=$(python3 -c 'import sys
print(len({l.index(next(c for c in l if c in "\u2588\u2591")) for l in open(sys.argv[1], encoding="utf-8") if l.startswith("  WP")}))' "$OUT")
else
	cols=1
fi
[ "$cols" -eq 1 ] && pass "bars aligned" || fail "bars not aligned ($cols columns)"

run $P status --check
expect_rc 1 "--check on a late project"
expect_out "Overdue" "--check still prints"
run $P --as-of 2020-01-15 status --check
expect_rc 0 "--check on a project on time"
run $P --as-of=2020-01-15 status --check --json
expect_rc 0 "--check --json on time"

run $P status --json
expect_rc 0 "status --json"
json_ok "$OUT" "status --json"
if have python3; then
	[ "$(json_get "$OUT" 'd["project"]["acronym"]')" = TESTPROJ ] && pass "json acronym" || fail "json acronym"
	[ "$(json_get "$OUT" 'd["month"]')" = 5 ] && pass "json month" || fail "json month"
	[ "$(json_get "$OUT" '[t["total"] for t in d["targets"] if t["id"]=="smes"][0]')" = 30 ] &&
		pass "json reach total" || fail "json reach total"
	[ "$(json_get "$OUT" '[t for t in d["work_packages"][0]["tasks"] if t["id"]=="T1.1"][0]["progress"]')" = 40 ] &&
		pass "json task progress" || fail "json task progress"
	[ "$(json_get "$OUT" '"D1.1" in d["overdue"]')" = True ] && pass "json overdue ids" || fail "json overdue"
	[ "$(json_get "$OUT" 'd["log"]["entries"]')" = 6 ] && pass "json log entries" || fail "json log entries"
	[ "$(json_get "$OUT" 'd["demo"]')" = False ] && pass "json demo false" || fail "json demo"
	[ "$(json_get "$OUT" 'sorted(d["targets"][1]["values"])')" = "['EE', 'LV']" ] && pass "json values" || fail "json values"
fi
run $P status --json --check
expect_rc 1 "--json --check late"
json_ok "$OUT" "status --json --check"

# A definition without its log shows the plan.
cp "$T/proj.yaml" "$T/nolog.yaml"
run --project "$T/nolog.yaml" status
expect_rc 0 "status without a log"
expect_err "no progress log" "says there is no log yet"
expect_out "0 / 120" "plan only"

# The as-of date picks the past: before the update, progress was 0.
run $P --as-of 2020-04-30 status --json
if have python3; then
	[ "$(json_get "$OUT" '[t for t in d["work_packages"][0]["tasks"]][0]["progress"]')" = 0 ] &&
		pass "as-of before the update" || fail "as-of ignored"
fi
# Before the start: what the project is waiting for, not "M1".
run $P --as-of 2019-06-01 status
expect_rc 0 "status before the start"
expect_out "not started: starts 2020-01-01 (M1)" "before the start says when it starts"
expect_no_out "M1 of 12" "before the start is not called M1"

# Rates read the same in status, export md and (to 2 decimals) JSON: one
# decimal below 10, whole numbers rounded (not rounded up) from 10 up.
run $P --as-of 2020-05-01 status --json
if have python3; then
	[ "$(json_get "$OUT" '[t["needed_per_month"] for t in d["targets"] if t["id"]=="smes"][0]')" = 11.23 ] &&
		pass "json pace needed 11.23" || fail "json pace: $(json_get "$OUT" 'd["targets"][0]')"
fi
run $P --as-of 2020-05-01 status
expect_out "behind: 11 a month needed" "status rounds 11.23 to 11"
run $P --as-of 2020-05-01 export --format md
expect_out "| behind: 11 a month needed |" "export md shows the same pace as status"
sed 's/target: 120/target: 60/' "$T/proj.yaml" >"$T/p60.yaml"
run --project "$T/p60.yaml" init
run --project "$T/p60.yaml" record smes +5 --date 2020-04-10
expect_rc 0 "record on a small target"
run --project "$T/p60.yaml" status --json
if have python3; then
	[ "$(json_get "$OUT" '[t["needed_per_month"] for t in d["targets"] if t["id"]=="smes"][0]')" = 7.28 ] &&
		pass "json pace needed 7.28" || fail "json pace small target"
fi
run --project "$T/p60.yaml" status
expect_out "behind: 7.3 a month needed" "status shows one decimal below 10"
run --project "$T/p60.yaml" export --format md
expect_out "| behind: 7.3 a month needed |" "export md shows one decimal below 10"

# Benchmark: what the top label needs is said in full, whatever the
# cluster's own target (PA's is silver).
run $P bench COORD G1 4 --date 2020-05-01
expect_rc 0 "bench for status"
run $P status
expect_out "1/3 at threshold (33%); gold needs 3 (80%): 2 more" "benchmark wording with the count the top label needs"
grep -q "^  PA .*target silver .*0/3 at threshold (0%); gold needs 3 (80%): 3 more" "$OUT" &&
	pass "benchmark line for a silver target names gold's need" || fail "PA benchmark line: $(grep '^  PA' "$OUT")"
expect_no_out "needs 3 more" "no bare 'needs N more'"
run $P bench COORD G2 2 --date 2020-05-01
run $P bench COORD S1 5 --date 2020-05-01
run $P status
expect_out "3/3 at threshold (100%); gold needs 80%: met" "benchmark met"
finish

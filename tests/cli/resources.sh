# Effort and costs from the command line: the replace rule for a month and
# a revert, the refusals (65 bad numbers and months, 77 another partner's,
# one line, nothing written), status --json's two-decimal numbers and the
# export's "Use of resources" tables.
. "$(dirname "$0")/lib.sh"

fixture "$T" "$(id -un)"
# The plan: a budget and each partner's effort and costs (7% indirect).
fixture_budget "$T"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-08-15
run $P check "$T/proj.yaml"
expect_rc 0 "the plan is valid"
expect_out "0 errors, 0 warnings" "and adds up to the total"
run $P init
expect_rc 0 "init"

run $P effort WP1 1.5 --month 2020-03 --date 2020-03-31
expect_rc 0 "effort for March"
run $P effort WP1 2 --month 2020-03 --date 2020-04-02 --note "timesheet corrected"
expect_rc 0 "a corrected timesheet for March"
corr=$(sqlite3 "$DB" "select max(id) from log" 2>/dev/null)
run $P effort WP1 0.25 --note "August so far"
expect_rc 0 "effort for the current month"
run $P status --json
expect_rc 0 "status --json"
json_ok "$OUT" "status --json"
have python3 && {
	got=$(json_get "$OUT" "[r['actual_pm'] for r in d['resources']['effort'] if r['partner'] == 'COORD' and r['wp'] == 'WP1'][0]")
	[ "$got" = "2.25" ] && pass "the later March entry replaced the earlier (2 + 0.25)" ||
		fail "COORD WP1 actual_pm is $got, want 2.25"
}

entries=$(log_count "$DB")
for bad in abc 1.234 -1 1,5 ""; do
	run $P effort WP1 "$bad"
	expect_rc_in "64 65" "effort '$bad' is refused"
	expect_one_line_err "effort '$bad'"
done
run $P effort WP1 1.234
expect_err "'1.234' is not a number of person-months (more than two decimal places)" "says why"
run $P effort WP2 1 --month 2020-08
expect_rc 65 "effort outside the WP's months"
expect_err "2020-08 (M8) is outside WP2's months (M1 to M6)" "names the WP's months"
run $P effort WP1 1 --month 2020-09
expect_rc 65 "effort for a month not begun"
run $P cost travel -1
expect_rc 65 "a correction below zero"
expect_one_line_err "cost below zero"
run $P cost food 10
expect_rc 65 "an unknown category"
run $P cost travel 10.555
expect_rc 65 "an amount of three decimals"
if have sqlite3; then
	[ "$entries" = "$(log_count "$DB")" ] && pass "the refused writes wrote nothing" ||
		fail "a refused write wrote something"
fi

run $P cost travel 100.10 --wp WP1 --date 2020-05-01 --note "Riga seminar"
expect_rc 0 "a cost"
run $P cost travel -0.10 --date 2020-05-02
expect_rc 0 "a correction"
run $P status --json
if grep -q '"actual": 100.00,' "$OUT" && ! grep -q '100.0000' "$OUT"; then
	pass "money is written with two decimals from the integers"
else
	fail "money in status --json: $(grep '"actual"' "$OUT" | head -3)"
fi
run $P status
expect_out "Resources: 2.25 / 22.50 PM · EUR 107.00 / 4,815.00 spent" "status has a line for resources"

run $P revert "$corr" --note "the correction was for April"
expect_rc 0 "the correction reverted"
run $P status --json
have python3 && {
	got=$(json_get "$OUT" "[r['actual_pm'] for r in d['resources']['effort'] if r['partner'] == 'COORD' and r['wp'] == 'WP1'][0]")
	[ "$got" = "1.75" ] && pass "the revert brings back the earlier March entry (1.5 + 0.25)" ||
		fail "after the revert COORD WP1 actual_pm is $got, want 1.75"
}

run $P export --format md
expect_rc 0 "export md"
expect_out "## Use of resources" "the export has the use of resources"
expect_out "### Person-months, RP2 (M7-M12)" "per reporting period"
expect_out "| COORD | WP1 | 1.00 | 0.25 | 1.75 | -75% under | August so far |" "planned pro rata, spent in the period and to date, the note as explanation"
expect_out "| COORD | travel | 500.00 | 100.00 |" "costs per beneficiary and category"
run $P export --format csv --period RP1
expect_rc 0 "export csv"
expect_out "effort,COORD,,WP1,RP1,,,-50,1.50,under,1.50,3.00" "the period's effort row"
expect_out "cost,COORD,travel,,,,,-60,,under,100.00,500.00" "the cost row"
expect_no_out "RP2" "a period's export leaves the other period out"
run $P export --format json
json_ok "$OUT" "export json"
have python3 && {
	got=$(json_get "$OUT" "[p['id'] for p in d['resources']['periods']]")
	[ "$got" = "['RP1', 'RP2']" ] && pass "export json has the periods" || fail "periods: $got"
}

# A partner's user records its own, not another's.
fixture "$T/b" cst_nobody "$(id -un)"
sed -e 's/^    users: \[[^]]*\]$/&\n    effort: {WP1: 6}/' "$T/b/proj.yaml" >"$T/b/p2.yaml" &&
	mv "$T/b/p2.yaml" "$T/b/proj.yaml"
PB="--project $T/b/proj.yaml"
run $PB init
entries=$(log_count "$T/b/proj.db")
run $PB effort WP1 1 --partner PB
expect_rc 77 "effort for another partner"
expect_one_line_err "effort for another partner"
run $PB cost travel 5 --partner COORD
expect_rc 77 "a cost for another partner"
if have sqlite3; then
	[ "$entries" = "$(log_count "$T/b/proj.db")" ] && pass "nothing written" ||
		fail "a refused write wrote something"
fi
run $PB effort WP1 1
expect_rc 0 "its own effort"

finish

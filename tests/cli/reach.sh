# status: the pace of a distinct target in the text as in JSON, and JSON's
# month outside the project's months.
. "$(dirname "$0")/lib.sh"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
export CONSORT_TODAY=2020-05-15
run $P init
run $P record countries LV
expect_rc 0 "record a distinct value"

run $P status
expect_rc 0 "status"
line=$(grep '^  countries ' "$OUT")
case $line in
*"1 / 5"*"20%  behind: "*" a month needed"*"(Member States: LV)") pass "distinct target: percent and pace in the text" ;;
*) fail "distinct target line: '$line'" ;;
esac
run $P status --json
needed=$(json_get "$OUT" "[t['needed_per_month'] for t in d['targets'] if t['id']=='countries'][0]")
case $line in
*"behind: $(printf '%.1f' "$needed") a month needed"*) pass "the text's pace is the JSON's ($needed)" ;;
*) [ -z "$needed" ] && echo "skip: pace comparison (python3 absent)" || fail "text '$line' vs JSON $needed" ;;
esac
run $P record countries SE
run $P record countries EE
run $P record countries LT
run $P record countries FI
run $P status
expect_out "5 / 5    100%  met  (Member States: EE FI LT LV SE)" "a distinct target met says so"

# month and phase: before the start, within, after the end.
if have python3; then
	run $P --as-of 2019-06-30 status --json
	[ "$(json_get "$OUT" "d['month']")" = "None" ] && pass "month before the start is null" ||
		fail "month before the start: $(json_get "$OUT" "d['month']")"
	[ "$(json_get "$OUT" "d['phase']")" = "before" ] && pass "phase before" || fail "phase: $(json_get "$OUT" "d['phase']")"
	run $P --as-of 2021-03-01 status --json
	[ "$(json_get "$OUT" "d['month']")" = "None" ] && pass "month after the end is null" ||
		fail "month after the end: $(json_get "$OUT" "d['month']")"
	[ "$(json_get "$OUT" "d['phase']")" = "after" ] && pass "phase after" || fail "phase: $(json_get "$OUT" "d['phase']")"
	run $P --as-of 2020-12-31 status --json
	[ "$(json_get "$OUT" "d['month']")" = "12" ] && pass "the last day is in M12" ||
		fail "month on the last day: $(json_get "$OUT" "d['month']")"
	[ "$(json_get "$OUT" "d['phase']")" = "during" ] && pass "phase during" || fail "phase: $(json_get "$OUT" "d['phase']")"
	run $P --as-of 2020-05-15 status --json
	[ "$(json_get "$OUT" "d['month']")" = "5" ] && pass "month within" || fail "month: $(json_get "$OUT" "d['month']")"
else
	echo "skip: JSON month (python3 absent)"
fi

finish

# What a reach target still needs, in the same words in status, export (md
# and csv), status --json and the dashboard (reach pane and details), on the
# demo (its project ends on 2017-09-30): a month or more left, a pace; in the
# last month, the whole gap in the days left; on the last day, the gap at the
# end; after it, only the shortfall.
. "$(dirname "$0")/lib.sh"

run demo
expect_rc 0 "demo"

# pace DATE WORDS [MD]: status and both dashboard views say WORDS for
# sme-partnering as of DATE, the md export WORDS or MD (a whole-project
# export stops at the end).
pace() {
	run --as-of "$1" status
	expect_rc 0 "status as of $1"
	grep '^  sme-partnering ' "$OUT" >"$T/line"
	grep -qF -- "$2" "$T/line" && pass "status as of $1: $2" ||
		fail "status as of $1: '$(cat "$T/line")' lacks '$2'"
	run --as-of "$1" export --format md
	expect_out "| sme-partnering | SMEs in partnering clusters reached | 410 | 1000 | 41% | ${3:-$2} |" \
		"md export as of $1"
	run --as-of "$1" snapshot --size 120x40 --pane reach
	expect_out "$2" "reach pane as of $1"
	run --as-of "$1" snapshot --size 120x40 --pane details:sme-partnering
	expect_out "$2" "details as of $1"
}
pace 2017-03-31 "behind: 98 a month needed"
pace 2017-09-28 "behind: 590 more needed in the last 2 days"
pace 2017-09-29 "behind: 590 more needed in the last day"
pace 2017-09-30 "590 short of the target at the end"
pace 2017-10-31 "ended 590 short of the target" "590 short of the target at the end"

# No monthly figure from the last days, none at all from the last day on.
run --as-of 2017-09-29 status
expect_no_out "a month needed" "no monthly rate in the last days"
run --as-of 2017-10-31 status
expect_no_out "a month needed" "no monthly rate after the end"
expect_no_out "in the last" "no days left after the end"

# A distinct target's pace, in status and md (beside its values).
run --as-of 2017-09-28 status
expect_out "member-states    11 / 18     61%  behind: 7 more needed in the last 2 days  (Member States: BE" \
	"a distinct target's pace in status"
run --as-of 2017-09-28 export --format md
expect_out "| 61% | behind: 7 more needed in the last 2 days; reached: BE DE" "a distinct target's pace in md"

# csv's state column.
run --as-of 2017-09-29 export --format csv
grep -q '^reach,sme-members,.*,behind,165,227' "$OUT" && pass "csv behind in the last day" ||
	fail "csv as of 2017-09-29: $(grep '^reach,sme-members' "$OUT")"
run --as-of 2017-10-31 export --format csv
grep -q '^reach,sme-members,.*,short,165,227' "$OUT" && pass "csv short after the end" ||
	fail "csv as of 2017-10-31: $(grep '^reach,sme-members' "$OUT")"

# JSON: need, needed_per_month (a rate only with a month or more left), gap, days_left.
if have python3; then
	# jneed DATE WANT: need, needed_per_month, gap, days_left of sme-members.
	jneed() {
		run --as-of "$1" status --json
		got=$(json_get "$OUT" '[(t["need"], t["needed_per_month"], t["gap"], t["days_left"]) for t in d["targets"] if t["id"] == "sme-members"][0]')
		[ "$got" = "$2" ] && pass "json as of $1: $2" || fail "json as of $1: $got, not $2"
	}
	jneed 2017-09-28 "('last_days', None, 62, 2)"
	jneed 2017-09-29 "('last_days', None, 62, 1)"
	jneed 2017-09-30 "('short', None, 62, 0)"
	jneed 2017-10-31 "('short', None, 62, 0)"
	run --as-of 2017-03-31 status --json
	got=$(json_get "$OUT" '[(t["need"], round(t["needed_per_month"])) for t in d["targets"] if t["id"] == "sme-partnering"][0]')
	[ "$got" = "('per_month', 98)" ] && pass "json per_month" || fail "json as of 2017-03-31: $got"
else
	echo "skip: the JSON checks (python3 absent)"
fi

finish

# Corrections that would leave a count below zero, and entries dated outside
# a partner's months: refused with 65 and one line, nothing written.
. "$(dirname "$0")/lib.sh"

fixture "$T" "$(id -un)"
# PA leaves after M6 (2020-06-30), when its work is done.
sed 's/^    users: \[cst_anna\]$/&\n    left: 6/' "$T/proj.yaml" >"$T/p2.yaml" && mv "$T/p2.yaml" "$T/proj.yaml"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-08-15
run $P init
expect_rc 0 "init"

# +3 (#1), -3, then undoing the +3 would leave -3.
run $P record smes +3 --partner PB
expect_rc 0 "record +3"
run $P record smes -3 --partner PB
expect_rc 0 "record -3"
entries=$(log_count "$DB")
run $P revert 2 --note "typo"
expect_rc 65 "a revert that leaves a negative total is refused"
expect_one_line_err "revert below zero"
expect_err "PB's smes total on 2020-08-15 is 0; undoing entry 2 (+3) would make it -3" "says why"
if have sqlite3; then
	[ "$entries" = "$(log_count "$DB")" ] && pass "the refused revert wrote nothing" ||
		fail "the refused revert wrote something"
fi
run $P revert 3 --note "the -3 was wrong"
expect_rc 0 "undoing the -3 is fine"

# PA's months end on 2020-06-30.
entries=$(log_count "$DB")
run $P record smes +1 --partner PA
expect_rc 65 "reach for a partner that has left"
expect_one_line_err "outside the partner's months"
expect_err "PA takes part from M1 to M6 (2020-01-01 to 2020-06-30); 2020-08-15 is outside" "names its months"
run $P bench COORD G1 4
expect_rc 0 "a partner that stays may still write"
run $P record smes +1 --partner PA --date 2020-06-30
expect_rc 0 "dated inside its months"
if have sqlite3; then
	[ "$((entries + 2))" = "$(log_count "$DB")" ] && pass "only the accepted entries were written" ||
		fail "a refused entry was written"
fi

finish

# Costs per work package: what the costs naming a WP (cost --wp) add up to
# in status --json and the exports, as of a date and after a revert; the
# summary cost_wp that verify checks; and a log of the schema before it,
# read from the log and migrated on the next write.
. "$(dirname "$0")/lib.sh"

fixture "$T" "$(id -un)"
sed -e 's/^    - {id: RP2, from: 7, to: 12}$/&\n  budget: {currency: EUR, total: 4815, eu_contribution: 4500, indirect_rate: 7}/' \
	-e 's/^    users: \[[^]]*\]$/&\n    effort: {WP1: 6, WP2: 1.5}\n    budget: {personnel: 1000, travel: 500}/' \
	"$T/proj.yaml" >"$T/p2.yaml" && mv "$T/p2.yaml" "$T/proj.yaml"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-08-15
run $P init
expect_rc 0 "init"

run $P cost travel 100.10 --wp WP1 --date 2020-03-01
expect_rc 0 "a cost on WP1"
run $P cost personnel 250 --wp WP2 --date 2020-04-01
expect_rc 0 "a cost on WP2"
wp2=$(sqlite3 "$DB" "select max(id) from log" 2>/dev/null)
run $P cost travel 40 --date 2020-05-01
expect_rc 0 "a cost without a WP"
run $P cost other 9.90 --wp WP1 --partner PA --date 2020-07-01
expect_rc 0 "another partner's cost on WP1"

byw="[(r['wp'], r['actual']) for r in d['resources']['costs_by_wp']]"
bypw="[(r['partner'], r['wp'], r['actual']) for r in d['resources']['costs_by_partner_wp']]"
run $P status --json
expect_rc 0 "status --json"
json_ok "$OUT" "status --json"
expect_out '"actual": 110.00' "WP1's costs as a number of two decimals"
have python3 && {
	got=$(json_get "$OUT" "$byw")
	[ "$got" = "[('WP1', 110.0), ('WP2', 250.0), (None, 40.0)]" ] &&
		pass "costs_by_wp: each WP's costs and what names none" || fail "costs_by_wp: $got"
	got=$(json_get "$OUT" "$bypw")
	[ "$got" = "[('COORD', 'WP1', 100.1), ('COORD', 'WP2', 250.0), ('COORD', None, 40.0), ('PA', 'WP1', 9.9)]" ] &&
		pass "costs_by_partner_wp: per partner and WP" || fail "costs_by_partner_wp: $got"
	got=$(json_get "$OUT" "d['resources']['totals']['actual_direct']")
	[ "$got" = "400.0" ] && pass "the direct costs count every cost once" || fail "actual_direct: $got"
}
run $P --as-of 2020-04-15 status --json
have python3 && {
	got=$(json_get "$OUT" "$byw")
	[ "$got" = "[('WP1', 100.1), ('WP2', 250.0)]" ] && pass "as of a date: the costs dated by then" ||
		fail "as of 2020-04-15: $got"
}
run $P --as-of 2020-02-28 status --json
have python3 && {
	got=$(json_get "$OUT" "$byw")
	[ "$got" = "[]" ] && pass "no cost names a WP yet: an empty list" || fail "as of 2020-02-28: $got"
}

run $P revert "$wp2" --note "booked on the wrong work package"
expect_rc 0 "the WP2 cost reverted"
run $P status --json
have python3 && {
	got=$(json_get "$OUT" "$byw")
	[ "$got" = "[('WP1', 110.0), (None, 40.0)]" ] && pass "the revert takes the cost out of its WP" ||
		fail "after the revert: $got"
}

run $P export --format md
expect_rc 0 "export md"
expect_out "### Costs to date per work package (EUR)" "the export's costs per work package"
expect_out "| COORD | WP1 | 100.10 |" "per beneficiary and WP"
expect_out "| COORD | no WP | 40.00 |" "what names no WP"
expect_out "| All beneficiaries | WP1 | 110.00 |" "the project's per WP"
expect_no_out "| COORD | WP2 | 250.00 |" "the reverted cost is gone from its WP"
run $P export --format csv
expect_rc 0 "export csv"
expect_out "cost_wp,PA,,WP1,,,,,,,9.90," "csv: a partner's WP row"
expect_out "cost_wp,,,WP1,,,,,,,110.00," "csv: the project's WP row"
expect_out "cost_wp,,,,,,,,,,40.00," "csv: what names no WP"
run $P export --format json
json_ok "$OUT" "export json"
have python3 && {
	got=$(json_get "$OUT" "$byw")
	[ "$got" = "[('WP1', 110.0), (None, 40.0)]" ] && pass "export json has costs_by_wp" || fail "export json: $got"
}

if have sqlite3; then
	run $P verify
	expect_rc 0 "verify of the log as written"
	cp "$DB" "$T/clean.db"
	sqlite3 "$DB" "UPDATE cost_wp SET cents = cents + 1 WHERE wp = 'WP1' AND partner = 'PA'"
	run $P verify
	expect_rc 65 "verify after a changed cost_wp"
	expect_err "summary differs: table cost_wp" "names the summary table"

	# The log as the schema before cost_wp left it: read from the log, and
	# the next write builds the summary.
	cp "$T/clean.db" "$DB"
	sqlite3 "$DB" "DROP TRIGGER log_cost_wp; DROP TABLE cost_wp; PRAGMA user_version = 8;"
	run $P status --json
	expect_rc 0 "status of a schema 8 log"
	have python3 && {
		got=$(json_get "$OUT" "$byw")
		[ "$got" = "[('WP1', 110.0), (None, 40.0)]" ] && pass "a schema 8 log: the costs per WP from the log" ||
			fail "schema 8: $got"
	}
	[ "$(sqlite3 "$DB" 'pragma user_version')" = 8 ] && pass "reading left the log as it was" ||
		fail "reading migrated the log"
	run $P cost equipment 5 --wp WP3 --date 2020-08-01
	expect_rc 0 "a write migrates the log"
	[ "$(sqlite3 "$DB" "select group_concat(partner || ' ' || item || ' ' || wp || ' ' || cents, ', ') from (select * from cost_wp order by partner, item, wp)")" = \
		"COORD equipment WP3 500, COORD personnel WP2 25000, COORD travel WP1 10010, PA other WP1 990" ] &&
		pass "the migration built cost_wp from the log" || fail "cost_wp: $(sqlite3 "$DB" 'select * from cost_wp')"
	run $P verify
	expect_rc 0 "verify after the migration"
fi

finish

# Costs per work package: what the costs naming a WP (cost --wp) add up to
# in status --json and the exports, as of a date and after a revert; the
# summary cost_wp that verify checks; and a log of the schema before it,
# read from the log and migrated on the next write.
. "$(dirname "$0")/lib.sh"

fixture "$T" "$(id -un)"
fixture_budget "$T"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-08-15
# json_is EXPR WANT WHAT: the Python expression over the JSON in $OUT is WANT.
json_is() {
	have python3 || return 0
	got=$(json_get "$OUT" "$1")
	[ "$got" = "$2" ] && pass "$3" || fail "$3: $got, want $2"
}
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
json_is "$byw" "[('WP1', 110.0), ('WP2', 250.0), (None, 40.0)]" "costs_by_wp: each WP's costs and what names none"
json_is "$bypw" "[('COORD', 'WP1', 100.1), ('COORD', 'WP2', 250.0), ('COORD', None, 40.0), ('PA', 'WP1', 9.9)]" "costs_by_partner_wp: per partner and WP"
json_is "d['resources']['totals']['actual_direct']" "400.0" "the direct costs count every cost once"
run $P --as-of 2020-04-15 status --json
json_is "$byw" "[('WP1', 100.1), ('WP2', 250.0)]" "as of a date: the costs dated by then"
run $P --as-of 2020-02-28 status --json
json_is "$byw" "[]" "no cost names a WP yet: an empty list"

run $P revert "$wp2" --note "booked on the wrong work package"
expect_rc 0 "the WP2 cost reverted"
run $P status --json
json_is "$byw" "[('WP1', 110.0), (None, 40.0)]" "the revert takes the cost out of its WP"

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
json_is "$byw" "[('WP1', 110.0), (None, 40.0)]" "export json has costs_by_wp"

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
	sqlite3 "$DB" "DROP TRIGGER IF EXISTS log_cost_wp; DROP TABLE cost_wp; DROP TRIGGER effort_cell_add;
		DROP TRIGGER effort_cell_set; DROP TABLE effort_cell; PRAGMA user_version = 8;"
	run $P status --json
	expect_rc 0 "status of a schema 8 log"
	json_is "$byw" "[('WP1', 110.0), (None, 40.0)]" "a schema 8 log: the costs per WP from the log"
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

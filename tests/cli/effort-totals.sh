#!/bin/sh
# The per partner and WP totals of effort (effort_cell, schema 10): status
# reads them and gives what the months give (a correction within a month,
# a revert, an entry after the as-of date); verify names the table when it
# is not what the log gives; a log made before it (schema 8) reads the
# same read-only and gets it on its first write.
. "$(dirname "$0")/lib.sh"

have sqlite3 || skip "sqlite3 shell absent"
have python3 || skip "python3 absent"

fixture "$T" "$(id -un)"
sed -e 's/^    users: \[[^]]*\]$/&\n    effort: {WP1: 6, WP2: 1.5}/' \
	"$T/proj.yaml" >"$T/p2.yaml" && mv "$T/p2.yaml" "$T/proj.yaml"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-08-15
run $P init
expect_rc 0 "init"
run $P effort WP1 1.5 --month 2020-03 --date 2020-03-31
run $P effort WP1 2 --month 2020-03 --date 2020-04-02 --note "corrected"
corr=$(sqlite3 "$DB" "select max(id) from log")
run $P effort WP1 0.75 --month 2020-04 --date 2020-04-30
run $P effort WP2 1.25 --month 2020-02 --date 2020-02-28
run $P effort WP1 0.5 --month 2020-07 --date 2020-07-31
run $P effort WP2 0.01 --month 2020-05 --date 2020-05-31
run $P revert "$corr" --note "the correction was for April" --date 2020-06-01
expect_rc 0 "the writes"

[ "$(sqlite3 "$DB" "select partner, item, pm, months, last, month_lo, month_hi from effort_cell order by item")" = \
"COORD|WP1|325|3|2020-07-31|2020-03|2020-07
COORD|WP2|126|2|2020-05-31|2020-02|2020-05" ] &&
	pass "effort_cell sums the months that count (the revert left to the reads)" ||
	fail "effort_cell: $(sqlite3 "$DB" "select * from effort_cell")"

[ "$(sqlite3 "$DB" "select partner, cells from effort_pack")" = \
"COORD|3:WP1325,3,10:2020-07-317:2020-037:2020-073:WP2126,2,10:2020-05-317:2020-027:2020-05" ] &&
	pass "effort_pack holds the partner's rows of effort_cell" ||
	fail "effort_pack: $(sqlite3 "$DB" "select * from effort_pack")"

# actual_pm of COORD on each WP as of a date, from status --json.
pm() {
	run $P --as-of "$1" status --json
	json_get "$OUT" "' '.join(r['wp'] + '=' + format(r['actual_pm'], '.2f') for r in d['resources']['effort'] if r['partner'] == 'COORD')"
}
check() {
	got=$(pm "$1")
	[ "$got" = "$2" ] && pass "$3 as of $1: $2" || fail "$3 as of $1: $got, want $2"
}
# March: 1.50 until the correction, 2.00 after it, 1.50 again once it is
# undone (June); the entries after the as-of date do not count.
check 2020-03-31 "WP1=1.50 WP2=1.25" "schema 10"
check 2020-04-30 "WP1=2.75 WP2=1.25" "schema 10"
check 2020-05-31 "WP1=2.75 WP2=1.26" "schema 10"
check 2020-06-30 "WP1=2.25 WP2=1.26" "schema 10"
check 2020-08-15 "WP1=2.75 WP2=1.26" "schema 10"
run $P status --json
json_get "$OUT" "'periods' in d['resources']" >"$T/periods"
[ "$(cat "$T/periods")" = "False" ] && pass "status --json has no periods (export json has them)" ||
	fail "status --json has periods"
for d in 2020-03-31 2020-04-30 2020-06-30 2020-08-15; do
	run $P --as-of $d status
	cp "$OUT" "$T/status-$d.txt"
done

# verify compares effort_cell with what the log gives.
run $P verify
expect_rc 0 "verify of an untouched log"
cp "$DB" "$T/clean.db"
sqlite3 "$DB" "UPDATE effort_cell SET pm = pm + 100 WHERE item = 'WP2'"
run $P verify
expect_rc 65 "verify after a changed effort_cell"
expect_err "summary differs: table effort_cell" "names the table"
cp "$T/clean.db" "$DB"
sqlite3 "$DB" "UPDATE effort_cell SET last = '2020-01-01'"
run $P verify
expect_rc 65 "verify after a changed date in effort_cell"
cp "$T/clean.db" "$DB"
sqlite3 "$DB" "UPDATE effort_pack SET cells = replace(cells, 'WP2126,', 'WP2127,')"
run $P verify
expect_rc 65 "verify after a changed effort_pack"
expect_err "summary differs: table effort_pack" "names effort_pack"

# Without effort_pack (schema 11), and with a text of it that does not
# read (then effort_cell's rows are read), status is the same.
cp "$T/clean.db" "$DB"
sqlite3 "$DB" "UPDATE effort_pack SET cells = cells || '3:WP'"
for d in 2020-03-31 2020-04-30 2020-06-30 2020-08-15; do
	run $P --as-of $d status
	cmp -s "$OUT" "$T/status-$d.txt" && pass "a cut effort_pack: status as of $d as before" ||
		fail "a cut effort_pack: status as of $d: $(diff "$T/status-$d.txt" "$OUT" | head -5)"
done
cp "$T/clean.db" "$DB"
sqlite3 "$DB" "DROP TRIGGER effort_pack_add; DROP TRIGGER effort_pack_set; DROP TABLE effort_pack;
	DROP INDEX log_effort_months; PRAGMA user_version = 11;"
for d in 2020-03-31 2020-04-30 2020-06-30 2020-08-15; do
	run $P --as-of $d status
	cmp -s "$OUT" "$T/status-$d.txt" && pass "schema 11: status as of $d as before" ||
		fail "schema 11: status as of $d: $(diff "$T/status-$d.txt" "$OUT" | head -5)"
done

# A log of schema 8: no effort_cell (nor cost_wp). Read-only it reads the same and stays
# as it is; the first write migrates it.
cp "$T/clean.db" "$DB"
sqlite3 "$DB" "DROP TRIGGER effort_cell_add; DROP TRIGGER effort_cell_set; DROP TABLE effort_cell;
	DROP TRIGGER IF EXISTS log_cost_wp; DROP TABLE cost_wp; PRAGMA user_version = 8;"
check 2020-03-31 "WP1=1.50 WP2=1.25" "schema 8"
check 2020-04-30 "WP1=2.75 WP2=1.25" "schema 8"
check 2020-06-30 "WP1=2.25 WP2=1.26" "schema 8"
check 2020-08-15 "WP1=2.75 WP2=1.26" "schema 8"
for d in 2020-03-31 2020-04-30 2020-06-30 2020-08-15; do
	run $P --as-of $d status
	cmp -s "$OUT" "$T/status-$d.txt" && pass "schema 8: status as of $d as before" ||
		fail "schema 8: status as of $d: $(diff "$T/status-$d.txt" "$OUT" | head -5)"
done
[ "$(sqlite3 "$DB" "pragma user_version")" = 8 ] && pass "reading leaves it at schema 8" ||
	fail "reading changed the schema"
run $P effort WP2 0.5 --month 2020-06 --date 2020-06-30
expect_rc 0 "a write into the schema 8 log"
[ "$(sqlite3 "$DB" "pragma user_version")" = 18 ] && pass "the write migrated it" ||
	fail "user_version $(sqlite3 "$DB" "pragma user_version") after the write"
[ "$(sqlite3 "$DB" "select pm, months from effort_cell where item = 'WP2'")" = "176|3" ] &&
	pass "effort_cell built from the months, with the new one" ||
	fail "effort_cell after the migration: $(sqlite3 "$DB" "select * from effort_cell")"
check 2020-08-15 "WP1=2.75 WP2=1.76" "migrated"
run $P verify
expect_rc 0 "the migrated log verifies"
finish

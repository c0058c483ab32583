# verify sums the count entries month by month as it reads them: a
# back-dated "=N" read after "+N" entries dated later in its month, a "=N"
# replaced by a later one, entries of the "=N"'s own date before and after
# it. The summaries the appends keep are what verify makes (exit 0), and a
# month's or a total's figure changed by one is found (65, naming the table).
. "$(dirname "$0")/../lib.sh"

have sqlite3 || skip "sqlite3 shell absent"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-06-30
run $P init
expect_rc 0 "init"
for w in "+5 --date 2020-05-20" "+3 --date 2020-05-10" "+4 --date 2020-05-15" "=10 --date 2020-05-15" \
	"+2 --date 2020-05-12" "+1 --date 2020-05-15" "-2 --date 2020-05-25" "=7 --date 2020-05-08" \
	"+6 --date 2020-04-03" "=20 --date 2020-05-18" "+9 --date 2020-05-19" "+1 --date 2020-06-02" \
	"+2 --date 2020-05-21 --partner PA" "=3 --date 2020-05-21 --partner PA" "+8 --date 2020-05-30 --partner PA"; do
	run $P record smes $w
	expect_rc 0 "record smes $w"
done
want_month=$(sqlite3 "$DB" "SELECT nset, set_eff, set_n, tail, last FROM reach_month WHERE item = 'smes'
	AND month = '2020-05' ORDER BY partner")
[ "$want_month" = "$(printf '3|2020-05-18|20|12|2020-05-25\n1|2020-05-21|3|8|2020-05-30')" ] &&
	pass "the appends' sums of May" || fail "reach_month: $want_month"
run $P verify
expect_rc 0 "verify of the back-dated counts"

# change TABLE SET WHERE: one figure changed; verify names the table.
change() {
	cp "$DB" "$T/changed.db"
	sqlite3 "$T/changed.db" "UPDATE $1 SET $2 WHERE $3" || fail "cannot change $1"
	run $P --db "$T/changed.db" verify
	expect_rc 65 "verify after $1's $2"
	grep -q "summary differs: table $1 " "$ERR" && pass "names $1" || fail "$1: $(cat "$ERR")"
}
change reach_month "tail = tail + 1" "month = '2020-05' AND partner = 'PA'"
change reach_month "set_id = set_id - 1" "month = '2020-05' AND nset = 3"
change reach_total "tail = tail - 1" "item = 'smes' AND partner = 'PA'"
change reach_delta "delta = delta + 1" "item = 'smes' AND month = '2020-06'"
finish

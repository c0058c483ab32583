#!/bin/sh
# --as-recorded DATE: only what had been recorded by the end of that day
# (plan versions included). A report for RP1 made as recorded on a day is
# made again byte for byte after later, back-dated entries, in every
# format; without the option the late entries show. Every export states its
# plan version, as-of and as-recorded dates. --as-recorded never writes.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || skip "sqlite3 shell absent"
fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-12-15
run $P init
expect_rc 0 "init"
# A history recorded back in 2020 (the clock cannot be moved for consort
# itself): the plan recorded on 2020-01-01, RP1's entries in May and June.
ms() { echo $(( $(date -u -d "$1" +%s) * 1000 )); }
sqlite3 "$DB" "
INSERT INTO log (recorded_at, effective, login, uid, partner, item, kind, value, note)
  SELECT $(ms 2020-01-01), effective, login, uid, partner, item, kind, '2 ' || substr(value, 3), 'as signed'
  FROM log WHERE id = 1;
INSERT INTO plan (entry, version, text, compiled) SELECT last_insert_rowid(), 2, text, compiled FROM plan WHERE version = 1;
INSERT INTO log (recorded_at, effective, login, uid, partner, item, kind, value, note) VALUES
  ($(ms 2020-05-12), '2020-05-10', 'root', 0, 'COORD', 'smes', 'reach', '+10', 'fair'),
  ($(ms 2020-06-20), '2020-06-01', 'root', 0, 'COORD', 'T1.1', 'progress', '50', NULL),
  ($(ms 2020-06-21), '2020-06-21', 'root', 0, 'COORD', 'D1.1', 'status', 'submitted', NULL);
" || fail "the old history"

for fmt in md csv json; do
	run --db "$DB" export --format "$fmt" --period RP1 --as-recorded 2020-07-10
	expect_rc 0 "export $fmt as recorded on 2020-07-10"
	cp "$OUT" "$T/sent.$fmt"
done
expect_out '"as_recorded": "2020-07-10"' "json states the as-recorded date"
expect_out '"plan_version": 2' "json states the plan version"
grep -qF -- "- Plan: version 2 of 2020-01-01" "$T/sent.md" && pass "md states the plan version" ||
	fail "md plan line: $(grep Plan "$T/sent.md")"
grep -qF -- "- As recorded: 2020-07-10" "$T/sent.md" && pass "md states the as-recorded date" ||
	fail "md as-recorded line"
grep -qF -- "- State as of: 2020-06-30" "$T/sent.md" && pass "md states the as-of date" || fail "md as-of"
grep -qF "report,as_recorded,,,,,2020-07-10" "$T/sent.csv" && pass "csv states the as-recorded date" ||
	fail "csv: $(head -3 "$T/sent.csv")"

# Later, back-dated entries into RP1, and one more plan version.
run $P record smes +50 --date 2020-06-10 --note "found later"
expect_rc 0 "a back-dated record"
run $P update T1.1 --progress 90 --date 2020-06-20
expect_rc 0 "a back-dated update"
sed 's/title: Project handbook/title: Project handbook (revised)/' "$T/proj.yaml" >"$T/v3.yaml"
run --db "$DB" amend "$T/v3.yaml" --note "late amendment" --date 2020-02-01
expect_rc 0 "a back-dated amendment"

for fmt in md csv json; do
	run --db "$DB" export --format "$fmt" --period RP1 --as-recorded 2020-07-10
	expect_rc 0 "export $fmt again as recorded on 2020-07-10"
	cmp -s "$OUT" "$T/sent.$fmt" && pass "$fmt: the report as it was sent, byte for byte" ||
		fail "$fmt differs: $(diff "$T/sent.$fmt" "$OUT" | head -10)"
	run --db "$DB" export --format "$fmt" --period RP1
	cmp -s "$OUT" "$T/sent.$fmt" && fail "$fmt: the late entries do not show without --as-recorded" ||
		pass "$fmt: without --as-recorded the late entries show"
done
run --db "$DB" export --format md --period RP1
expect_out "Project handbook (revised)" "the back-dated amendment's plan is used without --as-recorded"
run --db "$DB" --as-recorded 2020-07-10 plan
expect_out "version 2" "plan as recorded lists version 2"
expect_no_out "version 3" "and not the later one"
expect_no_out "version 1" "nor the one recorded after the day"
# The figures themselves: as recorded, the reach (+10), progress (50) and
# status (submitted) of the history (its rows came in past consort's append,
# so the private copy makes its summaries again from the rows); now, the
# late update (90).
run --db "$DB" --as-recorded 2020-07-10 --as-of 2020-06-30 status --json
expect_rc 0 "status as recorded"
cp "$OUT" "$T/rec.json"
run --db "$DB" --as-of 2020-06-30 status --json
cp "$OUT" "$T/now.json"
if have python3; then
	reach='[t["total"] for t in d["targets"] if t["id"] == "smes"][0]'
	prog='[t["progress"] for w in d["work_packages"] for t in w["tasks"] if t["id"] == "T1.1"][0]'
	stat='[x["status"] for x in d["deliverables"] if x["id"] == "D1.1"][0]'
	for f in "reach:$reach:10" "progress:$prog:50" "status:$stat:submitted"; do
		what=${f%%:*}; rest=${f#*:}; expr=${rest%:*}; want=${rest##*:}
		got=$(json_get "$T/rec.json" "$expr")
		[ "$got" = "$want" ] && pass "as recorded: $what $want" || fail "as recorded: $what $got, not $want"
	done
	got=$(json_get "$T/now.json" "$prog")
	[ "$got" = 90 ] && pass "now: progress 90" || fail "now: progress $got, not 90"
fi

run --db "$DB" --as-recorded 2020-07-10 log --json
json_ok "$OUT" "log as recorded"
have python3 && { [ "$(json_get "$OUT" 'len(d)')" = 4 ] && pass "log as recorded: 4 entries" ||
	fail "log as recorded: $(json_get "$OUT" 'len(d)') entries"; }

# A log written by consort alone (the demo's): as recorded after its last
# entry, every command reads it as it is, with no warning, and the private
# copy verifies (its chain and every summary as the entries give them).
run --db "$T/demo.db" demo
expect_rc 0 "the demo"
for cmd in status "status --json" "due --json" "log --json" plan "snapshot --size 160x50"; do
	run --db "$T/demo.db" $cmd
	cp "$OUT" "$T/is.out"; RC0=$RC
	run --db "$T/demo.db" --as-recorded 2099-12-31 $cmd
	expect_rc "$RC0" "$cmd as recorded"
	[ -s "$ERR" ] && fail "$cmd as recorded warns: $(head -c 300 "$ERR")" || pass "$cmd as recorded: no warning"
	cmp -s "$OUT" "$T/is.out" && pass "$cmd as recorded after the last entry: as it is" ||
		fail "$cmd as recorded differs: $(diff "$T/is.out" "$OUT" | head -6)"
done
run --db "$T/demo.db" --as-recorded 2099-12-31 verify
expect_rc 0 "the private copy verifies"
sha_before=$(sha256sum "$T/demo.db" | cut -c1-64)
run --db "$T/demo.db" --as-recorded 2016-06-30 status
expect_rc 0 "the demo as recorded on a day before it"
[ "$(sha256sum "$T/demo.db" | cut -c1-64)" = "$sha_before" ] && pass "the log untouched by its copy" ||
	fail "the log changed under --as-recorded"

n0=$(log_count "$DB")
run --db "$DB" --as-recorded 2020-07-10 update T1.1 --progress 10
expect_rc 64 "--as-recorded does not write"
expect_one_line_err "--as-recorded does not write"
run --db "$DB" --as-recorded 2020-02-30 status
expect_rc 64 "an impossible --as-recorded"
[ "$n0" = "$(log_count "$DB")" ] && pass "nothing written" || fail "written with --as-recorded"
ls "${TMPDIR:-/tmp}" | grep -q "^consort-recorded-" && fail "a private copy left behind" ||
	pass "no private copy left behind"
finish

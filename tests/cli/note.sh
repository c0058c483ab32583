# note and update --note alone: a comment that changes no state, on any
# kind of item, by any listed partner's user; refused for unknown users
# (77) and unknown items (65), writing nothing; shown in log and exports.
. "$(dirname "$0")/../lib.sh"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"
run $P status --json
cp "$OUT" "$T/before.json"

run $P note T2.1 "waiting for LLA's input"
expect_rc 0 "note on a task"
expect_out "recorded #2: note on T2.1 (effective 2020-05-15)" "note confirmation"
for item in D2.1 MS1 WP2 smes PA; do
	run $P note "$item" "a word on $item"
	expect_rc 0 "note on $item"
done
run $P update T1.1 --note "kick-off notes sent"
expect_rc 0 "update --note alone"
expect_out "note on T1.1" "update --note alone is a note"
run $P log T1.1 --json
json_ok "$OUT" "log --json of a note"
if have python3; then
	[ "$(json_get "$OUT" 'd[0]["kind"]')" = note ] && pass "kind note" || fail "kind: $(cat "$OUT")"
fi
run $P status --json
expect_rc 0 "status after notes"
if have python3; then
	python3 -c 'import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
sys.exit(0 if all(a[k] == b[k] for k in ("work_packages", "deliverables", "milestones", "targets")) else 1)' \
		"$T/before.json" "$OUT" && pass "a note changes no state" || fail "a note changed the state"
fi
before=$(count_entries "$DB")
run $P note T9.9 "hello"
expect_rc 65 "note on an unknown item"
expect_one_line_err "note on an unknown item"
run $P note T1.1 "   "
expect_rc 64 "note without text"
run $P note T1.1
expect_rc 64 "note without a text argument"
[ -z "$before" ] || [ "$(count_entries "$DB")" = "$before" ] && pass "refused notes write nothing" ||
	fail "a refused note wrote"

# A user of no partner may not comment: a log whose plan lists this user
# in no partner (the log's plan decides, not a later definition file).
fixture "$T/other" "cst_nobody_here"
ODB=$T/other/proj.db
run --project "$T/other/proj.yaml" --db "$ODB" init
expect_rc 0 "init of a log that does not list this user"
run --project "$T/other/proj.yaml" --db "$ODB" note T1.1 "let me in"
expect_rc 77 "note by an unknown user"
expect_err "not listed as a user of any partner" "says why"
[ -z "$before" ] || [ "$(count_entries "$ODB")" = 1 ] && pass "unknown user's note writes nothing" ||
	fail "unknown user's note was written"

run $P log
expect_out "waiting for LLA's input" "log shows the note"
run $P export --format md
expect_out "## Notes" "export md has notes"
expect_out "| T2.1 |" "export md names the item"
run $P export --format csv
expect_out "note,T2.1,waiting for LLA's input" "export csv note row"
run $P export --format json
json_ok "$OUT" "export json"
if have python3; then
	[ "$(json_get "$OUT" 'len(d["notes"])')" = 7 ] && pass "export json notes" || fail "json notes"
fi
# Details show the comments: a task's, and a cluster's (its partner id).
run $P snapshot --size 120x40 --pane details:T2.1
expect_out "waiting for LLA's input" "a task's details show its note"
run $P snapshot --size 120x40 --pane details:PA
expect_out "a word on PA" "a cluster's details show its note"
run $P snapshot --size 120x40 --pane activity
expect_out "note" "the activity pane lists notes"
# Hostile text stays inert.
run $P note T1.1 "$(printf 'bell\033[2Jx')"
expect_rc 0 "note with an escape"
run $P log T1.1
no_raw_escape "$OUT" "log of a hostile note"
finish

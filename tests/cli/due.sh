# due: overdue and due-soon items per lead, newest deadline first, plain
# text fit for a mail (exactly this text, twice the same), JSON; exit 1
# when something is overdue, 0 otherwise; --mine and --partner narrow it.
. "$(dirname "$0")/../lib.sh"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"

run $P due --within 60
expect_rc 1 "due with overdue items exits 1"
cat >"$T/want" <<'W'
TESTPROJ: due as of 2020-05-15, within 60 days

COORD
  overdue  D1.1 deliverable due 2020-02-29 (76 days late): Project handbook

PA
  due      T2.2 task ends 2020-06-30 (in 46 days): Courses
  overdue  D2.1 deliverable due 2020-03-31 (45 days late): Training curriculum
  overdue  MS1 milestone due 2020-03-31 (45 days late): Curriculum agreed
  overdue  T2.1 task ends 2020-03-31 (45 days late): Curriculum
W
cmp -s "$OUT" "$T/want" && pass "the text, per lead, newest deadline first" ||
	fail "due text differs: $(diff "$T/want" "$OUT")"
cp "$OUT" "$T/first"
run $P due --within 60
cmp -s "$OUT" "$T/first" && pass "the same text twice" || fail "due text is not stable"
no_raw_escape "$OUT" "due text"
[ -s "$ERR" ] && fail "due wrote to stderr: $(cat "$ERR")" || pass "nothing on stderr"

# Done items leave the list; with nothing overdue, exit 0.
run $P update D1.1 --status submitted
run $P due --mine
expect_rc 0 "nothing overdue for COORD"
expect_out "nothing overdue or due" "says so"
run $P due --partner PA --within 60
expect_rc 1 "PA has overdue items"
expect_out "for PA" "names the partner"
expect_no_out "D1.1" "another partner's item left out"
expect_out "T2.2" "an item PA leads"
run $P due --partner PB --within 0
expect_rc 0 "PB: nothing due today"
run $P --as-of 2020-03-31 due --partner PA --within 0
expect_rc 0 "due today is not overdue"
expect_out "(today)" "due today"
run $P due --json --partner PA --within 60
expect_rc 1 "due --json exits 1 too"
json_ok "$OUT" "due --json"
if have python3; then
	[ "$(json_get "$OUT" '",".join(x["id"] for x in d["due"])')" = "T2.2,D2.1,MS1,T2.1" ] &&
		pass "json order" || fail "json: $(cat "$OUT")"
fi
run $P due --mine --partner PA
expect_rc 64 "--mine with --partner"
run $P due --partner NOPE
expect_rc 65 "an unknown partner"
run $P due --within -3
expect_rc 64 "a negative window"
# A log whose plan lists this user in no partner.
fixture "$T/other" "cst_nobody_here"
run --project "$T/other/proj.yaml" --db "$T/other/proj.db" init
expect_rc 0 "init of a log that does not list this user"
run --project "$T/other/proj.yaml" --db "$T/other/proj.db" due --mine
expect_rc 65 "--mine for a user of no partner"
expect_err "not listed" "says why"
finish

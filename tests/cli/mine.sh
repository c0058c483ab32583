# --mine and --partner ID for status, log and export: what the partner
# leads or takes part in, its reach and its benchmark cluster.
. "$(dirname "$0")/../lib.sh"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"
run $P record smes +5 --partner PB --note "PB's fair"
run $P record smes +7 --partner PA
run $P update T2.1 --progress 50
run $P note T3.1 "PB's website draft"

run $P status --partner PB
expect_rc 0 "status --partner"
expect_out "for PB:" "says whose"
expect_out "WP3" "a WP PB leads"
expect_no_out "WP2" "a WP PB has no part in"
expect_out "PB 5" "PB's own reach"
expect_no_out "Coordinating" "no other cluster"
run $P status --mine
expect_out "for COORD:" "--mine is the user's partner"
expect_out "WP2" "COORD takes part in T2.2 of WP2"
expect_no_out "WP3  " "COORD has no part in WP3"
run $P status --json --partner PA
json_ok "$OUT" "status --json --partner"
if have python3; then
	[ "$(json_get "$OUT" 'd["partner"]')" = PA ] && pass "json names the partner" || fail "json partner key"
	[ "$(json_get "$OUT" '",".join(w["id"] for w in d["work_packages"])')" = WP2 ] &&
		pass "json work packages narrowed" || fail "json wps: $(json_get "$OUT" '[w["id"] for w in d["work_packages"]]')"
fi
run $P status --json
if have python3; then
	[ "$(json_get "$OUT" 'd["partner"]')" = None ] && pass "no scope: partner null" || fail "unscoped partner"
fi

run $P log --partner PB
expect_rc 0 "log --partner"
expect_out "PB's fair" "PB's reach"
expect_out "PB's website draft" "a note on PB's task"
expect_no_out "T2.1" "another partner's task left out"
run $P log --partner PA --limit 1
[ "$(wc -l <"$OUT")" -eq 2 ] && pass "--limit counts the partner's entries" || fail "limit: $(cat "$OUT")"

run $P export --format md --partner PB
expect_rc 0 "export --partner"
expect_out "- Partner: PB" "export names the partner"
expect_out "| WP3 |" "export keeps PB's WP"
expect_no_out "| WP2 |" "export leaves out WP2"
expect_out "PB's website draft" "export keeps PB's notes"
run $P export --format csv --partner PB
expect_no_out "deliverable,D2.1" "csv leaves out PA's deliverable"
expect_out "deliverable,D3.1" "csv keeps PB's deliverable"

run $P status --mine --partner PA
expect_rc 64 "--mine and --partner together"
run $P log --partner NOPE
expect_rc 65 "an unknown partner"
finish
